/**
 * The consensus request pool (CONSENSUS.md §3.1): bounded by count
 * and bytes with eviction of the lowest fee rate, and batches that take lanes
 * round-robin, the highest fee rate first within a round.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConsensusParams,
  createReplica,
  decodeEnvelope,
  digestKey,
  type Input,
  type ReplicaState,
  type RequestClassifier,
  requestDigest,
} from "../../src/consensus/index.ts";
import { makeKeyring } from "./sim/keys.ts";
import { SIM_PARAMS } from "./sim/scenario.ts";

/** Test requests read `lane/fee/label[/weight]`, padded with spaces to `size` bytes. */
const req = (lane: string, fee: number, label: string | number, size = 16): Uint8Array =>
  new TextEncoder().encode(`${lane}/${fee}/${label}`.padEnd(size, " "));
const classify: RequestClassifier = (request) => {
  const [lane = "", fee = "0", , weight = "0"] = new TextDecoder().decode(request).trim().split("/");
  return { lane, fee: BigInt(fee), weight: BigInt(weight) };
};
const text = (r: Uint8Array) => new TextDecoder().decode(r).trim();

/** Replica 0, the primary of view 0; with `self`, another replica (a backup, whose pool proposes nothing). */
function primary(params: Partial<ConsensusParams> = {}, maxBatchWeight?: bigint, self = 0) {
  const keyring = makeKeyring(4, "mac", { ...SIM_PARAMS, ...params }, 7);
  const core = createReplica({
    committee: keyring.committee,
    signer: keyring.signers[self] as never,
    classify,
    ...(maxBatchWeight === undefined ? {} : { maxBatchWeight }),
  });
  let state = core.init();
  const step = (input: Input) => {
    const r = core.step(state, input);
    state = r.state;
    return r;
  };
  const add = (request: Uint8Array) => step({ type: "request", request });
  /** Requests the primary proposed, batch by batch. */
  const proposedBatches = (results: { send: readonly { type: string; bytes: Uint8Array }[] }[]) =>
    results.flatMap((r) =>
      r.send
        .filter((s) => s.type === "pre-prepare")
        .map((s) => (decodeEnvelope(s.bytes).envelope.batches[0] ?? []).map(text)),
    );
  /** Holds proposals back (the window is full) while `fill` runs, then lets the primary batch the backlog. */
  const backlogBatches = (fill: () => void): string[][] => {
    const next = state.nextSeq;
    state.nextSeq = state.stable.seq + keyring.committee.params.watermarkWindow + 1;
    fill();
    state.nextSeq = next;
    step({ type: "timer", timer: { kind: "status", view: 0, seq: -1 } }); // refused as stale; re-arms the batch timer
    const results = [];
    for (let i = 0; i < 64 && armed(state); i++) {
      results.push(step({ type: "timer", timer: { kind: "batch", view: 0, seq: state.nextSeq } }));
    }
    return proposedBatches(results);
  };
  return {
    core,
    step,
    add,
    proposedBatches,
    backlog: (fill: () => void): string[] => backlogBatches(fill).flat(),
    backlogBatches,
    pool: () => [...state.pool.values()].map((e) => text(e.request)),
    state: () => state,
  };
}

/** A backup: its pool is bounded alike, and none of its requests is ever in a batch it proposed. */
const backup = (params: Partial<ConsensusParams>) => primary(params, undefined, 1);

const armed = (s: ReplicaState) => s.timers.has("batch");

describe("request pool: bounds and eviction", () => {
  it("a full pool takes a request paying more per byte by evicting the lowest fee rate, and refuses one paying less", () => {
    const p = backup({ maxPoolRequests: 3, maxBatchRequests: 16 });
    for (const fee of [3, 1, 2]) {
      expect(p.add(req("a", fee, fee)).rejected).toBeUndefined();
    }
    expect(p.add(req("b", 5, "pay")).rejected).toBeUndefined();
    expect(p.pool()).toEqual(["a/3/3", "a/2/2", "b/5/pay"]);

    const before = structuredClone(p.state().pool);
    for (const r of [req("c", 2, "equal"), req("c", 0, "spam")]) {
      const refused = p.add(r);
      expect(refused.rejected).toBe("request pool full");
      expect(refused.persist).toEqual([]); // refused: nothing persisted, nothing evicted, nothing relayed
      expect(refused.send).toEqual([]);
    }
    expect(p.state().pool).toEqual(before);
  });

  it("ranks by fee per byte: a long request paying the same fee is evicted first", () => {
    const p = backup({ maxPoolRequests: 2, maxBatchRequests: 16 });
    p.add(req("a", 4, "short", 16));
    p.add(req("a", 4, "long", 64));
    p.add(req("b", 4, "new", 16));
    expect(p.pool()).toEqual(["a/4/short", "b/4/new"]);
  });

  it("evicts by bytes as well, several if needed, and none when the cheaper ones do not make room", () => {
    const p = backup({ maxRequestBytes: 64, maxPoolBytes: 96, maxBatchRequests: 16 });
    p.add(req("a", 1, 1, 32));
    p.add(req("a", 1, 2, 32));
    p.add(req("a", 9, 3, 32));
    // 64 bytes must go: both cheap ones, never the one paying more than the newcomer.
    expect(p.add(req("b", 4, "big", 64)).rejected).toBeUndefined();
    expect(p.pool()).toEqual(["a/9/3", "b/4/big"]);
    const before = structuredClone(p.state().pool);
    expect(p.add(req("c", 4, "big2", 64)).rejected).toBe("request pool full"); // nothing pays less per byte
    expect(p.state().pool).toEqual(before);
  });

  it("never evicts or drops a request already in a batch", () => {
    const p = primary({ maxPoolRequests: 3, maxBatchRequests: 3 });
    p.add(req("a", 1, "proposed")); // the primary is idle: proposed at once
    p.add(req("b", 2, "waiting")); // batched behind the one in flight
    p.add(req("c", 2, "waiting"));
    // The cheapest is the one in a batch: the cheapest waiting one goes instead.
    expect(p.add(req("d", 3, "new")).rejected).toBeUndefined();
    expect(p.pool()).toEqual(["a/1/proposed", "b/2/waiting", "d/3/new"]);
    const dropped = p.step({ type: "drop", requests: [requestDigest(req("a", 1, "proposed"))] });
    expect(dropped.rejected).toBe("nothing to drop");
  });
});

