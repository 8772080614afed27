/**
 * The wallet's view of the commitment tree (PROTOCOL.md §7.1), built so that
 * sync hashes almost nothing: every shard is known by the root its node
 * publishes, and a MarkedTree over those roots keeps the paths of the shards
 * holding the wallet's notes. The leaves of those shards are kept, not
 * hashed: a note's path inside its shard is computed when it is spent (at
 * most 2^8 hashes), and most notes are. A node lying about a shard root is
 * caught when the wallet's root differs from the chain's anchor (after every
 * sync) or when a kept shard does not hash to its reported root (before every
 * spend); it can make a proof fail, never learn which notes are the wallet's:
 * the wallet reads every block.
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import { SHARD_HEIGHT, TREE_DEPTH } from "../protocol/merkle/hash.ts";
import { type AuthenticationPath, MarkedTree } from "../protocol/merkle/marked-tree.ts";
import { IncrementalTree } from "../protocol/merkle/tree.ts";
import { WalletError } from "./errors.ts";

const SHARD_SIZE = 2 ** SHARD_HEIGHT;

const shardOf = (position: number) => Math.floor(position / SHARD_SIZE);

/**
 * A leaf, or an output that reads its commitment on demand: most leaves of the
 * open shard are dropped unread when it completes.
 */
export type Leaf = Fr | { readonly commitment: Fr };

const read = (leaf: Leaf): Fr => (typeof leaf === "bigint" ? leaf : leaf.commitment);

/** A shard's leaves as the wallet knows them: the frontier before its first known leaf, then the leaves. */
type ShardLeaves = { readonly before: IncrementalTree; readonly leaves: Leaf[] };

const emptyShard = (): ShardLeaves => ({ before: new IncrementalTree(SHARD_HEIGHT), leaves: [] });

export class NoteTree {
  /** Roots of the complete shards; the shards holding the wallet's notes are marked. */
  readonly #top: MarkedTree;
  #open: ShardLeaves;
  /** The open shard's root, kept until the next append: a spend asks for it once per input. */
  #openRoot: Fr | undefined;
  /** Complete shards holding the wallet's unspent notes, with the root the node reported. */
  readonly #kept = new Map<number, ShardLeaves & { readonly root: Fr }>();
  /** Positions of the wallet's unspent leaves. */
  readonly #mine = new Set<number>();

  private constructor(top: MarkedTree, open: ShardLeaves) {
    this.#top = top;
    this.#open = open;
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
    return new NoteTree(new MarkedTree(above), { before: below, leaves: [] });
  }

  get size(): number {
    return this.#top.size * SHARD_SIZE + this.#open.before.size + this.#open.leaves.length;
  }

  /**
   * Appends the next leaf; `mine` keeps its path. `shardRoots` are the roots the
   * node reported for the shards this block completes.
   */
  append(leaf: Leaf, mine: boolean, shardRoots: ReadonlyMap<number, Fr>): number {
    const position = this.size;
    this.#open.leaves.push(leaf);
    this.#openRoot = undefined;
    if (mine) {
      this.#mine.add(position);
    }
    if (this.size % SHARD_SIZE === 0) {
      this.#closeShard(shardOf(position), shardRoots.get(shardOf(position)));
    }
    return position;
  }

