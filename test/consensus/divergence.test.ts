/**
 * State-root agreement at checkpoints (CONSENSUS.md §3.9): a replica whose
 * application computes another state root than the quorum certifies is
 * flagged diverged, stops signing CHECKPOINTs, and the others go on unaffected.
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  batchDigest,
  type Checkpoint,
  type Digest,
  decodeEnvelope,
  hashTagged,
  type Input,
  type PersistRecord,
  type ReplicaState,
} from "../../src/consensus/index.ts";
import { fixture, prePrepare, request } from "./sim/fixtures.ts";
import { SIM_PARAMS } from "./sim/scenario.ts";
import { Simulation } from "./sim/simulation.ts";

interface Watch {
  /** Sequence numbers of the CHECKPOINTs the watched replica signed. */
  readonly checkpoints: number[];
  /** The input whose step set `diverged`. */
  detectedBy: Input["type"] | undefined;
}

/** Observes a replica's core from outside: what it signs and which input made it diverge. */
function watchReplica(sim: Simulation, id: number): Watch {
  const watch: Watch = { checkpoints: [], detectedBy: undefined };
  const core = sim.node(id).core as { step: (typeof sim.nodes)[number]["core"]["step"] };
  const step = core.step;
  core.step = (state, input) => {
    const before = state.diverged;
    const result = step(state, input);
    if (before === undefined && result.state.diverged !== undefined) {
      watch.detectedBy = input.type;
    }
    for (const out of result.send) {
      const { from, message: m } = decodeEnvelope(out.bytes).envelope;
      if (m.type === "checkpoint" && from === id) {
        watch.checkpoints.push((m as Checkpoint).seq);
      }
    }
    return result;
  };
  return watch;
}

interface RunOptions {
  readonly seed: number;
  /** The replica whose application may be wrong, late or down; 1 unless said (0 is the primary of view 0). */
  readonly faulty?: number;
  readonly wrongRootFrom?: number;
  readonly executionDelay?: number;
  /** The faulty replica is down until this time, so it catches up by state transfer. */
  readonly downUntil?: number;
}

function run(o: RunOptions): { sim: Simulation; watch: Watch; faulty: number } {
  const faulty = o.faulty ?? 1;
  const healthy = [0, 1, 2, 3].filter((id) => id !== faulty);
  const sim = new Simulation({
    n: 4,
    seed: o.seed,
    scheme: "mac",
    params: SIM_PARAMS,
    network: { minDelay: 1, maxDelay: 4, loss: 0, duplicate: 0.05 },
    staleTimers: 0.2,
    ...(o.wrongRootFrom === undefined ? {} : { wrongRoots: new Map([[faulty, o.wrongRootFrom]]) }),
    ...(o.executionDelay === undefined ? {} : { executionDelay: new Map([[faulty, o.executionDelay]]) }),
  });
  const watch = watchReplica(sim, faulty);
  if (o.downUntil !== undefined) {
    sim.crash(faulty);
    sim.at(o.downUntil, () => sim.restart(faulty));
  }
  // 80 requests over 240 ticks, in batches of at most 4: at least 20 blocks, 5 checkpoints.
  for (let i = 0; i < 80; i++) {
    sim.at(1 + 3 * i, () => sim.submit(healthy[i % 3] as number));
  }
  sim.runUntil(Math.max(240, o.downUntil ?? 0));
  sim.runUntilLive(3000);
  sim.runUntil(sim.now + 3 * SIM_PARAMS.statusInterval);
  return { sim, watch, faulty };
}

const state = (sim: Simulation, id: number) => sim.node(id).state as ReplicaState;

function expectOthersUnaffected(sim: Simulation, faulty: number): void {
  for (const id of [0, 1, 2, 3].filter((i) => i !== faulty)) {
    const s = state(sim, id);
    expect(s.diverged).toBeUndefined();
    expect(s.stable.seq).toBeGreaterThanOrEqual(16);
    expect(sim.node(id).app.height).toBeGreaterThanOrEqual(20);
  }
}

