/**
 * Full Groth16 proofs with the committed artifacts (circuits/artifacts/):
 * the prover's proofs verify with the committed verification key, and every
 * public signal tampered one at a time is refused, by snarkjs and by our
 * verifier (src/protocol/groth16), singly and in a batch. Few proofs: each
 * costs 2-6 s on two cores.
 */
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circuitByShape } from "../../circuits/config.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import type { Fr } from "../../src/protocol/field.ts";
import {
  type PreparedVerifyingKey,
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verify,
  verifyBatch,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";
import { dummyOutput, dummySpend, ProverInputError } from "../../src/prover/input.ts";
import {
  type ProofProgress,
  proveTransfer,
  releaseProverThreads,
  type TransferProof,
} from "../../src/prover/prover.ts";
import { alice, artifactPath, GOLD, noteFor, R, requestFor, seededRandom } from "./fixtures.ts";

const T2 = circuitByShape(2, 2);
const M4 = circuitByShape(4, 2);
const vkey = (name: string): snarkjs.VerificationKey =>
  JSON.parse(readFileSync(artifactPath({ name }, "vkey.json"), "utf8")) as snarkjs.VerificationKey;

const prepared = new Map<string, PreparedVerifyingKey>();
function pvk(name: string): PreparedVerifyingKey {
  let k = prepared.get(name);
  if (!k) {
    k = prepareVerifyingKey(verifyingKeyFromSnarkjs(vkey(name)));
    prepared.set(name, k);
  }
  return k;
}

/** Our verifier's verdict (refusals of malformed input count as "false"). */
function ours(name: string, signals: readonly string[], proof: unknown): boolean {
  try {
    return verify(pvk(name), proofFromSnarkjs(proof), publicSignalsFromSnarkjs(signals));
  } catch {
    return false;
  }
}

/** Every way of changing one public signal: +1, and replaced by r - 1 (still a valid field element). */
function tamperedSignals(signals: readonly string[]): { index: number; signals: string[] }[] {
  const out: { index: number; signals: string[] }[] = [];
  signals.forEach((v, index) => {
    for (const changed of [(BigInt(v) + 1n) % R, R - 1n]) {
      if (changed.toString() === v) {
        continue;
      }
      const copy = [...signals];
      copy[index] = changed.toString();
      out.push({ index, signals: copy });
    }
  });
  return out;
}

describe("Groth16 proofs with the committed keys", () => {
  let payment: TransferProof;
  const progress: ProofProgress[] = [];

  beforeAll(async () => {
    const request = requestFor(
      [noteFor(alice, SERO_ASSET_ID, 1000n, 0), noteFor(alice, GOLD, 500n, 1)],
      [noteFor(alice, GOLD, 500n, 9), noteFor(alice, SERO_ASSET_ID, 990n, 10)],
      10n,
      0x1234n as Fr,
    );
    payment = await proveTransfer(T2, { wasm: artifactPath(T2, "wasm"), zkey: artifactPath(T2, "zkey") }, request, {
      onProgress: (p) => progress.push(p),
    });
  }, 60_000);

  afterAll(async () => {
    await releaseProverThreads();
  });

  it("a 2x2 payment proof verifies, with the public signals in the order of PROTOCOL.md §8.2", async () => {
    expect(await snarkjs.groth16.verify(vkey(T2.name), payment.publicSignals, payment.proof)).toBe(true);
    expect(ours(T2.name, payment.publicSignals, payment.proof)).toBe(true);
    const p = payment.prepared;
    expect(payment.publicSignals).toEqual(
      [p.publicSignals[0], ...p.nullifiers, ...p.commitments, 10n, 0x1234n].map((v) => (v as bigint).toString()),
    );
  });

  it("reports progress from 0 to 1 through input, witness, prove, done", () => {
    const fractions = progress.map((p) => p.fraction);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number))).toBe(true);
    expect([...new Set(progress.map((p) => p.stage))]).toEqual(["input", "witness", "prove", "done"]);
    expect(progress.filter((p) => p.stage === "prove").length).toBeGreaterThan(3);
  });

  it("every public signal tampered, one at a time, is refused by snarkjs and by our verifier", async () => {
    const cases = tamperedSignals(payment.publicSignals);
    expect(new Set(cases.map((c) => c.index)).size).toBe(7);
    for (const c of cases) {
      expect(await snarkjs.groth16.verify(vkey(T2.name), c.signals, payment.proof), `snarkjs, signal ${c.index}`).toBe(
        false,
      );
      expect(ours(T2.name, c.signals, payment.proof), `ours, signal ${c.index}`).toBe(false);
    }
  });

  it("our batch verifier accepts the valid proof and refuses a batch with one tampered signal", async () => {
    const good = {
      proof: proofFromSnarkjs(payment.proof),
      publicInputs: publicSignalsFromSnarkjs(payment.publicSignals),
    };
    expect(await verifyBatch(pvk(T2.name), [good, good, good])).toBe(true);
    for (const c of tamperedSignals(payment.publicSignals).filter((_, i) => i % 2 === 0)) {
      const bad = { proof: good.proof, publicInputs: publicSignalsFromSnarkjs(c.signals) };
      expect(await verifyBatch(pvk(T2.name), [good, bad, good]), `signal ${c.index}`).toBe(false);
    }
  });

  it("a tampered proof is refused, and the proof does not verify under the merge key", async () => {
    const swapped = { ...payment.proof, pi_a: payment.proof.pi_c, pi_c: payment.proof.pi_a };
    expect(await snarkjs.groth16.verify(vkey(T2.name), payment.publicSignals, swapped)).toBe(false);
    expect(ours(T2.name, payment.publicSignals, swapped)).toBe(false);
    const padded = [...payment.publicSignals.slice(0, 3), "0", "0", ...payment.publicSignals.slice(3)];
    expect(await snarkjs.groth16.verify(vkey(M4.name), padded, payment.proof)).toBe(false);
    expect(ours(M4.name, padded, payment.proof)).toBe(false);
  });

  it("a merge proof (4x2, artifacts given as bytes) verifies; tampering a nullifier is refused", async () => {
    const rng = seededRandom("merge");
    const request = requestFor(
      [1n, 2n, 3n].map((a, i) => noteFor(alice, SERO_ASSET_ID, a, 20 + i)),
      [noteFor(alice, SERO_ASSET_ID, 5n, 30), dummyOutput(rng)],
      1n,
      7n as Fr,
      [dummySpend(rng)],
    );
    const artifacts = { wasm: readFileSync(artifactPath(M4, "wasm")), zkey: readFileSync(artifactPath(M4, "zkey")) };
    const merge = await proveTransfer(M4, artifacts, request);
    expect(merge.publicSignals.length).toBe(9);
    expect(await snarkjs.groth16.verify(vkey(M4.name), merge.publicSignals, merge.proof)).toBe(true);
    expect(ours(M4.name, merge.publicSignals, merge.proof)).toBe(true);
    const bad = [...merge.publicSignals];
    bad[2] = ((BigInt(bad[2] as string) + 1n) % R).toString();
    expect(await snarkjs.groth16.verify(vkey(M4.name), bad, merge.proof)).toBe(false);
    expect(ours(M4.name, bad, merge.proof)).toBe(false);
  }, 60_000);

  it("an invalid transfer is refused before proving", async () => {
    const request = requestFor(
      [noteFor(alice, SERO_ASSET_ID, 10n, 40)],
      [noteFor(alice, SERO_ASSET_ID, 11n, 41), dummyOutput(seededRandom("x"))],
      0n,
      1n as Fr,
      [dummySpend(seededRandom("y"))],
    );
    await expect(
      proveTransfer(T2, { wasm: artifactPath(T2, "wasm"), zkey: artifactPath(T2, "zkey") }, request),
    ).rejects.toThrow(ProverInputError);
  });
});
