/**
 * The BN254 scalar field Fr, the field every circuit computes in (PROTOCOL.md §0).
 * Elements are bigints in [0, r); `fe` is their only byte encoding.
 */
import { bigintToBytesBE, bytesToBigintBE } from "../codec/bytes.ts";
import { ProtocolError } from "./errors.ts";

export const FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** An element of Fr: a bigint checked to lie in [0, r). */
export type Fr = bigint & { readonly __fr: unique symbol };

export function isFr(value: bigint): value is Fr {
  return value >= 0n && value < FR_MODULUS;
}

export function toFr(value: bigint, what = "field element"): Fr {
  if (!isFr(value)) {
    throw new ProtocolError("field_out_of_range", `${what} is not below the field modulus`);
  }
  return value;
}

/** Reduces any non-negative integer into Fr (used only on uniform hash outputs). */
export function reduceToFr(value: bigint): Fr {
  return (value % FR_MODULUS) as Fr;
}

/** `fe(x)`: 32 bytes big-endian. */
export function frToBytes(value: Fr): Uint8Array {
  return bigintToBytesBE(value, 32);
}

/** Strict inverse of `frToBytes`: exactly 32 bytes and a value below r. */
export function frFromBytes(bytes: Uint8Array, what = "field element"): Fr {
  if (bytes.length !== 32) {
    throw new ProtocolError("bad_length", `${what} must be 32 bytes`);
  }
  return toFr(bytesToBigintBE(bytes), what);
}
