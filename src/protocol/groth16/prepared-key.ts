/**
 * A verification key prepared for repeated verification: everything that
 * depends on the key alone is computed once.
 *
 *  - Lines of −γ and −δ for the Miller loop (miller-loop.ts): the per-proof
 *    work for these two pairs drops to evaluating ~90 lines each.
 *  - e(α, β) in GT. The check e(A, B)·e(vk_x, −γ)·e(C, −δ) = e(α, β) then
 *    needs three Miller loops, not four. Folding (α, −β) into the loop instead
 *    would cost a fourth line evaluation per verification (~0.7 ms); comparing
 *    with the cached value costs nothing. The batch verifier needs
 *    e(α, β)^(Σ rᵢ) with Σ rᵢ < 2^135: ~135 cyclotomic squarings once per
 *    batch, cheaper than the G1 multiplication plus loop a fourth pair would
 *    need. So β's lines are not kept.
 *  - Fixed-base tables for IC_0..IC_n (g1.ts), so vk_x = IC_0 + Σ xᵢ·IC_i
 *    costs ~33 additions per public input.
 *
 * Preparing costs ~25 ms and ~0.5 MB of tables per IC point, plus ~5 ms.
 */
import { finalExponentiation } from "./final-exponentiation.ts";
import type { Fp12 } from "./fp12.ts";
import { type FixedBaseTable, fixedBaseTable } from "./g1.ts";
import { g2Negate } from "./g2.ts";
import { type G2Lines, g2Lines, millerLoop } from "./miller-loop.ts";
import type { VerifyingKey } from "./verifying-key.ts";

export type PreparedVerifyingKey = {
  readonly vk: VerifyingKey;
  readonly publicInputCount: number;
  /** e(α, β). */
  readonly alphaBeta: Fp12;
  readonly negGammaLines: G2Lines;
  readonly negDeltaLines: G2Lines;
  readonly icTables: readonly FixedBaseTable[];
};

export function prepareVerifyingKey(vk: VerifyingKey): PreparedVerifyingKey {
  return {
    vk,
    publicInputCount: vk.ic.length - 1,
    alphaBeta: finalExponentiation(millerLoop([{ lines: g2Lines(vk.beta), x: vk.alpha.x, y: vk.alpha.y }])),
    negGammaLines: g2Lines(g2Negate(vk.gamma)),
    negDeltaLines: g2Lines(g2Negate(vk.delta)),
    icTables: vk.ic.map(fixedBaseTable),
  };
}