describe("request pool: drops", () => {
  it("forgets dropped requests, persists the drop, and restore replays it", () => {
    const p = backup({ maxBatchRequests: 16 });
    const log = [p.add(req("a", 1, 1)), p.add(req("a", 1, 2))].flatMap((r) => r.persist);
    const drop = p.step({
      type: "drop",
      requests: [requestDigest(req("a", 1, 1)), requestDigest(req("z", 0, "unknown"))],
    });
    expect(drop.rejected).toBeUndefined();
    expect(p.pool()).toEqual(["a/1/2"]);
    const restored = p.core.restore(structuredClone([...log, ...drop.persist]));
    expect([...restored.pool.keys()]).toEqual([digestKey(requestDigest(req("a", 1, 2)))]);
  });
});

describe("request pool: batching", () => {
  it("an idle primary proposes a lone request at once; while a batch is in flight, requests batch until full or the timer", () => {
    const p = primary({ maxBatchRequests: 4 });
    const batchTimer = () => p.step({ type: "timer", timer: { kind: "batch", view: 0, seq: p.state().nextSeq } });
    expect(p.proposedBatches([p.add(req("a", 1, "lone"))])).toEqual([["a/1/lone"]]);
    expect(armed(p.state())).toBe(false); // nothing left for a timer to close

    const behind = ["b", "c", "d"].map((lane) => p.add(req(lane, 1, "behind")));
    expect(p.proposedBatches(behind)).toEqual([]); // batch 1 is in flight: these wait for a fuller batch
    expect(armed(p.state())).toBe(true);
    expect(p.proposedBatches([p.add(req("e", 1, "fills"))])).toEqual([
      ["b/1/behind", "c/1/behind", "d/1/behind", "e/1/fills"],
    ]);

    expect(p.proposedBatches([p.add(req("f", 1, "late"))])).toEqual([]);
    expect(p.proposedBatches([batchTimer()])).toEqual([["f/1/late"]]);
    expect(p.state().nextSeq).toBe(4);
  });

  it("one source flooding delays another source's request by at most one round", () => {
    const p = primary({ maxBatchRequests: 4 });
    const order = p.backlog(() => {
      for (let i = 0; i < 20; i++) {
        p.add(req("flood", 9, i));
      }
      p.add(req("alice", 1, "pay"));
      p.add(req("bob", 1, "pay"));
    });
    // Round 0: one of each lane, the highest fee rate first; then the flood.
    expect(order.slice(0, 4)).toEqual(["flood/9/0", "alice/1/pay", "bob/1/pay", "flood/9/1"]);
    expect(order).toHaveLength(22);
  });

  it("a batch holds at most the weight budget (a block's gas): a heavy request waits, lighter ones behind it go", () => {
    const p = primary({ maxBatchRequests: 16 }, 10n);
    const batches = p.backlogBatches(() => {
      p.add(req("a", 5, "a/6"));
      p.add(req("b", 4, "b/6"));
      p.add(req("c", 3, "c/3"));
      p.add(req("d", 2, "d/0"));
    });
    expect(batches).toEqual([["a/5/a/6", "c/3/c/3", "d/2/d/0"], ["b/4/b/6"]]);
  });

  it("keeps arrival order within a lane (an issuer's nonces) and fee order within a round", () => {
    const p = primary({ maxBatchRequests: 16 });
    const order = p.backlog(() => {
      p.add(req("asset", 0, "n0"));
      p.add(req("asset", 0, "n1"));
      p.add(req("t1", 3, "x"));
      p.add(req("t2", 7, "y"));
    });
    expect(order).toEqual(["t2/7/y", "t1/3/x", "asset/0/n0", "asset/0/n1"]);
  });

  it("property: every request is proposed once, and a lane's r-th request never goes before another lane's (r-1)-th", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (arrivals) => {
          const p = primary({ maxBatchRequests: 3, maxPoolRequests: 1000 });
          const order = p.backlog(() => {
            for (const [i, [lane, fee]] of arrivals.entries()) {
              p.add(req(`L${lane}`, fee, i));
            }
          });
          const expected = arrivals.map(([lane, fee], i) => text(req(`L${lane}`, fee, i)));
          expect([...order].sort()).toEqual([...expected].sort());
          // A request's round is its place in its lane; rounds never go back, so no lane gets a round ahead.
          const roundOf = new Map(
            expected.map((r, i) => [r, arrivals.slice(0, i).filter(([l]) => l === arrivals[i]?.[0]).length]),
          );
          const rounds = order.map((r) => roundOf.get(r) as number);
          expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
        },
      ),
      { numRuns: 100 },
    );
  });
});
