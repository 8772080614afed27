/**
 * The one canonical byte encoding of every consensus message.
 *
 *   signed part  = type:u8 || from:u16 || body            (what the signature covers)
 *   embedded     = signed part || signature[64]            (inside certificates)
 *   envelope     = signed part || signature[64] || u16 count || batch*   (on the wire)
 *
 * Fixed-width big-endian integers, u64 views and sequence numbers, u16 list
 * counts, u32 lengths for requests. Lists are in a canonical order that
 * validateBasic enforces, and the reader refuses trailing bytes, so a message
 * has exactly one accepted encoding; hashing and signing use that encoding.
 *
 * The signature covers `"sero-edge/pbft/v1/sig" || genesisHash || signed part`:
 * a message signed for one chain does not verify on another.
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Batch, readBatch, writeBatch } from "./batch.ts";
import type { ReplicaId } from "./committee.ts";
import type { Digest } from "./hash.ts";
import {
  type Envelope,
  MAX_BLOCKS_PER_MESSAGE,
  MAX_CERT_ENTRIES,
  MAX_QUORUM_ENTRIES,
  type Message,
  type MessageType,
  type PreparedCertificate,
  type Signed,
} from "./messages.ts";
import { SIGNATURE_BYTES } from "./signing.ts";
import { VRF_PROOF_BYTES } from "./vrf.ts";
import {
  readBool,
  readCount,
  readDigest,
  readLongBytes,
  readU64,
  writeDigest,
  writeLongBytes,
  writeU64,
} from "./wire.ts";

export const TYPE_CODES: Readonly<Record<MessageType, number>> = {
  "pre-prepare": 1,
  prepare: 2,
  commit: 3,
  checkpoint: 4,
  "view-change": 5,
  "new-view": 6,
  request: 7,
  status: 8,
  "fetch-blocks": 9,
  blocks: 10,
  share: 11,
};

const TYPE_BY_CODE = new Map<number, MessageType>(
  Object.entries(TYPE_CODES).map(([name, code]) => [code, name as MessageType]),
);

const SIGN_DOMAIN = new TextEncoder().encode("sero-edge/pbft/v1/sig");

/** The bytes a signer signs: domain tag, chain identity, then the signed part. */
export function signingPayload(genesisHash: Digest, signedPart: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGN_DOMAIN.length + genesisHash.length + signedPart.length);
  out.set(SIGN_DOMAIN, 0);
  out.set(genesisHash, SIGN_DOMAIN.length);
  out.set(signedPart, SIGN_DOMAIN.length + genesisHash.length);
  return out;
}

// ---------------------------------------------------------------- encoding

export function encodeSignedPart(from: ReplicaId, m: Message): Uint8Array {
  const w = new ByteWriter();
  writeSignedPart(w, from, m);
  return w.finish();
}

function writeSignedPart(w: ByteWriter, from: ReplicaId, m: Message): void {
  w.u8(TYPE_CODES[m.type]).u16(from);
  switch (m.type) {
    case "pre-prepare":
    case "prepare":
    case "commit":
      writeU64(w, m.view);
      writeU64(w, m.seq);
      writeDigest(w, m.digest);
      return;
    case "checkpoint":
      writeU64(w, m.seq);
      writeDigest(w, m.chainHash);
      writeDigest(w, m.stateRoot);
      return;
    case "view-change":
      writeU64(w, m.newView);
      writeU64(w, m.stableSeq);
      writeEmbeddedList(w, m.checkpointProof);
      w.u16(m.prepared.length);
      for (const cert of m.prepared) {
        writeEmbedded(w, cert.prePrepare);
        writeEmbeddedList(w, cert.prepares);
      }
      return;
    case "new-view":
      writeU64(w, m.view);
      writeEmbeddedList(w, m.viewChanges);
      writeEmbeddedList(w, m.prePrepares);
      return;
    case "request":
      writeLongBytes(w, m.request);
      return;
    case "status":
      writeU64(w, m.view);
      w.u8(m.active ? 1 : 0);
      writeU64(w, m.lastCommitted);
      writeU64(w, m.stableSeq);
      return;
    case "fetch-blocks":
      writeU64(w, m.fromSeq);
      writeU64(w, m.toSeq);
      return;
    case "blocks":
      w.u16(m.certificates.length);
      for (const cert of m.certificates) {
        writeEmbeddedList(w, cert);
      }
      return;
    case "share":
      writeU64(w, m.epoch);
      w.bytes(m.proof);
      return;
  }
}

/** A u16 count, then each signed message embedded (certificates, proofs). */
function writeEmbeddedList(w: ByteWriter, list: readonly Signed[]): void {
  w.u16(list.length);
  for (const s of list) {
    writeEmbedded(w, s);
  }
}

function writeEmbedded(w: ByteWriter, s: Signed): void {
  writeSignedPart(w, s.from, s.message);
  if (s.signature.length !== SIGNATURE_BYTES) {
    throw new RangeError("signature must be 64 bytes");
  }
  w.bytes(s.signature);
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  const w = new ByteWriter();
  writeEmbedded(w, e);
  w.u16(e.batches.length);
  for (const b of e.batches) {
    writeBatch(w, b);
  }
  return w.finish();
}

// ---------------------------------------------------------------- decoding

