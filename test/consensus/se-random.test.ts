import { describe, expect, it } from "vitest";
import {
  batchDigest,
  beaconAlpha,
  createReplica,
  deriveBeacon,
  drawOrder,
  type EpochBeacon,
  genesisBeacon,
  seal,
  transactionsOf,
} from "../../src/consensus/index.ts";
import { encodeSeal } from "../../src/consensus/seal.ts";
import type { ByzantineBehavior } from "./sim/byzantine.ts";
import { makeKeyring } from "./sim/keys.ts";
import { runScenario, type Scenario, SIM_PARAMS } from "./sim/scenario.ts";
import type { Simulation } from "./sim/simulation.ts";

const K = 3;

function scenario(name: string, byzantine: Record<string, ByzantineBehavior[]> = {}, extra = {}): Scenario {
  return {
    name,
    n: 4,
    seed: 7,
    signatures: "mac",
    seRandom: true,
    params: { epochLength: K },
    network: { minDelay: 1, maxDelay: 3, loss: 0, duplicate: 0 },
    byzantine,
    events: Array.from({ length: 12 }, (_, i) => ({ at: 5 + i * 15, submit: { to: 0, count: 3 } })),
    stabilizeAt: 200,
    deadline: 4000,
    ...extra,
  };
}

/** The beacons a correct replica delivered, in order, from its block store. */
function beacons(sim: Simulation, id: number): EpochBeacon[] {
  return [...sim.node(id).blocks.values()]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((b) => (b.beacon === undefined ? [] : [b.beacon]));
}

describe("SE-Random in the replica (CONSENSUS.md §8)", () => {
  it("seals every epoch, rotates drawn primaries without a view change, and every beacon checks offline", () => {
    const { sim } = runScenario(scenario("se-random-rotation"));
    const ring = sim.keyring;
    const chain = beacons(sim, 0);
    expect(chain.length).toBeGreaterThanOrEqual(5);
    // The same beacons at every replica.
    for (const id of [1, 2, 3]) {
      expect(beacons(sim, id).map((b) => b.value)).toEqual(chain.map((b) => b.value));
    }
    let previous = genesisBeacon(ring.committee);
    const firstPrimaries = new Set<number>();
    chain.forEach((b, e) => {
      expect(b.epoch).toBe(e);
      expect(b.previous).toEqual(previous);
      // Offline: only the genesis keys (here the MAC stand-in's verifier) and the previous beacon.
      const again = deriveBeacon(ring.beaconKeys(3), ring.committee, e, previous, b.shares);
      expect(typeof again === "object" && again.value).toEqual(b.value);
      firstPrimaries.add(drawOrder(b.value, ring.committee.stakes)[0] as number);
      previous = b.value;
    });
    // No fault, no timeout: every rotation was scheduled, in view 0.
    for (const id of sim.correctUp()) {
      expect(sim.node(id).state?.view).toBe(0);
    }
    expect(firstPrimaries.size).toBeGreaterThan(1);
    // Sealing blocks carry the shares and no transaction; the others carry no shares.
    for (const block of sim.node(0).blocks.values()) {
      expect(block.beacon !== undefined).toBe(transactionsOf(block.batch).length === 0 && block.batch.length === 1);
    }
  });

  it("seals without a validator that withholds its share", () => {
    const { sim } = runScenario(scenario("se-random-withhold", { "2": ["withhold-share"] }));
    const chain = beacons(sim, 0);
    expect(chain.length).toBeGreaterThanOrEqual(5);
    // Not even in the sealing blocks it proposes itself.
    expect(chain.some((b) => drawOrder(b.previous, sim.keyring.committee.stakes)[0] === 2)).toBe(true);
    for (const b of chain) {
      expect(b.shares.map((s) => s.validator)).toEqual([0, 1, 3]);
    }
  });

  it("replaces a censoring drawn primary by a view change, and the draw goes on", () => {
    const { sim } = runScenario(scenario("se-random-censor", { "1": ["censor"] }));
    expect(Math.max(...sim.correctUp().map((id) => sim.node(id).state?.view ?? 0))).toBeGreaterThan(0);
    expect(beacons(sim, 0).length).toBeGreaterThanOrEqual(3);
  });

  it("stays safe and live under an equivocating or silent drawn primary, with crashes and restarts", () => {
    for (const behaviors of [["equivocate"], ["silent-primary"], ["withhold-share", "equivocate"]] as const) {
      const { sim } = runScenario(scenario(`se-random-${behaviors.join("-")}`, { "3": [...behaviors] }, { seed: 11 }));
      expect(beacons(sim, 0).length).toBeGreaterThanOrEqual(3);
    }
    const restarts = scenario(
      "se-random-restart",
      {},
      {
        events: [...scenario("x").events, { at: 40, crash: 2, during: "after-write" as const }, { at: 90, restart: 2 }],
      },
    );
    const { sim } = runScenario(restarts);
    expect(sim.node(2).state?.epoch).toEqual(sim.node(0).state?.epoch);
  });
});

