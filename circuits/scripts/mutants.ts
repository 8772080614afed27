/**
 * Mutation testing of the circuit tests: for each mutant below (one
 * constraint removed or weakened), compile transfer_2x2 from a mutated copy of
 * the sources and run test/circuits/transfer.witness.test.ts against its wasm
 * (CIRCUITS_TEST_WASM_DIR). Every mutant must make some test fail — a
 * surviving mutant means a constraint no test depends on. About 30 s per
 * mutant; not part of CI.
 *
 * node circuits/scripts/mutants.ts [id...]
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BUILD_DIR, CIRCUITS_DIR, ROOT_DIR } from "./paths.ts";

type Mutant = { id: string; file: string; from: string; to: string; why: string };

/** Each `from` must occur in `file` exactly once. */
export const MUTANTS: readonly Mutant[] = [
  { id: "selector-boolean", file: "lib/balance.circom", from: "sel * (sel - 1) === 0;", to: "", why: "selectors 0/1" },
  {
    id: "asset-select",
    file: "lib/balance.circom",
    from: "sel * (assetB - seroAsset) === asset - seroAsset;",
    to: "",
    why: "each note holds SERO or B",
  },
  { id: "balance-b", file: "lib/balance.circom", from: "inB === outB;", to: "", why: "balance of asset B" },
  {
    id: "balance-sero",
    file: "lib/balance.circom",
    from: "inTotal - inB === outTotal - outB + fee;",
    to: "",
    why: "balance of SERO with the fee",
  },
  {
    id: "distinct-nullifiers",
    file: "lib/nullifier.circom",
    from: "inv[k] * (in[i] - in[j]) === 1;",
    to: "",
    why: "nullifiers distinct",
  },
  {
    id: "subgroup",
    file: "lib/subgroup.circom",
    from: "dbl[2].xout === p[0];\n    dbl[2].yout === p[1];",
    to: "",
    why: "g' in the prime-order subgroup",
  },
  { id: "not-identity", file: "lib/subgroup.circom", from: "xInv * p[0] === 1;", to: "", why: "g' not the identity" },
  {
    id: "membership",
    file: "lib/spend.circom",
    from: "(path.root - anchor) * amount === 0;",
    to: "",
    why: "Merkle membership of real inputs",
  },
  {
    id: "position-range",
    file: "lib/merkle.circom",
    from: "component bits = Num2Bits(depth);",
    to: "component bits = Num2Bits(depth + 1);",
    why: "position < 2^32",
  },
  {
    id: "input-range",
    file: "transfer.circom",
    from: "inRange[i] = RangeCheck(128);",
    to: "inRange[i] = RangeCheck(252);",
    why: "input amounts < 2^128",
  },
  {
    id: "output-range",
    file: "transfer.circom",
    from: "outRange[j] = RangeCheck(128);",
    to: "outRange[j] = RangeCheck(129);",
    why: "output amounts < 2^128",
  },
  {
    id: "fee-range",
    file: "transfer.circom",
    from: "feeRange = RangeCheck(128);",
    to: "feeRange = RangeCheck(252);",
    why: "fee < 2^128",
  },
  { id: "nullifier-public", file: "transfer.circom", from: "spend[i].nf === nf[i];", to: "", why: "public nullifiers" },
  {
    id: "commitment-public",
    file: "transfer.circom",
    from: "outNote[j].cm === cm[j];",
    to: "",
    why: "public commitments",
  },
];

function killed(mutant: Mutant): boolean {
  const dir = join(BUILD_DIR, "mutants", mutant.id);
  rmSync(dir, { recursive: true, force: true });
  const src = join(dir, "src");
  mkdirSync(src, { recursive: true });
  for (const part of ["lib", "main", "transfer.circom"]) {
    cpSync(join(CIRCUITS_DIR, part), join(src, part), { recursive: true });
  }
  const file = join(src, mutant.file);
  const source = readFileSync(file, "utf8");
  if (source.split(mutant.from).length !== 2) {
    throw new Error(`${mutant.id}: "${mutant.from}" must occur exactly once in ${mutant.file}`);
  }
  writeFileSync(file, source.replace(mutant.from, mutant.to));

  const circom = spawnSync(
    process.execPath,
    [
      join(ROOT_DIR, "node_modules", "circom2", "cli.js"),
      relative(ROOT_DIR, join(src, "main", "transfer_2x2.circom")),
      "--wasm",
      "--O2",
      "-l",
      "node_modules/circomlib/circuits",
      "-o",
      relative(ROOT_DIR, dir),
    ],
    { cwd: ROOT_DIR, encoding: "utf8" },
  );
  if (circom.status !== 0) {
    throw new Error(`${mutant.id}: the mutant does not compile:\n${circom.stderr}${circom.stdout}`);
  }
  cpSync(join(dir, "transfer_2x2_js", "transfer_2x2.wasm"), join(dir, "transfer_2x2.wasm"));
  const vitest = spawnSync(
    process.execPath,
    [
      join(ROOT_DIR, "node_modules", "vitest", "vitest.mjs"),
      "run",
      "test/circuits/transfer.witness.test.ts",
      "-t",
      "transfer_2x2",
    ],
    { cwd: ROOT_DIR, encoding: "utf8", env: { ...process.env, CIRCUITS_TEST_WASM_DIR: dir } },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's ANSI colours
  const plain = (vitest.stdout ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  const failed = [...plain.matchAll(/× (.+?)\s+\d+ms$/gm)].map((m) => m[1]);
  console.log(
    `${mutant.id.padEnd(20)} ${vitest.status === 0 ? "SURVIVED" : "killed  "} (${mutant.why})${failed.length ? `: ${failed.join("; ")}` : ""}`,
  );
  return vitest.status !== 0;
}

if (import.meta.main) {
  const only = process.argv.slice(2);
  const survivors = MUTANTS.filter((m) => only.length === 0 || only.includes(m.id)).filter((m) => !killed(m));
  if (survivors.length > 0) {
    console.error(`surviving mutants: ${survivors.map((m) => m.id).join(", ")}`);
    process.exit(1);
  }
}
