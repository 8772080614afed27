import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxMessageBytes, PeerRateLimits } from "../../durable-objects/peer-limits.ts";
import { devValidatorPublicKey } from "../../src/chain/dev-keys.ts";
import {
  type Batch,
  type Checkpoint,
  type Commit,
  committeeFromGenesis,
  DEFAULT_PARAMS,
  encodeEnvelope,
  type Message,
  type PrePrepare,
  type Prepare,
  type Signed,
  type ViewChange,
} from "../../src/consensus/index.ts";

const BIG = 2 ** 52;
const digest = new Uint8Array(32).fill(7);
const signature = new Uint8Array(64).fill(9);
const signed = <M extends Message>(from: number, message: M): Signed<M> => ({ from, message, signature });
const phase = <T extends "pre-prepare" | "prepare" | "commit">(type: T, seq: number) =>
  ({ type, view: BIG, seq: BIG + seq, digest }) as Extract<Message, { type: T }>;

describe("largest legal frame", () => {
  // Small limits, so the fullest message of each kind is cheap to build.
  const params = {
    ...DEFAULT_PARAMS,
    checkpointInterval: 2,
    watermarkWindow: 4,
    blockRetention: 4,
    maxBatchRequests: 3,
    maxBatchBytes: 90,
    maxRequestBytes: 30,
    maxBlocksPerResponse: 5,
  };
  const n = 4;
  const committee = committeeFromGenesis({
    chainId: "sero-local-1",
    validators: Array.from({ length: n }, (_, i) => devValidatorPublicKey(i)),
    params,
  });
  const fullBatch: Batch = Array.from(
    { length: params.maxBatchRequests },
    () => new Uint8Array(params.maxRequestBytes),
  );
  const everyone = <T>(make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  const bound = maxMessageBytes(committee);

  it("holds the fullest NEW-VIEW, BLOCKS and REQUEST an honest replica can send", () => {
    const checkpoint: Checkpoint = { type: "checkpoint", seq: BIG, chainHash: digest, stateRoot: digest };
    const viewChange = (from: number): Signed<ViewChange> =>
      signed(from, {
        type: "view-change",
        newView: BIG,
        stableSeq: BIG,
        checkpointProof: everyone((i) => signed(i, checkpoint)),
        prepared: Array.from({ length: params.watermarkWindow }, (_, s) => ({
          prePrepare: signed(0, phase("pre-prepare", s) as PrePrepare),
          prepares: everyone((i) => signed(i, phase("prepare", s) as Prepare)),
        })),
      });
    const window = Array.from({ length: params.watermarkWindow }, (_, s) => s);
    const newView = encodeEnvelope({
      ...signed(0, {
        type: "new-view",
        view: BIG,
        viewChanges: everyone(viewChange),
        prePrepares: window.map((s) => signed(0, phase("pre-prepare", s) as PrePrepare)),
      }),
      batches: window.map(() => fullBatch),
    });
    const blocks = encodeEnvelope({
      ...signed(1, {
        type: "blocks",
        certificates: Array.from({ length: params.maxBlocksPerResponse }, (_, s) =>
          everyone((i) => signed(i, phase("commit", s) as Commit)),
        ),
      }),
      batches: Array.from({ length: params.maxBlocksPerResponse }, () => fullBatch),
    });
    const request = encodeEnvelope({
      ...signed(1, { type: "request", request: new Uint8Array(params.maxRequestBytes) }),
      batches: [],
    });
    expect(newView.length).toBe(bound); // the fullest new-view is exactly the bound: nothing legal is cut
    expect(blocks.length).toBeLessThanOrEqual(bound);
    expect(request.length).toBeLessThanOrEqual(bound);
  });

  it("grows with the committee's batch limits", () => {
    const defaults = committeeFromGenesis({ ...committee, chainId: "sero-local-1", params: DEFAULT_PARAMS });
    expect(maxMessageBytes(defaults)).toBeGreaterThan(DEFAULT_PARAMS.watermarkWindow * DEFAULT_PARAMS.maxBatchBytes);
    expect(maxMessageBytes(defaults)).toBeLessThan(
      (DEFAULT_PARAMS.watermarkWindow + 1) * DEFAULT_PARAMS.maxBatchBytes + (1 << 20),
    );
  });
});

describe("peer rate limits", () => {
  const rate = { burst: 10, perSecond: 100 };

  it("lets a burst through, drops and counts the excess, then cuts a peer far over", () => {
    const limits = new PeerRateLimits(rate);
    const verdicts = Array.from({ length: 30 }, () => limits.admit(1, 0));
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill("accept"));
    expect(verdicts.slice(10, 20)).toEqual(Array(10).fill("drop"));
    expect(verdicts.slice(20)).toEqual(Array(10).fill("disconnect"));
    expect(limits.dropped(1)).toBe(20);
    // Other peers have their own buckets.
    expect(limits.admit(2, 0)).toBe("accept");
    expect(limits.dropped(2)).toBe(0);
  });

  it("refills at the rate, capped at the burst, and a reconnect does not refill", () => {
    const limits = new PeerRateLimits(rate);
    for (let i = 0; i < 10; i++) {
      limits.admit(1, 0);
    }
    expect(limits.admit(1, 0)).toBe("drop"); // -1
    expect(limits.admit(1, 20)).toBe("accept"); // +2 tokens: 1 left, then 0
    expect(limits.admit(1, 10_000)).toBe("accept");
    const accepted = Array.from({ length: 20 }, () => limits.admit(1, 10_000)).filter((v) => v === "accept");
    expect(accepted.length).toBe(9); // refilled to the burst, not beyond
  });

  it("never lets through more than burst + rate × time, whatever the arrival pattern", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (gaps) => {
        const limits = new PeerRateLimits(rate);
        let now = 0;
        let accepted = 0;
        for (const gap of gaps) {
          now += gap;
          if (limits.admit(7, now) === "accept") {
            accepted += 1;
          }
        }
        expect(accepted).toBeLessThanOrEqual(rate.burst + (now * rate.perSecond) / 1000);
        expect(limits.dropped(7)).toBe(gaps.length - accepted);
      }),
    );
  });

  it("does not mint tokens when the clock goes backwards", () => {
    const limits = new PeerRateLimits(rate);
    for (let i = 0; i < 10; i++) {
      limits.admit(1, 1_000);
    }
    expect(limits.admit(1, 0)).toBe("drop");
    expect(limits.admit(1, 1_000)).toBe("drop");
  });
});
