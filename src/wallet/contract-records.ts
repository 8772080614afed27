/**
 * The account's own contract transactions on one chain (PROTOCOL.md §10.1):
 * which caller identity each used, so a fresh call takes an index no earlier
 * one did, a call to a contract the account deployed can act as its owner
 * again, and history can say which contract a payout came back from.
 * Kept in the account's state (the encrypted wallet file).
 */
import type { AssetValue } from "../protocol/asset.ts";
import { WalletError } from "./errors.ts";
import { type ValueJson, valueFromJson, valueToJson } from "./value-json.ts";

export type ContractRecord = {
  readonly txId: string;
  readonly kind: "deploy" | "call";
  readonly identity: number;
  /** The 64-byte contract address (hex): the one called, or the one a deploy creates. */
  readonly contract: string;
  readonly gasLimit: bigint;
  /** What the transaction brought to the contract (§10.3). */
  readonly value: AssetValue | null;
};

export class ContractRecords {
  readonly #records: ContractRecord[] = [];

  get all(): readonly ContractRecord[] {
    return this.#records;
  }

  add(record: ContractRecord): void {
    if (this.#records.some((r) => r.txId === record.txId)) {
      throw new WalletError("duplicate_transaction", `${record.txId} is recorded already`);
    }
    this.#records.push(record);
  }

  /** A transaction the node refused: it never reached the chain. */
  remove(txId: string): void {
    const i = this.#records.findIndex((r) => r.txId === txId);
    if (i >= 0) {
      this.#records.splice(i, 1);
    }
  }

  /** An index no recorded transaction used: above every one used, so skipped indexes stay unused. */
  freshIdentity(): number {
    return this.#records.reduce((next, r) => Math.max(next, r.identity + 1), 0);
  }

  /** The identity that deployed `contract` (hex), if this account did. */
  deployerOf(contract: string): number | undefined {
    return this.#records.find((r) => r.kind === "deploy" && r.contract === contract)?.identity;
  }

  byTx(txId: string): ContractRecord | undefined {
    return this.#records.find((r) => r.txId === txId);
  }

  toJson(): unknown[] {
    return this.#records.map((r) => ({
      ...r,
      gasLimit: r.gasLimit.toString(),
      value: r.value === null ? null : valueToJson(r.value),
    }));
  }

  static fromJson(json: readonly RecordJson[] | undefined): ContractRecords {
    const records = new ContractRecords();
    for (const r of json ?? []) {
      records.add({ ...r, gasLimit: BigInt(r.gasLimit), value: r.value === null ? null : valueFromJson(r.value) });
    }
    return records;
  }
}

export type RecordJson = Omit<ContractRecord, "gasLimit" | "value"> & { gasLimit: string; value: ValueJson | null };
