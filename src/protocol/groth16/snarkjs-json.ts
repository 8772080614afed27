/**
 * Decoders for snarkjs's JSON: `verification_key.json`, `proof.json` and
 * `public.json` as written by `snarkjs groth16 prove` / `zkey export
 * verificationkey` (or returned by `groth16.fullProve`).
 *
 * Conventions (snarkjs 0.7, ffjavascript): numbers are decimal strings; a G1
 * point is ["x", "y", "1"]; a G2 point is [["x.c0", "x.c1"], ["y.c0",
 * "y.c1"], ["1", "0"]], real part first (EVM calldata is the reverse). The
 * identity is ["0", "1", "0"] (G2: [["0","0"], ["1","0"], ["0","0"]]).
 *
 * Stricter than snarkjs, on purpose (snarkjs reduces coordinates ≥ p, accepts
 * any projective z, the identity, and on-curve G2 points outside G2): every
 * number must be canonical decimal (no sign, no leading zeros, at most 78
 * digits), every point affine with z = 1, and then points.ts applies. Keys
 * other than the ones read are ignored (snarkjs adds `vk_alphabeta_12`).
 */
import { R } from "./bn254.ts";
import { Groth16Error, type Groth16Source } from "./errors.ts";
import type { Fp2 } from "./fp2.ts";
import { checkProof, type Proof } from "./proof.ts";
import { checkVerifyingKey, MAX_PUBLIC_INPUTS, type VerifyingKey } from "./verifying-key.ts";

const DECIMAL = /^(?:0|[1-9][0-9]{0,77})$/;

type Coordinates1 = { x: bigint; y: bigint };
type Coordinates2 = { x: Fp2; y: Fp2 };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function malformed(source: Groth16Source, message: string): Groth16Error {
  return new Groth16Error(`${source}_malformed`, message);
}

function decimal(v: unknown, source: Groth16Source, what: string): bigint {
  if (typeof v !== "string" || !DECIMAL.test(v)) {
    throw malformed(source, `${what}: not a canonical decimal string`);
  }
  return BigInt(v);
}

function tuple(v: unknown, length: number, source: Groth16Source, what: string): unknown[] {
  if (!Array.isArray(v) || v.length !== length) {
    throw malformed(source, `${what}: expected an array of ${length}`);
  }
  return v;
}

function g1(v: unknown, source: Groth16Source, what: string): Coordinates1 {
  const [x, y, z] = tuple(v, 3, source, what).map((c, i) => decimal(c, source, `${what}[${i}]`));
  if (z === 0n && x === 0n && y === 1n) {
    throw new Groth16Error(`${source}_point_at_infinity`, `${what}: point at infinity`);
  }
  if (z !== 1n) {
    throw malformed(source, `${what}: z must be "1" (affine)`);
  }
  return { x: x as bigint, y: y as bigint };
}

function fp2Json(v: unknown, source: Groth16Source, what: string): Fp2 {
  const [c0, c1] = tuple(v, 2, source, what).map((c, i) => decimal(c, source, `${what}[${i}]`));
  return { c0: c0 as bigint, c1: c1 as bigint };
}

function g2(v: unknown, source: Groth16Source, what: string): Coordinates2 {
  const [x, y, z] = tuple(v, 3, source, what).map((c, i) => fp2Json(c, source, `${what}[${i}]`)) as [Fp2, Fp2, Fp2];
  const zIs = (c0: bigint, c1: bigint) => z.c0 === c0 && z.c1 === c1;
  if (zIs(0n, 0n) && x.c0 === 0n && x.c1 === 0n && y.c0 === 1n && y.c1 === 0n) {
    throw new Groth16Error(`${source}_point_at_infinity`, `${what}: point at infinity`);
  }
  if (!zIs(1n, 0n)) {
    throw malformed(source, `${what}: z must be ["1", "0"] (affine)`);
  }
  return { x, y };
}

/** A snarkjs `verification_key.json` for groth16 on bn128. */
export function verifyingKeyFromSnarkjs(json: unknown): VerifyingKey {
  if (!isRecord(json)) {
    throw malformed("vk", "vk: expected a JSON object");
  }
  if (json.protocol !== "groth16" || json.curve !== "bn128") {
    throw new Groth16Error("vk_unsupported", 'vk: only protocol "groth16" on curve "bn128" is supported');
  }
  const ic = json.IC;
  if (!Array.isArray(ic) || ic.length < 1 || ic.length > MAX_PUBLIC_INPUTS + 1) {
    throw malformed("vk", `vk.IC: expected 1 to ${MAX_PUBLIC_INPUTS + 1} points`);
  }
  if (json.nPublic !== ic.length - 1) {
    throw malformed("vk", "vk.nPublic does not match the number of IC points");
  }
  return checkVerifyingKey({
    alpha: g1(json.vk_alpha_1, "vk", "vk.vk_alpha_1"),
    beta: g2(json.vk_beta_2, "vk", "vk.vk_beta_2"),
    gamma: g2(json.vk_gamma_2, "vk", "vk.vk_gamma_2"),
    delta: g2(json.vk_delta_2, "vk", "vk.vk_delta_2"),
    ic: ic.map((p, i) => g1(p, "vk", `vk.IC[${i}]`)),
  });
}

/** A snarkjs `proof.json` (pi_a, pi_b, pi_c; `protocol` and `curve` checked when present). */
export function proofFromSnarkjs(json: unknown): Proof {
  if (!isRecord(json)) {
    throw malformed("proof", "proof: expected a JSON object");
  }
  if (json.protocol !== undefined && json.protocol !== "groth16") {
    throw malformed("proof", 'proof.protocol is not "groth16"');
  }
  if (json.curve !== undefined && json.curve !== "bn128") {
    throw malformed("proof", 'proof.curve is not "bn128"');
  }
  return checkProof({
    a: g1(json.pi_a, "proof", "proof.pi_a"),
    b: g2(json.pi_b, "proof", "proof.pi_b"),
    c: g1(json.pi_c, "proof", "proof.pi_c"),
  });
}

/** A snarkjs `public.json`: decimal strings, each in [0, r). The count is checked against the key by `verify`. */
export function publicSignalsFromSnarkjs(json: unknown): bigint[] {
  if (!Array.isArray(json)) {
    throw new Groth16Error("public_input_malformed", "public signals: expected an array");
  }
  if (json.length > MAX_PUBLIC_INPUTS) {
    throw new Groth16Error("wrong_public_input_count", `public signals: more than ${MAX_PUBLIC_INPUTS}`);
  }
  return json.map((v, i) => {
    if (typeof v !== "string" || !DECIMAL.test(v)) {
      throw new Groth16Error("public_input_malformed", `public signal ${i}: not a canonical decimal string`);
    }
    const x = BigInt(v);
    if (x >= R) {
      throw new Groth16Error("public_input_out_of_range", `public signal ${i} is not below r`);
    }
    return x;
  });
}
