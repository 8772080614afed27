import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PoseidonTag } from "../../src/protocol/domains.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { EMPTY_LEAF, emptyRoot, hashNode, TREE_DEPTH } from "../../src/protocol/merkle/hash.ts";
import { MarkedTree, rootFromPath } from "../../src/protocol/merkle/marked-tree.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { hashTagged } from "../../src/protocol/poseidon.ts";

/** The obvious full-tree computation: hash every level of the padded leaves. */
function naiveRoot(leaves: readonly Fr[], depth = TREE_DEPTH, base = 0): Fr {
  let level = [...leaves];
  for (let h = 0; h < depth; h++) {
    if (level.length % 2 === 1) {
      level.push(emptyRoot(base + h));
    }
    if (level.length === 0) {
      return emptyRoot(base + depth);
    }
    const next: Fr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashNode(level[i] as Fr, level[i + 1] as Fr));
    }
    level = next;
  }
  return level[0] ?? emptyRoot(base + depth);
}

const leaf = (i: number) => BigInt(1000 + i) as Fr;

describe("incremental commitment tree", () => {
  it("has the empty root of the spec", () => {
    expect(new IncrementalTree().root()).toBe(emptyRoot(TREE_DEPTH));
    expect(emptyRoot(1)).toBe(hashNode(EMPTY_LEAF, EMPTY_LEAF));
  });

  it("equals the naive full tree for random append sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 2n ** 250n }), { maxLength: 40 }), (values) => {
        const tree = new IncrementalTree();
        for (const v of values) {
          tree.append(v as Fr);
        }
        expect(tree.root()).toBe(naiveRoot(values as Fr[]));
        expect(IncrementalTree.decode(tree.encode()).root()).toBe(tree.root());
      }),
      { numRuns: 60 },
    );
  });

  it("a node remembered in the isolate goes only to the same children, in the same order", () => {
    const child = fc.oneof(
      fc.bigInt({ min: 0n, max: 300n }),
      fc.bigInt({ min: 0n, max: 2n ** 253n }),
    ) as fc.Arbitrary<Fr>;
    const fresh = (l: Fr, r: Fr) => hashTagged(PoseidonTag.merkleNode, l, r);
    fc.assert(
      fc.property(fc.array(fc.tuple(child, child), { minLength: 1, maxLength: 6 }), (pairs) => {
        for (const [l, r] of [...pairs, ...pairs.map(([l, r]): [Fr, Fr] => [r, l]), ...pairs]) {
          expect(hashNode(l, r)).toBe(fresh(l, r));
        }
      }),
      { numRuns: 50 },
    );
    // Children whose digits run together the same way: 0x1, 0x23 and 0x12, 0x3.
    expect(hashNode(0x1n as Fr, 0x23n as Fr)).toBe(fresh(0x1n as Fr, 0x23n as Fr));
    expect(hashNode(0x12n as Fr, 0x3n as Fr)).toBe(fresh(0x12n as Fr, 0x3n as Fr));
  });

  it("a root remembered in the isolate goes only to trees of the same shape and frontier", () => {
    // Few leaf values and small shapes: frontiers that coincide in some part, and in all, come up often.
    const shape = fc.record({
      depth: fc.integer({ min: 1, max: 5 }),
      base: fc.integer({ min: 0, max: 3 }),
      leaves: fc.array(fc.constantFrom(0n, 1n, 2n) as fc.Arbitrary<Fr>, { maxLength: 12 }),
    });
    fc.assert(
      fc.property(fc.array(shape, { minLength: 2, maxLength: 8 }), (trees) => {
        for (const { depth, base, leaves } of trees) {
          const tree = new IncrementalTree(depth, base);
          for (const l of leaves.slice(0, 2 ** depth)) {
            tree.append(l);
            if (!tree.isFull) {
              expect(tree.root()).toBe(tree.openRoot(depth));
            }
          }
          expect(tree.root()).toBe(naiveRoot(leaves.slice(0, 2 ** depth), depth, base));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a small tree fills up, keeps its root when full and refuses more", () => {
    const tree = new IncrementalTree(3);
    const leaves = Array.from({ length: 8 }, (_, i) => leaf(i));
    for (const l of leaves) {
      tree.append(l);
    }
    expect(tree.root()).toBe(naiveRoot(leaves, 3));
    expect(() => tree.append(leaf(9))).toThrow(expect.objectContaining({ code: "tree_full" }));
  });

  it("marked paths stay valid as the tree grows, for every position", () => {
    const total = 37;
    const tree = new MarkedTree();
    for (let i = 0; i < total; i++) {
      tree.append(leaf(i), true);
      // Checking every path after every leaf is quadratic in hashes; every third step covers all shapes.
      if (i % 3 !== 0 && i !== total - 1) {
        continue;
      }
      for (const position of tree.marked) {
        expect(rootFromPath(tree.path(position)), `path ${position} after ${i + 1} leaves`).toBe(tree.root());
      }
    }
    const restored = MarkedTree.decode(tree.encode());
    expect(restored.encode()).toEqual(tree.encode());
    restored.append(leaf(total));
    tree.append(leaf(total));
    expect(rootFromPath(restored.path(5))).toBe(tree.root());
    restored.unmark(5);
    expect(() => restored.path(5)).toThrow(expect.objectContaining({ code: "not_marked" }));
  });

  it("marks random leaves of random trees, with paths equal to the naive tree's", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 70 }),
        fc.integer({ min: 0, max: 6 }),
        (marks, base) => {
          const tree = new MarkedTree(new IncrementalTree(TREE_DEPTH - base, base));
          const leaves = marks.map((_, i) => leaf(i));
          for (const [i, m] of marks.entries()) {
            tree.append(leaf(i), m);
          }
          const decoded = MarkedTree.decode(tree.encode(), base);
          for (const position of tree.marked) {
            const path = decoded.path(position);
            expect(path).toEqual(tree.path(position));
            expect(rootFromPath(path)).toBe(naiveRoot(leaves, TREE_DEPTH - base, base));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a tree above a base height equals the full tree over subtree roots", () => {
    const leaves = Array.from({ length: 20 }, (_, i) => leaf(i));
    const full = new IncrementalTree();
    const shards = new IncrementalTree(TREE_DEPTH - 2, 2);
    for (const l of leaves) {
      full.append(l, (height, root) => {
        if (height === 2) {
          shards.append(root);
        }
      });
    }
    expect(shards.size).toBe(5);
    expect(shards.root()).toBe(full.root());
  });

  it("refuses malformed frontiers and marked trees", () => {
    const tree = new IncrementalTree();
    tree.append(leaf(0));
    const bytes = tree.encode();
    expect(() => IncrementalTree.decode(Uint8Array.of(...bytes, 0))).toThrow(
      expect.objectContaining({ code: "trailing_bytes" }),
    );
    expect(() => IncrementalTree.decode(bytes.subarray(0, bytes.length - 1))).toThrow(
      expect.objectContaining({ code: "truncated" }),
    );
    const tooDeep = Uint8Array.from(bytes);
    tooDeep[0] = 33;
    expect(() => IncrementalTree.decode(tooDeep)).toThrow(expect.objectContaining({ code: "bad_frontier" }));
    const marked = new MarkedTree();
    marked.append(leaf(0), true);
    marked.append(leaf(1), true);
    const encoded = marked.encode();
    expect(() => MarkedTree.decode(Uint8Array.of(...encoded, 1))).toThrow();
    // The second mark's position rewritten to the first's: not ascending.
    const reordered = Uint8Array.from(encoded);
    const secondMark = encoded.length - (4 + 32 + 4 + 32);
    reordered.set([0, 0, 0, 0], secondMark);
    expect(() => MarkedTree.decode(reordered)).toThrow(expect.objectContaining({ code: "bad_marks" }));
  });
});
