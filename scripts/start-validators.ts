/**
 * npm run start:validators — the local testnet with one validator per
 * process, as a real testnet deploys it: four `wrangler dev` processes on
 * ports 8787..8790, each hosting its own replica with its own D1 and state
 * folder, linking to the others by URL. Killing one process stops one
 * validator; the others go on, and it catches up when restarted.
 */
import { LOCAL_VALIDATORS } from "../src/chain/config.ts";
import { prepareLocalState, startWranglerDev, stopProcess, waitForValidators } from "./local-testnet.ts";

const base = Number(process.env.PORT ?? 8787);
const urls = Array.from({ length: LOCAL_VALIDATORS }, (_, i) => `http://127.0.0.1:${base + i}`);
const folders = urls.map((_, i) => `.wrangler/validator-${i}`);
prepareLocalState(process.argv.slice(2), folders);
const children = urls.map((_, i) =>
  startWranglerDev({
    port: base + i,
    state: folders[i] as string,
    vars: { VALIDATOR_INDEX: String(i), PEER_URLS: JSON.stringify(urls) },
  }),
);
const stopAll = () => {
  for (const c of children) {
    stopProcess(c);
  }
  process.exit(0);
};
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

await Promise.all(urls.map((url, i) => waitForValidators(url, [i])));
console.log(
  `\nSERO Edge local testnet, one validator per process:\n${urls.map((u, i) => `  validator ${i}: ${u}`).join("\n")}\n  stop: Ctrl-C\n`,
);
