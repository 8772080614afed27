/**
 * The faucet service for any SERO Edge node (a deployed testnet, or the local
 * one): `node scripts/faucet.ts --node https://... [--port 8788] [--drip 1000]
 * [--recipient-drips 5] [--trust-proxy-header X-Forwarded-For]`.
 * Its account comes from FAUCET_MNEMONIC (the 24 words of the account the
 * genesis granted, docs/OPERATING.md); only a local chain falls back to the
 * labelled DEV faucet key. Proving runs here, never in a Worker.
 */
import { parseArgs } from "node:util";
import { DEV_FAUCET_SEED, isLocalChain } from "../src/chain/dev-keys.ts";
import { parseAmount } from "../src/cli/amount.ts";
import { Faucet } from "../src/faucet/faucet.ts";
import { DEFAULT_RECIPIENT_LIMIT, serveFaucet } from "../src/faucet/server.ts";
import { SERO_DECIMALS } from "../src/protocol/asset.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { mnemonicToSeed } from "../src/protocol/mnemonic.ts";
import { NodeClient } from "../src/wallet/node-client.ts";

const { values } = parseArgs({
  options: {
    node: { type: "string", default: "http://127.0.0.1:8787" },
    port: { type: "string", default: "8788" },
    host: { type: "string", default: "127.0.0.1" },
    drip: { type: "string", default: "1000" },
    "recipient-drips": { type: "string", default: String(DEFAULT_RECIPIENT_LIMIT.limit) },
    "trust-proxy-header": { type: "string" },
  },
});
try {
  const client = new NodeClient(values.node);
  const { chainId } = await client.status();
  const mnemonic = process.env.FAUCET_MNEMONIC;
  if (mnemonic === undefined && !isLocalChain(chainId)) {
    throw new Error(`chain ${chainId} is not local: set FAUCET_MNEMONIC to the faucet account's 24 words`);
  }
  const seed = mnemonic === undefined ? DEV_FAUCET_SEED : mnemonicToSeed(mnemonic);
  const drip = parseAmount(values.drip, SERO_DECIMALS, "--drip");
  const faucet = await Faucet.create(deriveSpendingKeys(seed), client, drip);
  const recipientDrips = Number(values["recipient-drips"]);
  if (!Number.isSafeInteger(recipientDrips) || recipientDrips < 1) {
    throw new Error("--recipient-drips is a positive integer");
  }
  // Only behind a proxy that appends this header (docs/OPERATING.md "A faucet for a deployed testnet").
  const proxy = values["trust-proxy-header"] ?? (process.env.FAUCET_TRUST_PROXY_HEADER || undefined);
  const server = await serveFaucet(faucet, Number(values.port), {
    host: values.host,
    trustProxyHeader: proxy,
    perRecipient: { ...DEFAULT_RECIPIENT_LIMIT, limit: recipientDrips },
  });
  console.log(
    `faucet for ${chainId} at ${server.url}/v1/faucet: ${values.drip} SERO a request; ` +
      (proxy === undefined ? "clients keyed on their socket address" : `clients keyed on the last ${proxy} address`),
  );
} catch (e) {
  console.error(`faucet not started: ${(e as Error).message}`);
  process.exitCode = 1;
}
