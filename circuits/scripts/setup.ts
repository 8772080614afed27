/**
 * `npm run circuits:setup`: the reproducible development trusted setup.
 * Compiles every circuit, then for the powers of tau and for each circuit's
 * phase 2 applies only a public random beacon (DEV_SETUP in circuits/config.ts),
 * so rerunning it yields byte-identical keys: anyone can check the committed
 * artifacts, and anyone can also compute the toxic waste. Development and
 * tests only; docs/CEREMONY.md describes the multi-party ceremony that
 * replaces it on a real network.
 *
 * Writes circuits/artifacts/<name>/{<name>.wasm, <name>.zkey, vkey.json} and
 * circuits/artifacts/manifest.json. Takes 20-30 minutes on 2 cores, mostly
 * `powersoftau prepare phase2` (cached in circuits/build/ptau/, reused).
 *
 * node circuits/scripts/setup.ts [name...]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CIRCUITS, DEV_SETUP, publicInputCount } from "../config.ts";
import { buildAll } from "./build.ts";
import { ARTIFACTS_DIR, BUILD_DIR, MANIFEST_PATH } from "./paths.ts";
import { buildOutput, type Manifest, packageVersion, r1csHeader, sha256File, snarkjs } from "./tools.ts";

const BEACON_NAME = "SERO Edge dev beacon";

/** powersoftau new → beacon → prepare phase2, deterministic; cached across runs. */
function powersOfTau(): string {
  const dir = join(BUILD_DIR, "ptau");
  mkdirSync(dir, { recursive: true });
  const p = DEV_SETUP.ptauPower;
  const fresh = join(dir, `pot${p}_0000.ptau`);
  const beacon = join(dir, `pot${p}_beacon.ptau`);
  const final = join(dir, `pot${p}_final.ptau`);
  if (existsSync(final)) {
    console.log(`reusing ${final}`);
    return final;
  }
  snarkjs(["powersoftau", "new", "bn128", String(p), fresh]);
  snarkjs([
    "powersoftau",
    "beacon",
    fresh,
    beacon,
    DEV_SETUP.beaconHash,
    String(DEV_SETUP.beaconIterationsExp),
    `-n=${BEACON_NAME}`,
  ]);
  snarkjs(["powersoftau", "prepare", "phase2", beacon, final]);
  return final;
}

export function setup(only: readonly string[] = []): void {
  buildAll(only);
  const ptau = powersOfTau();
  const previous: Manifest | undefined = existsSync(MANIFEST_PATH)
    ? (JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest)
    : undefined;
  const circuits: Record<string, Manifest["circuits"][string]> = { ...(previous?.circuits ?? {}) };
  for (const shape of CIRCUITS.filter((c) => only.length === 0 || only.includes(c.name))) {
    const out = buildOutput(shape);
    const dir = join(ARTIFACTS_DIR, shape.name);
    mkdirSync(dir, { recursive: true });
    const initial = join(BUILD_DIR, shape.name, `${shape.name}_0000.zkey`);
    const zkey = join(dir, `${shape.name}.zkey`);
    const vkey = join(dir, "vkey.json");
    const wasm = join(dir, `${shape.name}.wasm`);
    snarkjs(["groth16", "setup", out.r1cs, ptau, initial]);
    snarkjs([
      "zkey",
      "beacon",
      initial,
      zkey,
      DEV_SETUP.beaconHash,
      String(DEV_SETUP.beaconIterationsExp),
      `-n=${BEACON_NAME}`,
    ]);
    snarkjs(["zkey", "verify", out.r1cs, ptau, zkey]);
    snarkjs(["zkey", "export", "verificationkey", zkey, vkey]);
    copyFileSync(out.wasm, wasm);
    const header = r1csHeader(out.r1cs);
    circuits[shape.name] = {
      nIn: shape.nIn,
      nOut: shape.nOut,
      depth: shape.depth,
      constraints: header.nConstraints,
      publicInputs: publicInputCount(shape),
      sha256: { r1cs: sha256File(out.r1cs), wasm: sha256File(wasm), zkey: sha256File(zkey), vkey: sha256File(vkey) },
    };
  }
  const manifest: Manifest = {
    version: 1,
    tools: {
      circom2: packageVersion("circom2"),
      circomlib: packageVersion("circomlib"),
      snarkjs: packageVersion("snarkjs"),
    },
    setup: {
      kind: "dev-beacon",
      ptauPower: DEV_SETUP.ptauPower,
      beaconHash: DEV_SETUP.beaconHash,
      beaconIterationsExp: DEV_SETUP.beaconIterationsExp,
      ptauSha256: sha256File(ptau),
    },
    circuits,
  };
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${MANIFEST_PATH}`);
}

if (import.meta.main) {
  setup(process.argv.slice(2));
}
