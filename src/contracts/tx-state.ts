/**
 * The state one contract transaction works on: layers of writes over what the
 * block has committed so far, one layer per EVM frame, so a frame that fails
 * undoes exactly its own writes, payouts, registrations and tickets
 * (PROTOCOL.md §10.5: everything a precompile does is journaled with the
 * EVM's state). Nothing reaches the block until the transaction keeps it.
 */

import type { AssetRecord } from "../ledger/store.ts";
import type { Fr } from "../protocol/field.ts";
import type { ContractStateReader } from "./state-keys.ts";

/** What the enclosing block run knows: its own pending changes over the ledger. */
export interface ContractHost extends ContractStateReader {
  asset(id: Fr): AssetRecord | undefined;
  hasTicket(asset: Fr): boolean;
}

/** A note a contract pays (§10.4), before the ledger gives it a position and commitment. */
export type PayoutDraft = {
  readonly pkr: Uint8Array;
  readonly assetKind: "token" | "ticket";
  readonly assetRef: Fr;
  readonly value: Uint8Array;
};

type Layer = {
  readonly entries: Map<string, Uint8Array | null>;
  readonly assets: Map<Fr, AssetRecord>;
  readonly tickets: Set<Fr>;
  readonly payoutsBefore: number;
};

export type TxChanges = {
  readonly entries: ReadonlyMap<string, Uint8Array | null>;
  readonly assets: ReadonlyMap<Fr, AssetRecord>;
  readonly tickets: ReadonlySet<Fr>;
  readonly payouts: readonly PayoutDraft[];
};

const newLayer = (payoutsBefore: number): Layer => ({
  entries: new Map(),
  assets: new Map(),
  tickets: new Set(),
  payoutsBefore,
});

export class TxState {
  readonly #host: ContractHost;
  readonly #layers: Layer[] = [newLayer(0)];
  readonly #payouts: PayoutDraft[] = [];

  constructor(host: ContractHost) {
    this.#host = host;
  }

  get(key: string): Uint8Array | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const value = (this.#layers[i] as Layer).entries.get(key);
      if (value !== undefined) {
        return value ?? undefined;
      }
    }
    return this.#host.contractValue(key);
  }

  /** The value before this transaction (EIP-2200's "original value"). */
  original(key: string): Uint8Array | undefined {
    return this.#host.contractValue(key);
  }

  set(key: string, value: Uint8Array | null): void {
    this.#top().entries.set(key, value);
  }

  /** Keys written in this transaction that start with `prefix`, deleted ones included. */
  writtenKeys(prefix: string): string[] {
    const keys = new Set<string>();
    for (const layer of this.#layers) {
      for (const key of layer.entries.keys()) {
        if (key.startsWith(prefix)) {
          keys.add(key);
        }
      }
    }
    return [...keys];
  }

  asset(id: Fr): AssetRecord | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const record = (this.#layers[i] as Layer).assets.get(id);
      if (record !== undefined) {
        return record;
      }
    }
    return this.#host.asset(id);
  }

  putAsset(id: Fr, record: AssetRecord): void {
    this.#top().assets.set(id, record);
  }

  hasTicket(asset: Fr): boolean {
    return this.#layers.some((l) => l.tickets.has(asset)) || this.#host.hasTicket(asset);
  }

  addTicket(asset: Fr): void {
    this.#top().tickets.add(asset);
  }

  pay(payout: PayoutDraft): void {
    this.#payouts.push(payout);
  }

  checkpoint(): void {
    this.#layers.push(newLayer(this.#payouts.length));
  }

  /** Folds the top layer into the one below. */
  commit(): void {
    const top = this.#pop();
    const below = this.#top();
    for (const [key, value] of top.entries) {
      below.entries.set(key, value);
    }
    for (const [id, record] of top.assets) {
      below.assets.set(id, record);
    }
    for (const t of top.tickets) {
      below.tickets.add(t);
    }
  }

  revert(): void {
    const top = this.#pop();
    this.#payouts.length = top.payoutsBefore;
  }

  /** What the transaction changed, once every frame has committed or reverted. */
  changes(): TxChanges {
    if (this.#layers.length !== 1) {
      throw new Error(`${this.#layers.length - 1} EVM checkpoints left open`);
    }
    const base = this.#top();
    return { entries: base.entries, assets: base.assets, tickets: base.tickets, payouts: this.#payouts };
  }

  #top(): Layer {
    return this.#layers[this.#layers.length - 1] as Layer;
  }

  #pop(): Layer {
    if (this.#layers.length === 1) {
      throw new Error("no EVM checkpoint to close");
    }
    return this.#layers.pop() as Layer;
  }
}
