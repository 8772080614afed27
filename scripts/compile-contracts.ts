/**
 * npm run contracts:build   compiles every .sol under contracts/ and writes
 *                           contracts/build/<Name>.json for each deployable contract
 * npm run contracts:check   (CI) recompiles in memory; exits 1 naming every committed
 *                           artifact that is missing, differs or is stale
 *
 * solc 0.8.37 from npm (no download), optimizer 200 runs, evmVersion cancun, no
 * metadata hash or CBOR trailer: the bytecode depends on the sources alone, so
 * the committed artifacts can be checked byte for byte (contracts/README.md).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import solc from "solc";

const CONTRACTS_DIR = join(dirname(dirname(fileURLToPath(import.meta.url))), "contracts");
const BUILD_DIR = join(CONTRACTS_DIR, "build");
const SOLC_VERSION = "0.8.37";

interface Artifact {
  contractName: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
  sourceHash: string;
}

interface SolcError {
  severity: "error" | "warning" | "info";
  formattedMessage: string;
}

interface SolcContract {
  abi: unknown[];
  metadata: string;
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
}

interface SolcOutput {
  errors?: SolcError[];
  sources?: Record<string, { ast: AstNode }>;
  contracts?: Record<string, Record<string, SolcContract>>;
}

interface AstNode {
  nodeType: string;
  name?: string;
  contractKind?: string;
  abstract?: boolean;
  nodes?: AstNode[];
}

/** Every .sol file under contracts/, keyed by its path relative to contracts/ (the import root). */
function readSources(): Record<string, string> {
  const files = readdirSync(CONTRACTS_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sol"))
    .map((file) => file.split(sep).join("/"))
    .sort();
  return Object.fromEntries(files.map((file) => [file, readFileSync(join(CONTRACTS_DIR, file), "utf8")]));
}

/** sha256 over the sources a contract was compiled from, sorted by path: `path\n<sha256 of content>\n` each. */
function sourceHash(paths: string[], sources: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const path of [...paths].sort()) {
    const content = sources[path];
    if (content === undefined) {
      throw new Error(`solc used ${path}, which is not under contracts/`);
    }
    hash.update(`${path}\n${createHash("sha256").update(content).digest("hex")}\n`);
  }
  return hash.digest("hex");
}

/** Names of the non-abstract contracts (not libraries or interfaces) a source unit defines. */
function deployableContracts(ast: AstNode): string[] {
  return (ast.nodes ?? [])
    .filter((node) => node.nodeType === "ContractDefinition" && node.contractKind === "contract" && !node.abstract)
    .map((node) => node.name ?? "");
}

function compileContracts(): Artifact[] {
  if (solc.version() !== SOLC_VERSION && !String(solc.version()).startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc ${solc.version()} installed, ${SOLC_VERSION} expected (npm ci)`);
  }
  const sources = readSources();
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([path, content]) => [path, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      metadata: { bytecodeHash: "none", appendCBOR: false },
      outputSelection: {
        "*": { "*": ["abi", "metadata", "evm.bytecode.object", "evm.deployedBytecode.object"], "": ["ast"] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const diagnostics = output.errors ?? [];
  for (const diagnostic of diagnostics) {
    console.error(diagnostic.formattedMessage);
  }
  if (diagnostics.some((d) => d.severity === "error")) {
    throw new Error("solc reported errors");
  }

  const artifacts: Artifact[] = [];
  for (const [path, unit] of Object.entries(output.sources ?? {})) {
    for (const name of deployableContracts(unit.ast)) {
      const contract = output.contracts?.[path]?.[name];
      if (!contract) {
        throw new Error(`solc produced no output for ${path}:${name}`);
      }
      const used = Object.keys((JSON.parse(contract.metadata) as { sources: Record<string, unknown> }).sources);
      artifacts.push({
        contractName: name,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
        sourceHash: sourceHash(used, sources),
      });
    }
  }
  const names = artifacts.map((a) => a.contractName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) {
    throw new Error(`two contracts are named ${duplicate}: artifacts are keyed by name`);
  }
  return artifacts.sort((a, b) => a.contractName.localeCompare(b.contractName));
}

function serialize(artifact: Artifact): string {
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

function committedArtifacts(): Map<string, string> {
  if (!existsSync(BUILD_DIR)) {
    return new Map();
  }
  const files = readdirSync(BUILD_DIR, { encoding: "utf8" }).filter((file) => file.endsWith(".json"));
  return new Map(files.map((file) => [file, readFileSync(join(BUILD_DIR, file), "utf8")]));
}

function build(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const artifact of compileContracts()) {
    const path = join(BUILD_DIR, `${artifact.contractName}.json`);
    writeFileSync(path, serialize(artifact));
    console.log(`wrote ${relative(process.cwd(), path)}`);
  }
}

/** Which fields of a committed artifact differ from a fresh one, for the check's message. */
function differingFields(committed: string, fresh: Artifact): string {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(committed) as Record<string, unknown>;
  } catch {
    return "not JSON";
  }
  const fields = Object.entries(fresh)
    .filter(([key, value]) => !isDeepStrictEqual(parsed[key], value))
    .map(([key]) => key);
  return fields.length > 0 ? fields.join(", ") : "formatting";
}

function check(): string[] {
  const committed = committedArtifacts();
  const problems: string[] = [];
  for (const artifact of compileContracts()) {
    const file = `${artifact.contractName}.json`;
    const text = committed.get(file);
    if (text === undefined) {
      problems.push(`contracts/build/${file}: missing`);
    } else if (text !== serialize(artifact)) {
      problems.push(`contracts/build/${file}: differs from a fresh compile (${differingFields(text, artifact)})`);
    }
    committed.delete(file);
  }
  for (const file of committed.keys()) {
    problems.push(`contracts/build/${file}: no contract of that name in the sources (stale)`);
  }
  return problems;
}

const mode = process.argv[2];
if (mode === "--check") {
  const problems = check();
  for (const problem of problems) {
    console.error(problem);
  }
  if (problems.length > 0) {
    console.error("run npm run contracts:build and commit contracts/build/");
    process.exit(1);
  }
  console.log("contracts/build/ matches the sources");
} else if (mode === undefined) {
  build();
} else {
  console.error("usage: node scripts/compile-contracts.ts [--check]");
  process.exit(2);
}
