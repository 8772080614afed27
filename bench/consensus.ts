/**
 * Consensus benchmark: runs the deterministic simulator (real ed25519
 * signatures, fixed one-hop delay) without faults and with a crashed primary
 * for n = 4, 7, 10 and 16, prints one row per run and, as its last line, one
 * JSON object with the headline figures:
 *
 *   commit_delays_normal  message delays from PRE-PREPARE sent to commit (PBFT: 3)
 *   messages_per_block_n4 protocol messages per block at n = 4 (pre-prepare, prepare, commit, checkpoint)
 *   view_change_delays    message delays from the first VIEW-CHANGE to the first commit in the new view
 *   sim_blocks_per_s_n4   blocks committed per wall-clock second by the simulator at n = 4
 *   vrf_*, primary_share_*, withhold_bias  SE-Random figures (se-random.ts)
 *
 * Run: node bench/consensus.ts   (Node 22 strips the types)
 */
import type { ConsensusParams } from "../src/consensus/index.ts";
import { DEFAULT_PARAMS } from "../src/consensus/index.ts";
import { Simulation } from "../test/consensus/sim/simulation.ts";
import { seRandomFigures } from "./se-random.ts";

/** One message delay, in simulator time units. */
const DELTA = 10;
const PARAMS: ConsensusParams = {
  ...DEFAULT_PARAMS,
  checkpointInterval: 8,
  watermarkWindow: 32,
  maxBatchRequests: 8,
  batchTimeout: 1,
  viewTimeout: 50 * DELTA,
  maxViewTimeout: 800 * DELTA,
  statusInterval: 40 * DELTA,
  blockRetention: 256,
};
const REQUESTS = 96; // 12 full blocks
const NS = [4, 7, 10, 16];
const PROTOCOL_TYPES = ["pre-prepare", "prepare", "commit", "checkpoint"];

interface Row {
  n: number;
  scenario: string;
  blocks: number;
  commitDelaysMedian: number;
  commitDelaysMax: number;
  protocolMsgsPerBlock: number;
  allMsgsPerBlock: number;
  viewChangeDelays: number | null;
  resumeTimerPeriods: number | null;
  wallMs: number;
  blocksPerSecond: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}

function round(x: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

function run(n: number, crashPrimary: boolean): Row {
  const sim = new Simulation({
    n,
    seed: 1000 + n,
    scheme: "ed25519",
    params: PARAMS,
    network: { minDelay: DELTA, maxDelay: DELTA, loss: 0, duplicate: 0 },
  });
  const submitAt = crashPrimary ? 5 : 0;
  if (crashPrimary) {
    sim.at(0, () => sim.crash(0));
  }
  sim.at(submitAt, () => {
    for (let i = 0; i < REQUESTS; i++) {
      sim.submit(1 + (i % (n - 1)));
    }
  });
  const t0 = performance.now();
  sim.runUntil(submitAt + 1);
  sim.runUntilLive(submitAt + 20 * PARAMS.viewTimeout, DELTA);
  const wallMs = performance.now() - t0;

  const blocks = Math.max(...sim.correctUp().map((id) => sim.node(id).app.height));
  const delays: number[] = [];
  for (const c of sim.commits) {
    const sent = sim.prePrepareSent.get(`${c.view}/${c.seq}`);
    if (sent !== undefined) {
      delays.push((c.time - sent) / DELTA);
    }
  }
  let protocol = 0;
  let all = 0;
  for (const [type, count] of sim.metrics.sent) {
    all += count;
    if (PROTOCOL_TYPES.includes(type)) {
      protocol += count;
    }
  }
  let viewChangeDelays: number | null = null;
  let resume: number | null = null;
  if (crashPrimary) {
    const vcAt = sim.firstSent.get("view-change");
    const firstNewViewCommit = sim.commits.filter((c) => c.view >= 1).map((c) => c.time);
    if (vcAt !== undefined && firstNewViewCommit.length > 0) {
      const first = Math.min(...firstNewViewCommit);
      viewChangeDelays = round((first - vcAt) / DELTA);
      resume = round((first - submitAt) / PARAMS.viewTimeout);
    }
  }
  return {
    n,
    scenario: crashPrimary ? "crashed-primary" : "no-faults",
    blocks,
    commitDelaysMedian: round(median(delays)),
    commitDelaysMax: round(Math.max(...delays)),
    protocolMsgsPerBlock: round(protocol / blocks, 1),
    allMsgsPerBlock: round(all / blocks, 1),
    viewChangeDelays,
    resumeTimerPeriods: resume,
    wallMs: round(wallMs, 0),
    blocksPerSecond: round((blocks * 1000) / wallMs, 1),
  };
}

// Warm up the JIT and noble's ed25519 precomputations so the first measured run is not penalised.
run(4, false);

const rows: Row[] = [];
console.log(
  "n   scenario         blocks  commit-delays(med/max)  msgs/block(protocol/all)  vc-delays  resume(T)  wall-ms  blocks/s",
);
for (const n of NS) {
  for (const crash of [false, true]) {
    const r = run(n, crash);
    rows.push(r);
    console.log(
      [
        String(r.n).padEnd(3),
        r.scenario.padEnd(16),
        String(r.blocks).padStart(6),
        `${r.commitDelaysMedian}/${r.commitDelaysMax}`.padStart(23),
        `${r.protocolMsgsPerBlock}/${r.allMsgsPerBlock}`.padStart(25),
        String(r.viewChangeDelays ?? "-").padStart(10),
        String(r.resumeTimerPeriods ?? "-").padStart(10),
        String(r.wallMs).padStart(8),
        String(r.blocksPerSecond).padStart(9),
      ].join(" "),
    );
  }
}

const normal = rows.filter((r) => r.scenario === "no-faults");
const crashed = rows.filter((r) => r.scenario === "crashed-primary");
const n4 = normal.find((r) => r.n === 4) as Row;
const byN = (xs: Row[], pick: (r: Row) => number | null) => Object.fromEntries(xs.map((r) => [r.n, pick(r)]));
console.log(
  JSON.stringify({
    commit_delays_normal: Math.max(...normal.map((r) => r.commitDelaysMax)),
    messages_per_block_n4: n4.protocolMsgsPerBlock,
    view_change_delays: Math.max(...crashed.map((r) => r.viewChangeDelays ?? Number.POSITIVE_INFINITY)),
    sim_blocks_per_s_n4: n4.blocksPerSecond,
    view_change_resume_timer_periods: Math.max(...crashed.map((r) => r.resumeTimerPeriods ?? Number.POSITIVE_INFINITY)),
    all_messages_per_block_n4: n4.allMsgsPerBlock,
    commit_delays_normal_by_n: byN(normal, (r) => r.commitDelaysMax),
    messages_per_block_by_n: byN(normal, (r) => r.protocolMsgsPerBlock),
    view_change_delays_by_n: byN(crashed, (r) => r.viewChangeDelays),
    sim_blocks_per_s_by_n: byN(normal, (r) => r.blocksPerSecond),
    signatures: "ed25519",
    message_delay_units: DELTA,
    batch_requests: PARAMS.maxBatchRequests,
    ...seRandomFigures(PARAMS, DELTA),
  }),
);
