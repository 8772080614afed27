/**
 * Brings an account up to the node's tip, one page of compact blocks at a
 * time: the next page downloads while the current one is scanned, and the
 * account is saved after every page, so a sync stopped at any moment resumes
 * from the last saved page with the same result as an uninterrupted one.
 *
 * What the node learns is only which pages were read: every wallet asks for
 * the same fixed ranges (below), and a send's fate is read from the blocks
 * themselves (./account-state.ts PendingSend), never asked by transaction id.
 */

import type { CompactBlock } from "../protocol/compact.ts";
import type { NoteScanner } from "../protocol/encryption/scan.ts";
import type { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";
import type { NodeClient } from "./node-client.ts";

/**
 * Blocks per page: the node's largest page (MAX_SYNC_BLOCKS of
 * src/api/routes/sync.ts). Pages are the aligned ranges [k·n, k·n + n − 1]
 * whatever the wallet's own height, so a page below the tip is one URL for
 * every client (cached once, immutable) and does not tell the node where
 * this wallet stopped; blocks the wallet already has are skipped.
 */
export const SYNC_PAGE_BLOCKS = 100;

/** The last block of the aligned page holding `height`. */
function alignedEnd(height: number, pageBlocks: number): number {
  return Math.floor(height / pageBlocks) * pageBlocks + pageBlocks - 1;
}

export type SyncProgress = {
  /** Last block applied. */
  readonly height: number;
  readonly tip: number;
  /** Blocks and outputs applied in this run. */
  readonly blocks: number;
  readonly outputs: number;
  readonly elapsedMs: number;
};

export type SyncOptions = {
  readonly save: () => Promise<void>;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Stops after the page being applied (the account is saved). */
  readonly signal?: AbortSignal | undefined;
  readonly pageBlocks?: number;
  readonly now?: () => number;
};

export type SyncResult = { readonly height: number; readonly tip: number; readonly complete: boolean };

export async function syncAccount(
  state: AccountState,
  client: NodeClient,
  scanner: NoteScanner,
  options: SyncOptions,
): Promise<SyncResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const pageBlocks = options.pageBlocks ?? SYNC_PAGE_BLOCKS;
  const { height } = await client.status();
  const tip = height ?? -1;
  let blocks = 0;
  let outputs = 0;
  // A page is the aligned range [start, start + n − 1]; a node bounding its answer by bytes serves it
  // in pieces, each saying where the next starts (`next`), cut where the blocks' sizes say: the same for every client.
  const fetchRange = (from: number) =>
    from > tip ? Promise.resolve(undefined) : client.sync(from, alignedEnd(from, pageBlocks));
  let from = Math.floor((state.syncedHeight + 1) / pageBlocks) * pageBlocks;
  let next = fetchRange(from);
  while (!options.signal?.aborted) {
    const page = await next;
    if (!page) {
      break;
    }
    const end = Math.min(alignedEnd(from, pageBlocks), tip);
    const last = page.blocks.at(-1)?.height ?? from - 1;
    const continues = last < end && last >= from && page.next === last + 1;
    if (last < end && !continues) {
      throw new WalletError(
        "bad_node_response",
        `the node's page from block ${from} stops before block ${end} without saying where it continues`,
      );
    }
    from = last + 1;
    next = fetchRange(from);
    const fresh = page.blocks.filter((b: CompactBlock) => b.height > state.syncedHeight);
    await state.apply(fresh, scanner);
    await options.save();
    blocks += fresh.length;
    outputs += fresh.reduce((n, b) => n + b.txs.reduce((m, t) => m + t.outputs.length, 0), 0);
    options.onProgress?.({ height: state.syncedHeight, tip, blocks, outputs, elapsedMs: now() - started });
  }
  next.catch(() => undefined); // a prefetched page nobody reads
  state.checkAnchor();
  await options.save();
  return { height: state.syncedHeight, tip, complete: state.syncedHeight >= tip };
}
