/**
 * The pieces the build, setup and check scripts share: running circom and the
 * snarkjs CLI under the current Node, hashing, the r1cs header, the manifest.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { CircuitShape } from "../config.ts";
import { BUILD_DIR, ROOT_DIR } from "./paths.ts";

const CIRCOM_CLI = join(ROOT_DIR, "node_modules", "circom2", "cli.js");
const SNARKJS_CLI = join(ROOT_DIR, "node_modules", "snarkjs", "build", "cli.cjs");

export function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function run(cli: string, args: readonly string[], quiet = false): string {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: ROOT_DIR,
    encoding: "utf8",
    stdio: quiet ? "pipe" : ["ignore", "inherit", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${relative(ROOT_DIR, cli)} ${args.join(" ")} failed (${result.status}):\n${result.stderr ?? ""}${result.stdout ?? ""}`,
    );
  }
  return result.stdout ?? "";
}

/** snarkjs CLI, exactly the commands docs/CEREMONY.md shows. */
export function snarkjs(args: readonly string[]): void {
  console.log(`$ snarkjs ${args.join(" ")}`);
  run(SNARKJS_CLI, args);
}

export type BuildOutput = { r1cs: string; wasm: string; sym: string };

export function buildOutput(shape: CircuitShape, outDir = join(BUILD_DIR, shape.name)): BuildOutput {
  return {
    r1cs: join(outDir, `${shape.name}.r1cs`),
    wasm: join(outDir, `${shape.name}_js`, `${shape.name}.wasm`),
    sym: join(outDir, `${shape.name}.sym`),
  };
}

/**
 * Compiles one generated main file with --O2 (circom 2.2 through the circom2
 * npm package, which only sees the working directory: paths are relative to
 * the repository root).
 */
export function compile(shape: CircuitShape, outDir = join(BUILD_DIR, shape.name)): BuildOutput {
  mkdirSync(outDir, { recursive: true });
  const main = relative(ROOT_DIR, join(ROOT_DIR, "circuits", "main", `${shape.name}.circom`));
  run(
    CIRCOM_CLI,
    [
      main,
      "--r1cs",
      "--wasm",
      "--sym",
      "--O2",
      "-l",
      "node_modules/circomlib/circuits",
      "-o",
      relative(ROOT_DIR, outDir),
    ],
    true,
  );
  const out = buildOutput(shape, outDir);
  if (!existsSync(out.r1cs) || !existsSync(out.wasm)) {
    throw new Error(`circom wrote no r1cs/wasm for ${shape.name}`);
  }
  return out;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export type R1csHeader = {
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nConstraints: number;
};

/** Reads the header section of an .r1cs file (iden3 binary format, version 1). */
export function r1csHeader(path: string): R1csHeader {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.subarray(0, 4).toString("latin1") !== "r1cs") {
    throw new Error(`${path} is not an r1cs file`);
  }
  const nSections = view.getUint32(8, true);
  let offset = 12;
  for (let s = 0; s < nSections; s++) {
    const type = view.getUint32(offset, true);
    const size = Number(view.getBigUint64(offset + 4, true));
    offset += 12;
    if (type === 1) {
      const n8 = view.getUint32(offset, true);
      let p = offset + 4 + n8;
      const u32 = (): number => {
        const v = view.getUint32(p, true);
        p += 4;
        return v;
      };
      const nWires = u32();
      const nPubOut = u32();
      const nPubIn = u32();
      const nPrvIn = u32();
      p += 8; // nLabels (u64)
      const nConstraints = u32();
      return { nWires, nPubOut, nPubIn, nPrvIn, nConstraints };
    }
    offset += size;
  }
  throw new Error(`${path} has no header section`);
}

/** What `circuits:setup` commits next to the artifacts, and `circuits:check` compares against. */
export type Manifest = {
  readonly version: 1;
  readonly tools: { readonly circom2: string; readonly circomlib: string; readonly snarkjs: string };
  readonly setup: {
    readonly kind: "dev-beacon";
    readonly ptauPower: number;
    readonly beaconHash: string;
    readonly beaconIterationsExp: number;
    readonly ptauSha256: string;
  };
  readonly circuits: Record<
    string,
    {
      readonly nIn: number;
      readonly nOut: number;
      readonly depth: number;
      readonly constraints: number;
      readonly publicInputs: number;
      readonly sha256: { readonly r1cs: string; readonly wasm: string; readonly zkey: string; readonly vkey: string };
    }
  >;
};
