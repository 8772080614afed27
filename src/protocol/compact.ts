/**
 * Compact blocks (PROTOCOL.md §9): what a wallet reads to sync, and their
 * binary page encoding, served by `GET /v1/sync` to clients that accept
 * `application/octet-stream` (the JSON form carries the same fields in hex).
 * Decoding keeps ciphertexts as views of the page and reads a commitment
 * only when asked: a wallet opens about one output in 256 (view tags).
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { ENC_CIPHERTEXT_BYTES, OUT_CIPHERTEXT_BYTES } from "./encryption/encrypt.ts";
import { ProtocolError } from "./errors.ts";
import { type Fr, frFromBytes, frToBytes } from "./field.ts";
import { type NoteCiphertexts, type Transaction, TxKind, type TxKindName } from "./tx/types.ts";

/** Version 2 added payouts (§10.4). */
export const COMPACT_PAGE_VERSION = 2;

export type CompactOutput = {
  readonly position: number;
  readonly commitment: Fr;
  readonly viewTag: number;
  readonly encCiphertext: Uint8Array;
  readonly outCiphertext: Uint8Array;
};

/**
 * A note a contract paid to a one-time address (§10.4): its asset, amount and
 * rcm are public, its owner is the PKr, which the recipient recognizes.
 */
export type CompactPayout = {
  readonly position: number;
  readonly commitment: Fr;
  readonly pkr: Uint8Array;
  readonly assetKind: "token" | "ticket";
  /** Token id or ticket category id. */
  readonly assetRef: Fr;
  /** A u128 amount in the last 16 bytes, or a ticket id (§8.4). */
  readonly value: Uint8Array;
  readonly rcm: Fr;
};

export type CompactTx = {
  readonly id: Uint8Array;
  readonly kind: TxKindName;
  /** SERO base units; 0 only for genesis. */
  readonly fee: bigint;
  readonly nullifiers: readonly Fr[];
  readonly epk: Uint8Array | null;
  readonly outputs: readonly CompactOutput[];
  /** Appended after the outputs, in the order the contract made them. */
  readonly payouts: readonly CompactPayout[];
};

export type ShardRoot = { readonly index: number; readonly root: Fr };

export type CompactBlock = {
  readonly height: number;
  readonly anchor: Fr;
  /** Shards (§7.1) this block completed, ascending. */
  readonly shards: readonly ShardRoot[];
  readonly txs: readonly CompactTx[];
};

export type CompactPage = {
  readonly blocks: readonly CompactBlock[];
  /** The node's tip, null before genesis is indexed. */
  readonly tip: number | null;
  /** Where the next page starts, null when this one reaches the requested end or the tip. */
  readonly next: number | null;
};

/**
 * What a compact transaction carries besides its leaves' positions and
 * commitments; a fee payment's outputs come before issued ones, in the
 * ledger's append order and the order their encryption is keyed by (§8.9).
 */
export function compactParts(tx: Transaction): {
  readonly fee: bigint;
  readonly nullifiers: readonly Fr[];
  readonly epk: Uint8Array | null;
  readonly outputs: readonly NoteCiphertexts[];
} {
  switch (tx.kind) {
    case "transfer":
      return { fee: tx.fee, nullifiers: tx.nullifiers, epk: tx.epk, outputs: tx.outputs };
    case "register":
      return { fee: tx.payment.fee, nullifiers: tx.payment.nullifiers, epk: tx.epk, outputs: tx.payment.outputs };
    case "issue":
      return {
        fee: tx.payment.fee,
        nullifiers: tx.payment.nullifiers,
        epk: tx.epk,
        outputs: [...tx.payment.outputs, ...tx.outputs],
      };
    case "genesis":
      return { fee: 0n, nullifiers: [], epk: tx.epk, outputs: tx.outputs };
    case "deploy":
    case "call":
      // The opened output (§10.3) is credited to the contract, not appended.
      return {
        fee: tx.payment.fee,
        nullifiers: tx.payment.nullifiers,
        epk: tx.epk,
        outputs: tx.payment.outputs.filter((_, j) => j !== tx.value?.output),
      };
  }
}

