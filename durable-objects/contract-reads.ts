/**
 * What a replica answers about contracts from its ledger at its tip
 * (PROTOCOL.md §10.7, §10.8): a call run with its changes discarded, and a
 * contract's public state. Kept apart from the replica, which only decides
 * whether it may answer at all (a diverged ledger answers nothing).
 */

import { bytesEqual, bytesToBigintBE, fromHex } from "../src/codec/bytes.ts";
import type { Randomness } from "../src/consensus/index.ts";
import { evmAddressOfContract } from "../src/contracts/addresses.ts";
import {
  type ContractInfo,
  decodeAccount,
  decodeContractInfo,
  decodeHeldTicket,
} from "../src/contracts/contract-state.ts";
import type { ContractOutcome } from "../src/contracts/outcome.ts";
import type { ContractParams } from "../src/contracts/params.ts";
import { type ReadCall, readContract } from "../src/contracts/read.ts";
import { contractPrefix, StateKey } from "../src/contracts/state-keys.ts";
import type { LedgerReader } from "../src/ledger/store.ts";
import { ProtocolError } from "../src/protocol/errors.ts";
import { type Fr, frFromBytes } from "../src/protocol/field.ts";

/** The ledger as a replica stores it: contract entries can be listed by key prefix. */
export type ContractLedger = LedgerReader & {
  contractEntries(prefix: string): [string, Uint8Array][];
};

export type CallAnswer =
  | { readonly status: "ok"; readonly height: number; readonly outcome: ContractOutcome }
  | { readonly status: "no_contract" }
  /** The call broke a ledger rule before the EVM ran (a value its balance cannot take, a colliding caller). */
  | { readonly status: "refused"; readonly code: string; readonly message: string }
  /** Blocks kept committing while it ran: no single state to answer for. */
  | { readonly status: "busy" };

export type ContractView = {
  readonly address: Uint8Array;
  readonly evm: Uint8Array;
  readonly codeHash: Uint8Array;
  readonly createdAt: number;
  readonly balances: readonly { readonly asset: Fr; readonly name: string; readonly amount: bigint }[];
  readonly tickets: readonly { readonly category: Fr; readonly name: string; readonly ticketId: Uint8Array }[];
};

/** A read racing block commits is run again; a few tries are plenty, as a read takes far less than a block. */
const CALL_ATTEMPTS = 3;
/**
 * Reads are free and may each burn up to maxTxGas: the runtime runs one at a
 * time, and at most this many wait or run; more are answered `busy` at once,
 * so a flood costs the replica a bounded amount of work, never an unbounded queue.
 */
export const MAX_PENDING_READS = 4;

export class ContractReads {
  readonly #ledger: ContractLedger;
  readonly #chainId: string;
  readonly #params: ContractParams;
  /** The beacon 0x5e0a answers: the latest sealed epoch's, as the next block would see it. */
  readonly #randomness: () => Randomness | undefined;
  #pending = 0;

  constructor(
    ledger: ContractLedger,
    chainId: string,
    params: ContractParams,
    randomness: () => Randomness | undefined = () => undefined,
  ) {
    this.#ledger = ledger;
    this.#chainId = chainId;
    this.#params = params;
    this.#randomness = randomness;
  }

  /**
   * Runs `call` at the tip. The EVM awaits, and a block may commit meanwhile: an answer is only
   * given for a run the tip did not move under, so its outcome belongs to the height it names.
   */
  async call(call: ReadCall): Promise<CallAnswer> {
    if (this.#pending >= MAX_PENDING_READS) {
      return { status: "busy" };
    }
    this.#pending++;
    try {
      return await this.#callAtTip(call);
    } finally {
      this.#pending--;
    }
  }

  async #callAtTip(call: ReadCall): Promise<CallAnswer> {
    for (let attempt = 0; attempt < CALL_ATTEMPTS; attempt++) {
      const height = this.#ledger.meta().height;
      if (this.#record(call.contract) === undefined) {
        return { status: "no_contract" };
      }
      let outcome: ContractOutcome;
      try {
        outcome = await readContract(this.#ledger, this.#chainId, this.#params, call, this.#randomness());
      } catch (e) {
        if (e instanceof ProtocolError) {
          return { status: "refused", code: e.code, message: e.message };
        }
        throw e;
      }
      if (this.#ledger.meta().height === height) {
        return { status: "ok", height, outcome };
      }
    }
    return { status: "busy" };
  }

  /** A contract's public state (§10.8), or null when no contract has that address. */
  view(address: Uint8Array): ContractView | null {
    const record = this.#record(address);
    const account = record && this.#ledger.contractValue(StateKey.account(record.evm));
    if (record === undefined || account === undefined) {
      return null;
    }
    const { evm } = record;
    return {
      address,
      evm,
      codeHash: decodeAccount(account).codeHash,
      createdAt: record.info.createdAt,
      balances: this.#ledger.contractEntries(contractPrefix("token", evm)).map(([key, value]) => {
        const asset = this.#keySuffix(key);
        return { asset, name: this.#assetName(asset), amount: bytesToBigintBE(value) };
      }),
      tickets: this.#ledger.contractEntries(contractPrefix("ticket", evm)).map(([, value]) => {
        const { category, ticketId } = decodeHeldTicket(value);
        return { category, name: this.#assetName(category), ticketId };
      }),
    };
  }

  /** The contract at `address`: its record names that address (the EVM address is a hash of it, §10.2). */
  #record(address: Uint8Array): { evm: Uint8Array; info: ContractInfo } | undefined {
    const evm = evmAddressOfContract(address);
    const bytes = this.#ledger.contractValue(StateKey.contract(evm));
    const info = bytes && decodeContractInfo(bytes);
    return info && bytesEqual(info.address, address) ? { evm, info } : undefined;
  }

  /** The asset id that ends a `t/<evm>/<asset>` key. */
  #keySuffix(key: string): Fr {
    return frFromBytes(fromHex(key.slice(key.lastIndexOf("/") + 1)) as Uint8Array, "asset");
  }

  /** Every asset a contract holds is registered (§10.5): its name is in the ledger's registry. */
  #assetName(id: Fr): string {
    return this.#ledger.asset(id)?.registration.name ?? "";
  }
}
