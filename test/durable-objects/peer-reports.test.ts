import { describe, expect, it } from "vitest";
import { PeerReports } from "../../durable-objects/peer-reports.ts";
import type { Status } from "../../src/consensus/index.ts";

const status = (lastCommitted: number, view = 0, active = true): Status => ({
  type: "status",
  view,
  active,
  lastCommitted,
  stableSeq: 0,
});

describe("peer reports", () => {
  it("keeps each peer's latest STATUS with its age, in validator order", () => {
    const reports = new PeerReports();
    expect(reports.list(0)).toEqual([]);
    reports.record(3, status(5), 1_000);
    reports.record(1, status(6, 1, false), 1_500);
    reports.record(3, status(7, 1), 2_000);
    expect(reports.list(2_500)).toEqual([
      { index: 1, height: 6, view: 1, active: false, lastSeenMs: 1_000 },
      { index: 3, height: 7, view: 1, active: true, lastSeenMs: 500 },
    ]);
  });

  it("never reports a negative age when the clock steps back", () => {
    const reports = new PeerReports();
    reports.record(0, status(1), 5_000);
    expect(reports.list(4_000)[0]?.lastSeenMs).toBe(0);
  });
});
