/**
 * A local testnet (`wrangler dev`, 4 replicas) with its faucet, and the `sero`
 * CLI run against it as separate processes, --json, each wallet in its own
 * folder: what the end-to-end suites drive, exactly as a user would.
 */
import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { startWranglerDev, stopProcess, waitForValidators, waitUntil } from "../../scripts/local-testnet.ts";
import { DEV_FAUCET_SEED } from "../../src/chain/dev-keys.ts";
import { Faucet } from "../../src/faucet/faucet.ts";
import { type FaucetServer, serveFaucet } from "../../src/faucet/server.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { releaseProverThreads } from "../../src/prover/index.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { schemaViolations } from "../cli/json-schema.ts";

export type Json = Record<string, unknown>;
export type Run = { code: number; json: Json };

const SERO = 10n ** 18n;

export class CliTestnet {
  readonly node: string;
  readonly root: string;
  #testnet: ChildProcess | undefined;
  #faucet: FaucetServer | undefined;

  constructor(port: number, name: string) {
    this.node = `http://127.0.0.1:${port}`;
    this.root = mkdtempSync(join(tmpdir(), `sero-${name}-e2e-`));
  }

  /** The testnet, once every validator answers, and a faucet giving 1,000 SERO. */
  async start(): Promise<void> {
    this.#testnet = startWranglerDev({ port: Number(new URL(this.node).port), state: join(this.root, "testnet") });
    await waitForValidators(this.node, "all");
    const faucet = await Faucet.create(deriveSpendingKeys(DEV_FAUCET_SEED), new NodeClient(this.node), 1_000n * SERO);
    this.#faucet = await serveFaucet(faucet, 0);
  }

  /**
   * The chain reset as docs/OPERATING.md says: the testnet stopped, its state
   * deleted, and started again on the same port (the faucet with it).
   */
  async resetChain(): Promise<void> {
    await this.#faucet?.close();
    const testnet = this.#testnet;
    if (testnet) {
      const exited = new Promise((resolve) => testnet.once("exit", resolve));
      stopProcess(testnet);
      await exited;
      await waitUntil(
        () =>
          fetch(this.node).then(
            () => undefined,
            () => true,
          ),
        30_000,
        "the old testnet's port to close",
      );
    }
    rmSync(join(this.root, "testnet"), { recursive: true, force: true });
    await this.start();
  }

  async stop(): Promise<void> {
    await this.#faucet?.close();
    await releaseProverThreads();
    if (this.#testnet) {
      stopProcess(this.#testnet);
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /** One `sero` invocation in its own process, with the wallet's passphrase from the environment. */
  run(wallet: string, ...args: string[]): Promise<Run> {
    const node = args.includes("--node") ? [] : ["--node", this.node];
    const argv = ["src/cli/sero.ts", ...args, "--json", ...node, "--wallet-dir", join(this.root, wallet)];
    const env = { ...process.env, SERO_PASSPHRASE: `passphrase of ${wallet}`, SERO_FAUCET: this.#faucet?.url };
    return new Promise((resolve) => {
      execFile(process.execPath, argv, { env, timeout: 300_000 }, (error, stdout) => {
        const last = stdout.trim().split("\n").at(-1) ?? "{}";
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, json: JSON.parse(last) as Json });
      });
    });
  }

  /** As `run`, expecting success in the one --json schema (test/cli/json-schema.ts), on a real chain too. */
  async ok(wallet: string, ...args: string[]): Promise<Json> {
    const run = await this.run(wallet, ...args);
    expect(run.code, `sero ${args.join(" ")}: ${JSON.stringify(run.json)}`).toBe(0);
    expect(schemaViolations(run.json), `sero ${args.join(" ")}`).toEqual([]);
    return run.json;
  }

  /** As `run`, expecting a refusal with `code`. */
  async refused(wallet: string, code: string, ...args: string[]): Promise<void> {
    const run = await this.run(wallet, ...args);
    expect(run.code, `sero ${args.join(" ")}`).toBe(1);
    expect(run.json).toMatchObject({ error: { code } });
  }
}
