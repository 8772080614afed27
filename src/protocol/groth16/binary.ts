/**
 * The canonical binary encoding of Groth16 keys, proofs and public inputs,
 * used in transactions and hashed: exactly one byte string per value.
 *
 *   Fp, Fr element   32 bytes, big-endian, < p (coordinates) or < r (inputs)
 *   G1 point         x ‖ y                                  64 bytes
 *   G2 point         x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0              128 bytes
 *                    (imaginary part first: EIP-197's order, which is also
 *                    snarkjs's Solidity calldata; snarkjs JSON is the reverse)
 *   proof            A ‖ B ‖ C                              256 bytes
 *   verifying key    n (u32) ‖ α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ  452 + 64·(n + 1) bytes
 *   public inputs    x₁ ‖ … ‖ xₙ                            32·n bytes, n from the key
 *
 * The point at infinity has no encoding: all-zero bytes (EIP-196's spelling
 * of it) are refused as such. Lengths are exact: short or trailing bytes are
 * refused before any point is looked at.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { R } from "./bn254.ts";
import { Groth16Error, type Groth16Source } from "./errors.ts";
import type { Fp2 } from "./fp2.ts";
import type { G2Affine } from "./g2.ts";
import type { G1Affine } from "./points.ts";
import { checkProof, type Proof } from "./proof.ts";
import { checkVerifyingKey, MAX_PUBLIC_INPUTS, type VerifyingKey } from "./verifying-key.ts";

export const FIELD_BYTES = 32;
export const G1_BYTES = 2 * FIELD_BYTES;
export const G2_BYTES = 4 * FIELD_BYTES;
export const PROOF_BYTES = 2 * G1_BYTES + G2_BYTES;
const VK_FIXED_BYTES = 4 + G1_BYTES + 3 * G2_BYTES;

export function verifyingKeyBytesLength(publicInputs: number): number {
  return VK_FIXED_BYTES + G1_BYTES * (publicInputs + 1);
}

function writeG1(w: ByteWriter, p: G1Affine): void {
  w.uint(p.x, FIELD_BYTES).uint(p.y, FIELD_BYTES);
}

function writeG2(w: ByteWriter, p: G2Affine): void {
  w.uint(p.x.c1, FIELD_BYTES).uint(p.x.c0, FIELD_BYTES).uint(p.y.c1, FIELD_BYTES).uint(p.y.c0, FIELD_BYTES);
}

// Coordinates are read as plain integers; range, identity and curve checks are points.ts's job.
function readG1(r: ByteReader, what: string): { x: bigint; y: bigint } {
  const x = r.uint(FIELD_BYTES, what);
  return { x, y: r.uint(FIELD_BYTES, what) };
}

function readG2(r: ByteReader, what: string): { x: Fp2; y: Fp2 } {
  const x1 = r.uint(FIELD_BYTES, what);
  const x0 = r.uint(FIELD_BYTES, what);
  const y1 = r.uint(FIELD_BYTES, what);
  const y0 = r.uint(FIELD_BYTES, what);
  return { x: { c0: x0, c1: x1 }, y: { c0: y0, c1: y1 } };
}

function wrongLength(source: Groth16Source, what: string, expected: number, got: number): Groth16Error {
  return new Groth16Error(`${source}_wrong_length`, `${what}: expected ${expected} bytes, got ${got}`);
}

export function encodeProof(proof: Proof): Uint8Array {
  const w = new ByteWriter();
  writeG1(w, proof.a);
  writeG2(w, proof.b);
  writeG1(w, proof.c);
  return w.finish();
}

export function decodeProof(bytes: Uint8Array): Proof {
  if (bytes.length !== PROOF_BYTES) {
    throw wrongLength("proof", "proof", PROOF_BYTES, bytes.length);
  }
  const r = new ByteReader(bytes);
  const a = readG1(r, "proof.A");
  const b = readG2(r, "proof.B");
  const c = readG1(r, "proof.C");
  r.finish("proof");
  return checkProof({ a, b, c });
}

export function encodeVerifyingKey(vk: VerifyingKey): Uint8Array {
  const w = new ByteWriter().u32(vk.ic.length - 1);
  writeG1(w, vk.alpha);
  writeG2(w, vk.beta);
  writeG2(w, vk.gamma);
  writeG2(w, vk.delta);
  for (const p of vk.ic) {
    writeG1(w, p);
  }
  return w.finish();
}

export function decodeVerifyingKey(bytes: Uint8Array): VerifyingKey {
  if (bytes.length < VK_FIXED_BYTES) {
    throw wrongLength("vk", "vk", VK_FIXED_BYTES + G1_BYTES, bytes.length);
  }
  const r = new ByteReader(bytes);
  const n = r.u32("vk.n");
  if (n > MAX_PUBLIC_INPUTS) {
    throw new Groth16Error("vk_malformed", `vk: ${n} public inputs, at most ${MAX_PUBLIC_INPUTS}`);
  }
  const expected = verifyingKeyBytesLength(n);
  if (bytes.length !== expected) {
    throw wrongLength("vk", "vk", expected, bytes.length);
  }
  const alpha = readG1(r, "vk.alpha");
  const beta = readG2(r, "vk.beta");
  const gamma = readG2(r, "vk.gamma");
  const delta = readG2(r, "vk.delta");
  const ic = Array.from({ length: n + 1 }, (_, i) => readG1(r, `vk.IC[${i}]`));
  r.finish("vk");
  return checkVerifyingKey({ alpha, beta, gamma, delta, ic });
}

export function encodePublicInputs(inputs: readonly bigint[]): Uint8Array {
  const w = new ByteWriter();
  for (const x of inputs) {
    if (x < 0n || x >= R) {
      throw new RangeError("public input not in [0, r)");
    }
    w.uint(x, FIELD_BYTES);
  }
  return w.finish();
}

/** Exactly `count` 32-byte big-endian values, each < r. */
export function decodePublicInputs(bytes: Uint8Array, count: number): bigint[] {
  if (bytes.length !== FIELD_BYTES * count) {
    throw new Groth16Error(
      "wrong_public_input_count",
      `public inputs: expected ${count} × ${FIELD_BYTES} bytes, got ${bytes.length}`,
    );
  }
  const r = new ByteReader(bytes);
  return Array.from({ length: count }, (_, i) => {
    const x = r.uint(FIELD_BYTES, `public input ${i}`);
    if (x >= R) {
      throw new Groth16Error("public_input_out_of_range", `public input ${i} is not below r`);
    }
    return x;
  });
}
