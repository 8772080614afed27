/**
 * Groth16 verification speed: our verifier (src/protocol/groth16) against
 * snarkjs's warm `groth16.verify`, on the same proofs.
 *
 *   node bench/verify.ts [--runs N]     the committed test fixture (test/fixtures/groth16)
 *
 * `benchmarkVerifier` is the reusable part (bench/zk.ts runs it on the real
 * transfer circuit). Every figure is a median. Our timings include decoding
 * the snarkjs JSON (and so the on-curve and G2 subgroup checks), since
 * snarkjs's include its own parsing and checks; key preparation is reported
 * apart, as it happens once per key. Batches repeat the given proofs when
 * there are fewer than 64: each copy gets its own randomizer and costs the
 * same as a distinct proof. Targets (issue 3, 2 cores): single ≤ half of
 * snarkjs; batch-64 ≤ 5 ms per proof.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verify,
  verifyBatch,
  verifyingKeyFromSnarkjs,
} from "../src/protocol/groth16/index.ts";
import { loadSnarkjs, releaseSnarkjs } from "../test/groth16/snarkjs.ts";

export type VerifierBenchInput = {
  /** snarkjs verification_key.json */
  readonly vkey: unknown;
  /** valid proofs with their public signals, as snarkjs writes them */
  readonly proofs: readonly { readonly proof: unknown; readonly publicSignals: readonly string[] }[];
  /** timed runs for the single-proof medians (batches use fewer); default 15 */
  readonly runs?: number;
};

export type VerifierFigures = {
  verifyMs: number;
  snarkjsVerifyMs: number;
  batch16MsPerProof: number;
  batch64MsPerProof: number;
  prepareMs: number;
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

async function timedAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await f();
  return [value, performance.now() - start];
}

export async function benchmarkVerifier(input: VerifierBenchInput): Promise<VerifierFigures> {
  const runs = Math.max(3, input.runs ?? 15);
  const proofs = input.proofs;
  if (proofs.length === 0) {
    throw new Error("benchmarkVerifier: no proofs");
  }
  const nth = (i: number) => proofs[i % proofs.length] as VerifierBenchInput["proofs"][number];

  const [pvk, prepareMs] = timed(() => prepareVerifyingKey(verifyingKeyFromSnarkjs(input.vkey)));
  const ours = (p: VerifierBenchInput["proofs"][number]) =>
    verify(pvk, proofFromSnarkjs(p.proof), publicSignalsFromSnarkjs(p.publicSignals));
  const snarkjs = await loadSnarkjs();
  const theirs = (p: VerifierBenchInput["proofs"][number]) => snarkjs.verify(input.vkey, [...p.publicSignals], p.proof);

  // Warm both up (JIT, snarkjs's wasm and worker threads), and check every proof is valid for both.
  for (let i = 0; i < Math.max(5, proofs.length); i++) {
    if (!ours(nth(i)) || !(await theirs(nth(i)))) {
      throw new Error(`benchmarkVerifier: proof ${i % proofs.length} is invalid`);
    }
  }

  // Interleaved on the same proof, so drift (thermal, other load) hits both alike.
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    oursMs.push(timed(() => ours(nth(i)))[1]);
    theirsMs.push((await timedAsync(() => theirs(nth(i))))[1]);
  }

  const batchMsPerProof = async (size: number, batchRuns: number): Promise<number> => {
    const items = Array.from({ length: size }, (_, i) => nth(i));
    const once = () =>
      verifyBatch(
        pvk,
        items.map((p) => ({
          proof: proofFromSnarkjs(p.proof),
          publicInputs: publicSignalsFromSnarkjs(p.publicSignals),
        })),
      );
    if (!(await once())) {
      throw new Error(`benchmarkVerifier: batch of ${size} refused`);
    }
    const times: number[] = [];
    for (let i = 0; i < batchRuns; i++) {
      times.push((await timedAsync(once))[1]);
    }
    return median(times) / size;
  };

  // snarkjs's worker threads are done: stop them before timing the batches alone.
  await releaseSnarkjs();
  return {
    verifyMs: median(oursMs),
    snarkjsVerifyMs: median(theirsMs),
    batch16MsPerProof: await batchMsPerProof(16, 5),
    batch64MsPerProof: await batchMsPerProof(64, 3),
    prepareMs,
  };
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
  const fixture = (name: string): unknown =>
    JSON.parse(readFileSync(new URL(`../test/fixtures/groth16/${name}`, import.meta.url), "utf8"));
  const vkey = fixture("vkey.json");
  const proofs = fixture("proofs.json") as VerifierBenchInput["proofs"];
  const f = await benchmarkVerifier({ vkey, proofs, runs });
  const r2 = (x: number) => Math.round(x * 100) / 100;
  console.log(`fixture: ${proofs.length} proofs, ${(vkey as { nPublic: number }).nPublic} public inputs`);
  console.log(`prepare key (once)          ${r2(f.prepareMs)} ms`);
  console.log(`verify snarkjs (warm)       ${r2(f.snarkjsVerifyMs)} ms`);
  console.log(`verify ours (single)        ${r2(f.verifyMs)} ms  (${r2(f.verifyMs / f.snarkjsVerifyMs)}x snarkjs)`);
  console.log(`verify ours (batch 16)      ${r2(f.batch16MsPerProof)} ms/proof`);
  console.log(`verify ours (batch 64)      ${r2(f.batch64MsPerProof)} ms/proof`);
  console.log(
    JSON.stringify({
      verify_ms: r2(f.verifyMs),
      snarkjs_verify_ms: r2(f.snarkjsVerifyMs),
      batch16_ms_per_proof: r2(f.batch16MsPerProof),
      batch64_ms_per_proof: r2(f.batch64MsPerProof),
      prepare_ms: r2(f.prepareMs),
      runs,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
