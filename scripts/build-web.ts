/**
 * npm run web:build — the browser wallet into dist/web/ (served by the Worker
 * as static assets, wrangler.toml [assets]): the page, its wallet worker
 * (keys, KDF, sync, sends), its proving worker (snarkjs' browser build) and
 * the proving artifacts of circuits/artifacts, each cut into parts under
 * Cloudflare's 25 MiB static asset limit and listed in
 * wallet/artifacts/index.json with the sha256 the manifest commits to
 * (src/web/wallet/artifacts.ts joins and checks them).
 * A file that does not match the manifest stops the build.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type ArtifactFile, type ArtifactIndex, PART_BYTES, partRanges } from "../src/web/wallet/artifacts.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "src/web/wallet");

type Manifest = { circuits: Record<string, { sha256: Record<"wasm" | "zkey", string> }> };

/** Writes `bytes` as parts of at most `partBytes` named `<name>.<i>` (or `<name>` when one part suffices). */
async function writeParts(dir: string, name: string, bytes: Uint8Array, partBytes: number): Promise<string[]> {
  const ranges = partRanges(bytes.length, partBytes);
  const names = ranges.length === 1 ? [name] : ranges.map((_, i) => `${name}.${i}`);
  await Promise.all(
    ranges.map(([start, end], i) => writeFile(join(dir, names[i] as string), bytes.subarray(start, end))),
  );
  return names;
}

export async function buildArtifacts(outDir: string, partBytes = PART_BYTES): Promise<ArtifactIndex> {
  const source = join(ROOT, "circuits/artifacts");
  const manifest = JSON.parse(await readFile(join(source, "manifest.json"), "utf8")) as Manifest;
  await mkdir(outDir, { recursive: true });
  const circuits: Record<string, { wasm: ArtifactFile; zkey: ArtifactFile }> = {};
  for (const [name, entry] of Object.entries(manifest.circuits)) {
    const file = async (kind: "wasm" | "zkey"): Promise<ArtifactFile> => {
      const bytes = new Uint8Array(await readFile(join(source, name, `${name}.${kind}`)));
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      if (sha256 !== entry.sha256[kind]) {
        throw new Error(`${name}.${kind} does not match circuits/artifacts/manifest.json`);
      }
      return { sha256, size: bytes.length, parts: await writeParts(outDir, `${name}.${kind}`, bytes, partBytes) };
    };
    circuits[name] = { wasm: await file("wasm"), zkey: await file("zkey") };
  }
  const index: ArtifactIndex = { version: 1, circuits };
  await writeFile(join(outDir, "index.json"), JSON.stringify(index, null, 2));
  return index;
}

export async function buildWeb(outDir = join(ROOT, "dist/web")): Promise<void> {
  const wallet = join(outDir, "wallet");
  await rm(outDir, { recursive: true, force: true });
  await mkdir(wallet, { recursive: true });
  const common = {
    outdir: wallet,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    legalComments: "linked",
    logLevel: "warning",
  } as const;
  // The page and the wallet worker (keys, sync, the SDK's prover), whose snarkjs calls go to the proving worker.
  await build({
    ...common,
    entryPoints: { app: join(SOURCE, "main.ts"), worker: join(SOURCE, "worker.ts") },
    alias: { snarkjs: join(SOURCE, "remote-snarkjs.ts") },
  });
  // The proving worker: snarkjs' browser build (Web Workers for its threads) instead of its Node build.
  await build({
    ...common,
    entryPoints: { "prove-worker": join(SOURCE, "prove-worker.ts") },
    alias: { snarkjs: join(ROOT, "node_modules/snarkjs/build/browser.esm.js") },
  });
  await Promise.all(["index.html", "style.css"].map((f) => copyFile(join(SOURCE, f), join(wallet, f))));
  await copyFile(join(SOURCE, "_headers"), join(outDir, "_headers"));
  await buildArtifacts(join(wallet, "artifacts"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWeb();
  console.log("built dist/web (the browser wallet at /wallet/)");
}
