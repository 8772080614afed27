/**
 * The wallet's view of the commitment tree (PROTOCOL.md §7.1), built so that
 * sync cost does not grow with the chain's hashing: a shard's leaves are
 * hashed only if the wallet owns a note in it; every other shard is known by
 * the root its node publishes. Above the shards, a MarkedTree over shard roots
 * keeps the paths of the wallet's shards. A node that lies about a shard root
 * is caught when the wallet's root differs from the chain's anchor (checked
 * after every sync and before every spend), and can make a proof fail but
 * never learn which notes are the wallet's: the wallet reads every block.
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import { SHARD_HEIGHT, TREE_DEPTH } from "../protocol/merkle/hash.ts";
import { type AuthenticationPath, MarkedTree } from "../protocol/merkle/marked-tree.ts";
import { IncrementalTree } from "../protocol/merkle/tree.ts";

const SHARD_SIZE = 2 ** SHARD_HEIGHT;

export type ShardRoot = { readonly index: number; readonly root: Fr };

export class TreeMismatchError extends ProtocolError {}

const shardOf = (position: number) => Math.floor(position / SHARD_SIZE);

export class NoteTree {
  /** Roots of the complete shards; the wallet's shards are marked. */
  readonly #top: MarkedTree;
  /** The open shard: its hashed leaves, then the ones not hashed (yet). */
  #shard: MarkedTree;
  #unhashed: Fr[] = [];
  /** In-shard siblings of the wallet's leaves in complete shards (final once the shard is complete). */
  readonly #completed = new Map<number, AuthenticationPath>();

  private constructor(top: MarkedTree, shard: MarkedTree) {
    this.#top = top;
    this.#shard = shard;
  }

  static empty(): NoteTree {
    return NoteTree.fromFrontier(new IncrementalTree());
  }

  /** Starts from the commitment tree's frontier after some block (a wallet's birthday). */
  static fromFrontier(frontier: IncrementalTree): NoteTree {
    if (frontier.depth !== TREE_DEPTH || frontier.base !== 0) {
      throw new RangeError("a wallet tree starts from the commitment tree's frontier");
    }
    const { below, above } = frontier.split(SHARD_HEIGHT);
    return new NoteTree(new MarkedTree(above), new MarkedTree(below));
  }

  get size(): number {
    return this.#top.size * SHARD_SIZE + this.#shard.size + this.#unhashed.length;
  }

  /**
   * Appends the next leaf; `mine` keeps its path. `shardRoots` are the roots the
   * node reported for the shards this block completes.
   */
  append(leaf: Fr, mine: boolean, shardRoots: ReadonlyMap<number, Fr>): number {
    const position = this.size;
    if (mine) {
      this.#hashOpenShard();
      this.#shard.append(leaf, true);
    } else if (this.#shard.markCount > 0) {
      this.#shard.append(leaf);
    } else {
      this.#unhashed.push(leaf);
    }
    if (this.size % SHARD_SIZE === 0) {
      this.#closeShard(shardOf(position), shardRoots.get(shardOf(position)));
    }
    return position;
  }

  #hashOpenShard(): void {
    for (const leaf of this.#unhashed) {
      this.#shard.append(leaf);
    }
    this.#unhashed = [];
  }

  #closeShard(index: number, reported: Fr | undefined): void {
    const mine = this.#shard.marked;
    if (mine.length === 0) {
      // Leaves of a shard without notes of the wallet are never hashed: the node's root stands for them.
      if (reported === undefined) {
        throw new TreeMismatchError("missing_shard_root", `the node did not report the root of shard ${index}`);
      }
      this.#top.append(reported);
    } else {
      const root = this.#shard.root();
      if (reported !== undefined && reported !== root) {
        throw new TreeMismatchError("tree_mismatch", `the node's root of shard ${index} differs from the wallet's`);
      }
      for (const p of mine) {
        const path = this.#shard.path(p);
        this.#completed.set(index * SHARD_SIZE + p, { ...path, position: index * SHARD_SIZE + p });
      }
      this.#top.append(root, true);
    }
    this.#shard = new MarkedTree(new IncrementalTree(SHARD_HEIGHT));
    this.#unhashed = [];
  }

  /** The tree above the shards with the open shard's root appended, as the chain sees it now. */
  #withOpenShard(): MarkedTree {
    const top = this.#top.clone();
    if (this.#shard.size + this.#unhashed.length > 0) {
      this.#hashOpenShard();
      top.append(this.#shard.root(), true);
    }
    return top;
  }

  /** The commitment tree's root (hashes the open shard's remaining leaves). */
  root(): Fr {
    return this.#withOpenShard().root();
  }

  /** The current authentication path of one of the wallet's leaves. */
  path(position: number): AuthenticationPath {
    const shard = shardOf(position);
    const top = this.#withOpenShard();
    const low = this.#completed.get(position) ?? this.#openShardPath(position);
    return { position, leaf: low.leaf, siblings: [...low.siblings, ...top.path(shard).siblings] };
  }

  #openShardPath(position: number): AuthenticationPath {
    if (shardOf(position) !== this.#top.size) {
      throw new ProtocolError("not_marked", `leaf ${position} is not the wallet's`);
    }
    return this.#shard.path(position % SHARD_SIZE);
  }

  /** Forgets a spent leaf's path (and its shard's, once no leaf of the wallet is left in it). */
  forget(position: number): void {
    const shard = shardOf(position);
    if (this.#completed.delete(position)) {
      if (![...this.#completed.keys()].some((p) => shardOf(p) === shard)) {
        this.#top.unmark(shard);
      }
    } else if (shard === this.#top.size) {
      this.#shard.unmark(position % SHARD_SIZE);
    }
  }

  /**
   * Canonical: varBytes(top) || varBytes(open shard) || u32(#unhashed) ||
   * unhashed leaves || u32(#completed) || per path: u32(position) || fe(leaf) || siblings.
   */
  encode(): Uint8Array {
    const w = new ByteWriter().varBytes(this.#top.encode()).varBytes(this.#shard.encode()).u32(this.#unhashed.length);
    for (const leaf of this.#unhashed) {
      w.bytes(frToBytes(leaf));
    }
    const completed = [...this.#completed.values()].sort((a, b) => a.position - b.position);
    w.u32(completed.length);
    for (const path of completed) {
      w.u32(path.position).bytes(frToBytes(path.leaf));
      for (const sibling of path.siblings) {
        w.bytes(frToBytes(sibling));
      }
    }
    return w.finish();
  }

  static decode(bytes: Uint8Array): NoteTree {
    const r = new ByteReader(bytes);
    const top = MarkedTree.decode(r.varBytes(1 << 24, "top"), SHARD_HEIGHT);
    const shard = MarkedTree.decode(r.varBytes(1 << 16, "shard"));
    if (top.depth !== TREE_DEPTH - SHARD_HEIGHT || shard.depth !== SHARD_HEIGHT) {
      throw new ProtocolError("bad_wallet_tree", "wallet tree of the wrong shape");
    }
    const tree = new NoteTree(top, shard);
    const unhashed = r.u32("unhashed count");
    if (shard.size + unhashed >= SHARD_SIZE) {
      throw new ProtocolError("bad_wallet_tree", "open shard overflows");
    }
    for (let i = 0; i < unhashed; i++) {
      tree.#unhashed.push(frFromBytes(r.bytesFixed(32, "leaf")));
    }
    const completed = r.u32("path count");
    for (let i = 0; i < completed; i++) {
      const position = r.u32("position");
      const leaf = frFromBytes(r.bytesFixed(32, "leaf"));
      const siblings = Array.from({ length: SHARD_HEIGHT }, () => frFromBytes(r.bytesFixed(32, "sibling")));
      if (shardOf(position) >= top.size || tree.#completed.has(position)) {
        throw new ProtocolError("bad_wallet_tree", "a completed path outside the complete shards");
      }
      tree.#completed.set(position, { position, leaf, siblings });
    }
    r.finish("wallet tree");
    return tree;
  }
}
