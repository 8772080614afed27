/**
 * npm run bench:web — the browser wallet in headless Chromium (Debian's,
 * playwright-core). Its page and wallet worker come from dist/web (built
 * first) on a local server on port 58889 that answers /v1 as a node would,
 * from the synthetic chain of bench:wallet (about 100,000 outputs, binary sync
 * pages of 100 blocks). Timed, through the worker's own messages:
 * - browser_sync_outputs_per_s: a fresh import synced from block 0 to the tip
 *   (fetch, trial decryption with WebCrypto X25519, tree, a sealed IndexedDB
 *   save after every page), median of 3 fresh profiles;
 * - browser_prove_ms_2x2: one 2x2 proof, from the SDK prover's first event to
 *   its last: the circuit input in the wallet worker, then witness and Groth16
 *   in the proving worker (snarkjs' browser build and its thread workers);
 *   one warm-up send (it also fetches and caches the proving files), then
 *   the median of 3.
 * - explorer_home_ms: the explorer's home page on a real local testnet
 *   (wrangler dev on port 58890, its index populated by genesis), from
 *   navigation to the height shown, in a fresh browser context each time
 *   (nothing cached), median of 5; the testnet's start is not timed.
 * Prints rows, then one JSON line. Targets (issue 12): proving within 2x of
 * bench:zk, sync at least 10,000 outputs/s, explorer home under 1 s.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { buildWeb } from "../scripts/build-web.ts";
import { startWranglerDev, stopProcess, waitForValidators } from "../scripts/local-testnet.ts";
import { encodeOneTimeAddress, oneTimeAddressAt } from "../src/protocol/address.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { seedToMnemonic } from "../src/protocol/mnemonic.ts";
import { encodeText } from "../src/protocol/text.ts";
import { BENCH_CHAIN_SHAPE, fakeNode, syntheticChain } from "../test/fixtures/wallet/synthetic-chain.ts";

const PORT = 58889;
const EXPLORER_PORT = 58890;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const seed = new Uint8Array(32).fill(0x77);
const shape = BENCH_CHAIN_SHAPE;
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

process.stdout.write("building dist/web and a synthetic chain of about 100,000 outputs...\n");
await buildWeb();
const chain = syntheticChain(shape, deriveSpendingKeys(seed));
const node = fakeNode(chain, 100);
const tip = chain.blocks.length - 1;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", ORIGIN);
  const reply = (status: number, body: Uint8Array | string, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type });
    res.end(body);
  };
  if (url.pathname === "/v1/assets") {
    return reply(200, JSON.stringify({ assets: [] }));
  }
  const txStatus = /^\/v1\/tx\/([0-9a-f]{64})$/.exec(url.pathname);
  if (txStatus && req.method === "GET") {
    // Every submission commits at once: the figure is the wallet's work, not a chain's.
    return reply(200, JSON.stringify({ id: txStatus[1], status: "committed", height: tip, code: null }));
  }
  if (url.pathname.startsWith("/v1/")) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = chunks.length > 0 ? new Uint8Array(Buffer.concat(chunks)) : undefined;
    const answer = await node(url.toString(), { method: req.method ?? "GET", ...(body ? { body } : {}) });
    return reply(answer.status, new Uint8Array(await answer.arrayBuffer()), answer.headers.get("Content-Type") ?? "");
  }
  const path = normalize(url.pathname.endsWith("/") ? `${url.pathname}index.html` : url.pathname);
  try {
    return reply(200, await readFile(join("dist/web", path)), TYPES[extname(path)] ?? "application/octet-stream");
  } catch {
    return reply(404, "not found", "text/plain");
  }
});
await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const to = encodeText(
  "oneTimeAddress",
  encodeOneTimeAddress(oneTimeAddressAt(deriveSpendingKeys(new Uint8Array(32).fill(1)), 7)),
);

type Timings = { syncMs: number; outputs: number; proveMs: number[] };

/** In a fresh profile: import, sync to the tip, then `sends` sends; timed inside the page. */
async function run(sends: number): Promise<Timings> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/wallet/`);
  const timings = await page.evaluate(
    async ({ words, to, sends }) => {
      type Message = {
        id?: number;
        ok: boolean;
        value?: unknown;
        message?: string;
        event?: string;
        progress: { stage: string; outputs: number };
      };
      type PageWorker = {
        onmessage: (e: { data: Message }) => void;
        postMessage(m: unknown): void;
        terminate(): void;
      };
      const PageWorker = (globalThis as unknown as { Worker: new (url: string, o: object) => PageWorker }).Worker;
      const worker = new PageWorker("/wallet/worker.js", { type: "module" });
      let next = 1;
      let proveStart = 0;
      let outputs = 0;
      const proveMs: number[] = [];
      const waiting = new Map<number, (answer: Message) => void>();
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.event === "proving" && m.progress.stage === "input") {
          proveStart = performance.now();
        } else if (m.event === "proving" && m.progress.stage === "done") {
          proveMs.push(performance.now() - proveStart);
        } else if (m.event === "sync") {
          outputs = m.progress.outputs;
        } else if (typeof m.id === "number") {
          waiting.get(m.id)?.(m);
        }
      };
      const call = (request: unknown) =>
        new Promise<unknown>((resolve, reject) => {
          const id = next++;
          waiting.set(id, (a) => (a.ok ? resolve(a.value) : reject(new Error(a.message))));
          worker.postMessage({ id, request });
        });
      await call({ op: "create", passphrase: "bench", account: { kind: "mnemonic", words } });
      const start = performance.now();
      await call({ op: "sync" });
      const syncMs = performance.now() - start;
      const syncedOutputs = outputs;
      for (let i = 0; i < sends; i++) {
        await call({ op: "send", form: { to, asset: "SERO", amount: "0.001", memo: "" } });
      }
      worker.terminate();
      return { syncMs, outputs: syncedOutputs, proveMs };
    },
    { words: seedToMnemonic(seed), to, sends },
  );
  await context.close();
  return timings;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const syncs = [await run(4), await run(0), await run(0)];
const proofs = syncs[0]?.proveMs ?? [];
server.close();

/** First loads of the explorer's home on a real testnet, each in a fresh context: navigation to height shown. */
async function explorerHome(): Promise<number[]> {
  const state = mkdtempSync(join(tmpdir(), "sero-bench-web-"));
  const testnet = startWranglerDev({ port: EXPLORER_PORT, state });
  try {
    await waitForValidators(`http://127.0.0.1:${EXPLORER_PORT}`, "all");
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(`http://127.0.0.1:${EXPLORER_PORT}/`);
      await page.waitForFunction('/^[0-9]+$/.test(document.getElementById("height")?.textContent ?? "")');
      times.push(performance.now() - start);
      await context.close();
    }
    return times.slice(1); // the first warms the Worker's isolate
  } finally {
    stopProcess(testnet);
    rmSync(state, { recursive: true, force: true });
  }
}

