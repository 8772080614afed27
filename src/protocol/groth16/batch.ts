/**
 * Batch verification of many Groth16 proofs under one key, with a random
 * linear combination: the small-exponents test of Bellare, Garay and Rabin
 * ("Fast batch verification for modular exponentiation and digital
 * signatures", EUROCRYPT 1998), in the form of bellman's Groth16 batch
 * verifier used by Zcash. With fresh random rᵢ ∈ [1, 2^128]:
 *
 *   ∏ e(rᵢ·Aᵢ, Bᵢ) · e(Σ rᵢ·vk_xᵢ, −γ) · e(Σ rᵢ·Cᵢ, −δ) = e(α, β)^(Σ rᵢ)
 *
 * Why it is sound: let zᵢ = e(Aᵢ, Bᵢ)·e(vk_xᵢ, −γ)·e(Cᵢ, −δ)·e(α, β)⁻¹ ∈ GT,
 * so proof i verifies iff zᵢ = 1, and the batch equation is ∏ zᵢ^rᵢ = 1
 * (bilinearity; the points are in G1 and G2 because the decoders checked
 * them). If some zⱼ ≠ 1 it has order r, GT being cyclic of prime order r.
 * Fix every rᵢ but rⱼ: at most one residue of rⱼ mod r satisfies the
 * equation, and rⱼ is uniform over 2^128 distinct residues (2^128 < r), so a
 * batch holding an invalid proof passes with probability at most 2^−128. The
 * rᵢ are drawn after the batch is fixed and never leave this function.
 *
 * Cost: per proof one 128-bit G1 multiplication and B's lines, made and
 * evaluated as the loop goes; per batch one MSM for Σ rᵢ·Cᵢ, ONE fixed-base MSM for the inputs
 * (Σ rᵢ·vk_xᵢ = (Σ rᵢ)·IC₀ + Σⱼ (Σᵢ rᵢ·xᵢⱼ)·ICⱼ: the input MSM is folded across
 * the batch), two more line evaluations, one cyclotomic power and ONE final
 * exponentiation. A false result says some proof is invalid, not which one:
 * callers that need to know fall back to `verify` per proof.
 *
 * The work runs in chunks of `chunkSize` proofs with a macrotask yield
 * between chunks, so a large batch does not hold the isolate.
 */
import { R } from "./bn254.ts";
import { finalExponentiation } from "./final-exponentiation.ts";
import { FP12_ONE, fp12CyclotomicPow, fp12Eq, fp12Mul } from "./fp12.ts";
import { fixedBaseMsm, G1_INFINITY, type G1Jacobian, g1Add, g1Mul, g1ToAffine, g1ToAffineBatch, msm } from "./g1.ts";
import { type MillerPair, millerLoop } from "./miller-loop.ts";
import type { PreparedVerifyingKey } from "./prepared-key.ts";
import type { Proof } from "./proof.ts";
import { checkPublicInputs } from "./public-inputs.ts";
import { yieldToEventLoop } from "./yield.ts";

export type BatchItem = { readonly proof: Proof; readonly publicInputs: readonly bigint[] };

export type BatchOptions = {
  /** Proofs per synchronous stretch of work; default 16 (~50 ms on a 2-core test machine). */
  readonly chunkSize?: number;
  /** Source of the randomizers: returns `length` uniformly random bytes. Default: crypto.getRandomValues. */
  readonly random?: (length: number) => Uint8Array;
};

const RANDOMIZER_BYTES = 16;
const RANDOMIZER_BITS = 8 * RANDOMIZER_BYTES + 1; // rᵢ ≤ 2^128

function cryptoRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** rᵢ = 1 + (128 random bits): uniform on [1, 2^128], never 0 mod r. */
function drawRandomizer(random: (length: number) => Uint8Array): bigint {
  const bytes = random(RANDOMIZER_BYTES);
  if (!(bytes instanceof Uint8Array) || bytes.length !== RANDOMIZER_BYTES) {
    throw new TypeError(`random(${RANDOMIZER_BYTES}) must return ${RANDOMIZER_BYTES} bytes`);
  }
  let v = 0n;
  for (const b of bytes) {
    v = (v << 8n) | BigInt(b);
  }
  return v + 1n;
}

/**
 * True iff every proof verifies (up to the 2^−128 error above); true for an
 * empty batch. Throws Groth16Error if some item's public inputs are malformed,
 * before doing any pairing work.
 */
export async function verifyBatch(
  pvk: PreparedVerifyingKey,
  items: readonly BatchItem[],
  options: BatchOptions = {},
): Promise<boolean> {
  const chunkSize = options.chunkSize ?? 16;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError("chunkSize must be a positive integer");
  }
  const random = options.random ?? cryptoRandom;

  // Fix the batch and draw every rᵢ before the first await: nothing can change underneath.
  const batch = [...items];
  batch.forEach((item, i) => {
    checkPublicInputs(item.publicInputs, pvk.publicInputCount, `batch item ${i}`);
  });
  if (batch.length === 0) {
    return true;
  }
  const rs = batch.map(() => drawRandomizer(random));

  // Scalars of the folded input MSM: (Σ rᵢ, Σ rᵢ·xᵢ₁, ..., Σ rᵢ·xᵢₙ) mod r.
  const icScalars: bigint[] = new Array(pvk.publicInputCount + 1).fill(0n);
  let rSum = 0n;
  batch.forEach((item, i) => {
    const r = rs[i] as bigint;
    rSum += r;
    item.publicInputs.forEach((x, j) => {
      icScalars[j + 1] = ((icScalars[j + 1] as bigint) + r * x) % R;
    });
  });
  icScalars[0] = rSum % R;

  let f = FP12_ONE;
  let cSum: G1Jacobian = G1_INFINITY;
  for (let start = 0; start < batch.length; start += chunkSize) {
    if (start > 0) {
      await yieldToEventLoop();
    }
    const chunk = batch.slice(start, start + chunkSize);
    const chunkRs = rs.slice(start, start + chunkSize);
    // rᵢ·Aᵢ is never the identity: Aᵢ ≠ O has prime order r and 0 < rᵢ < r.
    const rAs = g1ToAffineBatch(chunk.map((item, k) => g1Mul(item.proof.a, chunkRs[k] as bigint)));
    const pairs = chunk.map((item, k): MillerPair => {
      const rA = rAs[k];
      if (rA === undefined) {
        throw new Error("unreachable: r·A is the identity");
      }
      return { point: item.proof.b, x: rA.x, y: rA.y };
    });
    f = fp12Mul(f, millerLoop(pairs));
    cSum = g1Add(
      cSum,
      msm(
        chunk.map((item) => item.proof.c),
        chunkRs,
        RANDOMIZER_BITS,
      ),
    );
  }

  // As in verify.ts, a sum that is the identity contributes a pairing of 1.
  const tail: MillerPair[] = [];
  const vkX = g1ToAffine(fixedBaseMsm(pvk.icTables, icScalars));
  if (vkX !== undefined) {
    tail.push({ lines: pvk.negGammaLines, x: vkX.x, y: vkX.y });
  }
  const c = g1ToAffine(cSum);
  if (c !== undefined) {
    tail.push({ lines: pvk.negDeltaLines, x: c.x, y: c.y });
  }
  f = fp12Mul(f, millerLoop(tail));
  return fp12Eq(finalExponentiation(f), fp12CyclotomicPow(pvk.alphaBeta, rSum));
}
