/**
 * ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381 §5, suite 0x03) over the validators'
 * ed25519 keys: the secret key is the RFC 8032 seed, the public key the
 * ed25519 public key. The random beacon (CONSENSUS.md §8) uses it because its
 * output is unique per (key, input): a validator can reveal or withhold its
 * output, never choose another one.
 *
 * Decoding is strict (CONSENSUS.md §8.1): points must decode canonically
 * (RFC 8032 §5.1.3), the public key and Gamma must lie in the prime-order
 * subgroup (stronger than RFC 9381 §5.4.5 validate_key, which only refuses
 * small order; honest keys and proofs always pass), scalars must be < L, and a
 * proof is exactly 80 bytes.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concatBytes } from "../codec/bytes.ts";

export const VRF_PROOF_BYTES = 80;
export const VRF_OUTPUT_BYTES = 64;
export const VRF_KEY_BYTES = 32;

const Point = ed25519.Point;
type EdPoint = InstanceType<typeof Point>;
/** L, the order of the prime-order subgroup. */
const L = Point.Fn.ORDER;
const SUITE = 0x03;
const C_LEN = 16;
const PT_LEN = 32;
const Q_LEN = 32;

interface DecodedProof {
  readonly gamma: EdPoint;
  readonly c: bigint;
  readonly s: bigint;
}

function decodePoint(bytes: Uint8Array): EdPoint | undefined {
  try {
    // zip215 = false: RFC 8032 §5.1.3 decoding (y < p, no negative zero).
    return Point.fromBytes(bytes, false);
  } catch {
    return undefined;
  }
}

function decodeSubgroupPoint(bytes: Uint8Array): EdPoint | undefined {
  const p = decodePoint(bytes);
  return p !== undefined && !p.is0() && p.isTorsionFree() ? p : undefined;
}

/** RFC 9381 §5.4.1.1 encode_to_curve_try_and_increment. */
function encodeToCurve(publicKey: Uint8Array, alpha: Uint8Array): EdPoint {
  const buf = new Uint8Array(2 + PT_LEN + alpha.length + 2);
  buf[0] = SUITE;
  buf[1] = 0x01;
  buf.set(publicKey, 2);
  buf.set(alpha, 2 + PT_LEN);
  for (let ctr = 0; ctr < 256; ctr++) {
    buf[buf.length - 2] = ctr;
    const h = decodePoint(sha512(buf).subarray(0, PT_LEN));
    if (h !== undefined) {
      return h.clearCofactor();
    }
  }
  // Each attempt fails with probability about 1/2: 256 failures do not happen.
  throw new Error("encode_to_curve: no valid point");
}

/** RFC 9381 §5.4.3 challenge_generation over Y, H, Gamma, U, V. */
function challenge(points: readonly EdPoint[]): bigint {
  const buf = new Uint8Array(2 + points.length * PT_LEN + 1);
  buf[0] = SUITE;
  buf[1] = 0x02;
  points.forEach((p, i) => {
    buf.set(p.toBytes(), 2 + i * PT_LEN);
  });
  return bytesToNumberLE(sha512(buf).subarray(0, C_LEN));
}

function decodeProof(pi: Uint8Array): DecodedProof | undefined {
  if (pi.length !== VRF_PROOF_BYTES) {
    return undefined;
  }
  const gamma = decodeSubgroupPoint(pi.subarray(0, PT_LEN));
  const s = bytesToNumberLE(pi.subarray(PT_LEN + C_LEN));
  if (gamma === undefined || s >= L) {
    return undefined;
  }
  return { gamma, c: bytesToNumberLE(pi.subarray(PT_LEN, PT_LEN + C_LEN)), s };
}

function hashGamma(gamma: EdPoint): Uint8Array {
  const buf = new Uint8Array(2 + PT_LEN + 1);
  buf[0] = SUITE;
  buf[1] = 0x03;
  buf.set(gamma.clearCofactor().toBytes(), 2);
  return sha512(buf);
}

/** RFC 9381 §5.1 ECVRF_prove: the 80-byte proof pi = Gamma || c || s for `alpha`. */
export function vrfProve(secretKey: Uint8Array, alpha: Uint8Array): Uint8Array {
  if (secretKey.length !== VRF_KEY_BYTES) {
    throw new RangeError("VRF secret key must be 32 bytes");
  }
  // RFC 9381 §5.1 step 1 and §5.4.2.2: x and the nonce prefix from the RFC 8032 expansion.
  const { prefix, scalar: x, point: y } = ed25519.utils.getExtendedPublicKey(secretKey);
  const h = encodeToCurve(y.toBytes(), alpha);
  const hBytes = h.toBytes();
  const k = bytesToNumberLE(sha512(concatBytes(prefix, hBytes))) % L;
  const gamma = h.multiply(x);
  const c = challenge([y, h, gamma, Point.BASE.multiply(k), h.multiply(k)]);
  const s = (k + c * x) % L;
  return concatBytes(gamma.toBytes(), numberToBytesLE(c, C_LEN), numberToBytesLE(s, Q_LEN));
}

/** RFC 9381 §5.2 ECVRF_proof_to_hash: beta, or undefined for a proof that does not decode. */
export function vrfProofToHash(pi: Uint8Array): Uint8Array | undefined {
  const proof = decodeProof(pi);
  return proof === undefined ? undefined : hashGamma(proof.gamma);
}

/** RFC 9381 §5.3 ECVRF_verify with validate_key: beta if pi proves `alpha` under `publicKey`, else undefined. */
export function vrfVerify(publicKey: Uint8Array, alpha: Uint8Array, pi: Uint8Array): Uint8Array | undefined {
  if (publicKey.length !== VRF_KEY_BYTES) {
    return undefined;
  }
  const y = decodeSubgroupPoint(publicKey);
  const proof = decodeProof(pi);
  if (y === undefined || proof === undefined) {
    return undefined;
  }
  const { gamma, c, s } = proof;
  const h = encodeToCurve(publicKey, alpha);
  // U = s*B - c*Y, V = s*H - c*Gamma; public values, so the variable-time multiply is fine.
  const u = Point.BASE.multiplyUnsafe(s).subtract(y.multiplyUnsafe(c));
  const v = h.multiplyUnsafe(s).subtract(gamma.multiplyUnsafe(c));
  return challenge([y, h, gamma, u, v]) === c ? hashGamma(gamma) : undefined;
}
