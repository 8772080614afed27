/**
 * npm start — the local testnet in one `wrangler dev`: four validator replicas
 * as Durable Objects of one Worker, D1 migrated, genesis funding the dev
 * faucet, and the faucet service beside it; prints where they are once every
 * validator answers, then one line per committed block. Ports: PORT (8787),
 * FAUCET_PORT (PORT + 1), INSPECTOR_PORT (PORT + 1000); all checked free first.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { logCommittedBlocks } from "./block-log.ts";
import { startDevFaucet, walletLines } from "./dev-faucet.ts";
import {
  exited,
  prepareLocalState,
  startWranglerDev,
  stopWithThisProcess,
  waitForValidators,
} from "./local-testnet.ts";
import { exitUnlessFree, testnetPortsOrExit } from "./testnet-ports.ts";

const ports = testnetPortsOrExit(1);
const port = ports.nodes[0] as number;
const url = `http://127.0.0.1:${port}`;
const STATE = ".wrangler/state";
// Before --fresh wipes anything: the state folder may belong to a testnet still running.
await exitUnlessFree(ports.listeners);
prepareLocalState(process.argv.slice(2), [STATE]);
const resumed = existsSync(STATE);
// FAUCET_URL: the node forwards /v1/faucet there, so the browser wallet asks its own origin (src/api/routes/faucet.ts).
let child: ChildProcess;
try {
  child = startWranglerDev({
    port,
    inspectorPort: ports.inspectors[0] as number,
    state: STATE,
    stdio: "quiet",
    vars: { FAUCET_URL: `http://127.0.0.1:${ports.faucet}` },
  });
} catch (e) {
  console.error(`not started: ${(e as Error).message}`);
  process.exit(1);
}
const run = stopWithThisProcess([child]);
const crashed = exited(child).then((code) => {
  if (!run.stopping()) {
    console.error(`wrangler dev exited (${child.signalCode ?? `code ${code}`}): the testnet is down`);
    process.exit(code || 1);
  }
});

const status = await Promise.race([waitForValidators(url, "all"), crashed]).catch(() => undefined);
if (status === undefined) {
  if (!run.stopping()) {
    console.error(`SERO Edge did not answer at ${url}`);
    process.exit(1);
  }
} else {
  const faucet = await startDevFaucet(url, ports.faucet).catch((e: Error) => e);
  console.log(
    `\nSERO Edge local testnet (4 validators, dev keys, ${resumed ? "resumed" : "new chain"}) is up at ${url}\n` +
      `  status:   curl ${url}/v1/status\n  blocks:   curl ${url}/v1/blocks\n` +
      `  API:      curl ${url}/openapi.json\n` +
      `  explorer: ${url}/\n` +
      `  browser:  ${url}/wallet/ (the browser wallet)\n` +
      walletLines(url, faucet) +
      `  stop:     Ctrl-C (state stays in ${STATE}; \`npm start -- --fresh\` starts a new chain)\n`,
  );
  await logCommittedBlocks(url, status.height, run.stopping);
}
