/**
 * Typed access to contract state (PROTOCOL.md §10.8) over a transaction's
 * journaled entries: the one place that knows how each entry is encoded.
 */
import { bytesEqual, bytesToBigintBE, concatBytes } from "../codec/bytes.ts";
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import { contractPrefix, StateKey } from "./state-keys.ts";
import type { TxState } from "./tx-state.ts";

/** What a 20-byte EVM address stands for (§10.2). */
export type RegistryEntry =
  | { readonly kind: "contract"; readonly address: Uint8Array }
  | { readonly kind: "caller"; readonly pkr: Uint8Array; readonly key: Uint8Array };

export type EvmAccount = { readonly nonce: bigint; readonly codeHash: Uint8Array };

export type ContractInfo = { readonly address: Uint8Array; readonly createdAt: number };

export type HeldTicket = { readonly category: Fr; readonly ticketId: Uint8Array };

const U128 = 1n << 128n;

export function encodeRegistryEntry(entry: RegistryEntry): Uint8Array {
  return entry.kind === "contract"
    ? concatBytes(Uint8Array.of(0), entry.address)
    : concatBytes(Uint8Array.of(1), entry.pkr, entry.key);
}

export function decodeRegistryEntry(bytes: Uint8Array): RegistryEntry {
  const r = new ByteReader(bytes);
  const entry: RegistryEntry =
    r.u8("registry kind") === 0
      ? { kind: "contract", address: r.bytesFixed(64, "contract") }
      : { kind: "caller", pkr: r.bytesFixed(128, "caller address"), key: r.bytesFixed(32, "caller key") };
  r.finish("registry entry");
  return entry;
}

export function decodeContractInfo(bytes: Uint8Array): ContractInfo {
  const r = new ByteReader(bytes);
  const info = { address: r.bytesFixed(64, "contract"), createdAt: Number(r.uint(8, "creation height")) };
  r.finish("contract");
  return info;
}

export function decodeAccount(bytes: Uint8Array): EvmAccount {
  const r = new ByteReader(bytes);
  const account = { nonce: r.uint(8, "nonce"), codeHash: r.bytesFixed(32, "code hash") };
  r.finish("account");
  return account;
}

export function decodeHeldTicket(bytes: Uint8Array): HeldTicket {
  return { category: frFromBytes(bytes.subarray(0, 32), "category"), ticketId: bytes.slice(32, 64) };
}

const u128 = (v: bigint) => new ByteWriter().uint(v, 16).finish();

export class ContractState {
  readonly #tx: TxState;

  constructor(tx: TxState) {
    this.#tx = tx;
  }

  /** EVM frames: see TxState. */
  checkpoint(): void {
    this.#tx.checkpoint();
  }

  commit(): void {
    this.#tx.commit();
  }

  revert(): void {
    this.#tx.revert();
  }

  registry(evm: Uint8Array): RegistryEntry | undefined {
    const bytes = this.#tx.get(StateKey.registry(evm));
    return bytes && decodeRegistryEntry(bytes);
  }

  /** Records what `evm` stands for, once; another preimage of the same 20 bytes is refused (§10.2). */
  register(evm: Uint8Array, entry: RegistryEntry): void {
    const encoded = encodeRegistryEntry(entry);
    const known = this.#tx.get(StateKey.registry(evm));
    if (known === undefined) {
      this.#tx.set(StateKey.registry(evm), encoded);
    } else if (!bytesEqual(known, encoded)) {
      throw new ProtocolError("address_collision", "this EVM address already stands for another account");
    }
  }

  account(evm: Uint8Array): EvmAccount | undefined {
    const bytes = this.#tx.get(StateKey.account(evm));
    return bytes && decodeAccount(bytes);
  }

