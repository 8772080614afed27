/** What the home page flags about each validator: the divergence an operator must see at a glance. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HostedValidator, ReportedValidator, ValidatorStatus } from "../../src/api/validator-status.ts";
import { BEHIND_BLOCKS, validatorFlags } from "../../src/explorer/validators.ts";

const ROOT_A = "a".repeat(64);
const ROOT_B = "b".repeat(64);

function hosted(
  index: number,
  height: number,
  stateRoot = ROOT_A,
  extra: Partial<HostedValidator> = {},
): HostedValidator {
  return {
    index,
    hosted: true,
    height,
    view: 0,
    primary: 0,
    epoch: null,
    stateRoot,
    mempool: 0,
    peers: [],
    projection: { state: "ok", pendingBlocks: 0 },
    persistence: { state: "ok" },
    divergence: null,
    ...extra,
  };
}

const reported = (index: number, height: number): ReportedValidator => ({
  index,
  hosted: false,
  height,
  view: 0,
  active: true,
  lastSeenMs: 10,
});

describe("validator flags", () => {
  it("all ok while every validator agrees at the tip", () => {
    expect(validatorFlags([hosted(0, 5), hosted(1, 5), hosted(2, 4), reported(3, 5)])).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
  });

  it("flags a silent, a diverged, a halted, a stalled and a lagging validator", () => {
    const flags = validatorFlags([
      null,
      hosted(1, 9, ROOT_A, {
        divergence: { height: 8, field: "stateRoot", own: ROOT_B, certified: ROOT_A, recovery: "rebuilding" },
      }),
      hosted(2, 9, ROOT_A, { persistence: { state: "halted", reason: "disk" } }),
      hosted(3, 9, ROOT_A, {
        projection: { state: "index_stalled", pendingBlocks: 3, height: 7, attempts: 3, reason: "D1 down" },
      }),
      reported(4, 9 - BEHIND_BLOCKS - 1),
      reported(5, 9 - BEHIND_BLOCKS),
    ]);
    expect(flags).toEqual(["silent", "diverged", "halted", "index stalled", "behind", "ok"]);
  });

  it("flags both validators holding different state roots at the same height, whatever else agrees", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3 }), (height, odd) => {
        const validators: ValidatorStatus[] = [0, 1, 2, 3].map((i) => hosted(i, height, i === odd ? ROOT_B : ROOT_A));
        expect(validatorFlags(validators)).toEqual(validators.map(() => "root differs"));
      }),
    );
  });

  it("never flags validators that agree at different heights within the window", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: BEHIND_BLOCKS }), { minLength: 1, maxLength: 7 }), (lags) => {
        const validators = lags.map((lag, i) => hosted(i, 100 - lag, `${100 - lag}`.padStart(64, "0")));
        expect(validatorFlags(validators).every((f) => f === "ok")).toBe(true);
      }),
    );
  });
});