describe("the sealing block at the boundary of the core", () => {
  const ring = makeKeyring(4, "mac", { ...SIM_PARAMS, epochLength: 2 }, 5);
  const cores = ring.signers.map((signer, id) =>
    createReplica({ committee: ring.committee, signer, beacon: ring.beaconKeys(id) }),
  );
  const first = cores[0]?.init().epoch;
  if (first === undefined) {
    throw new Error("SE-Random is on");
  }
  const proposer = first.order[0] as number;
  const backup = (proposer + 1) % 4;
  const core = cores[backup] as (typeof cores)[number];
  const alpha = beaconAlpha(ring.genesis.chainId, 0, first.previous);
  const share = (v: number) => ({ validator: v, proof: ring.beaconKeys(v).prove(alpha) });
  const prePrepare = (seq: number, batch: Uint8Array[], from = proposer) =>
    seal(
      { type: "pre-prepare", view: 0, seq, digest: batchDigest(batch) },
      [batch],
      ring.signers[from] as never,
      ring.committee,
    ).envelope;
  const refusal = (seq: number, batch: Uint8Array[], from = proposer) =>
    core.step(core.init(), { type: "message", envelope: prePrepare(seq, batch, from) }).rejected;

  it("refuses requests that look like a seal record", () => {
    const fake = encodeSeal({ epoch: 0, shares: [] });
    expect(core.step(core.init(), { type: "request", request: fake }).rejected).toMatch(/seal record/);
  });

  it("takes pre-prepares only from the drawn proposer", () => {
    expect(refusal(1, [new Uint8Array([1])], (proposer + 2) % 4)).toMatch(/not from the primary/);
    expect(refusal(1, [new Uint8Array([1])])).toBeUndefined();
  });

  it("refuses a sealing block without 2f + 1 valid shares of its epoch, and a seal record anywhere else", () => {
    const valid = encodeSeal({ epoch: 0, shares: [0, 1, 2].map(share) });
    expect(refusal(1, [valid])).toMatch(/before the sealing block/);
    expect(refusal(2, [new Uint8Array([1])])).toMatch(/without the epoch's shares/);
    expect(refusal(2, [encodeSeal({ epoch: 0, shares: [0, 1].map(share) })])).toMatch(/too_few_shares/);
    const forged = { ...share(2), proof: share(1).proof };
    expect(refusal(2, [encodeSeal({ epoch: 0, shares: [share(0), share(1), forged] })])).toMatch(/bad_share_proof/);
    expect(refusal(2, [encodeSeal({ epoch: 1, shares: [0, 1, 2].map(share) })])).toMatch(/another epoch/);
    expect(refusal(2, [valid, new Uint8Array([1])])).toMatch(/malformed seal/);
    expect(refusal(2, [valid])).toBeUndefined();
  });

  it("waits with a pre-prepare whose epoch is not known yet", () => {
    // Seq 3 belongs to epoch 1 unless block 2 turns out not to seal: its proposer is unknown here.
    const r = core.step(core.init(), { type: "message", envelope: prePrepare(3, [new Uint8Array([1])]) });
    expect(r.rejected).toBeUndefined();
    expect(r.send).toEqual([]);
    expect(r.state.future.length).toBe(1);
  });
});
