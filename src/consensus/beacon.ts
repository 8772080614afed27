/**
 * SE-Random's public random beacon (CONSENSUS.md §8). Epoch e is the K blocks
 * (e·K, (e+1)·K] (K = `epochLength`, a genesis parameter). Its last block,
 * the sealing block, carries the VRF shares of at least 2f + 1 validators on
 * alpha_e = encode(chainId, e, B_{e-1}); the beacon B_e hashes B_{e-1} with the
 * LOWEST share output. B_e draws the primaries of epoch e + 1 (draw.ts).
 *
 * Lowest-output rather than a hash of every share: a validator can only
 * reveal or withhold its (unique) output, and that choice changes the beacon
 * only when its output is the lowest, one epoch in n (the bias bound of §8.3).
 */
import { ByteWriter } from "../codec/writer.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { compareBytes, type Digest, hashTagged } from "./hash.ts";
import { vrfProve, vrfVerify } from "./vrf.ts";
import { writeU64 } from "./wire.ts";

/**
 * The VRF as the core uses it: production is ECVRF over the validators' ed25519 keys (`ecvrfBeaconKeys`);
 * the simulator's random schedules swap in a keyed-hash stand-in with the same uniqueness, as they do
 * for signatures (test/consensus/sim/keys.ts).
 */
export interface BeaconKeys {
  readonly chainId: string;
  /** This replica's share on alpha. */
  prove(alpha: Uint8Array): Uint8Array;
  /** The output if `proof` is `validator`'s share on alpha, else undefined. */
  verify(validator: ReplicaId, alpha: Uint8Array, proof: Uint8Array): Uint8Array | undefined;
}

export function ecvrfBeaconKeys(chainId: string, committee: Committee, secretKey: Uint8Array): BeaconKeys {
  const key = secretKey.slice();
  return {
    chainId,
    prove: (alpha) => vrfProve(key, alpha),
    verify(validator, alpha, proof) {
      const publicKey = committee.validators[validator];
      return publicKey === undefined ? undefined : vrfVerify(publicKey, alpha, proof);
    },
  };
}

/** One validator's VRF proof for an epoch's alpha (RFC 9381, 80 bytes). */
export interface BeaconShare {
  readonly validator: ReplicaId;
  readonly proof: Uint8Array;
}

/** A completed epoch's beacon and everything needed to check it offline (CONSENSUS.md §8.2). */
export interface EpochBeacon {
  readonly epoch: number;
  /** B_{e-1}: the genesis beacon for epoch 0. */
  readonly previous: Digest;
  /** The sealing block's shares, ascending by validator. */
  readonly shares: readonly BeaconShare[];
  /** The validator whose output was the lowest. */
  readonly winner: ReplicaId;
  /** B_e. */
  readonly value: Digest;
}

/** Epoch of sequence number seq >= 1. */
export function epochOf(seq: number, epochLength: number): number {
  return Math.floor((seq - 1) / epochLength);
}

/** The sealing block of `epoch`: its last sequence number. */
export function sealingSeq(epoch: number, epochLength: number): number {
  return (epoch + 1) * epochLength;
}

/** B_{-1}: fixed by genesis, so the primaries of epoch 0 are public from the start. */
export function genesisBeacon(committee: Committee): Digest {
  return hashTagged("beacon-genesis", committee.genesisHash);
}

/** alpha_e = encode(chainId, e, B_{e-1}) under the beacon's domain tag. */
export function beaconAlpha(chainId: string, epoch: number, previous: Digest): Uint8Array {
  const w = new ByteWriter();
  w.varText("sero-edge/beacon/v1");
  w.varText(chainId);
  writeU64(w, epoch);
  w.bytes(previous);
  return w.finish();
}

export type BeaconError =
  | "too_few_shares"
  | "duplicate_share"
  | "unknown_validator"
  | "unsorted_shares"
  | "bad_share_proof";

/**
 * B_e from the sealing block's shares: each must verify under its validator's
 * genesis key (strict RFC 9381 decoding), at most one per validator, ascending,
 * at least 2f + 1 of them, so at least f + 1 come from correct validators.
 */
export function deriveBeacon(
  keys: BeaconKeys,
  committee: Committee,
  epoch: number,
  previous: Digest,
  shares: readonly BeaconShare[],
): EpochBeacon | BeaconError {
  if (shares.length < committee.quorum) {
    return "too_few_shares";
  }
  const alpha = beaconAlpha(keys.chainId, epoch, previous);
  let lowest: { validator: ReplicaId; output: Uint8Array } | undefined;
  let last = -1;
  for (const share of shares) {
    if (share.validator === last) {
      return "duplicate_share";
    }
    if (share.validator < last) {
      return "unsorted_shares";
    }
    last = share.validator;
    if (share.validator >= committee.n) {
      return "unknown_validator";
    }
    const output = keys.verify(share.validator, alpha, share.proof);
    if (output === undefined) {
      return "bad_share_proof";
    }
    if (lowest === undefined || compareBytes(output, lowest.output) < 0) {
      lowest = { validator: share.validator, output };
    }
  }
  const { validator, output } = lowest as { validator: ReplicaId; output: Uint8Array };
  return { epoch, previous, shares, winner: validator, value: combine(epoch, previous, output) };
}

/** B_e = H(e, B_{e-1}, lowest output). Exported for the benchmark's bias measurement. */
export function combine(epoch: number, previous: Digest, lowestOutput: Uint8Array): Digest {
  const w = new ByteWriter();
  writeU64(w, epoch);
  return hashTagged("beacon", w.finish(), previous, lowestOutput);
}
