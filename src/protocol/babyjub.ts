/**
 * BabyJubjub (ERC-2494; circomlib's babyjub.circom), the curve the circuits do
 * scalar multiplication on. Points cross the boundary only through
 * `decodePoint`, which refuses anything but canonical, prime-order-subgroup,
 * non-identity points (PROTOCOL.md §0, §3.3).
 */
import { babyjubjub } from "@noble/curves/misc.js";
import { ProtocolError } from "./errors.ts";
import { FR_MODULUS, type Fr } from "./field.ts";

const Point = babyjubjub.Point;
export type BabyjubPoint = InstanceType<typeof Point>;

/** Order l of the prime-order subgroup. */
export const SUBGROUP_ORDER: bigint = Point.Fn.ORDER;

/** circomlib's Base8, the generator G of the subgroup. */
export const GENERATOR: BabyjubPoint = Point.BASE;

/** The identity: owner of an opened output (PROTOCOL.md §10.3), which no spend accepts. */
export const IDENTITY: BabyjubPoint = Point.ZERO;

if (Point.Fp.ORDER !== FR_MODULUS) {
  throw new Error("BabyJubjub must be defined over BN254's Fr");
}

/** `scalar·P` for any non-negative scalar; reduced mod l since every point here is in the subgroup. */
export function multiply(point: BabyjubPoint, scalar: bigint): BabyjubPoint {
  const k = scalar % SUBGROUP_ORDER;
  if (k === 0n) {
    throw new ProtocolError("invalid_scalar", "scalar is zero modulo the subgroup order");
  }
  return point.multiply(k);
}

/** `pt(P)`: y little-endian, parity of x in the top bit (RFC 8032 §5.1.2 layout). */
export function encodePoint(point: BabyjubPoint): Uint8Array {
  return point.toBytes();
}

/**
 * A point from bytes `decodePoint` already accepted once (kept in chain state):
 * parsed again, its subgroup check (a scalar multiplication) not repeated.
 */
export function decodeAcceptedPoint(bytes: Uint8Array): BabyjubPoint {
  return Point.fromBytes(bytes);
}

export function decodePoint(bytes: Uint8Array, what = "point"): BabyjubPoint {
  if (bytes.length !== 32) {
    throw new ProtocolError("bad_length", `${what} must be 32 bytes`);
  }
  let point: BabyjubPoint;
  try {
    point = Point.fromBytes(bytes);
  } catch {
    throw new ProtocolError("invalid_point", `${what} is not a canonical BabyJubjub point`);
  }
  if (point.is0() || !point.isTorsionFree()) {
    throw new ProtocolError("invalid_point", `${what} is the identity or outside the prime-order subgroup`);
  }
  // Canonical: the decoder accepts exactly the bytes the encoder produces.
  const again = point.toBytes();
  for (let i = 0; i < 32; i++) {
    if (again[i] !== bytes[i]) {
      throw new ProtocolError("invalid_point", `${what} is not canonically encoded`);
    }
  }
  return point;
}

export function affine(point: BabyjubPoint): { x: Fr; y: Fr } {
  const { x, y } = point.toAffine();
  return { x: x as Fr, y: y as Fr };
}
