import { describe, expect, it } from "vitest";
import { planNewView } from "../../src/consensus/certificates.ts";
import {
  armedTimers,
  type Batch,
  batchDigest,
  encodeEnvelope,
  type Input,
  NULL_DIGEST,
  openEnvelope,
  type PreparedCertificate,
  type ReplicaState,
  type Signed,
  type ViewChange,
} from "../../src/consensus/index.ts";
import { viewTimeout } from "../../src/consensus/timers.ts";
import { fixture, prePrepare, request } from "./sim/fixtures.ts";
import { loadScenarios } from "./sim/load.ts";
import { runScenario, SIM_PARAMS } from "./sim/scenario.ts";

const f = fixture(4);
const strip = <T extends Signed>(e: T): T => ({ from: e.from, message: e.message, signature: e.signature }) as T;

function cert(view: number, seq: number, batch: Batch): PreparedCertificate {
  const primary = view % 4;
  const d = batchDigest(batch);
  const backups = [0, 1, 2, 3].filter((i) => i !== primary).slice(0, 2);
  return {
    prePrepare: strip(f.msg(primary, prePrepare(view, seq, batch))),
    prepares: backups.map((i) => strip(f.msg(i, { type: "prepare", view, seq, digest: d }))),
  };
}

function vc(newView: number, prepared: PreparedCertificate[] = []): ViewChange {
  return { type: "view-change", newView, stableSeq: 0, checkpointProof: [], prepared };
}

describe("new-view computation (PBFT §4.4)", () => {
  it("takes, per sequence number, the prepared certificate of the highest view, and null requests in gaps", () => {
    const a = [request(1)];
    const b = [request(2)];
    const c = [request(3)];
    const plan = planNewView([vc(2, [cert(0, 1, a), cert(0, 3, c)]), vc(2, [cert(1, 1, b)]), vc(2, [])]);
    expect(plan.minS).toBe(0);
    expect(plan.maxS).toBe(3);
    expect(plan.entries.map((e) => e.digest)).toEqual([batchDigest(b), NULL_DIGEST, batchDigest(c)]);
  });

  it("a backup enters the new view, prepares every entry of O, and refuses a NEW-VIEW whose O was tampered with", () => {
    const batch = [request(5)];
    const vcs = [0, 2, 3].map((i) => {
      const m = vc(1, i === 2 ? [cert(0, 1, batch)] : []);
      return { envelope: f.msg(i, m, i === 2 ? [batch] : []), message: m };
    });
    const o = [strip(f.msg(1, prePrepare(1, 1, batch)))];
    const good = { type: "new-view" as const, view: 1, viewChanges: vcs.map((v) => strip(v.envelope)), prePrepares: o };
    const core = f.cores[3];
    if (core === undefined) {
      throw new Error("fixture");
    }

    const ok = core.step(core.init(), { type: "message", envelope: f.msg(1, good, [batch]) });
    expect(ok.rejected).toBeUndefined();
    expect(ok.state.view).toBe(1);
    expect(ok.state.active).toBe(true);
    expect(ok.send.map((s) => s.type)).toEqual(["prepare"]);

    // The new primary replaces the prepared batch with one of its own choosing (correctly signed).
    const evil = [request(666)];
    const tampered = { ...good, prePrepares: [strip(f.msg(1, prePrepare(1, 1, evil)))] };
    const bad = core.step(core.init(), { type: "message", envelope: f.msg(1, tampered, [evil]) });
    expect(bad.rejected).toMatch(/O differs from V at sequence 1/);
    expect(bad.state.view).toBe(0);

    const short = { ...good, viewChanges: good.viewChanges.slice(0, 2) };
    const r = core.step(core.init(), { type: "message", envelope: f.msg(1, short, [batch]) });
    expect(r.rejected).toMatch(/fewer than 2f \+ 1/);

    const notPrimary = core.step(core.init(), { type: "message", envelope: f.msg(2, good, [batch]) });
    expect(notPrimary.rejected).toMatch(/not from the primary/);
  });

  it("refuses a view change whose prepared certificate lacks 2f prepares or comes from a non-primary", () => {
    const batch = [request(1)];
    const weak = cert(0, 1, batch);
    const thin = { ...weak, prepares: weak.prepares.slice(0, 1) };
    const core = f.cores[1];
    if (core === undefined) {
      throw new Error("fixture");
    }
    const r1 = core.step(core.init(), { type: "message", envelope: f.msg(2, vc(1, [thin]), [batch]) });
    expect(r1.rejected).toMatch(/fewer than 2f prepares/);
    const fake = { ...weak, prePrepare: strip(f.msg(3, prePrepare(0, 1, batch))) };
    const r2 = core.step(core.init(), { type: "message", envelope: f.msg(2, vc(1, [fake as never]), [batch]) });
    expect(r2.rejected).toMatch(/not signed by the primary/);
  });
});

