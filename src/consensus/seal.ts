/**
 * The sealing block's record (CONSENSUS.md §8.2): the VRF shares of an
 * epoch, as the single entry of the sealing block's batch. Inside the batch,
 * the shares are bound by the block digest and its commit certificate, and a
 * view change carries them like any prepared batch. The record starts with a
 * zero byte and a tag, which no transaction does (PROTOCOL.md §8: a
 * transaction starts with its version, 1), and the request pool refuses
 * requests that start like it.
 */
import { ByteReader } from "../codec/reader.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { Batch } from "./batch.ts";
import type { BeaconShare } from "./beacon.ts";
import { MAX_VALIDATORS } from "./committee.ts";
import { VRF_PROOF_BYTES } from "./vrf.ts";
import { readU64, writeU64 } from "./wire.ts";

const SEAL_TAG = new TextEncoder().encode("\0sero-edge/seal/v1");

export interface SealRecord {
  readonly epoch: number;
  readonly shares: readonly BeaconShare[];
}

export function encodeSeal(seal: SealRecord): Uint8Array {
  const w = new ByteWriter();
  w.bytes(SEAL_TAG);
  writeU64(w, seal.epoch);
  w.u16(seal.shares.length);
  for (const share of seal.shares) {
    w.u16(share.validator);
    w.bytes(share.proof);
  }
  return w.finish();
}

/** Whether a request is (or pretends to be) a seal record. */
export function looksLikeSeal(request: Uint8Array): boolean {
  if (request.length < SEAL_TAG.length) {
    return false;
  }
  return SEAL_TAG.every((b, i) => request[i] === b);
}

/** The seal record a batch carries, "none", or "malformed" (a record that is not alone or does not decode). */
export function sealOf(batch: Batch): SealRecord | "none" | "malformed" {
  const at = batch.findIndex(looksLikeSeal);
  if (at < 0) {
    return "none";
  }
  if (batch.length !== 1) {
    return "malformed";
  }
  try {
    const r = new ByteReader((batch[0] as Uint8Array).subarray(SEAL_TAG.length));
    const epoch = readU64(r, "seal.epoch");
    const count = r.u16("seal.count");
    if (count > MAX_VALIDATORS) {
      return "malformed";
    }
    const shares: BeaconShare[] = [];
    for (let i = 0; i < count; i++) {
      shares.push({ validator: r.u16("seal.validator"), proof: r.bytesFixed(VRF_PROOF_BYTES, "seal.proof") });
    }
    r.finish("seal");
    return { epoch, shares };
  } catch {
    return "malformed";
  }
}

/** What the application executes of a committed batch: a sealing block carries no transactions. */
export function transactionsOf(batch: Batch): Batch {
  return sealOf(batch) === "none" ? batch : [];
}
