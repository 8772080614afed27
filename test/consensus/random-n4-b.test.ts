import { describe } from "vitest";
import { randomScheduleSuite } from "./sim/random-suite.ts";

describe("random schedules, n = 4, seeds 500..999", () => {
  randomScheduleSuite(4, 500, 500);
});
