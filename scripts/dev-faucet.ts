/**
 * The faucet beside a local testnet (`npm start`, `npm run start:validators`):
 * the labelled DEV faucet account that the local genesis funds, paying
 * 1,000 SERO a request (docs/OPERATING.md "Local testnet").
 */
import { DEV_FAUCET_SEED } from "../src/chain/dev-keys.ts";
import { Faucet } from "../src/faucet/faucet.ts";
import { type FaucetServer, serveFaucet } from "../src/faucet/server.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { NodeClient } from "../src/wallet/node-client.ts";

const DRIP = 1_000n * 10n ** 18n;

export async function startDevFaucet(nodeUrl: string, port: number): Promise<FaucetServer> {
  const faucet = await Faucet.create(deriveSpendingKeys(DEV_FAUCET_SEED), new NodeClient(nodeUrl), DRIP);
  return serveFaucet(faucet, port);
}

/** The banner's lines on how a wallet in another terminal finds this testnet. */
export function walletLines(nodeUrl: string, faucet: FaucetServer | Error): string {
  const exports = faucet instanceof Error ? `SERO_NODE=${nodeUrl}` : `SERO_NODE=${nodeUrl} SERO_FAUCET=${faucet.url}`;
  return (
    `  faucet:   ${faucet instanceof Error ? `not started: ${faucet.message}` : `${faucet.url}/v1/faucet (1000 SERO a request, DEV key)`}\n` +
    `  wallet:   export ${exports}\n` +
    "            npx sero account new && npx sero faucet && npx sero balance\n"
  );
}