describe("view-change liveness rules (PBFT §4.5.2)", () => {
  it("a backup waiting on a request times out and multicasts VIEW-CHANGE with its prepared certificates", () => {
    const core = f.cores[2];
    if (core === undefined) {
      throw new Error("fixture");
    }
    let s: ReplicaState = core.init();
    s = core.step(s, { type: "request", request: request(1) }).state;
    const timer = armedTimers(s).find((t) => t.kind === "view");
    expect(timer).toMatchObject({ view: 0, seq: 0, after: SIM_PARAMS.viewTimeout });
    const r = core.step(s, { type: "timer", timer: { kind: "view", view: 0, seq: 0 } });
    expect(r.send.map((m) => m.type)).toEqual(["view-change"]);
    expect(r.state).toMatchObject({ view: 1, active: false });
    const opened = openEnvelope(r.send[0]?.bytes as Uint8Array, f.keyring);
    expect(opened.ok && opened.envelope.message).toMatchObject({ type: "view-change", newView: 1 });
  });

  it("joins a higher view on f + 1 view changes, even before its own timer expires", () => {
    const core = f.cores[3];
    if (core === undefined) {
      throw new Error("fixture");
    }
    const inputs: Input[] = [1, 2].map((i) => ({ type: "message", envelope: f.msg(i, vc(2)) }));
    let s = core.init();
    const r1 = core.step(s, inputs[0] as Input);
    s = r1.state;
    expect(s.view).toBe(0);
    const r2 = core.step(s, inputs[1] as Input);
    expect(r2.state).toMatchObject({ view: 2, active: false });
    expect(r2.send.map((m) => m.type)).toEqual(["view-change"]);
  });

  it("doubles the view timer for each consecutive view change, up to the cap", () => {
    expect([0, 1, 2, 3, 4].map((a) => viewTimeout(60, 480, a))).toEqual([60, 120, 240, 480, 480]);
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "cascading-primary-failures-n7") as never);
    const views = sim.correctUp().map((i) => (sim.node(i).state as ReplicaState).view);
    expect(Math.min(...views)).toBeGreaterThanOrEqual(2);
    // Commits resumed in view 2 within the timer periods of two consecutive view changes (T + 2T) plus message delays.
    const first = sim.commits.find((c) => c.view >= 2);
    expect(first).toBeDefined();
    expect((first?.time ?? 0) - 1).toBeLessThanOrEqual(SIM_PARAMS.viewTimeout * 3 + 30);
  });

  it("does not let a replica that is alone in a view change push the views up", () => {
    const core = f.cores[1];
    if (core === undefined) {
      throw new Error("fixture");
    }
    let s = core.step(core.init(), { type: "request", request: request(1) }).state;
    s = core.step(s, { type: "timer", timer: { kind: "view", view: 0, seq: 0 } }).state;
    expect(s).toMatchObject({ view: 1, active: false });
    // Fewer than 2f + 1 view changes for view 1: no view-change timer, so no escalation to view 2.
    expect(
      armedTimers(s)
        .map((t) => t.kind)
        .sort(),
    ).toEqual(["status"]);
  });
});

describe("state transfer", () => {
  it("delivers fetched blocks only with a commit certificate of 2f + 1 signed commits", () => {
    const batch = [request(1)];
    const d = batchDigest(batch);
    const commits = [0, 1, 2].map((i) => strip(f.msg(i, { type: "commit", view: 0, seq: 1, digest: d })));
    const core = f.cores[3];
    if (core === undefined) {
      throw new Error("fixture");
    }
    const thin = core.step(core.init(), {
      type: "message",
      envelope: f.msg(1, { type: "blocks", certificates: [commits.slice(0, 2)] }, [batch]),
    });
    expect(thin.rejected).toBe("no block extends our chain");
    const full = core.step(core.init(), {
      type: "message",
      envelope: f.msg(1, { type: "blocks", certificates: [commits] }, [batch]),
    });
    expect(full.committed.map((b) => b.seq)).toEqual([1]);
    // The boundary already refuses a certificate whose batch does not match its digest.
    const wrong = encodeEnvelope(f.msg(1, { type: "blocks", certificates: [commits] }, [[request(2)]]));
    expect(openEnvelope(wrong, f.keyring)).toMatchObject({ ok: false, code: "bad_attachment" });
  });
});