/** One signature the boundary must check: who, over which signed part. */
export interface SignatureCheck {
  readonly from: ReplicaId;
  readonly signedPart: Uint8Array;
  readonly signature: Uint8Array;
}

export interface DecodedEnvelope {
  readonly envelope: Envelope;
  /** The envelope's own signature first, then every embedded one. */
  readonly checks: readonly SignatureCheck[];
}

class Decoder {
  readonly r: ByteReader;
  readonly checks: SignatureCheck[] = [];
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.r = new ByteReader(bytes);
  }

  private get offset(): number {
    return this.bytes.length - this.r.remaining;
  }

  signed<T extends MessageType>(expected: T | undefined, what: string): Signed<Extract<Message, { type: T }>> {
    const start = this.offset;
    const code = this.r.u8(`${what}.type`);
    const type = TYPE_BY_CODE.get(code);
    if (type === undefined) {
      throw new ProtocolError("unknown_type", `${what}: unknown message type ${code}`);
    }
    if (expected !== undefined && type !== expected) {
      throw new ProtocolError("unexpected_type", `${what}: expected ${expected}, got ${type}`);
    }
    const from = this.r.u16(`${what}.from`);
    const message = this.body(type, what);
    const signedPart = this.bytes.subarray(start, this.offset);
    const signature = this.r.bytesFixed(SIGNATURE_BYTES, `${what}.signature`);
    this.checks.push({ from, signedPart, signature });
    return { from, message, signature } as Signed<Extract<Message, { type: T }>>;
  }

  /** The mirror of writeEmbeddedList: a count of at most `max`, then that many signed messages of `type`. */
  private signedList<T extends MessageType>(
    type: T,
    max: number,
    what: string,
  ): Signed<Extract<Message, { type: T }>>[] {
    const count = readCount(this.r, max, what);
    return Array.from({ length: count }, (_, i) => this.signed(type, `${what}[${i}]`));
  }

  private body(type: MessageType, what: string): Message {
    const r = this.r;
    switch (type) {
      case "pre-prepare":
      case "prepare":
      case "commit":
        return {
          type,
          view: readU64(r, `${what}.view`),
          seq: readU64(r, `${what}.seq`),
          digest: readDigest(r, `${what}.digest`),
        };
      case "checkpoint":
        return {
          type,
          seq: readU64(r, `${what}.seq`),
          chainHash: readDigest(r, `${what}.chainHash`),
          stateRoot: readDigest(r, `${what}.stateRoot`),
        };
      case "view-change": {
        const newView = readU64(r, `${what}.newView`);
        const stableSeq = readU64(r, `${what}.stableSeq`);
        const checkpointProof = this.signedList("checkpoint", MAX_QUORUM_ENTRIES, `${what}.C`);
        const certCount = readCount(r, MAX_CERT_ENTRIES, `${what}.P`);
        const prepared: PreparedCertificate[] = [];
        for (let i = 0; i < certCount; i++) {
          const prePrepare = this.signed("pre-prepare", `${what}.P[${i}]`);
          const prepares = this.signedList("prepare", MAX_QUORUM_ENTRIES, `${what}.P[${i}].prepares`);
          prepared.push({ prePrepare, prepares });
        }
        return { type, newView, stableSeq, checkpointProof, prepared };
      }
      case "new-view": {
        const view = readU64(r, `${what}.view`);
        const viewChanges = this.signedList("view-change", MAX_QUORUM_ENTRIES, `${what}.V`);
        const prePrepares = this.signedList("pre-prepare", MAX_CERT_ENTRIES, `${what}.O`);
        return { type, view, viewChanges, prePrepares };
      }
      case "request":
        return { type, request: readLongBytes(r, 1 << 20, `${what}.request`) };
      case "status":
        return {
          type,
          view: readU64(r, `${what}.view`),
          active: readBool(r, `${what}.active`),
          lastCommitted: readU64(r, `${what}.lastCommitted`),
          stableSeq: readU64(r, `${what}.stableSeq`),
        };
      case "fetch-blocks":
        return { type, fromSeq: readU64(r, `${what}.fromSeq`), toSeq: readU64(r, `${what}.toSeq`) };
      case "blocks": {
        const count = readCount(r, MAX_BLOCKS_PER_MESSAGE, `${what}.blocks`);
        const certificates = Array.from({ length: count }, (_, i) =>
          this.signedList("commit", MAX_QUORUM_ENTRIES, `${what}.blocks[${i}]`),
        );
        return { type, certificates };
      }
      case "share":
        return { type, epoch: readU64(r, `${what}.epoch`), proof: r.bytesFixed(VRF_PROOF_BYTES, `${what}.proof`) };
    }
  }
}

/** Parses wire bytes into an envelope; throws ProtocolError. Does not check signatures (see envelope.ts). */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  const d = new Decoder(bytes);
  const signed = d.signed(undefined, "message");
  const batchCount = readCount(d.r, MAX_CERT_ENTRIES, "batches");
  const batches: Batch[] = [];
  for (let i = 0; i < batchCount; i++) {
    batches.push(readBatch(d.r, `batches[${i}]`));
  }
  d.r.finish("message");
  // The outer signature was pushed last among its own nesting; put it first for readers.
  const outer = d.checks.pop() as SignatureCheck;
  return { envelope: { ...signed, batches }, checks: [outer, ...d.checks] };
}
