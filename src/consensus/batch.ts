/**
 * A batch is the block PBFT orders at one sequence number: an ordered list of
 * opaque client requests (the application's transactions). PBFT §5.1
 * (batching): the primary orders a whole batch with one protocol instance.
 *
 * The empty batch is PBFT's "null request" (§4.4): what a new primary assigns
 * to a sequence number for which no prepared certificate survived the view
 * change. It executes as a no-op but still occupies its height.
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Digest, hashTagged } from "./hash.ts";
import { readLongBytes, writeLongBytes } from "./wire.ts";

/** Hard protocol limits (independent of the genesis parameters, which may only be stricter). */
export const LIMITS = {
  maxRequestBytes: 1 << 20,
  maxBatchRequests: 4096,
  maxBatchBytes: 8 << 20,
} as const;

export type Batch = readonly Uint8Array[];

export function encodeBatch(batch: Batch): Uint8Array {
  const w = new ByteWriter();
  writeBatch(w, batch);
  return w.finish();
}

export function writeBatch(w: ByteWriter, batch: Batch): void {
  w.u32(batch.length);
  for (const request of batch) {
    writeLongBytes(w, request);
  }
}

export function readBatch(r: ByteReader, what: string): Batch {
  const count = r.u32(what);
  if (count > LIMITS.maxBatchRequests) {
    throw new ProtocolError("too_many", `${what}: ${count} requests, at most ${LIMITS.maxBatchRequests}`);
  }
  const out: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const request = readLongBytes(r, LIMITS.maxRequestBytes, `${what}[${i}]`);
    total += request.length;
    if (total > LIMITS.maxBatchBytes) {
      throw new ProtocolError("too_long", `${what}: more than ${LIMITS.maxBatchBytes} bytes`);
    }
    out.push(request);
  }
  return out;
}

export function decodeBatch(bytes: Uint8Array): Batch {
  const r = new ByteReader(bytes);
  const batch = readBatch(r, "batch");
  r.finish("batch");
  return batch;
}

/** The digest `d` of PBFT's ⟨PRE-PREPARE, v, n, d⟩: binds the whole ordered batch. */
export function batchDigest(batch: Batch): Digest {
  return hashTagged("batch", encodeBatch(batch));
}

/** Identity of one request, used to deduplicate the request pool and to report commits. */
export function requestDigest(request: Uint8Array): Digest {
  return hashTagged("request", request);
}

export function batchBytes(batch: Batch): number {
  let total = 0;
  for (const r of batch) {
    total += r.length;
  }
  return total;
}

/** Digest of the null request (the empty batch). */
export const NULL_DIGEST: Digest = batchDigest([]);
