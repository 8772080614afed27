/**
 * A Groth16 verification key (Groth 2016, §3.2): α ∈ G1; β, γ, δ ∈ G2; and
 * IC_0..IC_n ∈ G1 with IC_i = [(β·u_i(τ) + α·v_i(τ) + w_i(τ))/γ]₁ for the
 * constant 1 (i = 0) and the n public inputs. snarkjs calls IC "IC" and the
 * others vk_alpha_1, vk_beta_2, vk_gamma_2, vk_delta_2.
 *
 * Checked like a proof (points.ts), and more: an IC point at infinity would
 * leave its public input unbound by the proof (any value would verify), so it
 * is refused as a broken key. snarkjs's setup never produces one.
 */
import { Groth16Error } from "./errors.ts";
import type { Fp2 } from "./fp2.ts";
import type { G2Affine } from "./g2.ts";
import { checkG1, checkG2, type G1Affine } from "./points.ts";

/** Far above any circuit we run; bounds the work a hostile key can ask for. */
export const MAX_PUBLIC_INPUTS = 1024;

declare const checkedKey: unique symbol;

export type VerifyingKey = {
  readonly alpha: G1Affine;
  readonly beta: G2Affine;
  readonly gamma: G2Affine;
  readonly delta: G2Affine;
  /** IC_0 (the constant term) then one point per public input. */
  readonly ic: readonly G1Affine[];
  readonly [checkedKey]: true;
};

type G1Coordinates = { readonly x: bigint; readonly y: bigint };
type G2Coordinates = { readonly x: Fp2; readonly y: Fp2 };

export type VerifyingKeyCoordinates = {
  readonly alpha: G1Coordinates;
  readonly beta: G2Coordinates;
  readonly gamma: G2Coordinates;
  readonly delta: G2Coordinates;
  readonly ic: readonly G1Coordinates[];
};

export function checkVerifyingKey(raw: VerifyingKeyCoordinates): VerifyingKey {
  const inputs = raw.ic.length - 1;
  if (inputs < 0 || inputs > MAX_PUBLIC_INPUTS) {
    throw new Groth16Error("vk_malformed", `vk: ${raw.ic.length} IC points, expected 1 to ${MAX_PUBLIC_INPUTS + 1}`);
  }
  const key: Omit<VerifyingKey, typeof checkedKey> = {
    alpha: checkG1(raw.alpha.x, raw.alpha.y, "vk", "vk.alpha"),
    beta: checkG2(raw.beta.x, raw.beta.y, "vk", "vk.beta"),
    gamma: checkG2(raw.gamma.x, raw.gamma.y, "vk", "vk.gamma"),
    delta: checkG2(raw.delta.x, raw.delta.y, "vk", "vk.delta"),
    ic: raw.ic.map((p, i) => checkG1(p.x, p.y, "vk", `vk.IC[${i}]`)),
  };
  return key as VerifyingKey;
}

/** The number of public inputs the key expects. */
export function publicInputCount(vk: VerifyingKey): number {
  return vk.ic.length - 1;
}
