/**
 * A frontier that keeps the authentication paths of marked leaves (the
 * wallet's own notes), in the manner of Zcash's bridgetree: a path's left
 * siblings are fixed when its leaf is appended, and each right sibling is the
 * root of a subtree that a later append completes, which the tree computes
 * anyway. So keeping paths costs no hashing beyond the frontier's own (one
 * hash per leaf amortized), whatever the number of marks; only the one
 * partially filled right sibling is hashed, when a path is asked for.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";
import { bit, emptyRoot, hashNode } from "./hash.ts";
import { IncrementalTree } from "./tree.ts";

export type AuthenticationPath = {
  readonly position: number;
  readonly leaf: Fr;
  /** Sibling at each height, 0 = the leaf's neighbour. */
  readonly siblings: readonly Fr[];
};

type Mark = {
  readonly leaf: Fr;
  /** Sibling at each height; left ones from the moment of the append, right ones as they complete. */
  readonly siblings: (Fr | undefined)[];
};

/** Index of the subtree of `height` holding `position`. */
const subtreeIndex = (position: number, height: number) => Math.floor(position / 2 ** height);

export class MarkedTree {
  readonly #tree: IncrementalTree;
  readonly #marks = new Map<number, Mark>();

  constructor(tree: IncrementalTree = new IncrementalTree()) {
    this.#tree = tree;
  }

  get depth(): number {
    return this.#tree.depth;
  }

  get base(): number {
    return this.#tree.base;
  }

  get size(): number {
    return this.#tree.size;
  }

  /** Positions of the marked leaves, ascending. */
  get marked(): number[] {
    return [...this.#marks.keys()].sort((a, b) => a - b);
  }

  /** Appends a leaf (keeping its path when `mark`) and returns its position. */
  append(leaf: Fr, mark = false): number {
    const position = this.#tree.size;
    this.#fill(0, position, leaf);
    if (mark) {
      const siblings = Array.from({ length: this.depth }, (_, h) => this.#tree.leftSibling(h));
      this.#marks.set(position, { leaf, siblings });
    }
    this.#tree.append(leaf, (height, root, index) => this.#fill(height, index, root));
    return position;
  }

  /** Stops keeping a path (its note is spent). */
  unmark(position: number): void {
    this.#marks.delete(position);
  }

  root(): Fr {
    return this.#tree.root();
  }

  /** The current authentication path of a marked leaf. */
  path(position: number): AuthenticationPath {
    const mark = this.#marks.get(position);
    if (!mark) {
      throw new ProtocolError("not_marked", `leaf ${position} is not marked`);
    }
    const siblings = mark.siblings.map((known, h): Fr => {
      if (known !== undefined) {
        return known;
      }
      // Not yet complete: the subtree now being filled, or one still empty.
      const sibling = subtreeIndex(position, h) + 1;
      return sibling === subtreeIndex(this.size, h) ? this.#tree.openRoot(h) : emptyRoot(this.base + h);
    });
    return { position, leaf: mark.leaf, siblings };
  }

  clone(): MarkedTree {
    return MarkedTree.decode(this.encode(), this.base);
  }

  /** A completed subtree is the right sibling of the marks whose subtree at that height is its left neighbour. */
  #fill(height: number, index: number, root: Fr): void {
    if (index % 2 === 0) {
      return;
    }
    for (const [position, mark] of this.#marks) {
      if (subtreeIndex(position, height) === index - 1) {
        mark.siblings[height] = root;
      }
    }
  }

  /**
   * Canonical: frontier (IncrementalTree.encode) || u32(#marks) || per mark,
   * by ascending position: u32(position) || fe(leaf) || u32(bitmap of known
   * right siblings) || left siblings (set bits of position) || known right siblings.
   */
  encode(): Uint8Array {
    const w = new ByteWriter().varBytes(this.#tree.encode()).u32(this.#marks.size);
    for (const position of this.marked) {
      const mark = this.#marks.get(position) as Mark;
      let known = 0;
      mark.siblings.forEach((s, h) => {
        if (s !== undefined && !bit(position, h)) {
          known += 2 ** h;
        }
      });
      w.u32(position).bytes(frToBytes(mark.leaf)).u32(known);
      for (const fromLeft of [true, false]) {
        mark.siblings.forEach((s, h) => {
          if (s !== undefined && bit(position, h) === fromLeft) {
            w.bytes(frToBytes(s));
          }
        });
      }
    }
    return w.finish();
  }

  /** `base` comes from the context, as for IncrementalTree.decode. */
  static decode(bytes: Uint8Array, base = 0): MarkedTree {
    const r = new ByteReader(bytes);
    const tree = new MarkedTree(IncrementalTree.decode(r.varBytes(2048, "frontier"), base));
    const count = r.u32("mark count");
    let previous = -1;
    for (let i = 0; i < count; i++) {
      const position = r.u32("position");
      if (position <= previous || position >= tree.size) {
        throw new ProtocolError("bad_marks", "marks must be ascending positions inside the tree");
      }
      previous = position;
      const leaf = frFromBytes(r.bytesFixed(32, "leaf"));
      const known = r.u32("known siblings");
      if (known >= 2 ** tree.depth || overlaps(known, position)) {
        throw new ProtocolError("bad_marks", "a known right sibling where the path goes left");
      }
      const siblings: (Fr | undefined)[] = new Array(tree.depth).fill(undefined);
      for (const present of [(h: number) => bit(position, h), (h: number) => bit(known, h)]) {
        for (let h = 0; h < tree.depth; h++) {
          if (present(h)) {
            siblings[h] = frFromBytes(r.bytesFixed(32, "sibling"));
          }
        }
      }
      tree.#marks.set(position, { leaf, siblings });
    }
    r.finish("marked tree");
    return tree;
  }
}

function overlaps(known: number, position: number): boolean {
  for (let h = 0; h < 32; h++) {
    if (bit(known, h) && bit(position, h)) {
      return true;
    }
  }
  return false;
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
