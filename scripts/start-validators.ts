/**
 * npm run start:validators — the local testnet with one validator per
 * process, as a real testnet deploys it: four `wrangler dev` processes, each
 * hosting its own replica with its own D1 and state folder, linking to the
 * others by URL, and the faucet beside them. Validator 0 on PORT (8787), the
 * faucet on FAUCET_PORT (8788, as under `npm start`), validators 1..3 on the
 * next free numbers (8789..8791); all checked free first. Killing one process
 * stops one validator; the others go on, and it catches up when restarted.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_VALIDATORS } from "../src/chain/config.ts";
import { logCommittedBlocks } from "./block-log.ts";
import { startDevFaucet, walletLines } from "./dev-faucet.ts";
import {
  exited,
  prepareLocalState,
  startWranglerDev,
  stopAndWait,
  stopWithThisProcess,
  waitForValidators,
} from "./local-testnet.ts";
import { exitUnlessFree, testnetPortsOrExit } from "./testnet-ports.ts";

const ports = testnetPortsOrExit(LOCAL_VALIDATORS);
const urls = ports.nodes.map((port) => `http://127.0.0.1:${port}`);
const folders = urls.map((_, i) => `.wrangler/validator-${i}`);
// Before --fresh wipes anything: the state folders may belong to a testnet still running.
await exitUnlessFree(ports.listeners);
prepareLocalState(process.argv.slice(2), folders);
// Four wranglers' output would interleave here: each writes its own file (without request lines).
const logs = folders.map((folder) => {
  mkdirSync(folder, { recursive: true });
  return join(folder, "wrangler.log");
});
// Tied to this process before the first starts: each start blocks on its migrations meanwhile.
const children: ChildProcess[] = [];
const run = stopWithThisProcess(children);
for (const [i, port] of ports.nodes.entries()) {
  try {
    children.push(
      startWranglerDev({
        port,
        inspectorPort: ports.inspectors[i] as number,
        state: folders[i] as string,
        stdio: { append: logs[i] as string },
        // FAUCET_URL: each node forwards /v1/faucet to the faucet, for the browser wallet (src/api/routes/faucet.ts).
        vars: {
          VALIDATOR_INDEX: String(i),
          PEER_URLS: JSON.stringify(urls),
          FAUCET_URL: `http://127.0.0.1:${ports.faucet}`,
        },
      }),
    );
  } catch (e) {
    console.error(`validator ${i} not started: ${(e as Error).message} (see ${logs[i]})`);
    await stopAndWait(children);
    process.exit(1);
  }
}
let ready = false;
// Before the testnet is up, any process exiting means it will not come up; afterwards a validator may be stopped on purpose.
const crashed = Promise.race(
  children.map(async (child, i) => {
    const code = await exited(child);
    if (run.stopping()) {
      return;
    }
    const how = child.signalCode ?? `code ${code}`;
    console.error(`validator ${i}'s wrangler dev (${urls[i]}) exited (${how}): see ${logs[i]}`);
    if (!ready) {
      process.exit(code || 1);
    }
  }),
);

const statuses = await Promise.race([
  Promise.all(urls.map((url, i) => waitForValidators(url, [i]))),
  crashed.then(() => undefined),
]).catch(() => undefined);
const [first] = statuses ?? [];
if (first === undefined) {
  if (!run.stopping()) {
    console.error(`the validators did not answer at ${urls.join(", ")}`);
    process.exit(1);
  }
} else {
  ready = true;
  const node = urls[0] as string;
  const faucet = await startDevFaucet(node, ports.faucet).catch((e: Error) => e);
  console.log(
    `\nSERO Edge local testnet, one validator per process (dev keys):\n${urls.map((u, i) => `  validator ${i}: ${u}`).join("\n")}\n` +
      walletLines(node, faucet) +
      "  logs:     .wrangler/validator-*/wrangler.log\n" +
      `  stop:     Ctrl-C (state stays in .wrangler/validator-*; \`-- --fresh\` starts a new chain)\n`,
  );
  await logCommittedBlocks(node, first.height, run.stopping);
}
