/**
 * Whether an account's stored state belongs to the node's chain, checked
 * before anything read from it is shown, spent or extended.
 *
 * A state keeps two marks of the chain it was read from. Its identity is
 * block 0's state root (GET /v1/blocks/0): block 0 is derived from the
 * GENESIS document alone, so this root is the same on every deployment of one
 * chain and differs for any other genesis (docs/OPERATING.md, "Keys and
 * genesis"); it commits to the whole genesis state, where block 0's anchor
 * commits to its notes only, and the node publishes no block hash. Its
 * position is the anchor of the last block it applied (from the compact
 * blocks, checked against its own tree). A block committed by 2f + 1
 * replicas is never undone (PBFT §4.2, CONSENSUS.md §3.2), so a node whose
 * block 0 differs, which is below that block, or whose block there has
 * another anchor serves another chain: a reset one, or another deployment.
 * The answer is `chain_changed`, and `sero sync --rescan` starts over.
 *
 * A state written before these marks existed has no identity: it takes the
 * node's at its first check if the node agrees with its last anchor (the
 * same chain, so far as the wallet can tell), else it is `chain_changed`
 * like any other.
 *
 * A chain replaced between this check and the pages a sync reads next is
 * caught by the sync itself: the new chain's leaves do not land where the
 * wallet's tree expects them, or its tree misses the new anchor (`tree_mismatch`).
 */
import { toHex } from "../codec/bytes.ts";
import { frToBytes } from "../protocol/field.ts";
import type { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";
import type { NodeClient, NodeStatus } from "./node-client.ts";

const RESCAN = "sero sync --rescan starts over on the node's chain (the keys are kept)";

/** Throws `chain_changed` unless the node serves the chain `state` was read from; records its identity if new. */
export async function checkChain(state: AccountState, client: NodeClient, status: NodeStatus): Promise<void> {
  const tip = status.height ?? -1;
  if (tip < state.syncedHeight) {
    throw new WalletError(
      "chain_changed",
      `the node is at block ${tip}, below block ${state.syncedHeight} this account synced: the chain was reset ` +
        `(${RESCAN}) or this node is behind (wait, or use another --node)`,
    );
  }
  if (tip < 0) {
    return; // Nothing synced and nothing to compare with yet: the first sync records the identity.
  }
  const genesis = (await client.block(0)).stateRoot;
  if (state.genesis !== undefined && state.genesis !== genesis) {
    throw new WalletError(
      "chain_changed",
      `the node's block 0 is not the one of the chain this account synced: it is a new or another chain. ${RESCAN}`,
    );
  }
  const anchor = state.anchor;
  if (anchor !== undefined && state.syncedHeight >= 0) {
    const there = await client.block(state.syncedHeight);
    if (there.anchor !== anchor) {
      throw new WalletError(
        "chain_changed",
        `the node's block ${state.syncedHeight} is not the one this account synced (${toHex(frToBytes(anchor)).slice(0, 12)}...): ` +
          `the chain was replaced, as committed blocks never change. ${RESCAN}`,
      );
    }
  }
  state.recordGenesis(genesis);
}

/**
 * Where a rescan starts: where the state started, on its own chain; block 0
 * after the chain changed, since every block of a chain that began after the
 * account may hold its notes (the account's birthday counts blocks of the old one).
 */
export async function rescanStart(
  state: AccountState,
  client: NodeClient,
  status: NodeStatus,
  birthday: number,
): Promise<number> {
  try {
    await checkChain(state, client, status);
    return state.start ?? birthday;
  } catch (e) {
    if (e instanceof WalletError && e.code === "chain_changed") {
      return 0;
    }
    throw e;
  }
}
