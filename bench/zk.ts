/**
 * npm run bench:zk — the zero-knowledge figures of issue 3, in one run:
 * - constraints of each circuit shape (from circuits/artifacts/manifest.json);
 * - proving time of each shape with the committed keys (median of ≥ 3 after a
 *   warm-up) and the peak RSS of the process while proving (snarkjs' worker
 *   threads included);
 * - verification, on the 2x2 proofs just made: our verifier against snarkjs
 *   warm, single and batched at 16 and 64 (bench/verify.ts's benchmarkVerifier).
 * Prints rows, then one JSON line. Targets (issue 3, 2 cores): prove 2x2 ≤ 2.5 s;
 * our verify ≤ half of snarkjs'; batch-64 ≤ 5 ms per proof.
 *
 * node bench/zk.ts [--runs N]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CIRCUITS, type CircuitShape } from "../circuits/config.ts";
import { ARTIFACTS_DIR, MANIFEST_PATH } from "../circuits/scripts/paths.ts";
import type { Manifest } from "../circuits/scripts/tools.ts";
import { SERO_ASSET_ID } from "../src/protocol/asset.ts";
import type { Fr } from "../src/protocol/field.ts";
import { dummyOutput, dummySpend } from "../src/prover/input.ts";
import { proveTransfer, releaseProverThreads, type TransferProof } from "../src/prover/prover.ts";
import { alice, noteFor, requestFor, seededRandom } from "../test/circuits/fixtures.ts";
import { benchmarkVerifier } from "./verify.ts";

const runsArg = process.argv.indexOf("--runs");
const RUNS = Math.max(3, runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

function artifacts(shape: CircuitShape) {
  const dir = join(ARTIFACTS_DIR, shape.name);
  return { wasm: join(dir, `${shape.name}.wasm`), zkey: join(dir, `${shape.name}.zkey`) };
}

/** A realistic transfer of the shape: real notes in a tree, the rest dummies. */
function request(shape: CircuitShape, run: number) {
  const rng = seededRandom(`bench/${shape.name}/${run}`);
  const real = Math.min(shape.nIn, 3);
  const notes = Array.from({ length: real }, (_, i) => noteFor(alice, SERO_ASSET_ID, BigInt(100 + i), run * 10 + i));
  const total = notes.reduce((sum, n) => sum + (n.value.kind === "token" ? n.value.amount : 0n), 0n);
  const outputs = [noteFor(alice, SERO_ASSET_ID, total - 1n, 500 + run), dummyOutput(rng)];
  while (outputs.length < shape.nOut) {
    outputs.push(dummyOutput(rng));
  }
  const dummies = Array.from({ length: shape.nIn - real }, () => dummySpend(rng));
  return requestFor(notes, outputs, 1n, BigInt(run + 1) as Fr, dummies);
}

/** Samples RSS while `work` runs; returns its result and the peak in MB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

type ProveRow = { shape: string; constraints: number; proveMs: number; runsMs: number[]; peakRssMb: number };

async function benchProve(
  shape: CircuitShape,
  constraints: number,
): Promise<{ row: ProveRow; proofs: TransferProof[] }> {
  const files = artifacts(shape);
  const proofs: TransferProof[] = [];
  await proveTransfer(shape, files, request(shape, 0)); // warm-up: worker threads, wasm compile
  const times: number[] = [];
  let peakRssMb = 0;
  for (let run = 1; run <= RUNS; run++) {
    const req = request(shape, run);
    const started = performance.now();
    const { value, peakMb } = await withPeakRss(() => proveTransfer(shape, files, req));
    times.push(performance.now() - started);
    peakRssMb = Math.max(peakRssMb, peakMb);
    proofs.push(value);
  }
  return {
    row: {
      shape: shape.name,
      constraints,
      proveMs: round(median(times), 0),
      runsMs: times.map((t) => round(t, 0)),
      peakRssMb,
    },
    proofs,
  };
}

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest;
  const rows: ProveRow[] = [];
  const proofsByShape = new Map<string, TransferProof[]>();
  for (const shape of CIRCUITS) {
    const constraints = manifest.circuits[shape.name]?.constraints ?? Number.NaN;
    const { row, proofs } = await benchProve(shape, constraints);
    rows.push(row);
    proofsByShape.set(shape.name, proofs);
    console.log(
      `prove ${row.shape.padEnd(13)} ${String(row.constraints).padStart(6)} constraints  median ${row.proveMs} ms  runs ${row.runsMs.join("/")} ms  peak RSS ${row.peakRssMb} MB`,
    );
  }

  // Verification on the 2x2 proofs just made: ours (decode + checks + verify) against snarkjs warm.
  const t2 = CIRCUITS.find((c) => c.nIn === 2 && c.nOut === 2) as CircuitShape;
  const vkey: unknown = JSON.parse(readFileSync(join(ARTIFACTS_DIR, t2.name, "vkey.json"), "utf8"));
  const t2proofs = (proofsByShape.get(t2.name) ?? []).map((p) => ({ proof: p.proof, publicSignals: p.publicSignals }));
  await releaseProverThreads();
  const v = await benchmarkVerifier({ vkey, proofs: t2proofs });
  console.log(`verify snarkjs (warm)       ${round(v.snarkjsVerifyMs, 2)} ms`);
  console.log(
    `verify ours (single)        ${round(v.verifyMs, 2)} ms  (${round(v.verifyMs / v.snarkjsVerifyMs, 2)}x snarkjs; key preparation ${round(v.prepareMs, 1)} ms once)`,
  );
  console.log(`verify ours (batch 16)      ${round(v.batch16MsPerProof, 2)} ms/proof`);
  console.log(`verify ours (batch 64)      ${round(v.batch64MsPerProof, 2)} ms/proof`);

  const byName = (name: string) => rows.find((r) => r.shape === name);
  const summary = {
    constraints_2x2: byName("transfer_2x2")?.constraints ?? null,
    constraints_4x2: byName("merge_4x2")?.constraints ?? null,
    prove_ms_2x2: byName("transfer_2x2")?.proveMs ?? null,
    prove_ms_4x2: byName("merge_4x2")?.proveMs ?? null,
    prove_peak_rss_mb_2x2: byName("transfer_2x2")?.peakRssMb ?? null,
    prove_peak_rss_mb_4x2: byName("merge_4x2")?.peakRssMb ?? null,
    verify_ms: round(v.verifyMs, 2),
    snarkjs_verify_ms: round(v.snarkjsVerifyMs, 2),
    batch16_ms_per_proof: round(v.batch16MsPerProof, 2),
    batch64_ms_per_proof: round(v.batch64MsPerProof, 2),
    runs: RUNS,
  };
  console.log(JSON.stringify(summary));
}

await main();
await releaseProverThreads();
