/** Loads every scenario file in test/consensus/scenarios/ (new files are picked up without code changes). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Scenario } from "./scenario.ts";

export const SCENARIO_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "..", "scenarios");

export function loadScenarios(): Scenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const s = JSON.parse(readFileSync(join(SCENARIO_DIR, f), "utf8")) as Scenario;
      if (`${s.name}.json` !== f) {
        throw new Error(`${f}: name must match the file name`);
      }
      return s;
    });
}