const explorer = await explorerHome();
await browser.close();

const syncRun = syncs.map((s) => s.syncMs);
const results = {
  browser_sync_outputs_per_s: Math.round(chain.outputs / (median(syncRun) / 1000)),
  browser_sync_ms: Math.round(median(syncRun)),
  outputs: chain.outputs,
  browser_prove_ms_2x2: Math.round(median(proofs.slice(1))),
  browser_prove_cold_ms_2x2: Math.round(proofs[0] ?? 0),
  explorer_home_ms: Math.round(median(explorer)),
};
if (syncs.some((s) => s.outputs !== chain.outputs) || proofs.length !== 4) {
  throw new Error(`the runs did not cover the chain (${syncs.map((s) => s.outputs).join(", ")}) or all proofs`);
}
console.log("metric                          value      note");
const row = (name: string, value: number, note: string) =>
  console.log(`${name.padEnd(30)}  ${String(value).padStart(8)}   ${note}`);
row(
  "browser_sync_outputs_per_s",
  results.browser_sync_outputs_per_s,
  "fresh import, block 0 to tip, median of 3 (target 10000)",
);
row("browser_prove_ms_2x2", results.browser_prove_ms_2x2, "one 2x2 proof in the proving worker, warm, median of 3");
row(
  "browser_prove_cold_ms_2x2",
  results.browser_prove_cold_ms_2x2,
  "the first proof of the page (prover start, wasm compile)",
);
row(
  "explorer_home_ms",
  results.explorer_home_ms,
  "first load to height shown, real testnet, median of 5 (target 1000)",
);
console.log(JSON.stringify(results));
