/**
 * The append-only commitment tree as a frontier: for each height k whose bit
 * is set in `size`, the root of the complete subtree of height k to the left
 * of the next free position. Appending costs one hash amortized; the root costs
 * `depth` hashes and is cached until the next append.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";
import { bit, emptyRoot, hashNode, TREE_DEPTH } from "./hash.ts";

export class IncrementalTree {
  readonly depth: number;
  #size = 0;
  readonly #frontier: (Fr | undefined)[];
  #root: Fr | undefined;

  constructor(depth: number = TREE_DEPTH) {
    if (!Number.isInteger(depth) || depth < 0 || depth > TREE_DEPTH) {
      throw new RangeError("bad tree depth");
    }
    this.depth = depth;
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

  append(leaf: Fr): number {
    if (this.isFull) {
      throw new ProtocolError("tree_full", "the commitment tree is full");
    }
    const position = this.#size;
    let node = leaf;
    let height = 0;
    while (bit(position, height)) {
      node = hashNode(this.#frontier[height] as Fr, node);
      height++;
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
    if (this.#root === undefined) {
      let node = emptyRoot(0);
      for (let height = 0; height < this.depth; height++) {
        node = bit(this.#size, height)
          ? hashNode(this.#frontier[height] as Fr, node)
          : hashNode(node, emptyRoot(height));
      }
      this.#root = node;
    }
    return this.#root;
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

  static decode(bytes: Uint8Array): IncrementalTree {
    const r = new ByteReader(bytes);
    const depth = r.u8("depth");
    if (depth > TREE_DEPTH) {
      throw new ProtocolError("bad_frontier", "frontier depth exceeds the tree depth");
    }
    const tree = new IncrementalTree(depth);
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
