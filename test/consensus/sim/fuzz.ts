/**
 * Long fuzzing runs outside the test suite: random schedules over a seed range.
 *   node test/consensus/sim/fuzz.ts <firstSeed> <endSeed> [n=4]
 * Prints every failing seed (add it to scenarios/ as a regression file) and a summary.
 */
import { randomScenario } from "./random.ts";
import { runScenario } from "./scenario.ts";

const [first = 0, end = 1000, n = 4] = process.argv.slice(2).map(Number);
let failures = 0;
for (let seed = first; seed < end; seed++) {
  try {
    runScenario(randomScenario(seed, n));
  } catch (e) {
    failures++;
    console.log(`seed ${seed}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(`seeds ${first}..${end - 1}, n = ${n}: ${failures} failures`);
process.exitCode = failures === 0 ? 0 : 1;
