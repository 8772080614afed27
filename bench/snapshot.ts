/**
 * Snapshot size under full-block load (CONSENSUS.md §3.7): the simulator runs
 * genesis parameters (K = 16, L = 64, 128 blocks retained) with blocks full to
 * maxBatchBytes (1 MiB: sixteen 64 KiB requests) for two checkpoint intervals,
 * and measures, at every snapshot, its encoded size as the replica stores it,
 * what the snapshot held before block bodies moved out of the core (the same
 * state plus its retained blocks), the storage rows it takes, and what
 * cloning the state would cost per step (the alternative to "persist, then
 * adopt"). Last line: one JSON object with the maxima.
 *
 * Run: npm run bench:snapshot [-- blocks]   (Node 22 strips the types)
 */
import { PART_BYTES } from "../durable-objects/chunked-rows.ts";
import { encodeStored } from "../durable-objects/stored-value.ts";
import { DEFAULT_PARAMS, type ReplicaState } from "../src/consensus/index.ts";
import { Simulation } from "../test/consensus/sim/simulation.ts";

const REQUEST = DEFAULT_PARAMS.maxRequestBytes;
const PER_BLOCK = DEFAULT_PARAMS.maxBatchBytes / REQUEST;
const BLOCKS = Number(process.argv[2] ?? 2 * DEFAULT_PARAMS.checkpointInterval);

const sim = new Simulation({
  n: 4,
  seed: 7,
  scheme: "mac",
  params: DEFAULT_PARAMS,
  network: { minDelay: 1, maxDelay: 3, loss: 0, duplicate: 0 },
});
for (let i = 0; i < BLOCKS * PER_BLOCK; i++) {
  sim.at(Math.floor(i / PER_BLOCK), () => sim.submit(i % 4, REQUEST));
}
const started = performance.now();
sim.runUntil(BLOCKS);
sim.runUntilLive(60_000);
const wallMs = performance.now() - started;

const kib = (bytes: number) => Math.round(bytes / 1024);
let maxNew = 0;
let maxOld = 0;
let maxInFlight = 0;
let maxRest = 0;
let largest: ReplicaState | undefined;
for (const node of sim.nodes) {
  for (const record of node.log) {
    if (record.type !== "snapshot") {
      continue;
    }
    const state: ReplicaState = record.state;
    const size = encodeStored(state).length;
    // Together: a pending request and the batch proposing it share their bytes.
    const inFlight = encodeStored({ slots: state.slots, pool: state.pool }).length;
    const chain = new Map([...state.chain.keys()].map((seq) => [seq, node.blocks.get(seq)]));
    const old = encodeStored({ ...state, chain }).length;
    console.log(
      `replica ${node.id} stable ${state.stable.seq} delivered ${state.lastCommitted}: ` +
        `snapshot ${kib(size)} KiB in ${Math.ceil(size / PART_BYTES)} rows ` +
        `(in flight: ${state.slots.size} slots + ${state.pool.size} pending = ${kib(inFlight)} KiB; the rest ${kib(size - inFlight)} KiB), ` +
        `before: ${kib(old)} KiB`,
    );
    if (size > maxNew) {
      largest = state;
    }
    maxNew = Math.max(maxNew, size);
    maxOld = Math.max(maxOld, old);
    maxInFlight = Math.max(maxInFlight, inFlight);
    maxRest = Math.max(maxRest, size - inFlight);
  }
}

// The largest snapshotted state, cloned as "step a clone" would do before every step.
if (largest === undefined) {
  throw new Error("no snapshot taken: run more blocks");
}
const clones = 20;
const t0 = performance.now();
for (let i = 0; i < clones; i++) {
  structuredClone(largest);
}
const cloneMs = (performance.now() - t0) / clones;
const stepMs = wallMs / sim.metrics.steps;
console.log(
  `clone of the largest snapshotted state (${kib(maxNew)} KiB): ${cloneMs.toFixed(2)} ms; ` +
    `mean simulated step ${stepMs.toFixed(3)} ms over ${sim.metrics.steps} steps`,
);
console.log(
  JSON.stringify({
    blocks: BLOCKS,
    traffic_mib: (BLOCKS * PER_BLOCK * REQUEST) / 2 ** 20,
    snapshot_max_kib: kib(maxNew),
    snapshot_in_flight_max_kib: kib(maxInFlight),
    snapshot_rest_max_kib: kib(maxRest),
    snapshot_before_max_kib: kib(maxOld),
    clone_ms: Number(cloneMs.toFixed(2)),
    step_ms: Number(stepMs.toFixed(3)),
  }),
);
