/**
 * `npm run circuits:check` (CI, seconds): the committed artifacts are the ones
 * the committed sources produce.
 * - the generated main files equal what circuits/config.ts generates;
 * - a fresh --O2 compile gives the r1cs and wasm hashes of the manifest;
 * - the committed wasm, zkey and vkey have the manifest's hashes;
 * - the committed vkey equals the one exported from the committed zkey, and
 *   has the shape's number of public inputs.
 * Exits 1 with a list of every mismatch. Never runs the setup.
 *
 * node circuits/scripts/check.ts
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as snarkjsApi from "snarkjs";
import { CIRCUITS, publicInputCount } from "../config.ts";
import { mainPath, mainSource } from "./generate.ts";
import { ARTIFACTS_DIR, BUILD_DIR, MANIFEST_PATH } from "./paths.ts";
import { compile, type Manifest, r1csHeader, sha256File } from "./tools.ts";

export async function check(): Promise<string[]> {
  const problems: string[] = [];
  if (!existsSync(MANIFEST_PATH)) {
    return [`missing ${MANIFEST_PATH}: run npm run circuits:setup`];
  }
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest;
  for (const shape of CIRCUITS) {
    const entry = manifest.circuits[shape.name];
    if (!entry) {
      problems.push(`${shape.name}: not in the manifest`);
      continue;
    }
    if (!existsSync(mainPath(shape)) || readFileSync(mainPath(shape), "utf8") !== mainSource(shape)) {
      problems.push(`${shape.name}: circuits/main/${shape.name}.circom differs from the generator's output`);
    }
    if (entry.nIn !== shape.nIn || entry.nOut !== shape.nOut || entry.depth !== shape.depth) {
      problems.push(`${shape.name}: manifest shape differs from circuits/config.ts`);
    }
    const scratch = join(BUILD_DIR, "check", shape.name);
    rmSync(scratch, { recursive: true, force: true });
    const built = compile(shape, scratch);
    const r1cs = sha256File(built.r1cs);
    const wasm = sha256File(built.wasm);
    if (r1cs !== entry.sha256.r1cs) {
      problems.push(`${shape.name}: recompiled r1cs ${r1cs} ≠ manifest ${entry.sha256.r1cs}`);
    }
    if (wasm !== entry.sha256.wasm) {
      problems.push(`${shape.name}: recompiled wasm ${wasm} ≠ manifest ${entry.sha256.wasm}`);
    }
    if (r1csHeader(built.r1cs).nConstraints !== entry.constraints) {
      problems.push(`${shape.name}: constraint count changed`);
    }

    const dir = join(ARTIFACTS_DIR, shape.name);
    const files = {
      wasm: join(dir, `${shape.name}.wasm`),
      zkey: join(dir, `${shape.name}.zkey`),
      vkey: join(dir, "vkey.json"),
    };
    for (const [kind, path] of Object.entries(files) as [keyof typeof files, string][]) {
      if (!existsSync(path)) {
        problems.push(`${shape.name}: missing ${path}`);
        continue;
      }
      const hash = sha256File(path);
      if (hash !== entry.sha256[kind]) {
        problems.push(`${shape.name}: committed ${kind} ${hash} ≠ manifest ${entry.sha256[kind]}`);
      }
    }
    if (existsSync(files.zkey) && existsSync(files.vkey)) {
      const exported = await snarkjsApi.zKey.exportVerificationKey(files.zkey);
      const committed: unknown = JSON.parse(readFileSync(files.vkey, "utf8"));
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(exported)), committed)) {
        problems.push(`${shape.name}: vkey.json is not the verification key of ${shape.name}.zkey`);
      }
      const nPublic = (committed as { nPublic?: number }).nPublic;
      if (nPublic !== publicInputCount(shape)) {
        problems.push(`${shape.name}: vkey has ${nPublic} public inputs, expected ${publicInputCount(shape)}`);
      }
    }
    console.log(`${shape.name}: checked (${entry.constraints} constraints)`);
  }
  return problems;
}

if (import.meta.main) {
  const problems = await check();
  // snarkjs leaves its curve worker threads running.
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  if (problems.length > 0) {
    for (const p of problems) {
      console.error(`✗ ${p}`);
    }
    process.exit(1);
  }
  console.log("circuits: artifacts match the sources");
  process.exit(0);
}
