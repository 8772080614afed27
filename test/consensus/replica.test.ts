import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import {
  armedTimers,
  batchDigest,
  type Input,
  type PersistRecord,
  type ReplicaState,
} from "../../src/consensus/index.ts";
import { deliver, fixture, prePrepare, request, sentTypes } from "./sim/fixtures.ts";
import { loadScenarios } from "./sim/load.ts";
import { runScenario } from "./sim/scenario.ts";

const f = fixture(4);
const core = (i: number) => {
  const c = f.cores[i];
  if (c === undefined) {
    throw new Error(`no core ${i}`);
  }
  return c;
};

/** Runs inputs through a core, keeping the persisted log like the shell does. */
function drive(i: number, inputs: Input[], state = core(i).init(), log: PersistRecord[] = []) {
  const results = [];
  for (const input of inputs) {
    const r = core(i).step(state, input);
    state = r.state;
    log.push(...r.persist);
    results.push(r);
  }
  return { state, log, results };
}

const msg = (from: number, m: Parameters<typeof f.msg>[1], batches: Parameters<typeof f.msg>[2] = []): Input => ({
  type: "message",
  envelope: f.msg(from, m, batches),
});

describe("normal case (PBFT §4.2, §4.3)", () => {
  const batch = [request(1), request(2)];
  const d = batchDigest(batch);

  it("a backup prepares an accepted pre-prepare, commits after 2f prepares, delivers after 2f + 1 commits", () => {
    const { results, state } = drive(1, [
      msg(0, prePrepare(0, 1, batch), [batch]),
      msg(2, { type: "prepare", view: 0, seq: 1, digest: d }),
      msg(3, { type: "commit", view: 0, seq: 1, digest: d }),
      msg(0, { type: "commit", view: 0, seq: 1, digest: d }),
    ]);
    expect(results.map(sentTypes)).toEqual([["prepare->others"], ["commit->others"], [], []]);
    expect(results[2]?.committed).toEqual([]);
    const committed = results[3]?.committed ?? [];
    expect(committed.map((b) => b.seq)).toEqual([1]);
    expect(committed[0]?.batch).toEqual(batch);
    expect(committed[0]?.certificate.map((c) => c.from)).toEqual([0, 1, 3]);
    expect(state.lastCommitted).toBe(1);
  });

  it("the primary batches requests: a lone one at once when idle, then full batches at once, a partial one when the batch timer fires", () => {
    const reqs = Array.from({ length: 7 }, (_, i): Input => ({ type: "request", request: request(i) }));
    const { results, state } = drive(0, reqs);
    // Nothing in flight: request 0 goes alone. maxBatchRequests = 4 in SIM_PARAMS: the 5th request closes batch 2.
    expect(results.map((r) => r.send.filter((s) => s.type === "pre-prepare").length)).toEqual([1, 0, 0, 0, 1, 0, 0]);
    const batchTimer = armedTimers(state).find((t) => t.kind === "batch");
    expect(batchTimer).toMatchObject({ view: 0, seq: 3 });
    const fired = core(0).step(state, { type: "timer", timer: { kind: "batch", view: 0, seq: 3 } });
    expect(fired.send.filter((s) => s.type === "pre-prepare")).toHaveLength(1);
    expect(fired.state.nextSeq).toBe(4);
  });

  it("relays client requests to every replica and ignores a request already pending", () => {
    const { results } = drive(2, [
      { type: "request", request: request(1) },
      { type: "request", request: request(1) },
    ]);
    expect(sentTypes(results[0] as never)).toEqual(["request->others"]);
    expect(results[1]?.rejected).toBe("request already pending");
    expect(results[1]?.persist).toEqual([]);
  });

  it("ignores duplicates and does not persist them", () => {
    const p = msg(2, { type: "prepare", view: 0, seq: 1, digest: d });
    const { results } = drive(1, [p, p]);
    expect(results[0]?.persist).toHaveLength(1);
    expect(results[1]?.rejected).toBe("duplicate prepare");
    expect(results[1]?.persist).toEqual([]);
  });

  it("accepts one digest per (view, seq): a second pre-prepare from an equivocating primary is refused", () => {
    const other = [request(9)];
    const { results } = drive(1, [msg(0, prePrepare(0, 1, batch), [batch]), msg(0, prePrepare(0, 1, other), [other])]);
    expect(results[1]?.rejected).toMatch(/conflicting pre-prepare/);
    expect(results[1]?.send).toEqual([]);
  });

  it("refuses pre-prepares from a non-primary, outside the watermarks, or from an old view", () => {
    const { results } = drive(1, [
      msg(2, prePrepare(0, 1, batch), [batch]),
      msg(0, prePrepare(0, 9, batch), [batch]), // L = 8, h = 0
      msg(0, { type: "prepare", view: 0, seq: 1, digest: d }),
    ]);
    expect(results.map((r) => r.rejected)).toEqual([
      "pre-prepare not from the primary of its view",
      "outside the watermark window",
      "the primary does not send prepares",
    ]);
  });

  it("buffers messages of the next view and drops those too far ahead", () => {
    const { results, state } = drive(1, [
      msg(1, { type: "commit", view: 1, seq: 1, digest: d }),
      msg(2, { type: "commit", view: 1, seq: 1, digest: d }),
      msg(2, { type: "commit", view: 5, seq: 1, digest: d }),
    ]);
    expect(results[0]?.rejected).toBe("own message");
    expect(results[1]?.rejected).toBeUndefined();
    expect(state.future).toHaveLength(1);
    expect(results[2]?.rejected).toBe("message from a view too far ahead");
  });

  it("drops stale timer events", () => {
    const { results } = drive(1, [{ type: "timer", timer: { kind: "view", view: 0, seq: 0 } }]);
    expect(results[0]?.rejected).toBe("stale timer");
  });
});

