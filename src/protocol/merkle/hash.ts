/** Node hashing and the empty subtrees of the commitment tree (PROTOCOL.md §7). */
import { PoseidonTag } from "../domains.ts";
import type { Fr } from "../field.ts";
import { hashTagged } from "../poseidon.ts";

export const TREE_DEPTH = 32;
/** Height of a shard (§7.1): nodes publish the root of every complete subtree of this height. */
export const SHARD_HEIGHT = 8;
export const EMPTY_LEAF = 0n as Fr;

/**
 * Nodes already hashed in this isolate, by their children: the replicas of one
 * deployment append the same commitments, so each node is hashed once between
 * them (the appends' Poseidon was 6% of the isolate under load). A node is a
 * pure function of its children, so sharing it trusts nothing; the oldest is
 * forgotten past `NODE_MEMORY`.
 */
const NODE_MEMORY = 8192;
const nodesByChildren = new Map<string, Fr>();

export function hashNode(left: Fr, right: Fr): Fr {
  const key = `${left.toString(16)}:${right.toString(16)}`;
  let node = nodesByChildren.get(key);
  if (node === undefined) {
    node = hashTagged(PoseidonTag.merkleNode, left, right);
    if (nodesByChildren.size >= NODE_MEMORY) {
      nodesByChildren.delete(nodesByChildren.keys().next().value as string);
    }
    nodesByChildren.set(key, node);
  }
  return node;
}

/** `EMPTY_ROOTS[k]` is the root of an empty subtree of height k (k = 0 is the empty leaf). */
export const EMPTY_ROOTS: readonly Fr[] = (() => {
  const roots: Fr[] = [EMPTY_LEAF];
  for (let k = 0; k < TREE_DEPTH; k++) {
    roots.push(hashNode(roots[k] as Fr, roots[k] as Fr));
  }
  return roots;
})();

export function emptyRoot(height: number): Fr {
  return EMPTY_ROOTS[height] as Fr;
}

/** Bit `index` of a tree position or size (up to 2^32, beyond 32-bit bitwise operators). */
export function bit(value: number, index: number): boolean {
  return Math.floor(value / 2 ** index) % 2 === 1;
}