const KIND_BY_CODE = new Map<number, TxKindName>(Object.entries(TxKind).map(([k, v]) => [v, k as TxKindName]));
const MAX_PAGE_BLOCKS = 10_000;
const OUTPUT_BYTES = 4 + 32 + 1 + ENC_CIPHERTEXT_BYTES + OUT_CIPHERTEXT_BYTES;
const PAYOUT_BYTES = 4 + 32 + 128 + 1 + 32 + 32 + 32;
const ASSET_KINDS = ["token", "ticket"] as const;
const TX_MIN_BYTES = 32 + 1 + 16 + 1 + 1 + 2 + 2;
const BLOCK_MIN_BYTES = 8 + 32 + 4 + 4;

const optional = (value: number | null) => BigInt(value === null ? 0 : value + 1);

export function encodeCompactPage(page: CompactPage): Uint8Array {
  const w = new ByteWriter()
    .u8(COMPACT_PAGE_VERSION)
    .uint(optional(page.tip), 8)
    .uint(optional(page.next), 8)
    .u32(page.blocks.length);
  for (const block of page.blocks) {
    w.uint(optional(block.height), 8).bytes(frToBytes(block.anchor)).u32(block.shards.length);
    for (const shard of block.shards) {
      w.u32(shard.index).bytes(frToBytes(shard.root));
    }
    w.u32(block.txs.length);
    for (const tx of block.txs) {
      w.bytes(tx.id).u8(TxKind[tx.kind]).uint(tx.fee, 16).u8(tx.nullifiers.length);
      for (const nf of tx.nullifiers) {
        w.bytes(frToBytes(nf));
      }
      w.u8(tx.epk === null ? 0 : 1);
      if (tx.epk !== null) {
        w.bytes(tx.epk);
      }
      w.u16(tx.outputs.length);
      for (const o of tx.outputs) {
        w.u32(o.position).bytes(frToBytes(o.commitment)).u8(o.viewTag).bytes(o.encCiphertext).bytes(o.outCiphertext);
      }
      w.u16(tx.payouts.length);
      for (const p of tx.payouts) {
        w.u32(p.position).bytes(frToBytes(p.commitment)).bytes(p.pkr).u8(ASSET_KINDS.indexOf(p.assetKind));
        w.bytes(frToBytes(p.assetRef)).bytes(p.value).bytes(frToBytes(p.rcm));
      }
    }
  }
  return w.finish();
}

/**
 * An output read in place: its fields are views of the page made on first
 * use, and its commitment is parsed (and range-checked) only when asked.
 */
class DecodedOutput implements CompactOutput {
  readonly position: number;
  readonly viewTag: number;
  readonly #page: Uint8Array;
  /** Where the commitment starts in the page. */
  readonly #at: number;
  #commitment: Fr | undefined;

  constructor(r: ByteReader, page: Uint8Array) {
    this.position = r.u32("position");
    this.#page = page;
    this.#at = page.length - r.remaining;
    r.skip(32, "commitment");
    this.viewTag = r.u8("view tag");
    r.skip(ENC_CIPHERTEXT_BYTES + OUT_CIPHERTEXT_BYTES, "ciphertexts");
  }

  get commitment(): Fr {
    this.#commitment ??= frFromBytes(this.#page.subarray(this.#at, this.#at + 32), "commitment");
    return this.#commitment;
  }

  get encCiphertext(): Uint8Array {
    const start = this.#at + 33;
    return this.#page.subarray(start, start + ENC_CIPHERTEXT_BYTES);
  }

  get outCiphertext(): Uint8Array {
    const start = this.#at + 33 + ENC_CIPHERTEXT_BYTES;
    return this.#page.subarray(start, start + OUT_CIPHERTEXT_BYTES);
  }
}

