import { describe } from "vitest";
import { randomScheduleSuite } from "./sim/random-suite.ts";

// The protocol must hold for any n = 3f + 1: f = 2 and f = 3, with up to f faulty replicas.
describe("random schedules, n = 7", () => {
  randomScheduleSuite(7, 10_000, 60, 20);
});

describe("random schedules, n = 10", () => {
  randomScheduleSuite(10, 20_000, 24, 8);
});