describe("checkpoints and garbage collection (PBFT §4.3)", () => {
  it("asks for the state root at checkpoint heights and moves the window on 2f + 1 matching checkpoints", () => {
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "normal-case-ed25519-n4") as never);
    for (const node of sim.nodes) {
      const s = node.state as ReplicaState;
      expect(s.stable.seq).toBeGreaterThanOrEqual(4);
      expect(s.stable.proof.length).toBe(3);
      for (const seq of s.slots.keys()) {
        expect(seq).toBeGreaterThan(s.stable.seq);
      }
      for (const seq of s.checkpointVotes.keys()) {
        expect(seq).toBeGreaterThan(s.stable.seq);
      }
    }
  });
});

describe("persistence and restore", () => {
  it("restore(log) rebuilds exactly the live state, also from a structured clone of the log (storage round trip)", () => {
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "replayed-messages-n4") as never);
    for (const node of sim.nodes) {
      if (!node.up || node.state === undefined) {
        continue;
      }
      const restored = node.core.restore(structuredClone(node.log));
      expect(isDeepStrictEqual(restored, node.state)).toBe(true);
      expect(node.log.some((r) => r.type === "snapshot")).toBe(true);
    }
  });

  it("restores from the latest snapshot plus the inputs after it", () => {
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "lagging-replica-beyond-window-n4") as never);
    const node = sim.node(1);
    const last = node.log.map((r) => r.type).lastIndexOf("snapshot");
    expect(last).toBeGreaterThan(0);
    const compacted = node.log.slice(last);
    expect(isDeepStrictEqual(node.core.restore(compacted), node.state)).toBe(true);
  });

  it("a replica restarted after persisting a pre-prepare cannot be made to prepare another digest for (v, n)", () => {
    const batch = [request(1)];
    const other = [request(2)];
    const first = drive(2, [msg(0, prePrepare(0, 1, batch), [batch])]);
    const sentBefore = first.results[0]?.send.map((s) => f.open(s.bytes).message);
    expect(sentBefore?.[0]).toMatchObject({ type: "prepare", digest: batchDigest(batch) });
    // Crash: only the log survives. Restart and receive the conflicting pre-prepare.
    const restored = core(2).restore(first.log);
    const r = core(2).step(restored, { type: "message", envelope: f.msg(0, prePrepare(0, 1, other), [other]) });
    expect(r.rejected).toMatch(/conflicting pre-prepare/);
    expect(r.send).toEqual([]);
  });

  it("is deterministic: the same scenario produces the same traffic and the same states", () => {
    const s = loadScenarios().find((x) => x.name === "crash-during-view-change-n4") as never;
    const a = runScenario(s).sim;
    const b = runScenario(s).sim;
    expect(a.metrics).toEqual(b.metrics);
    expect(a.commits).toEqual(b.commits);
    for (const node of a.nodes) {
      expect(isDeepStrictEqual(node.state, b.node(node.id).state)).toBe(true);
    }
  });
});

describe("status", () => {
  it("a status from a peer that is not ahead changes nothing and is not persisted", () => {
    const s = core(3).init();
    const r = deliver(core(3), s, f.msg(1, { type: "status", view: 0, active: true, lastCommitted: 0, stableSeq: 0 }));
    expect(r.rejected).toBe("status: nothing to record");
    expect(r.persist).toEqual([]);
    expect(r.send).toEqual([]);
  });
});
