/**
 * npm run bench:chain [-- options] — sustained throughput and finality of a
 * fresh local 4-replica testnet, as a client sees them over HTTP.
 * `npm run bench:chain:validators` runs one process per validator instead.
 *
 * NOT timed: proving (the client's job; bench/chain/transfers.ts proves each
 * transfer once and caches it in .bench-cache/), building the bench genesis,
 * starting wrangler, the batched verification measurement (after the testnet
 * stopped, so it has the cores to itself).
 * Timed, all on distinct valid transfers, each spending a bench genesis note
 * of its own (bench/chain/genesis.ts):
 * 1. idle finality: `--idle` transfers one at a time (after 2 warm-up ones);
 * 2. a ramp: each rate of `--rates` offered open loop for `--step-seconds`,
 *    until the committed rate stops rising (by 5%). Not until it first falls
 *    behind the offered rate: blocks batch a backlog, so a chain behind its
 *    load may still commit more under more. A step's committed rate is its
 *    transfers divided by the time from its first submission to the commit
 *    of its last: a chain that keeps up commits at the offered rate, one that
 *    does not at its capacity. Each step drains before the next starts, so
 *    no step is credited with another's backlog; tx_per_s is the highest;
 * 3. finality at half that rate, for `--half-seconds`, once the ramp drained.
 * Finality is submit → its block first listed by GET /v1/blocks?from= (bench/chain/commits.ts).
 * limit_tx_per_s is bench/chain/limit.ts. Ports: BENCH_PORT.. (default 9100-9107).
 * `--profile FILE` (one-deployment) CPU-profiles the Worker isolate during the ramp.
 * Prints a row per phase, then one JSON line.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { releaseProverThreads } from "../src/prover/index.ts";
import { CommitFollower } from "./chain/commits.ts";
import { BENCH_CHAIN_ID, BENCH_NOTES, benchChain } from "./chain/genesis.ts";
import { batchedVerifyMs, usableCores, verificationsPerTx } from "./chain/limit.ts";
import { finalities, LoadGenerator, type Offered, percentile } from "./chain/load.ts";
import { startProfiler } from "./chain/profile.ts";
import { startTestnet, type Topology } from "./chain/testnet.ts";
import { benchTransfers } from "./chain/transfers.ts";

const { values } = parseArgs({
  options: {
    validators: { type: "boolean", default: false },
    transfers: { type: "string", default: String(BENCH_NOTES) },
    rates: { type: "string", default: "10,20,40,60,80,100,140,180,240" },
    "step-seconds": { type: "string", default: "30" },
    "half-seconds": { type: "string", default: "30" },
    idle: { type: "string", default: "20" },
    "prove-only": { type: "boolean", default: false },
    profile: { type: "string" },
  },
});
const topology: Topology = values.validators ? "validators" : "one-deployment";
if (values.profile !== undefined && values.validators) {
  console.error("--profile profiles the one-deployment isolate: run it without --validators");
  process.exit(2);
}
const count = Number(values.transfers);
const rates = values.rates.split(",").map(Number);
const stepSeconds = Number(values["step-seconds"]);
const halfSeconds = Number(values["half-seconds"]);
const idle = Number(values.idle);
const port = Number(process.env.BENCH_PORT ?? 9100);
const WARM_UP = 2;
/** The ramp goes on while each step commits at least this many times the best rate before it. */
const RISING = 1.05;

