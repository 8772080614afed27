/**
 * What the ledger reads, and the change set one block produces. A Durable
 * Object implements `LedgerStore` on its SQLite storage (synchronous there)
 * and commits a change set in one transaction; tests and simulations use
 * memory. The ledger itself never touches storage: it returns changes.
 */
import type { ContractStateReader, ContractWrites } from "../contracts/state-keys.ts";
import type { AssetRegistration } from "../protocol/asset.ts";
import type { Fr } from "../protocol/field.ts";

export type AssetRecord = {
  readonly registration: AssetRegistration;
  /** Total ever issued (genesis included), in base units or tickets. */
  readonly issued: bigint;
  /** Fees paid in this asset (SERO only): value that left the shielded pool publicly. */
  readonly fees: bigint;
  /** The next issuance must carry this nonce. */
  readonly nonce: bigint;
};

export type LedgerMeta = {
  /** Height of the last applied block; -1 before genesis. */
  readonly height: number;
  /** The commitment tree's canonical frontier. */
  readonly frontier: Uint8Array;
  /** Running hashes over every spent nullifier, and every asset change, in order. */
  readonly nullifierDigest: Uint8Array;
  readonly assetDigest: Uint8Array;
  /** Running hash over every contract state write (PROTOCOL.md §10.8). */
  readonly contractDigest: Uint8Array;
  /** State root after `height` (see stateRoot). */
  readonly stateRoot: Uint8Array;
};

export interface LedgerReader extends ContractStateReader {
  meta(): LedgerMeta;
  nullifierHeight(nf: Fr): number | undefined;
  anchorHeight(root: Fr): number | undefined;
  asset(id: Fr): AssetRecord | undefined;
  hasTicket(asset: Fr): boolean;
}

export type LedgerChanges = {
  readonly meta: LedgerMeta;
  readonly nullifiers: readonly Fr[];
  /** The anchor of the new block; anchors below `oldestAnchorHeight` are forgotten. */
  readonly anchor: { readonly root: Fr; readonly height: number };
  readonly oldestAnchorHeight: number;
  readonly assets: ReadonlyMap<Fr, AssetRecord>;
  readonly tickets: readonly Fr[];
  /** Contract state entries written, in order (PROTOCOL.md §10.8). */
  readonly contracts: ContractWrites;
};

export interface LedgerStore extends LedgerReader {
  /** Applies one block's changes atomically. */
  commit(changes: LedgerChanges): void;
}

export class MemoryLedgerStore implements LedgerStore {
  #meta: LedgerMeta;
  readonly #nullifiers = new Map<Fr, number>();
  readonly #anchors = new Map<Fr, number>();
  readonly #assets = new Map<Fr, AssetRecord>();
  readonly #tickets = new Set<Fr>();
  readonly #contracts = new Map<string, Uint8Array>();

  constructor(initial: LedgerMeta) {
    this.#meta = initial;
  }

  meta(): LedgerMeta {
    return this.#meta;
  }
  nullifierHeight(nf: Fr): number | undefined {
    return this.#nullifiers.get(nf);
  }
  anchorHeight(root: Fr): number | undefined {
    return this.#anchors.get(root);
  }
  asset(id: Fr): AssetRecord | undefined {
    return this.#assets.get(id);
  }
  hasTicket(asset: Fr): boolean {
    return this.#tickets.has(asset);
  }
  contractValue(key: string): Uint8Array | undefined {
    return this.#contracts.get(key);
  }
  /** Entries whose keys start with `prefix`, in key order (what the API lists of a contract). */
  contractEntries(prefix: string): [string, Uint8Array][] {
    return [...this.#contracts].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  commit(changes: LedgerChanges): void {
    const height = changes.meta.height;
    for (const nf of changes.nullifiers) {
      this.#nullifiers.set(nf, height);
    }
    this.#anchors.set(changes.anchor.root, changes.anchor.height);
    for (const [root, h] of this.#anchors) {
      if (h < changes.oldestAnchorHeight) {
        this.#anchors.delete(root);
      }
    }
    for (const [id, record] of changes.assets) {
      this.#assets.set(id, record);
    }
    for (const t of changes.tickets) {
      this.#tickets.add(t);
    }
    for (const [key, value] of changes.contracts) {
      if (value === null) {
        this.#contracts.delete(key);
      } else {
        this.#contracts.set(key, value);
      }
    }
    this.#meta = changes.meta;
  }
}
