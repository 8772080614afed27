import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fr } from "../../src/protocol/field.ts";
import { SHARD_HEIGHT } from "../../src/protocol/merkle/hash.ts";
import { MarkedTree, rootFromPath } from "../../src/protocol/merkle/marked-tree.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";

const SHARD = 2 ** SHARD_HEIGHT;
const leaf = (i: number) => BigInt(7 + i * 1_000_003) as Fr;

/** The chain's side: every leaf hashed, shard roots reported as a node does. */
class Chain {
  readonly tree = new MarkedTree();
  readonly plain = new IncrementalTree();
  readonly shardRoots = new Map<number, Fr>();

  append(value: Fr, mark: boolean): void {
    this.plain.append(value, (height, root, index) => {
      if (height === SHARD_HEIGHT) {
        this.shardRoots.set(index, root);
      }
    });
    this.tree.append(value, mark);
  }
}

describe("wallet note tree (shards hashed only where the wallet has notes)", () => {
  it("gives the same paths and root as the full tree, from any birthday, across restarts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * SHARD }),
        fc.array(fc.integer({ min: 0, max: 3 * SHARD }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 * SHARD + 40 }),
        fc.integer({ min: 0, max: 3 * SHARD }),
        (birthday, minePositions, length, restartAt) => {
          const chain = new Chain();
          for (let i = 0; i < birthday; i++) {
            chain.append(leaf(i), false);
          }
          let wallet = NoteTree.fromFrontier(chain.plain.clone());
          const mine = new Set(minePositions.map((p) => birthday + (p % length)));
          for (let i = birthday; i < birthday + length; i++) {
            chain.append(leaf(i), mine.has(i));
            wallet.append(leaf(i), mine.has(i), chain.shardRoots);
            if (i === birthday + restartAt) {
              wallet = NoteTree.decode(wallet.encode());
            }
          }
          expect(wallet.size).toBe(chain.plain.size);
          expect(wallet.root()).toBe(chain.plain.root());
          for (const position of mine) {
            const path = wallet.path(position);
            expect(path).toEqual(chain.tree.path(position));
            expect(rootFromPath(path)).toBe(chain.plain.root());
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("encodes the same bytes at every save as a freshly decoded tree does (complete shards are encoded once)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * SHARD - 1 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 * SHARD - 1 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 40 }),
        (minePositions, spendAt, saveEvery) => {
          const chain = new Chain();
          const wallet = NoteTree.empty();
          const mine = new Set(minePositions);
          for (let i = 0; i < 3 * SHARD; i++) {
            chain.append(leaf(i), mine.has(i));
            wallet.append(leaf(i), mine.has(i), chain.shardRoots);
            for (const [k, at] of spendAt.entries()) {
              if (at === i) {
                wallet.forget(minePositions[k % minePositions.length] as number);
              }
            }
            if (i % saveEvery === 0 || i === 3 * SHARD - 1) {
              const bytes = wallet.encode();
              expect(wallet.encode()).toEqual(bytes);
              expect(NoteTree.decode(bytes).encode()).toEqual(bytes);
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it("keeps no leaf of a shard without the wallet's notes", () => {
    const chain = new Chain();
    const wallet = NoteTree.empty();
    for (let i = 0; i < 4 * SHARD; i++) {
      chain.append(leaf(i), false);
      wallet.append(leaf(i), false, chain.shardRoots);
    }
    // Four shard roots and nothing else: the encoding holds no leaf.
    expect(wallet.encode().length).toBeLessThan(2_000);
    expect(wallet.root()).toBe(chain.plain.root());
  });

  it("catches a node lying about the root of a shard holding the wallet's note", () => {
    const chain = new Chain();
    const fooled = NoteTree.empty();
    for (let i = 0; i < SHARD + 3; i++) {
      chain.append(leaf(i), i === 5);
      const lies = new Map([...chain.shardRoots].map(([k, v]) => [k, (v + 1n) as Fr]));
      fooled.append(leaf(i), i === 5, lies);
    }
    // The wallet kept shard 0's leaves: hashing them before a spend shows the lie.
    expect(() => fooled.path(5)).toThrow(expect.objectContaining({ code: "tree_mismatch" }));
    expect(fooled.root()).not.toBe(chain.plain.root());
  });

  it("a lie about a shard the wallet does not hash shows in the root", () => {
    const chain = new Chain();
    const wallet = NoteTree.empty();
    for (let i = 0; i < SHARD; i++) {
      chain.append(leaf(i), false);
      const lies = new Map([...chain.shardRoots].map(([k, v]) => [k, (v + 1n) as Fr]));
      wallet.append(leaf(i), false, lies);
    }
    expect(wallet.root()).not.toBe(chain.plain.root());
  });

  it("saves a wallet with notes in hundreds of shards (encodings beyond 64 KiB)", () => {
    const wallet = NoteTree.empty();
    const roots = new Map<number, Fr>();
    for (let shard = 0; shard < 400; shard++) {
      roots.set(shard, leaf(shard));
      for (let i = 0; i < SHARD; i++) {
        wallet.append(leaf(i), i === 0, roots);
      }
    }
    const bytes = wallet.encode();
    expect(bytes.length).toBeGreaterThan(400 * SHARD * 32);
    expect(NoteTree.decode(bytes).encode()).toEqual(bytes);
  });

  it("refuses a missing shard root and forgets spent notes", () => {
    const chain = new Chain();
    const wallet = NoteTree.empty();
    for (let i = 0; i < SHARD + 1; i++) {
      chain.append(leaf(i), i === 3);
      wallet.append(leaf(i), i === 3, chain.shardRoots);
    }
    const kept = wallet.encode().length;
    wallet.forget(3);
    expect(() => wallet.path(3)).toThrow(expect.objectContaining({ code: "not_marked" }));
    expect(wallet.encode().length).toBeLessThan(kept - (SHARD - 1) * 32);
    const unreported = NoteTree.empty();
    for (let i = 0; i < SHARD - 1; i++) {
      unreported.append(leaf(i), false, new Map());
    }
    expect(() => unreported.append(leaf(SHARD), false, new Map())).toThrow(
      expect.objectContaining({ code: "missing_shard_root" }),
    );
  });
});