if (!Number.isInteger(count) || count < WARM_UP + idle + 1 || count > BENCH_NOTES) {
  // One transfer per bench genesis note (bench/chain/genesis.ts); more would need a fan-out phase.
  console.error(`--transfers must be from ${WARM_UP + idle + 1} to ${BENCH_NOTES}, got ${values.transfers}`);
  process.exit(2);
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

const chain = benchChain();
const txs = await benchTransfers(chain, count);
await releaseProverThreads();
if (values["prove-only"]) {
  process.exit(0);
}
const planned = WARM_UP + idle + rates.reduce((sum, r) => sum + r * stepSeconds, 0);
if (planned > txs.length) {
  console.log(
    `note: the full ramp needs ~${planned} transfers, there are ${txs.length}: the ramp ends at the first step that no longer fits`,
  );
}

const testnet = await startTestnet(topology, port, chain);
const commits = new CommitFollower(testnet.urls[0] as string);
const load = new LoadGenerator(testnet.urls, txs);
const steps: { offered: number; committed: number; seconds: number; refused: number }[] = [];
let half: Offered | undefined;
let idleFinality: number[];
let peakBlockTxs = 1;
try {
  await load.oneAtATime(WARM_UP, commits);
  idleFinality = await load.oneAtATime(idle, commits);
  console.log(`idle: ${idleFinality.length} transfers, finality p50 ${round(percentile(idleFinality, 50))} ms`);

  const profiler = values.profile === undefined ? undefined : await startProfiler(testnet.inspectorPort);
  for (const rate of rates) {
    const best = Math.max(...steps.map((s) => s.committed), 0);
    // Keep what the half-rate phase needs at the best rate so far; a step cut short would measure nothing.
    const reserve = Math.ceil((best / 2) * halfSeconds);
    if (load.remaining - reserve < rate * stepSeconds) {
      console.log(`ramp ends before ${rate} tx/s: ${load.remaining} transfers left, ${reserve} kept for half rate`);
      break;
    }
    const offered = await load.offer(rate, stepSeconds);
    const ids = offered.submitted.map((t) => t.id);
    await commits.waitFor(ids, 300_000);
    const lastCommit = Math.max(...ids.map((id) => commits.committedAt(id) as number));
    const seconds = (lastCommit - offered.from) / 1000;
    const blocks = commits.blocksBetween(offered.from, lastCommit + 1);
    const committed = ids.length / seconds;
    const refused = [...offered.refused.values()].reduce((a, b) => a + b, 0);
    steps.push({ offered: rate, committed: round(committed, 1), seconds: round(seconds, 1), refused });
    console.log(
      `offered ${rate} tx/s for ${round(seconds, 1)} s: committed ${round(committed, 1)} tx/s, ` +
        `${blocks.length} blocks, ${refused} refused ${JSON.stringify(Object.fromEntries(offered.refused))}`,
    );
    if (committed > best) {
      peakBlockTxs = Math.max(1, round(blocks.reduce((a, b) => a + b, 0) / Math.max(1, blocks.length)));
    }
    if (committed < RISING * best) {
      break;
    }
  }
  await profiler?.stop(values.profile as string);
  if (steps.length === 0) {
    throw new Error(
      `${load.remaining} transfers are too few for a ramp step of ${rates[0]} tx/s: lower --rates or --step-seconds`,
    );
  }
  const peak = Math.max(...steps.map((s) => s.committed));
  if (load.remaining > 0) {
    half = await load.offer(peak / 2, halfSeconds);
    await commits.waitFor(
      half.submitted.map((s) => s.id),
      120_000,
    );
  }
} finally {
  await commits.stop();
  testnet.stop();
}

const peak = steps.reduce((best, s) => (s.committed > best.committed ? s : best));
const halfFinality = half ? finalities(half.submitted, commits) : [];
const verifyMs = await batchedVerifyMs(txs, BENCH_CHAIN_ID, peakBlockTxs);
const cores = usableCores(topology, availableParallelism());
const verifications = verificationsPerTx(topology);
const results = {
  tx_per_s: peak.committed,
  /** Seconds the peak was sustained: the figure is a sustained rate only if this is at least 30. */
  tx_per_s_over_s: peak.seconds,
  finality_p50_ms: round(percentile(halfFinality, 50)),
  finality_p99_ms: round(percentile(halfFinality, 99)),
  half_rate_tx: halfFinality.length,
  idle_finality_p50_ms: round(percentile(idleFinality, 50)),
  limit_tx_per_s: round(cores / (verifications * (verifyMs / 1000)), 1),
  verify_ms_per_proof: round(verifyMs, 2),
  verify_batch: peakBlockTxs,
  verifications_per_tx: verifications,
  cores,
  topology,
  transfers: txs.length - load.remaining,
  steps: steps.map((s) => `${s.offered}:${s.committed}${s.refused ? `:${s.refused}refused` : ""}`).join(" "),
};
if (peak.seconds < 30) {
  console.log(`note: tx_per_s held for ${peak.seconds} s only; a sustained figure needs a step of 30 s or more`);
}
console.log("metric                  value");
for (const [k, v] of Object.entries(results)) {
  console.log(`${k.padEnd(24)}${v}`);
}
console.log(JSON.stringify(results));
