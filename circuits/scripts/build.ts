/**
 * `npm run circuits:build`: writes the main files from circuits/config.ts and
 * compiles every circuit with --O2 into circuits/build/<name>/ (git-ignored),
 * then prints the constraint count of each shape.
 *
 * node circuits/scripts/build.ts [name...]
 */
import { CIRCUITS, type CircuitShape, publicInputCount } from "../config.ts";
import { generateAll } from "./generate.ts";
import { compile, r1csHeader } from "./tools.ts";

export function buildAll(only: readonly string[] = []): Map<string, number> {
  generateAll();
  const counts = new Map<string, number>();
  const selected: CircuitShape[] = CIRCUITS.filter((c) => only.length === 0 || only.includes(c.name));
  for (const shape of selected) {
    const started = performance.now();
    const out = compile(shape);
    const header = r1csHeader(out.r1cs);
    if (header.nPubIn !== publicInputCount(shape) || header.nPubOut !== 0) {
      throw new Error(
        `${shape.name}: ${header.nPubIn} public inputs and ${header.nPubOut} outputs, expected ${publicInputCount(shape)} and 0`,
      );
    }
    // Groth16 needs a domain of at least constraints + public inputs + 1.
    const domain = header.nConstraints + header.nPubIn + 1;
    if (domain > 2 ** shape.power) {
      throw new Error(`${shape.name}: ${header.nConstraints} constraints do not fit 2^${shape.power}`);
    }
    counts.set(shape.name, header.nConstraints);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${shape.name}: ${header.nConstraints} constraints (fits 2^${shape.power}), ${header.nWires} wires, ${seconds} s`,
    );
  }
  return counts;
}

if (import.meta.main) {
  buildAll(process.argv.slice(2));
}
