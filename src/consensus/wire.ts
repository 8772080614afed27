/**
 * Small encoding helpers the consensus messages share, built on the project
 * codec (ByteWriter/ByteReader). Views and sequence numbers are u64 on the
 * wire (big-endian, written as two u32 halves) and safe integers in memory;
 * a value above 2^53 - 1 is refused when decoding, so every accepted encoding
 * maps to exactly one number and back.
 */
import { ByteReader } from "../codec/reader.ts";
import type { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { DIGEST_BYTES, type Digest } from "./hash.ts";

const TWO_32 = 2 ** 32;
/** 2^53 - 1 split as (hi, lo): hi must stay below 2^21. */
const MAX_HI = 2 ** 21;

export function writeU64(w: ByteWriter, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${value} is not a u64 safe integer`);
  }
  w.u32(Math.floor(value / TWO_32)).u32(value % TWO_32);
}

export function readU64(r: ByteReader, what: string): number {
  const hi = r.u32(what);
  const lo = r.u32(what);
  if (hi >= MAX_HI) {
    throw new ProtocolError("out_of_range", `${what}: above 2^53 - 1`);
  }
  return hi * TWO_32 + lo;
}

export function writeDigest(w: ByteWriter, d: Digest): void {
  if (d.length !== DIGEST_BYTES) {
    throw new RangeError(`digest must be ${DIGEST_BYTES} bytes`);
  }
  w.bytes(d);
}

export function readDigest(r: ByteReader, what: string): Digest {
  return r.bytesFixed(DIGEST_BYTES, what);
}

/** u32 length prefix: requests and batches may exceed the u16 prefix of `varBytes`. */
export function writeLongBytes(w: ByteWriter, value: Uint8Array): void {
  w.u32(value.length).bytes(value);
}

export function readLongBytes(r: ByteReader, max: number, what: string): Uint8Array {
  const length = r.u32(what);
  if (length > max) {
    throw new ProtocolError("too_long", `${what}: ${length} bytes, at most ${max}`);
  }
  return r.bytesFixed(length, what);
}

export function readBool(r: ByteReader, what: string): boolean {
  const b = r.u8(what);
  if (b > 1) {
    throw new ProtocolError("bad_bool", `${what}: ${b} is not 0 or 1`);
  }
  return b === 1;
}

export function readCount(r: ByteReader, max: number, what: string): number {
  const count = r.u16(what);
  if (count > max) {
    throw new ProtocolError("too_many", `${what}: ${count} entries, at most ${max}`);
  }
  return count;
}

export { ByteReader };