  #closeShard(index: number, reported: Fr | undefined): void {
    if (reported === undefined) {
      throw new WalletError("missing_shard_root", `the node did not report the root of shard ${index}`);
    }
    const holdsMine = this.#holdsMine(index);
    this.#top.append(reported, holdsMine);
    if (holdsMine) {
      this.#kept.set(index, { before: this.#open.before, leaves: this.#open.leaves.map(read), root: reported });
    }
    this.#open = emptyShard();
  }

  #holdsMine(shard: number): boolean {
    for (const p of this.#mine) {
      if (shardOf(p) === shard) {
        return true;
      }
    }
    return false;
  }

  /** The tree above the shards with the open shard's root appended, as the chain sees it now. */
  #withOpenShard(): MarkedTree {
    const top = this.#top.clone();
    if (this.#open.before.size + this.#open.leaves.length > 0) {
      this.#openRoot ??= hashShard(this.#open).root();
      top.append(this.#openRoot, true);
    }
    return top;
  }

  /** The commitment tree's root (hashes the open shard's leaves). */
  root(): Fr {
    return this.#withOpenShard().root();
  }

  /** The current authentication path of one of the wallet's unspent leaves. */
  path(position: number): AuthenticationPath {
    if (!this.#mine.has(position)) {
      throw new WalletError("not_marked", `leaf ${position} is not an unspent note of the wallet`);
    }
    const shard = shardOf(position);
    const kept = this.#kept.get(shard);
    const hashed = hashShard(kept ?? this.#open, position % SHARD_SIZE);
    if (kept && hashed.root() !== kept.root) {
      throw new WalletError("tree_mismatch", `the node's root of shard ${shard} differs from its leaves`);
    }
    const low = hashed.path(position % SHARD_SIZE);
    const high = this.#withOpenShard().path(shard);
    return { position, leaf: low.leaf, siblings: [...low.siblings, ...high.siblings] };
  }

  /** Forgets a spent leaf (and its shard's leaves once no note of the wallet is left in it). */
  forget(position: number): void {
    if (!this.#mine.delete(position)) {
      return;
    }
    const shard = shardOf(position);
    if (this.#kept.has(shard) && !this.#holdsMine(shard)) {
      this.#kept.delete(shard);
      this.#top.unmark(shard);
    }
  }

  /**
   * Canonical: longVarBytes(top) || open shard || u32(#kept) || per kept shard by
   * index: u32(index) || fe(root) || shard || u32(#mine) || ascending u32 positions,
   * where shard = varBytes(frontier before) || u32(#leaves) || leaves.
   */
  encode(): Uint8Array {
    const w = new ByteWriter().longVarBytes(this.#top.encode());
    writeShard(w, this.#open);
    const kept = [...this.#kept].sort(([a], [b]) => a - b);
    w.u32(kept.length);
    for (const [index, shard] of kept) {
      w.u32(index).bytes(frToBytes(shard.root)).bytes(completeShardBytes(shard));
    }
    const mine = [...this.#mine].sort((a, b) => a - b);
    w.u32(mine.length);
    for (const p of mine) {
      w.u32(p);
    }
    return w.finish();
  }

  static decode(bytes: Uint8Array): NoteTree {
    const r = new ByteReader(bytes);
    const top = MarkedTree.decode(r.longVarBytes(1 << 28, "top"), SHARD_HEIGHT);
    if (top.depth !== TREE_DEPTH - SHARD_HEIGHT) {
      throw new WalletError("bad_wallet_tree", "wallet tree of the wrong shape");
    }
    const tree = new NoteTree(top, readShard(r));
    for (let i = r.u32("kept count"), previous = -1; i > 0; i--) {
      const index = r.u32("shard index");
      const root = frFromBytes(r.bytesFixed(32, "shard root"));
      const shard = readShard(r);
      if (index <= previous || index >= top.size || shard.before.size + shard.leaves.length !== SHARD_SIZE) {
        throw new WalletError("bad_wallet_tree", "a kept shard out of order, open or incomplete");
      }
      previous = index;
      tree.#kept.set(index, { ...shard, root });
    }
    for (let i = r.u32("note count"), previous = -1; i > 0; i--) {
      const position = r.u32("position");
      if (position <= previous || position >= tree.size) {
        throw new WalletError("bad_wallet_tree", "note positions out of order or outside the tree");
      }
      previous = position;
      tree.#mine.add(position);
    }
    r.finish("wallet tree");
    return tree;
  }
}

/** The shard's leaves hashed into a tree, marking `mark` (a position inside the shard). */
function hashShard(shard: ShardLeaves, mark?: number): MarkedTree {
  const tree = new MarkedTree(shard.before.clone());
  for (const leaf of shard.leaves) {
    tree.append(read(leaf), tree.size === mark);
  }
  return tree;
}

/** A complete shard never changes: its encoding is made once, not at every save (after every page of a sync). */
const completeShardEncodings = new WeakMap<ShardLeaves, Uint8Array>();

function completeShardBytes(shard: ShardLeaves): Uint8Array {
  let bytes = completeShardEncodings.get(shard);
  if (bytes === undefined) {
    const w = new ByteWriter();
    writeShard(w, shard);
    bytes = w.finish();
    completeShardEncodings.set(shard, bytes);
  }
  return bytes;
}

function writeShard(w: ByteWriter, shard: ShardLeaves): void {
  w.varBytes(shard.before.encode()).u32(shard.leaves.length);
  for (const leaf of shard.leaves) {
    w.bytes(frToBytes(read(leaf)));
  }
}

function readShard(r: ByteReader): ShardLeaves {
  const before = IncrementalTree.decode(r.varBytes(4096, "shard frontier"));
  if (before.depth !== SHARD_HEIGHT) {
    throw new WalletError("bad_wallet_tree", "a shard frontier of the wrong height");
  }
  const count = r.u32("leaf count");
  if (before.size + count > SHARD_SIZE) {
    throw new WalletError("bad_wallet_tree", "a shard overflows");
  }
  return { before, leaves: Array.from({ length: count }, () => frFromBytes(r.bytesFixed(32, "leaf"))) };
}
