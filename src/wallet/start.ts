/**
 * Where an account's first sync starts. An account owns nothing before its
 * birthday, so the wallet seeds its tree from the node's frontier
 * (GET /v1/tree/{height}) instead of reading the chain from block 0. The
 * height asked for is rounded down to a multiple of BIRTHDAY_BUCKET: the
 * node learns only which thousand blocks the account was made in, every
 * account of that bucket asks for the same (cacheable) frontier, and the
 * price is scanning at most BIRTHDAY_BUCKET − 1 blocks the account had no
 * notes in.
 */
import type { ViewingKeys } from "../protocol/keys.ts";
import { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";
import type { NodeClient } from "./node-client.ts";
import { NoteTree } from "./note-tree.ts";

export const BIRTHDAY_BUCKET = 1000;

/** The first block the wallet reads for an account born at `birthday`. */
export function bucketStart(birthday: number, bucket = BIRTHDAY_BUCKET): number {
  return Math.floor(birthday / bucket) * bucket;
}

export type StartOptions = {
  readonly bucket?: number;
  /** Told when the node keeps no frontier there and the sync starts at block 0 instead. */
  readonly onFallback?: (height: number) => void;
};

/** A fresh account state that starts at the bucket holding `birthday`. */
export async function startAccountState(
  client: NodeClient,
  keys: ViewingKeys,
  birthday: number,
  options: StartOptions = {},
): Promise<AccountState> {
  const start = bucketStart(birthday, options.bucket);
  if (start === 0) {
    return AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  }
  try {
    const { tree, anchor } = await client.treeAfter(start - 1);
    return AccountState.startingAt(keys, start, NoteTree.fromFrontier(tree), anchor);
  } catch (e) {
    if (!(e instanceof WalletError && e.code === "not_found")) {
      throw e;
    }
    // A node indexed before frontiers were kept: read the chain from the start instead.
    options.onFallback?.(start - 1);
    return AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  }
}