function expectDivergedAt(sim: Simulation, watch: Watch, faulty: number, seq: number): void {
  const healthy = faulty === 0 ? 1 : 0;
  const d = state(sim, faulty).diverged;
  expect(d).toEqual({
    seq,
    field: "stateRoot",
    own: sim.node(faulty).app.roots.get(seq),
    certified: sim.node(healthy).app.roots.get(seq),
  });
  // It signed no CHECKPOINT after the one that diverged, and refused to report roots afterwards.
  expect(Math.max(0, ...watch.checkpoints)).toBeLessThanOrEqual(seq);
  expect(sim.metrics.coreRejects.get("diverged: state roots are not reported")).toBeGreaterThan(0);
  // It keeps ordering with the others: every request reached it, and it follows their stable checkpoints.
  expect(state(sim, faulty).lastCommitted).toBe(state(sim, healthy).lastCommitted);
  expect(state(sim, faulty).stable.seq).toBeGreaterThanOrEqual(16);
  // The divergence is persisted like the rest of the state.
  const node = sim.node(faulty);
  expect(isDeepStrictEqual(node.core.restore(structuredClone(node.log)), node.state)).toBe(true);
}

describe("state-root agreement at checkpoints", () => {
  it("controls: with every ledger correct, no replica diverges, whatever the schedule", () => {
    for (const o of [{ seed: 1 }, { seed: 2, executionDelay: 40 }, { seed: 3, downUntil: 150 }]) {
      const { sim, watch } = run(o);
      for (const id of [0, 1, 2, 3]) {
        expect(state(sim, id).diverged).toBeUndefined();
      }
      expect(watch.detectedBy).toBeUndefined();
      // Every certificate that arrived before replica 1's own root was compared once the root came.
      expect(state(sim, 1).certifiedAhead.size).toBe(0);
      if (o.executionDelay === undefined) {
        expect(watch.checkpoints.length).toBeGreaterThan(0);
      }
    }
  });

  it("a replica whose ledger computes a wrong root is flagged at the next checkpoint; the others go on", () => {
    for (const seed of [11, 12, 13, 14]) {
      const { sim, watch, faulty } = run({ seed, wrongRootFrom: 3 });
      expectDivergedAt(sim, watch, faulty, 4);
      expectOthersUnaffected(sim, faulty);
    }
  });

  it("the quorum certifies before the replica's ledger reported: it compares when `executed` arrives", () => {
    for (const seed of [21, 22, 23]) {
      const { sim, watch, faulty } = run({ seed, wrongRootFrom: 3, executionDelay: 40 });
      expect(watch.detectedBy).toBe("executed");
      expectDivergedAt(sim, watch, faulty, 4);
      expectOthersUnaffected(sim, faulty);
    }
  });

  it("a replica behind adopts the stable checkpoint by state transfer and compares when it executes that height", () => {
    const { sim, watch, faulty } = run({ seed: 31, wrongRootFrom: 2, downUntil: 150 });
    expect(watch.detectedBy).toBe("executed");
    const d = state(sim, faulty).diverged;
    expect(d?.seq).toBeGreaterThan(4); // it never saw checkpoint 4 become stable: it was down
    expectDivergedAt(sim, watch, faulty, d?.seq as number);
    expectOthersUnaffected(sim, faulty);
  });

  it("the diverged replica may be the primary: it keeps proposing and the chain goes on without a view change", () => {
    const { sim, watch, faulty } = run({ seed: 41, faulty: 0, wrongRootFrom: 5 });
    expectDivergedAt(sim, watch, faulty, 8);
    expectOthersUnaffected(sim, faulty);
    for (const id of [0, 1, 2, 3]) {
      expect(state(sim, id).view).toBe(0);
    }
  });
});

