/**
 * npm run bench:chain — drives a fresh local 4-replica testnet (wrangler dev,
 * its own state folder and port) with pre-built valid shielded transfers and
 * measures committed throughput and finality as a client sees them over HTTP.
 * The transfers spend the dev faucet's 64 genesis notes, one each; they are
 * proved once and cached in .bench-cache/ (proving is the client's job, not
 * the chain's). Prints rows, then one JSON line.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev, stopProcess, waitForValidators, waitUntil } from "../scripts/local-testnet.ts";
import { localChainConfig } from "../src/chain/config.ts";
import { chainProofVerifier } from "../src/chain/proof-verifier.ts";
import { fromHex, toHex } from "../src/codec/bytes.ts";
import { spendProof } from "../src/ledger/spend-proof.ts";
import { oneTimeAddressAt } from "../src/protocol/address.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { decodeTransaction, encodeTransaction } from "../src/protocol/tx/codec.ts";
import type { TransferTx } from "../src/protocol/tx/types.ts";
import { releaseProverThreads } from "../src/prover/index.ts";
import { genesisPayer } from "../test/fixtures/chain/genesis-payments.ts";

const CHAIN_ID = "sero-local-1";
const PORT = Number(process.env.BENCH_PORT ?? 8797);
/** `one-deployment` (as `npm start`) or `validators` (one process per validator, as `npm run start:validators`). */
const TOPOLOGY = process.argv.includes("--validators") ? "validators" : "one-deployment";
const URLS = (TOPOLOGY === "validators" ? [0, 1, 2, 3] : [0]).map((i) => `http://127.0.0.1:${PORT + i}`);
const URL_BASE = URLS[0] as string;

async function transfers(): Promise<Uint8Array[]> {
  const config = localChainConfig(CHAIN_ID);
  const manifest = readFileSync("circuits/artifacts/manifest.json");
  const key = createHash("sha256")
    .update(config.genesisBlock[0] as Uint8Array)
    .update(manifest)
    .digest("hex")
    .slice(0, 16);
  const cache = `.bench-cache/chain-transfers-${key}.json`;
  if (existsSync(cache)) {
    return (JSON.parse(readFileSync(cache, "utf8")) as string[]).map((h) => fromHex(h) as Uint8Array);
  }
  const pay = await genesisPayer(CHAIN_ID);
  const to = oneTimeAddressAt(deriveSpendingKeys(new Uint8Array(32).fill(0xbe)), 0);
  const built: Uint8Array[] = [];
  for (const i of pay.genesis.spends.keys()) {
    process.stdout.write(`\rproving transfer ${i + 1}/${pay.genesis.spends.length} (once; cached in .bench-cache/)`);
    const tx = await pay([i], to, 10n ** 18n, `bench ${i}`);
    built.push(encodeTransaction(tx));
  }
  await releaseProverThreads();
  process.stdout.write("\n");
  mkdirSync(".bench-cache", { recursive: true });
  writeFileSync(cache, JSON.stringify(built.map(toHex)));
  return built;
}

/** The same batch verification a replica runs on a block, in this process. */
async function verifyMsPerTx(txs: readonly Uint8Array[]): Promise<number> {
  const verifier = chainProofVerifier();
  const items = txs.map((b) => spendProof(decodeTransaction(b) as TransferTx, CHAIN_ID));
  await verifier.verify(items.slice(0, 4)); // warm-up
  const start = performance.now();
  const verdicts = await verifier.verify(items);
  if (!verdicts.every(Boolean)) {
    throw new Error("a benchmark transfer does not verify");
  }
  return (performance.now() - start) / items.length;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const txs = await transfers();
const verifyMs = await verifyMsPerTx(txs);
const state = mkdtempSync(join(tmpdir(), "sero-bench-chain-"));
const testnet =
  TOPOLOGY === "validators"
    ? URLS.map((_, i) =>
        startWranglerDev({
          port: PORT + i,
          state: join(state, `validator-${i}`),
          vars: { VALIDATOR_INDEX: String(i), PEER_URLS: JSON.stringify(URLS) },
        }),
      )
    : [startWranglerDev({ port: PORT, state })];
try {
  await Promise.all(URLS.map((url, i) => waitForValidators(url, TOPOLOGY === "validators" ? [i] : "all")));

  const start = performance.now();
  let submittedCount = 0;
  const submitted = await Promise.all(
    txs.map(async (body) => {
      const at = performance.now();
      // Clients spread over the validators they can reach, as wallets would.
      const res = await fetch(`${URLS[submittedCount++ % URLS.length]}/v1/tx`, {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body,
      });
      const json = (await res.json()) as { id?: string; error?: { code: string } };
      if (res.status !== 202 || !json.id) {
        throw new Error(`submission refused: ${res.status} ${json.error?.code}`);
      }
      return { id: json.id, at };
    }),
  );
  const admitted = performance.now() - start;
  // One poller follows the indexed blocks (as an explorer would), instead of one poll loop per
  // transaction competing with the chain for the same two cores.
  const submittedAt = new Map(submitted.map(({ id, at }) => [id, at]));
  const finality: number[] = [];
  let next = 1;
  await waitUntil(
    async () => {
      for (;;) {
        const res = await fetch(`${URL_BASE}/v1/blocks/${next}`);
        if (res.status !== 200) {
          break;
        }
        const block = (await res.json()) as { transactions: { id: string; status: string; code: string | null }[] };
        for (const t of block.transactions) {
          if (t.status !== "committed") {
            throw new Error(`transfer ${t.id} rejected: ${t.code}`);
          }
          const at = submittedAt.get(t.id);
          if (at !== undefined) {
            finality.push(performance.now() - at);
          }
        }
        next++;
      }
      return finality.length === txs.length ? true : undefined;
    },
    120_000,
    "every transfer to commit",
  );
  const elapsed = (performance.now() - start) / 1000;
  const sorted = [...finality].sort((a, b) => a - b);
  const results = {
    tx_per_s: Math.round((txs.length / elapsed) * 10) / 10,
    finality_p50_ms: Math.round(percentile(sorted, 50)),
    finality_p99_ms: Math.round(percentile(sorted, 99)),
    replicas: 4,
    topology: TOPOLOGY,
    verify_ms_per_tx: Math.round(verifyMs * 100) / 100,
    transactions: txs.length,
  };
  const after = (await (await fetch(`${URL_BASE}/v1/status`)).json()) as {
    validators: { view: number; height: number }[];
  };
  console.log(
    `views after the run: ${after.validators.map((v) => v?.view).join(", ")}; heights: ${after.validators.map((v) => v?.height).join(", ")}`,
  );
  console.log(`all ${txs.length} submissions admitted after ${Math.round(admitted)} ms`);
  console.log("metric              value");
  for (const [k, v] of Object.entries(results)) {
    console.log(`${k.padEnd(20)}${v}`);
  }
  console.log(JSON.stringify(results));
} finally {
  for (const child of testnet) {
    stopProcess(child);
  }
  rmSync(state, { recursive: true, force: true });
}
