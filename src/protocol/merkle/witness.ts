/**
 * A wallet's authentication path for one of its own leaves, kept current as
 * the tree grows, from public data only (PROTOCOL.md §7): the left siblings
 * are fixed when the leaf is appended; the right siblings are filled, in
 * increasing height, by the leaves that come after it.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";
import { bit, emptyRoot, hashNode, TREE_DEPTH } from "./hash.ts";
import { type CompletedSubtree, IncrementalTree } from "./tree.ts";

export type AuthenticationPath = {
  readonly position: number;
  readonly leaf: Fr;
  /** Sibling at each height, 0 = the leaf's neighbour. */
  readonly siblings: readonly Fr[];
};

export class IncrementalWitness {
  /** The depth and base height of the tree the leaf is in (see IncrementalTree). */
  readonly depth: number;
  readonly base: number;
  readonly position: number;
  readonly leaf: Fr;
  readonly #left: readonly (Fr | undefined)[];
  readonly #filled: Fr[] = [];
  #cursor: IncrementalTree | undefined;

  private constructor(
    tree: Pick<IncrementalTree, "depth" | "base">,
    position: number,
    leaf: Fr,
    left: readonly (Fr | undefined)[],
  ) {
    this.depth = tree.depth;
    this.base = tree.base;
    this.position = position;
    this.leaf = leaf;
    this.#left = left;
    this.#cursor = this.#newCursor();
  }

  /** Appends a leaf the caller owns to `tree` and returns its witness; feed it every later leaf. */
  static appendTo(tree: IncrementalTree, leaf: Fr, completed?: CompletedSubtree): IncrementalWitness {
    const left = Array.from({ length: tree.depth }, (_, h) => tree.leftSibling(h));
    const witness = new IncrementalWitness(tree, tree.size, leaf, left);
    tree.append(leaf, completed);
    return witness;
  }

  /** Heights whose sibling is to the right, in the order later leaves complete them. */
  #rightHeights(): number[] {
    const heights: number[] = [];
    for (let h = 0; h < this.depth; h++) {
      if (!bit(this.position, h)) {
        heights.push(h);
      }
    }
    return heights;
  }

  #newCursor(): IncrementalTree | undefined {
    const height = this.#rightHeights()[this.#filled.length];
    return height === undefined ? undefined : new IncrementalTree(height, this.base);
  }

  /** Feed every leaf appended to the tree after this one, in order. */
  append(leaf: Fr): void {
    const cursor = this.#cursor;
    if (!cursor) {
      throw new RangeError("the tree is full to the right of this leaf");
    }
    cursor.append(leaf);
    if (cursor.isFull) {
      this.#filled.push(cursor.root());
      this.#cursor = this.#newCursor();
    }
  }

  path(): AuthenticationPath {
    const rightHeights = this.#rightHeights();
    const siblings = Array.from({ length: this.depth }, (_, h): Fr => {
      if (bit(this.position, h)) {
        return this.#left[h] as Fr;
      }
      const k = rightHeights.indexOf(h);
      if (k < this.#filled.length) {
        return this.#filled[k] as Fr;
      }
      if (k === this.#filled.length && this.#cursor) {
        return this.#cursor.root();
      }
      return emptyRoot(this.base + h);
    });
    return { position: this.position, leaf: this.leaf, siblings };
  }

  root(): Fr {
    return rootFromPath(this.path());
  }

  clone(): IncrementalWitness {
    return IncrementalWitness.decode(this.encode());
  }

  /**
   * Canonical: u8(depth) || u8(base) || u32(position) || fe(leaf) || left
   * siblings (set bits) || u8(#filled) || filled || cursor frontier.
   */
  encode(): Uint8Array {
    const w = new ByteWriter().u8(this.depth).u8(this.base).u32(this.position).bytes(frToBytes(this.leaf));
    for (let h = 0; h < this.depth; h++) {
      if (bit(this.position, h)) {
        w.bytes(frToBytes(this.#left[h] as Fr));
      }
    }
    w.u8(this.#filled.length);
    for (const node of this.#filled) {
      w.bytes(frToBytes(node));
    }
    return w.varBytes(this.#cursor ? this.#cursor.encode() : new Uint8Array()).finish();
  }

  static decode(bytes: Uint8Array): IncrementalWitness {
    const r = new ByteReader(bytes);
    const depth = r.u8("depth");
    const base = r.u8("base");
    if (depth + base > TREE_DEPTH) {
      throw new ProtocolError("bad_witness", "witness depth exceeds the tree depth");
    }
    const position = r.u32("position");
    if (position >= 2 ** depth) {
      throw new ProtocolError("bad_witness", "witness position outside its tree");
    }
    const leaf = frFromBytes(r.bytesFixed(32, "leaf"));
    const left = Array.from({ length: depth }, (_, h) =>
      bit(position, h) ? frFromBytes(r.bytesFixed(32, "left")) : undefined,
    );
    const witness = new IncrementalWitness({ depth, base }, position, leaf, left);
    const filled = r.u8("filled count");
    for (let i = 0; i < filled; i++) {
      witness.#filled.push(frFromBytes(r.bytesFixed(32, "filled")));
    }
    const cursor = r.varBytes(4096, "cursor");
    r.finish("witness");
    const expectedHeight = witness.#rightHeights()[filled];
    if (filled > witness.#rightHeights().length) {
      throw new ProtocolError("bad_witness", "too many filled siblings");
    }
    witness.#cursor = cursor.length === 0 ? undefined : IncrementalTree.decode(cursor, base);
    if (witness.#cursor?.depth !== expectedHeight || witness.#cursor?.isFull) {
      throw new ProtocolError("bad_witness", "witness cursor does not match its position");
    }
    return witness;
  }
}

/** Recomputes the root an authentication path leads to (what the circuit checks). */
export function rootFromPath(path: AuthenticationPath): Fr {
  let node = path.leaf;
  for (let h = 0; h < path.siblings.length; h++) {
    const sibling = path.siblings[h] as Fr;
    node = bit(path.position, h) ? hashNode(sibling, node) : hashNode(node, sibling);
  }
  return node;
}