  putAccount(evm: Uint8Array, account: EvmAccount | null): void {
    this.#tx.set(
      StateKey.account(evm),
      account && new ByteWriter().uint(account.nonce, 8).bytes(account.codeHash).finish(),
    );
  }

  code(codeHash: Uint8Array): Uint8Array | undefined {
    return this.#tx.get(StateKey.code(codeHash));
  }

  putCode(codeHash: Uint8Array, code: Uint8Array): void {
    this.#tx.set(StateKey.code(codeHash), code);
  }

  contract(evm: Uint8Array): ContractInfo | undefined {
    const bytes = this.#tx.get(StateKey.contract(evm));
    return bytes && decodeContractInfo(bytes);
  }

  putContract(evm: Uint8Array, info: ContractInfo): void {
    this.#tx.set(StateKey.contract(evm), new ByteWriter().bytes(info.address).uint(BigInt(info.createdAt), 8).finish());
  }

  /** A storage slot; absent slots are zero, and zero is stored as absent. */
  storage(evm: Uint8Array, slot: Uint8Array): Uint8Array | undefined {
    return this.#tx.get(StateKey.storage(evm, slot));
  }

  originalStorage(evm: Uint8Array, slot: Uint8Array): Uint8Array | undefined {
    return this.#tx.original(StateKey.storage(evm, slot));
  }

  putStorage(evm: Uint8Array, slot: Uint8Array, value: Uint8Array): void {
    this.#tx.set(StateKey.storage(evm, slot), value.some((b) => b !== 0) ? value : null);
  }

  /** Only slots written in this transaction can exist for an account being cleared (see state-manager.ts). */
  clearStorage(evm: Uint8Array): void {
    for (const key of this.#tx.writtenKeys(contractPrefix("storage", evm))) {
      this.#tx.set(key, null);
    }
  }

  tokenBalance(evm: Uint8Array, asset: Fr): bigint {
    const bytes = this.#tx.get(StateKey.token(evm, asset));
    return bytes ? bytesToBigintBE(bytes) : 0n;
  }

  /** Moves `delta` of a token into (positive) or out of a contract, keeping `held` (§10.8) in step. */
  addTokenBalance(evm: Uint8Array, asset: Fr, delta: bigint): void {
    const balance = this.tokenBalance(evm, asset) + delta;
    if (balance < 0n) {
      throw new ProtocolError("insufficient_balance", "the contract holds less than it sends");
    }
    if (balance >= U128) {
      throw new ProtocolError("amount_out_of_range", "a balance must stay below 2^128");
    }
    this.#tx.set(StateKey.token(evm, asset), balance === 0n ? null : u128(balance));
    this.#addHeld(asset, delta);
  }

  ticket(evm: Uint8Array, ticketAsset: Fr): HeldTicket | undefined {
    const bytes = this.#tx.get(StateKey.ticket(evm, ticketAsset));
    return bytes && decodeHeldTicket(bytes);
  }

  putTicket(evm: Uint8Array, ticketAsset: Fr, ticket: HeldTicket | null): void {
    const had = this.ticket(evm, ticketAsset) !== undefined;
    this.#tx.set(StateKey.ticket(evm, ticketAsset), ticket && concatBytes(frToBytes(ticket.category), ticket.ticketId));
    this.#addHeld(ticketAsset, BigInt(ticket ? 1 : 0) - BigInt(had ? 1 : 0));
  }

  issuer(asset: Fr): Uint8Array | undefined {
    return this.#tx.get(StateKey.issuer(asset));
  }

  putIssuer(asset: Fr, evm: Uint8Array): void {
    this.#tx.set(StateKey.issuer(asset), evm);
  }

  held(asset: Fr): bigint {
    const bytes = this.#tx.get(StateKey.held(asset));
    return bytes ? bytesToBigintBE(bytes) : 0n;
  }

  #addHeld(asset: Fr, delta: bigint): void {
    if (delta !== 0n) {
      const held = this.held(asset) + delta;
      this.#tx.set(StateKey.held(asset), held === 0n ? null : u128(held));
    }
  }
}
