/**
 * The EVM's view of contract state (PROTOCOL.md §10.8): ethereumjs's
 * StateManagerInterface over the current transaction's journaled state, so
 * the EVM reads the ledger's store and its writes become the transaction's
 * change set. Every account's ETH balance is 0 (§10.6); there is no Merkle
 * trie (the state root hashes changes, §10.8), so root methods refuse.
 */
import type { StateManagerInterface } from "@ethereumjs/common";
import { Account, type Address, KECCAK256_NULL, KECCAK256_RLP } from "@ethereumjs/util";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesEqual } from "../codec/bytes.ts";
import type { ContractState } from "./contract-state.ts";

export class LedgerStateManager implements StateManagerInterface {
  #state: ContractState | undefined;

  readonly originalStorageCache = {
    get: async (address: Address, key: Uint8Array): Promise<Uint8Array> =>
      this.#current().originalStorage(address.bytes, key) ?? new Uint8Array(),
    clear: (): void => {},
  };

  /** Points the EVM at the transaction about to run (or at none between transactions). */
  bind(state: ContractState | undefined): void {
    this.#state = state;
  }

  #current(): ContractState {
    if (this.#state === undefined) {
      throw new Error("the EVM ran outside a transaction");
    }
    return this.#state;
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const account = this.#current().account(address.bytes);
    return account && new Account(account.nonce, 0n, KECCAK256_RLP, account.codeHash);
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    if (account === undefined) {
      this.#current().putAccount(address.bytes, null);
      return;
    }
    if (account.balance !== 0n) {
      throw new Error("an ETH balance appeared: nothing on SERO creates ETH (PROTOCOL.md §10.6)");
    }
    this.#current().putAccount(address.bytes, { nonce: account.nonce, codeHash: account.codeHash });
  }

  async deleteAccount(address: Address): Promise<void> {
    this.#current().putAccount(address.bytes, null);
  }

  async modifyAccountFields(
    address: Address,
    fields: Parameters<StateManagerInterface["modifyAccountFields"]>[1],
  ): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account();
    account.nonce = fields.nonce ?? account.nonce;
    account.balance = fields.balance ?? account.balance;
    account.codeHash = fields.codeHash ?? account.codeHash;
    await this.putAccount(address, account);
  }

  async putCode(address: Address, code: Uint8Array): Promise<void> {
    const codeHash = keccak_256(code);
    this.#current().putCode(codeHash, code);
    await this.modifyAccountFields(address, { codeHash });
  }

  async getCode(address: Address): Promise<Uint8Array> {
    const account = this.#current().account(address.bytes);
    if (account === undefined || bytesEqual(account.codeHash, KECCAK256_NULL)) {
      return new Uint8Array();
    }
    return this.#current().code(account.codeHash) ?? new Uint8Array();
  }

  async getCodeSize(address: Address): Promise<number> {
    return (await this.getCode(address)).length;
  }

  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    return this.#current().storage(address.bytes, key) ?? new Uint8Array();
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    this.#current().putStorage(address.bytes, key, value);
  }

  /**
   * CREATE clears the new address's storage, and a contract destroyed in the
   * transaction that created it loses its own (EIP-6780). Either way only
   * slots written in this transaction can exist: storage is written only by
   * code running at its address, and addresses derive uniquely (§10.2).
   */
  async clearStorage(address: Address): Promise<void> {
    this.#current().clearStorage(address.bytes);
  }

  async checkpoint(): Promise<void> {
    this.#current().checkpoint();
  }

  async commit(): Promise<void> {
    this.#current().commit();
  }

  async revert(): Promise<void> {
    this.#current().revert();
  }

  async getStateRoot(): Promise<Uint8Array> {
    throw new Error("contract state has no trie root: the ledger's state root commits to it (PROTOCOL.md §10.8)");
  }

  async setStateRoot(): Promise<void> {
    throw new Error("contract state has no trie root (PROTOCOL.md §10.8)");
  }

  async hasStateRoot(): Promise<boolean> {
    return false;
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    throw new Error("the ledger's state manager is not copied");
  }
}
