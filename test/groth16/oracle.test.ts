/**
 * snarkjs as the oracle: on valid fixture proofs and on many invalid variants
 * (every public signal tampered, proof points moved to other valid points,
 * proofs swapped between statements) our verdict equals
 * `snarkjs.groth16.verify`'s, single and batched; every case also states its
 * expected verdict, so agreement on "everything false" cannot pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Groth16Error,
  type PreparedVerifyingKey,
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verify,
  verifyBatch,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";
import { type FixtureProof, fixture, G1, G2, g1FromJson, g1ToJson, g2FromJson, g2ToJson, vkeyJson } from "./fixture.ts";
import { loadSnarkjs, releaseSnarkjs } from "./snarkjs.ts";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

type Case = { name: string; expected: boolean; input: FixtureProof };

function tamperSignal(i: number, k: number): Case {
  const f = fixture(i);
  f.publicSignals[k] = ((BigInt(f.publicSignals[k] as string) + 1n) % R).toString();
  return { name: `proof ${i}, public signal ${k} + 1`, expected: false, input: f };
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < 20; i++) {
    out.push({ name: `valid proof ${i}`, expected: true, input: fixture(i) });
  }
  for (let i = 20; i < 24; i++) {
    for (let k = 0; k < 4; k++) {
      out.push(tamperSignal(i, k));
    }
  }
  for (let i = 24; i < 27; i++) {
    const a = fixture(i);
    a.proof.pi_a = g1ToJson(g1FromJson(a.proof.pi_a).add(G1.BASE));
    out.push({ name: `proof ${i}, A + G1`, expected: false, input: a });
    const negA = fixture(i);
    negA.proof.pi_a = g1ToJson(g1FromJson(negA.proof.pi_a).negate());
    out.push({ name: `proof ${i}, −A`, expected: false, input: negA });
    const b = fixture(i);
    b.proof.pi_b = g2ToJson(g2FromJson(b.proof.pi_b).add(G2.BASE));
    out.push({ name: `proof ${i}, B + G2`, expected: false, input: b });
    const c = fixture(i);
    c.proof.pi_c = g1ToJson(g1FromJson(c.proof.pi_c).double());
    out.push({ name: `proof ${i}, 2·C`, expected: false, input: c });
    const swapped = fixture(i);
    [swapped.proof.pi_a, swapped.proof.pi_c] = [swapped.proof.pi_c, swapped.proof.pi_a];
    out.push({ name: `proof ${i}, A and C swapped`, expected: false, input: swapped });
  }
  for (let i = 27; i < 31; i++) {
    // Proof i for the statement of proof i + 4: a valid proof, of something else.
    const f = fixture(i);
    f.publicSignals = fixture(i + 4).publicSignals;
    out.push({ name: `proof ${i} with the public signals of proof ${i + 4}`, expected: false, input: f });
  }
  // Proof 31's B with the rest of proof 32.
  const mixed = fixture(32);
  mixed.proof.pi_b = fixture(31).proof.pi_b;
  out.push({ name: "proof 32 with proof 31's B", expected: false, input: mixed });
  return out;
}

function ours(pvk: PreparedVerifyingKey, input: FixtureProof): boolean {
  try {
    return verify(pvk, proofFromSnarkjs(input.proof), publicSignalsFromSnarkjs(input.publicSignals));
  } catch (e) {
    if (e instanceof Groth16Error) {
      return false;
    }
    throw e;
  }
}

describe("Groth16 verifier against snarkjs", () => {
  let pvk: PreparedVerifyingKey;
  const all = cases();
  /** snarkjs's verdict on each case, by index into `all`. */
  let oracle: boolean[];

  beforeAll(async () => {
    const snarkjs = await loadSnarkjs();
    pvk = prepareVerifyingKey(verifyingKeyFromSnarkjs(vkeyJson));
    oracle = [];
    for (const c of all) {
      oracle.push(await snarkjs.verify(vkeyJson, c.input.publicSignals, c.input.proof));
    }
  });
  afterAll(releaseSnarkjs);

  it("has at least 50 cases, valid and invalid, and snarkjs judges each as expected", () => {
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(all.filter((c) => c.expected).length).toBeGreaterThanOrEqual(20);
    expect(all.filter((c) => !c.expected).length).toBeGreaterThanOrEqual(30);
    expect(all.map((c, i) => [c.name, oracle[i]])).toEqual(all.map((c) => [c.name, c.expected]));
  });

  it("agrees with snarkjs on every case, one proof at a time", () => {
    expect(all.map((c) => [c.name, ours(pvk, c.input)])).toEqual(all.map((c, i) => [c.name, oracle[i]]));
  });

  it("agrees with snarkjs on batches: all valid cases at once, each valid case alone", async () => {
    const valid = all.flatMap((c, i) => (oracle[i] ? [item(c.input)] : []));
    expect(await verifyBatch(pvk, valid, { chunkSize: 7 })).toBe(true);
    for (const v of valid) {
      expect(await verifyBatch(pvk, [v])).toBe(true);
    }
  });

  it("refuses every batch that holds one case snarkjs refuses, wherever it sits", async () => {
    const valid = all.flatMap((c, i) => (oracle[i] ? [item(c.input)] : []));
    // Every invalid case is well-formed (points valid, inputs < r): it fails the pairing check, not decoding.
    const invalid = all.filter((_, i) => !oracle[i]);
    expect(invalid.length).toBeGreaterThanOrEqual(30);
    for (const [n, c] of invalid.entries()) {
      const batch = valid.slice(n % 10, (n % 10) + 5);
      batch.splice(n % 6, 0, item(c.input));
      expect([c.name, await verifyBatch(pvk, batch, { chunkSize: 4 })]).toEqual([c.name, false]);
    }
  });
});

function item(input: FixtureProof) {
  return { proof: proofFromSnarkjs(input.proof), publicInputs: publicSignalsFromSnarkjs(input.publicSignals) };
}
