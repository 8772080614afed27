/**
 * The append-only commitment tree as a frontier: for each height k whose bit
 * is set in `size`, the root of the complete subtree of height k to the left
 * of the next free position. Appending costs one hash amortized; the root costs
 * `depth` hashes and is cached until the next append.
 *
 * A tree may also stand for the part of the commitment tree above height
 * `base`: its leaves are then roots of subtrees of height `base` (shards,
 * §7.1) and its empty nodes are the commitment tree's empty nodes at that height.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";
import { bit, emptyRoot, hashNode, TREE_DEPTH } from "./hash.ts";

/** Told the root of every subtree an append completes: its height in the tree (1..depth) and index at that height. */
export type CompletedSubtree = (height: number, root: Fr, index: number) => void;

/**
 * Roots already computed in this isolate, by frontier: the replicas of one
 * deployment execute the same blocks into the same frontier, and each root
 * costs `depth` Poseidon hashes per block and replica (a profile's top entry,
 * 15% of the isolate). A root is a pure function of its key, so sharing it
 * trusts nothing; the oldest is forgotten past `ROOT_MEMORY`.
 */
const ROOT_MEMORY = 64;
const rootsByFrontier = new Map<string, Fr>();

export class IncrementalTree {
  readonly depth: number;
  /** Height in the commitment tree of this tree's leaves (0: commitments). */
  readonly base: number;
  #size = 0;
  readonly #frontier: (Fr | undefined)[];
  #root: Fr | undefined;

  constructor(depth: number = TREE_DEPTH, base = 0) {
    if (!Number.isInteger(depth) || !Number.isInteger(base) || depth < 0 || base < 0 || depth + base > TREE_DEPTH) {
      throw new RangeError("bad tree depth");
    }
    this.depth = depth;
    this.base = base;
    // One slot more than the depth: a full tree keeps its root at index `depth`.
    this.#frontier = new Array(depth + 1).fill(undefined);
  }

  get size(): number {
    return this.#size;
  }

  get isFull(): boolean {
    return this.#size === 2 ** this.depth;
  }

  /** The complete left sibling at `height` of the next free position (set bits of size only). */
  leftSibling(height: number): Fr | undefined {
    return bit(this.#size, height) ? this.#frontier[height] : undefined;
  }

  append(leaf: Fr, completed?: CompletedSubtree): number {
    if (this.isFull) {
      throw new ProtocolError("tree_full", "the commitment tree is full");
    }
    const position = this.#size;
    let node = leaf;
    let height = 0;
    while (bit(position, height)) {
      node = hashNode(this.#frontier[height] as Fr, node);
      height++;
      completed?.(height, node, Math.floor(position / 2 ** height));
    }
    this.#frontier[height] = node;
    this.#size++;
    this.#root = undefined;
    return position;
  }

  root(): Fr {
    if (this.isFull) {
      return this.#frontier[this.depth] as Fr;
    }
    this.#root ??= this.#rememberedRoot();
    return this.#root;
  }

  #rememberedRoot(): Fr {
    const key = this.#frontierKey();
    let root = rootsByFrontier.get(key);
    if (root === undefined) {
      root = this.openRoot(this.depth);
      if (rootsByFrontier.size >= ROOT_MEMORY) {
        rootsByFrontier.delete(rootsByFrontier.keys().next().value as string);
      }
      rootsByFrontier.set(key, root);
    }
    return root;
  }

  /** Everything the root depends on: the shape, and the frontier nodes of the set bits of size. */
  #frontierKey(): string {
    const nodes: string[] = [];
    for (let height = 0; height < this.depth; height++) {
      if (bit(this.#size, height)) {
        nodes.push((this.#frontier[height] as Fr).toString(16));
      }
    }
    return `${this.base}/${this.depth}/${this.#size}/${nodes.join(",")}`;
  }

  /** Root of the subtree of `height` that the next append goes into (partly filled or empty). */
  openRoot(height: number): Fr {
    if (this.#size % 2 ** height === 0) {
      return emptyRoot(this.base + height);
    }
    let node = emptyRoot(this.base);
    for (let h = 0; h < height; h++) {
      node = bit(this.#size, h) ? hashNode(this.#frontier[h] as Fr, node) : hashNode(node, emptyRoot(this.base + h));
    }
    return node;
  }

  /**
   * The same frontier cut at `height`: the open subtree of that height (its
   * leaves since the last complete one) and the tree above it, whose leaves
   * are the roots of the complete subtrees of that height.
   */
  split(height: number): { readonly below: IncrementalTree; readonly above: IncrementalTree } {
    if (!Number.isInteger(height) || height < 0 || height > this.depth || this.isFull) {
      throw new RangeError("bad split height");
    }
    const below = new IncrementalTree(height, this.base);
    const above = new IncrementalTree(this.depth - height, this.base + height);
    below.#size = this.#size % 2 ** height;
    above.#size = Math.floor(this.#size / 2 ** height);
    for (let h = 0; h < this.depth; h++) {
      const part = h < height ? below : above;
      part.#frontier[h < height ? h : h - height] = this.leftSibling(h);
    }
    return { below, above };
  }

  clone(): IncrementalTree {
    return IncrementalTree.decode(this.encode(), this.base);
  }

  /** Canonical frontier: u8(depth) || u64(size) then fe(node) for each set bit of size, lowest height first. */
  encode(): Uint8Array {
    const w = new ByteWriter().u8(this.depth).uint(BigInt(this.#size), 8);
    for (let height = 0; height <= this.depth; height++) {
      if (bit(this.#size, height)) {
        w.bytes(frToBytes(this.#frontier[height] as Fr));
      }
    }
    return w.finish();
  }

  /** `base` comes from the context (the encoding is the commitment tree's, §7). */
  static decode(bytes: Uint8Array, base = 0): IncrementalTree {
    const r = new ByteReader(bytes);
    const depth = r.u8("depth");
    if (depth + base > TREE_DEPTH) {
      throw new ProtocolError("bad_frontier", "frontier depth exceeds the tree depth");
    }
    const tree = new IncrementalTree(depth, base);
    const size = r.uint(8, "size");
    if (size > BigInt(2 ** tree.depth)) {
      throw new ProtocolError("bad_frontier", "frontier size exceeds the tree");
    }
    tree.#size = Number(size);
    for (let height = 0; height <= tree.depth; height++) {
      if (bit(tree.#size, height)) {
        tree.#frontier[height] = frFromBytes(r.bytesFixed(32, "frontier node"));
      }
    }
    r.finish("frontier");
    return tree;
  }
}
