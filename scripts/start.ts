/**
 * npm start — the local testnet in one `wrangler dev`: four validator replicas
 * as Durable Objects of one Worker, D1 migrated, genesis funding the dev
 * faucet, and the faucet service beside it; prints where they are once every
 * validator answers.
 */
import { existsSync } from "node:fs";
import { DEV_FAUCET_SEED } from "../src/chain/dev-keys.ts";
import { Faucet } from "../src/faucet/faucet.ts";
import { serveFaucet } from "../src/faucet/server.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { NodeClient } from "../src/wallet/node-client.ts";
import { prepareLocalState, startWranglerDev, stopProcess, waitForValidators } from "./local-testnet.ts";

const port = Number(process.env.PORT ?? 8787);
const faucetPort = Number(process.env.FAUCET_PORT ?? port + 1);
const url = `http://127.0.0.1:${port}`;
/** 1,000 SERO a request. */
const DRIP = 1_000n * 10n ** 18n;
const STATE = ".wrangler/state";
prepareLocalState(process.argv.slice(2), [STATE]);
const resumed = existsSync(STATE);
// FAUCET_URL: the node forwards /v1/faucet there, so the browser wallet asks its own origin (src/api/routes/faucet.ts).
const child = startWranglerDev({
  port,
  state: STATE,
  stdio: "inherit",
  vars: { FAUCET_URL: `http://127.0.0.1:${faucetPort}` },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => stopProcess(child));
}
child.on("exit", (code) => process.exit(code ?? 0));

/** The faucet beside the chain; the chain stays up if its port is taken. */
async function startFaucet(): Promise<string> {
  try {
    const faucet = await Faucet.create(deriveSpendingKeys(DEV_FAUCET_SEED), new NodeClient(url), DRIP);
    const server = await serveFaucet(faucet, faucetPort);
    return `${server.url}/v1/faucet (1000 SERO a request, DEV key)`;
  } catch (e) {
    return `not started: ${(e as Error).message} (set FAUCET_PORT)`;
  }
}

try {
  await waitForValidators(url, "all");
  const faucet = await startFaucet();
  console.log(
    `\nSERO Edge local testnet (4 validators, dev keys, ${resumed ? "resumed" : "new chain"}) is up at ${url}\n` +
      `  status:   curl ${url}/v1/status\n  blocks:   curl ${url}/v1/blocks\n` +
      `  API:      curl ${url}/openapi.json\n` +
      `  browser:  ${url}/wallet/ (the browser wallet)\n` +
      `  faucet:   ${faucet}\n` +
      `  wallet:   npx sero account new && npx sero faucet && npx sero balance\n` +
      `  stop:     Ctrl-C (state stays in ${STATE}; \`npm start -- --fresh\` starts a new chain)\n`,
  );
} catch {
  console.error(`SERO Edge did not answer at ${url}`);
}
