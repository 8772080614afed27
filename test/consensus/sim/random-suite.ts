/**
 * Shared body of the random-schedule test files. Seeds run in blocks so that
 * vitest reports progress; a failure names the seed. To replay one seed:
 *   CONSENSUS_SEED=123 npx vitest run test/consensus/random
 */
import { it } from "vitest";
import { randomScenario } from "./random.ts";
import { runScenario } from "./scenario.ts";

export function randomScheduleSuite(n: number, firstSeed: number, count: number, block = 50): void {
  const only = process.env.CONSENSUS_SEED;
  if (only !== undefined) {
    const seed = Number(only);
    if (seed >= firstSeed && seed < firstSeed + count) {
      it(`seed ${seed} (n = ${n})`, () => {
        runScenario(randomScenario(seed, n));
      });
    } else {
      it.skip(`seed ${seed} is outside ${firstSeed}..${firstSeed + count - 1}`, () => {});
    }
    return;
  }
  for (let start = firstSeed; start < firstSeed + count; start += block) {
    const end = Math.min(start + block, firstSeed + count);
    it(`seeds ${start}..${end - 1} (n = ${n})`, () => {
      for (let seed = start; seed < end; seed++) {
        try {
          runScenario(randomScenario(seed, n));
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new Error(`random schedule failed; replay with CONSENSUS_SEED=${seed} (n = ${n}): ${why}`);
        }
      }
    });
  }
}
