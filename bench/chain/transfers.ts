/**
 * The benchmark's transfers: transfer i spends bench genesis note i (one note,
 * a 2x2 proof with one dummy input) to a one-time address. Proving is the
 * client's job, not the chain's, so it happens before anything is timed and
 * each proof is cached in .bench-cache/, one file per transfer, keyed by all
 * it depends on (the GENESIS document, the circuit artifacts, this file's
 * payment): an interrupted proving run resumes where it stopped.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { oneTimeAddressAt } from "../../src/protocol/address.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { releaseProverThreads } from "../../src/prover/index.ts";
import { genesisPayer } from "../../test/fixtures/chain/genesis-payments.ts";
import { genesisSpends } from "../../test/fixtures/chain/genesis-spends.ts";
import { BENCH_CHAIN_ID, BENCH_SEED, type BenchChain } from "./genesis.ts";

const PAYEE_SEED = new Uint8Array(32).fill(0xbe);
const AMOUNT = 10n ** 18n;
/**
 * Proofs in flight at once: witness generation is single-threaded wasm, so a
 * second proof keeps the cores busy while snarkjs' threads do the other's MSMs.
 */
const PROVING_CONCURRENCY = 2;

function cacheFolder(chain: BenchChain): string {
  const key = createHash("sha256")
    .update(chain.document)
    .update(readFileSync("circuits/artifacts/manifest.json"))
    .update(`${toHex(PAYEE_SEED)} ${AMOUNT}`)
    .digest("hex")
    .slice(0, 16);
  return join(".bench-cache", `chain-${key}`);
}

/** Encoded transfers 0..count-1, proving those not cached yet. */
export async function benchTransfers(chain: BenchChain, count: number): Promise<Uint8Array[]> {
  const folder = cacheFolder(chain);
  mkdirSync(folder, { recursive: true });
  const file = (i: number) => join(folder, `${i}.hex`);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !existsSync(file(i)));
  if (missing.length > 0) {
    const pay = await genesisPayer(BENCH_CHAIN_ID, await genesisSpends(BENCH_CHAIN_ID, chain.config, BENCH_SEED));
    const to = oneTimeAddressAt(deriveSpendingKeys(PAYEE_SEED), 0);
    const start = performance.now();
    let done = 0;
    const queue = [...missing];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const tx = encodeTransaction(await pay([i], to, AMOUNT, `bench ${i}`));
        // Written whole then renamed: a killed run never leaves half a proof behind.
        writeFileSync(`${file(i)}.tmp`, toHex(tx));
        renameSync(`${file(i)}.tmp`, file(i));
        done++;
        const rate = done / ((performance.now() - start) / 1000);
        process.stdout.write(
          `\rproved ${done}/${missing.length} transfers (${rate.toFixed(2)}/s; cached in ${folder})`,
        );
      }
    };
    await Promise.all(Array.from({ length: PROVING_CONCURRENCY }, worker));
    await releaseProverThreads();
    process.stdout.write("\n");
  }
  return Array.from({ length: count }, (_, i) => fromHex(readFileSync(file(i), "utf8")) as Uint8Array);
}

/** How many transfers of `chain` are proved and cached already. */
export function cachedTransfers(chain: BenchChain): number {
  const folder = cacheFolder(chain);
  return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".hex")).length : 0;
}
