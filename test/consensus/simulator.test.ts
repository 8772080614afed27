import { describe, expect, it } from "vitest";
import { Prng } from "./sim/prng.ts";
import { randomScenario } from "./sim/random.ts";
import { runScenario, SIM_PARAMS } from "./sim/scenario.ts";
import { Simulation, SimulationError } from "./sim/simulation.ts";

// The checks must be able to fail: each test below breaks something on purpose.
describe("the simulator's checks", () => {
  it("PRNG: same seed, same sequence; different seeds differ", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it("catches a safety violation (and names the seed) when correct replicas run a core with quorums too small", () => {
    const run = () => {
      const sim = new Simulation({
        n: 4,
        seed: 77,
        scheme: "mac",
        params: SIM_PARAMS,
        network: { minDelay: 1, maxDelay: 2, loss: 0, duplicate: 0 },
        byzantine: new Map([[0, ["equivocate"]]]),
        // f = 0: a replica prepares and commits on its own vote, so it commits whatever its primary told it.
        mutateCommittee: (c) => ({ ...c, f: 0, quorum: 1, weakQuorum: 1 }),
      });
      sim.at(0, () => {
        for (let i = 0; i < 4; i++) {
          sim.submit(1);
        }
      });
      sim.runUntil(200);
    };
    expect(run).toThrow(SimulationError);
    expect(run).toThrow(/seed 77: .*SAFETY/);
  });

  it("catches a liveness failure: with f + 1 replicas down nothing can commit", () => {
    const sim = new Simulation({
      n: 4,
      seed: 5,
      scheme: "mac",
      params: SIM_PARAMS,
      network: { minDelay: 1, maxDelay: 1, loss: 0, duplicate: 0 },
    });
    sim.crash(2);
    sim.crash(3);
    sim.at(1, () => sim.submit(1));
    sim.runUntil(2);
    expect(sim.tracked.size).toBe(1);
    expect(() => sim.runUntilLive(2000)).toThrow(/seed 5: .*liveness/);
  });

  it("catches a replica restarted from a log that lost records (restore differs from the crashed state)", () => {
    const sim = new Simulation({
      n: 4,
      seed: 6,
      scheme: "mac",
      params: SIM_PARAMS,
      network: { minDelay: 1, maxDelay: 1, loss: 0, duplicate: 0 },
    });
    sim.at(0, () => sim.submit(1));
    sim.runUntil(20);
    const node = sim.node(2);
    sim.crash(2);
    node.log.splice(node.log.length - 3, 3);
    expect(() => sim.restart(2)).toThrow(/restore\(log\) differs/);
  });

  it("replays a random schedule exactly from its seed", () => {
    const a = runScenario(randomScenario(321));
    const b = runScenario(randomScenario(321));
    expect(a.sim.metrics).toEqual(b.sim.metrics);
    expect([...a.sim.decided]).toEqual([...b.sim.decided]);
  });

  it("random schedules really contain faults: Byzantine casts, crashes, partitions and lossy links", () => {
    const seen = { byzantine: 0, crash: 0, partition: 0, loss: 0, atWrite: 0, permanent: 0 };
    for (let seed = 0; seed < 1000; seed++) {
      const s = randomScenario(seed);
      if (Object.keys(s.byzantine ?? {}).length > 0) {
        seen.byzantine++;
      }
      if (s.network.loss > 0) {
        seen.loss++;
      }
      for (const e of s.events) {
        if ("crash" in e) {
          seen.crash++;
          if (e.during !== undefined) {
            seen.atWrite++;
          }
          if (e.permanent === true) {
            seen.permanent++;
          }
        }
        if ("partition" in e) {
          seen.partition++;
        }
      }
    }
    for (const [what, count] of Object.entries(seen)) {
      expect(count, what).toBeGreaterThan(100);
    }
  });
});