/** A count read from untrusted bytes, refused before allocating if the items cannot fit in what is left. */
function count(r: ByteReader, value: number, minItemBytes: number, what: string): number {
  if (value * minItemBytes > r.remaining) {
    throw new ProtocolError("truncated", `${what}: ${value} items cannot fit in ${r.remaining} bytes`);
  }
  return value;
}

function readOptional(r: ByteReader, what: string): number | null {
  const value = r.uint(8, what);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProtocolError("field_out_of_range", `${what} too large`);
  }
  return value === 0n ? null : Number(value) - 1;
}

function readTx(r: ByteReader, page: Uint8Array): CompactTx {
  const id = r.bytesFixed(32, "tx id");
  const kind = KIND_BY_CODE.get(r.u8("tx kind"));
  if (!kind) {
    throw new ProtocolError("unknown_kind", "unknown transaction kind in a compact block");
  }
  const fee = r.uint(16, "fee");
  // Plain loops: a wallet's sync decodes every transaction of the chain.
  const nullifiers: Fr[] = [];
  for (let i = r.u8("nullifier count"); i > 0; i--) {
    nullifiers.push(frFromBytes(r.view(32, "nullifier")));
  }
  const hasEpk = r.u8("epk flag");
  if (hasEpk > 1) {
    throw new ProtocolError("bad_encoding", "the epk flag is 0 or 1");
  }
  const epk = hasEpk === 1 ? r.bytesFixed(32, "epk") : null;
  const outputs: CompactOutput[] = [];
  for (let i = count(r, r.u16("output count"), OUTPUT_BYTES, "outputs"); i > 0; i--) {
    outputs.push(new DecodedOutput(r, page));
  }
  const payouts: CompactPayout[] = [];
  for (let i = count(r, r.u16("payout count"), PAYOUT_BYTES, "payouts"); i > 0; i--) {
    payouts.push(readPayout(r));
  }
  return { id, kind, fee, nullifiers, epk, outputs, payouts };
}

function readPayout(r: ByteReader): CompactPayout {
  const position = r.u32("payout position");
  const commitment = frFromBytes(r.view(32, "payout commitment"));
  const pkr = r.bytesFixed(128, "payout address");
  const assetKind = ASSET_KINDS[r.u8("payout asset kind")];
  if (assetKind === undefined) {
    throw new ProtocolError("unknown_asset_kind", "a payout's asset kind is 0 (token) or 1 (ticket)");
  }
  const assetRef = frFromBytes(r.view(32, "payout asset"));
  const value = r.bytesFixed(32, "payout value");
  return { position, commitment, pkr, assetKind, assetRef, value, rcm: frFromBytes(r.view(32, "payout rcm")) };
}

export function decodeCompactPage(bytes: Uint8Array): CompactPage {
  const r = new ByteReader(bytes);
  if (r.u8("version") !== COMPACT_PAGE_VERSION) {
    throw new ProtocolError("unknown_version", "unknown compact page version");
  }
  const tip = readOptional(r, "tip");
  const next = readOptional(r, "next");
  const blockCount = count(r, r.u32("block count"), BLOCK_MIN_BYTES, "blocks");
  if (blockCount > MAX_PAGE_BLOCKS) {
    throw new ProtocolError("too_long", "too many blocks in a page");
  }
  const blocks = Array.from({ length: blockCount }, (): CompactBlock => {
    const height = readOptional(r, "height");
    if (height === null) {
      throw new ProtocolError("bad_encoding", "a block height is stored plus one");
    }
    const anchor = frFromBytes(r.view(32, "anchor"));
    const shards = Array.from({ length: count(r, r.u32("shard count"), 36, "shards") }, () => ({
      index: r.u32("shard index"),
      root: frFromBytes(r.view(32, "shard root")),
    }));
    const txs = Array.from({ length: count(r, r.u32("tx count"), TX_MIN_BYTES, "txs") }, () => readTx(r, bytes));
    return { height, anchor, shards, txs };
  });
  r.finish("compact page");
  return { blocks, tip, next };
}
