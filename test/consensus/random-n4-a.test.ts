import { describe } from "vitest";
import { randomScheduleSuite } from "./sim/random-suite.ts";

// 1,000 seeded schedules for n = 4 are split over two files so vitest runs them on two workers.
describe("random schedules, n = 4, seeds 0..499", () => {
  randomScheduleSuite(4, 0, 500);
});
