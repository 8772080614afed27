/**
 * The faucet service for any SERO Edge node (a deployed testnet, or the local
 * one): `npm run faucet -- --node https://... --mnemonic-file FILE` (the
 * options: src/faucet/options.ts, `--help`). Its account is the one the
 * genesis granted (docs/OPERATING.md); only a local chain falls back to the
 * labelled DEV faucet key. Proving runs here, never in a Worker.
 */
import { readFileSync, statSync } from "node:fs";
import { DEV_FAUCET_SEED, isLocalChain } from "../src/chain/dev-keys.ts";
import { Faucet } from "../src/faucet/faucet.ts";
import { FAUCET_USAGE, type MnemonicSource, parseFaucetArgs, UsageError } from "../src/faucet/options.ts";
import { DEFAULT_RECIPIENT_LIMIT, serveFaucet } from "../src/faucet/server.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { mnemonicToSeed } from "../src/protocol/mnemonic.ts";
import { NodeClient } from "../src/wallet/node-client.ts";

function commandOrExit() {
  try {
    return parseFaucetArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${FAUCET_USAGE}`);
      process.exit(2);
    }
    throw e;
  }
}

/** The account's seed as given, read before the node is asked anything; undefined: none given. */
function givenSeed(source: MnemonicSource): Uint8Array | undefined {
  switch (source.from) {
    case "dev-key":
      return undefined;
    case "env":
      return mnemonicToSeed(source.words);
    case "stdin":
      return mnemonicToSeed(readFileSync(0, "utf8"));
    case "file":
      return mnemonicToSeed(readMnemonicFile(source.path));
  }
}

function readMnemonicFile(path: string): string {
  try {
    // As ssh does with a private key, say so when others may read it.
    if ((statSync(path).mode & 0o077) !== 0) {
      console.warn(`warning: ${path} is readable by other users: chmod 600 ${path}`);
    }
    return readFileSync(path, "utf8");
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    throw new Error(`cannot read --mnemonic-file ${path}: ${code === "ENOENT" ? "no such file" : message}`);
  }
}

const command = commandOrExit();
if (command.help) {
  console.log(FAUCET_USAGE);
} else {
  const { options } = command;
  try {
    const seed = givenSeed(options.mnemonic);
    const client = new NodeClient(options.node);
    const { chainId } = await client.status();
    if (seed === undefined && !isLocalChain(chainId)) {
      throw new Error(`chain ${chainId} is not local: give the faucet account's 24 words with --mnemonic-file`);
    }
    const faucet = await Faucet.create(deriveSpendingKeys(seed ?? DEV_FAUCET_SEED), client, options.drip);
    // Only behind a proxy that appends this header (docs/OPERATING.md "A faucet for a deployed testnet").
    const proxy = options.trustProxyHeader;
    const server = await serveFaucet(faucet, options.port, {
      host: options.host,
      trustProxyHeader: proxy,
      perRecipient: { ...DEFAULT_RECIPIENT_LIMIT, limit: options.recipientDrips },
    });
    console.log(
      `faucet for ${chainId} at ${server.url}/v1/faucet: ${options.dripText} SERO a request; ` +
        (proxy === undefined ? "clients keyed on their socket address" : `clients keyed on the last ${proxy} address`),
    );
  } catch (e) {
    console.error(`faucet not started: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
