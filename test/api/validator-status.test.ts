import { describe, expect, it } from "vitest";
import type { ReplicaStatus } from "../../durable-objects/replica.ts";
import { validatorsView } from "../../src/api/validator-status.ts";

const root = "ab".repeat(32);

function replica(index: number, heard: ReplicaStatus["heard"] = [], divergence: ReplicaStatus["divergence"] = null) {
  const status: ReplicaStatus = {
    index,
    height: 9,
    view: 1,
    primary: 1,
    epoch: { number: 2, firstHeight: 33, beacon: root },
    stateRoot: root,
    mempool: 2,
    peers: [1, 2],
    heard,
    projection,
    divergence,
    persistence: { state: "ok" },
  };
  return status;
}

const projection = { state: "ok", pendingBlocks: 0 } as const;

const report = (index: number, height: number, lastSeenMs: number) => ({
  index,
  height,
  view: 1,
  active: true,
  lastSeenMs,
});

describe("the validator list of /v1/status", () => {
  it("shows a hosted replica as it answers, and the others as it last heard them", () => {
    const view = validatorsView(4, [0], [replica(0, [report(1, 9, 300), report(3, 4, 60_000)])]);
    expect(view).toEqual([
      {
        index: 0,
        hosted: true,
        height: 9,
        view: 1,
        primary: 1,
        epoch: { number: 2, firstHeight: 33, beacon: root },
        stateRoot: root,
        mempool: 2,
        peers: [1, 2],
        projection,
        divergence: null,
        persistence: { state: "ok" },
      },
      { index: 1, hosted: false, height: 9, view: 1, active: true, lastSeenMs: 300 },
      null, // never heard
      { index: 3, hosted: false, height: 4, view: 1, active: true, lastSeenMs: 60_000 },
    ]);
  });

  it("shows a diverged replica's height and both roots, and nothing of it for the others", () => {
    const divergence = {
      height: 16,
      field: "stateRoot" as const,
      own: "01".repeat(32),
      certified: "02".repeat(32),
      recovery: "needs blocks 1..3, older than any replica at this height retains (blockRetention)",
    };
    const view = validatorsView(4, [0, 1], [replica(0), replica(1, [], divergence)]);
    expect(view[1]).toMatchObject({ index: 1, hosted: true, divergence });
    expect(view[0]).toMatchObject({ index: 0, hosted: true, divergence: null });
  });

  it("keeps null for a hosted replica that did not answer, even if its peers heard it", () => {
    const view = validatorsView(4, [0, 1, 2, 3], [replica(0, [report(1, 9, 10)]), replica(2), replica(3)]);
    expect(view.map((v) => v?.hosted ?? null)).toEqual([true, null, true, true]);
  });

  it("takes the freshest report when several hosted replicas heard the same validator", () => {
    const view = validatorsView(
      7,
      [0, 1],
      [replica(0, [report(5, 10, 900)]), replica(1, [report(5, 11, 100), report(6, 3, 5)])],
    );
    expect(view[5]).toMatchObject({ hosted: false, height: 11, lastSeenMs: 100 });
    expect(view[6]).toMatchObject({ hosted: false, height: 3 });
  });
});
