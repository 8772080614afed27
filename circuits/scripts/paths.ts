/** Where the circuit scripts read and write, relative to the repository root. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CIRCUITS_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT_DIR = dirname(CIRCUITS_DIR);
/** Scratch output (git-ignored): r1cs, sym, wasm, ptau. */
export const BUILD_DIR = join(CIRCUITS_DIR, "build");
/** Committed: wasm, zkey, verification key of each circuit, and manifest.json. */
export const ARTIFACTS_DIR = join(CIRCUITS_DIR, "artifacts");
export const MANIFEST_PATH = join(ARTIFACTS_DIR, "manifest.json");
