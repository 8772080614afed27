/**
 * npm start — the local testnet in one `wrangler dev`: four validator replicas
 * as Durable Objects of one Worker, D1 migrated, genesis funding the dev
 * faucet; prints where it is once every validator answers.
 */
import { startWranglerDev, stopProcess, waitForValidators } from "./local-testnet.ts";

const port = Number(process.env.PORT ?? 8787);
const url = `http://127.0.0.1:${port}`;
const child = startWranglerDev({ port, state: ".wrangler/state", stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => stopProcess(child));
}
child.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForValidators(url, "all");
  console.log(
    `\nSERO Edge local testnet (4 validators, dev keys) is up at ${url}\n` +
      `  status:   curl ${url}/v1/status\n  blocks:   curl ${url}/v1/blocks\n` +
      `  API:      curl ${url}/openapi.json\n  stop:     Ctrl-C (state stays in .wrangler/state)\n`,
  );
} catch {
  console.error(`SERO Edge did not answer at ${url}`);
}