describe("a stable checkpoint that contradicts the replica (property)", () => {
  const f = fixture(4);
  const core = f.cores[1] as NonNullable<(typeof f.cores)[number]>;
  const K = SIM_PARAMS.checkpointInterval;

  /** Replica 1 after committing blocks 1..K in view 0: checkpoint K waits for its ledger's root. */
  function atCheckpoint(): { state: ReplicaState; log: PersistRecord[] } {
    let s = core.init();
    const log: PersistRecord[] = [];
    const step = (input: Input) => {
      const r = core.step(s, input);
      s = r.state;
      log.push(...r.persist);
    };
    for (let seq = 1; seq <= K; seq++) {
      const batch = [request(seq)];
      const d = batchDigest(batch);
      step({ type: "message", envelope: f.msg(0, prePrepare(0, seq, batch), [batch]) });
      for (const from of [2, 3]) {
        step({ type: "message", envelope: f.msg(from, { type: "prepare", view: 0, seq, digest: d }) });
      }
      for (const from of [0, 2]) {
        step({ type: "message", envelope: f.msg(from, { type: "commit", view: 0, seq, digest: d }) });
      }
    }
    expect(s.pendingCheckpoints.has(K)).toBe(true);
    return { state: s, log };
  }

  const root = (i: number): Digest => hashTagged("test-root", new Uint8Array([i]));
  const other = hashTagged("test-other-chain");
  const event = fc.oneof(
    fc.record({ kind: fc.constant("executed" as const), root: fc.integer({ min: 0, max: 1 }) }),
    fc.record({
      kind: fc.constant("checkpoint" as const),
      from: fc.constantFrom(0, 2, 3),
      ownChain: fc.boolean(),
      root: fc.integer({ min: 0, max: 1 }),
    }),
  );

  it("never throws; diverged is set exactly when the certified chain hash or root differs from its own", () => {
    const start = atCheckpoint();
    const ownChain = start.state.chainHash;
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        let s = structuredClone(start.state);
        const log = structuredClone(start.log);
        // A model of the rule: the first vote per sender counts, the first group of 2f + 1 becomes stable and is
        // compared with our chain hash and with the root our ledger reported (before or after); while diverged,
        // a report of the certified root at that height (a rebuilt ledger) ends the divergence.
        const votes = new Map<number, string>();
        let ownRoot: number | undefined;
        let certified: { chain: boolean; root: number } | undefined;
        let expected: ReplicaState["diverged"];
        const tally = () => {
          const counts = new Map<string, number>();
          for (const v of votes.values()) {
            counts.set(v, (counts.get(v) ?? 0) + 1);
            if ((counts.get(v) as number) >= 3 && certified === undefined) {
              certified = { chain: v.startsWith("own"), root: Number(v.slice(-1)) };
              if (!certified.chain) {
                expected = { seq: K, field: "chainHash", own: ownChain, certified: other };
              } else if (ownRoot !== undefined && ownRoot !== certified.root) {
                expected = { seq: K, field: "stateRoot", own: root(ownRoot), certified: root(certified.root) };
              }
            }
          }
        };
        const executed = (r: number) => {
          if (expected !== undefined) {
            if (expected.field === "stateRoot" && certified?.root === r) {
              expected = undefined;
            }
          } else if (ownRoot === undefined) {
            ownRoot = r;
            if (certified === undefined) {
              votes.set(1, `own/${r}`);
              tally();
            } else if (r !== certified.root) {
              expected = { seq: K, field: "stateRoot", own: root(r), certified: root(certified.root) };
            }
          }
        };
        for (const e of events) {
          const input: Input =
            e.kind === "executed"
              ? { type: "executed", seq: K, stateRoot: root(e.root) }
              : {
                  type: "message",
                  envelope: f.msg(e.from, {
                    type: "checkpoint",
                    seq: K,
                    chainHash: e.ownChain ? ownChain : other,
                    stateRoot: root(e.root),
                  }),
                };
          const r = core.step(s, input);
          s = r.state;
          log.push(...r.persist);
          if (e.kind === "executed") {
            executed(e.root);
          } else if (certified === undefined && !votes.has(e.from)) {
            votes.set(e.from, `${e.ownChain ? "own" : "other"}/${e.root}`);
            tally();
          }
        }
        expect(s.stable.seq).toBe(certified === undefined ? 0 : K);
        expect(s.diverged).toEqual(expected);
        expect(isDeepStrictEqual(core.restore(log), s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
