/** The committed proving artifacts (circuits/artifacts), as file paths for Node. */
import { fileURLToPath } from "node:url";
import type { CircuitShape } from "../../circuits/config.ts";
import type { ProvingArtifacts } from "./prover.ts";

export function committedArtifacts(shape: Pick<CircuitShape, "name">): ProvingArtifacts {
  const dir = new URL(`../../circuits/artifacts/${shape.name}/`, import.meta.url);
  return {
    wasm: fileURLToPath(new URL(`${shape.name}.wasm`, dir)),
    zkey: fileURLToPath(new URL(`${shape.name}.zkey`, dir)),
  };
}
