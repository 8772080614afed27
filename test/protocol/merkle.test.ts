import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fr } from "../../src/protocol/field.ts";
import { EMPTY_LEAF, emptyRoot, hashNode, TREE_DEPTH } from "../../src/protocol/merkle/hash.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { IncrementalWitness, rootFromPath } from "../../src/protocol/merkle/witness.ts";

/** The obvious full-tree computation: hash every level of the padded leaves. */
function naiveRoot(leaves: readonly Fr[], depth = TREE_DEPTH): Fr {
  let level = [...leaves];
  for (let h = 0; h < depth; h++) {
    if (level.length % 2 === 1) {
      level.push(emptyRoot(h));
    }
    if (level.length === 0) {
      return emptyRoot(depth);
    }
    const next: Fr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashNode(level[i] as Fr, level[i + 1] as Fr));
    }
    level = next;
  }
  return level[0] ?? emptyRoot(depth);
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

  it("a small tree fills up, keeps its root when full and refuses more", () => {
    const tree = new IncrementalTree(3);
    const leaves = Array.from({ length: 8 }, (_, i) => leaf(i));
    for (const l of leaves) {
      tree.append(l);
    }
    expect(tree.root()).toBe(naiveRoot(leaves, 3));
    expect(() => tree.append(leaf(9))).toThrow(expect.objectContaining({ code: "tree_full" }));
  });

  it("witnesses stay valid as the tree grows, for every position", () => {
    const total = 37;
    const tree = new IncrementalTree();
    const witnesses: IncrementalWitness[] = [];
    for (let i = 0; i < total; i++) {
      for (const w of witnesses) {
        w.append(leaf(i));
      }
      witnesses.push(IncrementalWitness.appendTo(tree, leaf(i)));
      // Checking every witness after every leaf is quadratic in hashes; every third step covers all shapes.
      if (i % 3 !== 0 && i !== total - 1) {
        continue;
      }
      for (const w of witnesses) {
        expect(w.root(), `witness ${w.position} after ${i + 1} leaves`).toBe(tree.root());
      }
    }
    const restored = IncrementalWitness.decode((witnesses[5] as IncrementalWitness).encode());
    expect(rootFromPath(restored.path())).toBe(tree.root());
    restored.append(leaf(total));
    tree.append(leaf(total));
    expect(restored.root()).toBe(tree.root());
  });

  it("refuses malformed frontiers and witnesses", () => {
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
    const witness = IncrementalWitness.appendTo(tree, leaf(1)).encode();
    expect(() => IncrementalWitness.decode(Uint8Array.of(...witness, 1))).toThrow();
  });
});
