/**
 * Groth16 verification (Groth, "On the size of pairing-based non-interactive
 * arguments", EUROCRYPT 2016, §3.2): accept (A, B, C) for public inputs
 * x₁..xₙ iff
 *
 *   e(A, B) = e(α, β) · e(vk_x, γ) · e(C, δ),   vk_x = IC₀ + Σ xᵢ·ICᵢ.
 *
 * Computed as FE(ML(A, B) · ML(vk_x, −γ) · ML(C, −δ)) = e(α, β): three Miller
 * loops sharing one accumulator, two of them over the key's cached lines, one
 * final exponentiation, and a comparison with the cached e(α, β)
 * (prepared-key.ts). The proof's points were checked when it was decoded
 * (proof.ts); public inputs are checked here.
 */
import { finalExponentiation } from "./final-exponentiation.ts";
import { fp12Eq } from "./fp12.ts";
import { fixedBaseMsm, g1ToAffine } from "./g1.ts";
import { type MillerPair, millerLoop } from "./miller-loop.ts";
import type { PreparedVerifyingKey } from "./prepared-key.ts";
import type { Proof } from "./proof.ts";
import { checkPublicInputs } from "./public-inputs.ts";

/**
 * True iff the proof verifies. Throws Groth16Error if the public inputs are
 * not exactly the key's count of values in [0, r).
 */
export function verify(pvk: PreparedVerifyingKey, proof: Proof, publicInputs: readonly bigint[]): boolean {
  checkPublicInputs(publicInputs, pvk.publicInputCount);
  const pairs: MillerPair[] = [
    { point: proof.b, x: proof.a.x, y: proof.a.y },
    { lines: pvk.negDeltaLines, x: proof.c.x, y: proof.c.y },
  ];
  // vk_x is the identity only for inputs that cancel IC₀, found by nobody without
  // the setup's trapdoor; its pairing is then 1, so the pair is left out.
  const vkX = g1ToAffine(fixedBaseMsm(pvk.icTables, [1n, ...publicInputs]));
  if (vkX !== undefined) {
    pairs.push({ lines: pvk.negGammaLines, x: vkX.x, y: vkX.y });
  }
  return fp12Eq(finalExponentiation(millerLoop(pairs)), pvk.alphaBeta);
}
