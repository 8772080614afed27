/** The ledger before block 0: an empty tree, no nullifiers, SERO registered by the protocol. */
import { IncrementalTree } from "../protocol/merkle/tree.ts";
import { EMPTY_DIGEST } from "./state-root.ts";
import type { LedgerMeta } from "./store.ts";

export function emptyLedgerMeta(): LedgerMeta {
  return {
    height: -1,
    frontier: new IncrementalTree().encode(),
    nullifierDigest: EMPTY_DIGEST,
    assetDigest: EMPTY_DIGEST,
    contractDigest: EMPTY_DIGEST,
    stateRoot: EMPTY_DIGEST,
  };
}
