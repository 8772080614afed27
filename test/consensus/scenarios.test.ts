import { describe, expect, it } from "vitest";
import { loadScenarios } from "./sim/load.ts";
import { runScenario } from "./sim/scenario.ts";

const scenarios = loadScenarios();

describe("scripted scenarios (test/consensus/scenarios/*.json)", () => {
  it("has scenario files", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
  });

  for (const s of scenarios) {
    it(`${s.name} (seed ${s.seed})`, () => {
      const { sim } = runScenario(s);
      // Liveness and expectations are asserted inside runScenario; make the run's content visible too.
      expect(sim.tracked.size).toBeGreaterThan(0);
      expect(sim.decided.size).toBeGreaterThan(0);
    });
  }
});
