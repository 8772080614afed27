/**
 * The benchmark's testnet on ports BENCH_PORT.. (default 9100..9109 only):
 * one deployment hosting the 4 replicas (as `npm start`) on PORT with its
 * inspector on PORT+1, or one process per validator (as
 * `npm run start:validators`) on PORT+i with inspectors on PORT+4+i. Both run
 * the bench genesis on a fresh state folder.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev, stopProcess, waitForValidators } from "../../scripts/local-testnet.ts";
import { LOCAL_VALIDATORS } from "../../src/chain/config.ts";
import { BENCH_CHAIN_ID, type BenchChain } from "./genesis.ts";

export type Topology = "one-deployment" | "validators";

export type Testnet = {
  /** Where clients submit: every validator's own URL in the validators topology. */
  readonly urls: readonly string[];
  /** The inspector port of the one-deployment process (CPU profiles). */
  readonly inspectorPort: number;
  stop(): void;
};

export async function startTestnet(topology: Topology, port: number, chain: BenchChain): Promise<Testnet> {
  const state = mkdtempSync(join(tmpdir(), "sero-bench-chain-"));
  const count = topology === "validators" ? LOCAL_VALIDATORS : 1;
  const urls = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${port + i}`);
  const vars = { CHAIN_ID: BENCH_CHAIN_ID, GENESIS: chain.document };
  const children: ChildProcess[] = urls.map((_, i) =>
    startWranglerDev(
      topology === "validators"
        ? {
            port: port + i,
            inspectorPort: port + count + i,
            state: join(state, `validator-${i}`),
            vars: { ...vars, VALIDATOR_INDEX: String(i), PEER_URLS: JSON.stringify(urls) },
          }
        : { port, inspectorPort: port + 1, state, vars },
    ),
  );
  const stop = () => {
    for (const child of children) {
      stopProcess(child);
    }
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await Promise.all(urls.map((url, i) => waitForValidators(url, topology === "validators" ? [i] : "all")));
  } catch (e) {
    stop();
    throw e;
  }
  return { urls, inspectorPort: port + 1, stop };
}
