/**
 * Keys and proofs made from known discrete logs, independent of snarkjs: with
 * α = [a]₁, β = [b]₂, γ = [g]₂, δ = [d]₂, ICᵢ = [uᵢ]₁, A = [s]₁, B = [t]₂,
 * the Groth16 equation holds iff s·t = a·b + (u₀ + Σ xᵢuᵢ)·g + c·d (mod r),
 * so choosing C = [c]₁ with c = (s·t − a·b − v·g)/d makes a valid proof for any
 * statement. This reaches shapes the fixture does not: no public inputs,
 * many public inputs, and vk_x at infinity.
 */
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { R } from "../../src/protocol/groth16/bn254.ts";
import { fixedBaseMsm, g1ToAffine } from "../../src/protocol/groth16/g1.ts";
import {
  decodeProof,
  decodeVerifyingKey,
  prepareVerifyingKey,
  verify,
  verifyBatch,
} from "../../src/protocol/groth16/index.ts";

const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const Fr = bn254.fields.Fr;

const hex = (v: bigint) => v.toString(16).padStart(64, "0");
const g1Hex = (k: bigint) => {
  const { x, y } = G1.BASE.multiply(k).toAffine();
  return hex(x) + hex(y);
};
const g2Hex = (k: bigint) => {
  const { x, y } = G2.BASE.multiply(k).toAffine();
  return hex(x.c1) + hex(x.c0) + hex(y.c1) + hex(y.c0);
};
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

type Trapdoor = { a: bigint; b: bigint; g: bigint; d: bigint; u: bigint[] };

function keyFor(t: Trapdoor) {
  const n = t.u.length - 1;
  const head = n.toString(16).padStart(8, "0") + g1Hex(t.a) + g2Hex(t.b) + g2Hex(t.g) + g2Hex(t.d);
  return decodeVerifyingKey(bytes(head + t.u.map(g1Hex).join("")));
}

/** A valid proof for `inputs` under trapdoor t, with prover randomness s, q (A = [s]₁, B = [q]₂). */
function proofFor(t: Trapdoor, inputs: readonly bigint[], s: bigint, q: bigint) {
  const v = inputs.reduce((acc, x, i) => Fr.add(acc, Fr.mul(x, t.u[i + 1] as bigint)), t.u[0] as bigint);
  const c = Fr.div(Fr.sub(Fr.sub(Fr.mul(s, q), Fr.mul(t.a, t.b)), Fr.mul(v, t.g)), t.d);
  return decodeProof(bytes(g1Hex(s) + g2Hex(q) + g1Hex(c)));
}

const nonzero = fc.bigInt({ min: 1n, max: R - 1n });
const trapdoor = (inputs: number) =>
  fc.record({
    a: nonzero,
    b: nonzero,
    g: nonzero,
    d: nonzero,
    u: fc.array(nonzero, { minLength: inputs + 1, maxLength: inputs + 1 }),
  });

describe("Groth16 on synthetic keys", () => {
  it("accepts exactly the proofs that satisfy the equation, for 0 to 9 public inputs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 0, max: 9 })
          .chain((n) =>
            fc.tuple(trapdoor(n), fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: n, maxLength: n })),
          ),
        nonzero,
        nonzero,
        async ([t, inputs], s, q) => {
          const pvk = prepareVerifyingKey(keyFor(t));
          const proof = proofFor(t, inputs, s, q);
          expect(verify(pvk, proof, inputs)).toBe(true);
          expect(await verifyBatch(pvk, [{ proof, publicInputs: inputs }])).toBe(true);
          // Any other statement, or the proof of another one, is refused.
          if (inputs.length > 0) {
            const other = inputs.map((x, i) => (i === 0 ? (x + 1n) % R : x));
            expect(verify(pvk, proof, other)).toBe(false);
            const both = [
              { proof, publicInputs: inputs },
              { proof: proofFor(t, other, q, s), publicInputs: inputs },
            ];
            expect(await verifyBatch(pvk, both)).toBe(false);
          } else {
            expect(verify(pvk, proofFor({ ...t, a: t.a + 1n }, inputs, s, q), inputs)).toBe(false);
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it("handles vk_x at infinity (inputs that cancel IC₀), single and batched", async () => {
    // IC₀ = [u]₁, IC₁ = [u]₁: the input x = r − 1 gives vk_x = IC₀ − IC₁ = O.
    const t: Trapdoor = { a: 11n, b: 13n, g: 17n, d: 19n, u: [23n, 23n] };
    const pvk = prepareVerifyingKey(keyFor(t));
    const inputs = [R - 1n];
    expect(g1ToAffine(fixedBaseMsm(pvk.icTables, [1n, ...inputs]))).toBeUndefined();
    const proofs = [proofFor(t, inputs, 29n, 31n), proofFor(t, inputs, 37n, 41n)];
    for (const proof of proofs) {
      expect(verify(pvk, proof, inputs)).toBe(true);
    }
    const batch = proofs.map((proof) => ({ proof, publicInputs: inputs }));
    expect(await verifyBatch(pvk, batch)).toBe(true);
    expect(verify(pvk, proofs[0] as (typeof proofs)[number], [R - 2n])).toBe(false);
  });
});
