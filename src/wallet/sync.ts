/**
 * Brings an account up to the node's tip, one page of compact blocks at a
 * time: the next page downloads while the current one is scanned, and the
 * account is saved after every page, so a sync stopped at any moment resumes
 * from the last saved page with the same result as an uninterrupted one.
 */

import type { CompactBlock } from "../protocol/compact.ts";
import type { NoteScanner } from "../protocol/encryption/scan.ts";
import type { AccountState } from "./account-state.ts";
import type { NodeClient } from "./node-client.ts";

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
  const pageBlocks = options.pageBlocks ?? 100;
  const { height } = await client.status();
  const tip = height ?? -1;
  let blocks = 0;
  let outputs = 0;
  const fetchPage = (from: number) =>
    from > tip ? Promise.resolve(undefined) : client.sync(from, Math.min(from + pageBlocks - 1, tip));
  let next = fetchPage(state.syncedHeight + 1);
  while (!options.signal?.aborted) {
    const page = await next;
    if (!page || page.blocks.length === 0) {
      break;
    }
    const last = page.blocks.at(-1) as CompactBlock;
    next = fetchPage(last.height + 1);
    await state.apply(page.blocks, scanner);
    await options.save();
    blocks += page.blocks.length;
    outputs += page.blocks.reduce((n, b) => n + b.txs.reduce((m, t) => m + t.outputs.length, 0), 0);
    options.onProgress?.({ height: state.syncedHeight, tip, blocks, outputs, elapsedMs: now() - started });
  }
  next.catch(() => undefined); // a prefetched page nobody reads
  await releaseRejected(state, client);
  state.checkAnchor();
  await options.save();
  return { height: state.syncedHeight, tip, complete: state.syncedHeight >= tip };
}

/** Sends the chain refused free their notes at once (expired ones are freed by `apply`). */
async function releaseRejected(state: AccountState, client: NodeClient): Promise<void> {
  for (const send of state.pending) {
    const status = await client.txStatus(send.txId);
    if (status?.status === "rejected") {
      state.release(send.txId);
    }
  }
}
