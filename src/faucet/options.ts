/**
 * The command line of `npm run faucet` (scripts/faucet.ts), checked before
 * anything starts: `--help` answers the usage, a mistake a UsageError naming
 * it. The account's mnemonic is never an argument (docs/OPERATING.md "A faucet
 * for a deployed testnet"): it comes from --mnemonic-file (`-` for stdin) or
 * the FAUCET_MNEMONIC variable, as a secrets manager sets it.
 */
import { parseArgs } from "node:util";
import { parseAmount } from "../cli/amount.ts";
import { SERO_DECIMALS } from "../protocol/asset.ts";
import { DEFAULT_RECIPIENT_LIMIT } from "./server.ts";

export const FAUCET_USAGE = `usage: npm run faucet -- [options]

The testnet faucet: pays a fixed drip of SERO to each POST /v1/faucet {"to": ADDRESS}.

  --node URL                  the node to sync from and submit to (default http://127.0.0.1:8787)
  --port N                    where the faucet listens (default 8788)
  --host IP                   the address it binds (default 127.0.0.1)
  --drip SERO                 SERO a request (default 1000)
  --recipient-drips N         drips an hour per recipient address (default ${DEFAULT_RECIPIENT_LIMIT.limit})
  --trust-proxy-header NAME   key clients on the last address in this header (only behind a proxy
                              that appends it; or FAUCET_TRUST_PROXY_HEADER)
  --mnemonic-file FILE        the faucet account's 24 words, from FILE (mode 600) or - for stdin
  -h, --help                  this text

The account: --mnemonic-file, or the FAUCET_MNEMONIC variable; neither, only on a local chain
(sero-local-*), the labelled DEV faucet key. Never put the words on the command line.`;

/** A command line that cannot run; the message says why (exit 2). */
export class UsageError extends Error {}

/** Where the faucet account's mnemonic comes from. */
export type MnemonicSource =
  | { readonly from: "file"; readonly path: string }
  | { readonly from: "stdin" }
  | { readonly from: "env"; readonly words: string }
  | { readonly from: "dev-key" };

export type FaucetOptions = {
  readonly node: string;
  readonly port: number;
  readonly host: string;
  /** Base units a request. */
  readonly drip: bigint;
  readonly dripText: string;
  readonly recipientDrips: number;
  readonly trustProxyHeader: string | undefined;
  readonly mnemonic: MnemonicSource;
};

export type FaucetCommand = { readonly help: true } | { readonly help: false; readonly options: FaucetOptions };

function positiveInteger(text: string, name: string, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw new UsageError(`${name} ${JSON.stringify(text)} is not a whole number from 1 to ${max}`);
  }
  return n;
}

function nodeUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--node ${JSON.stringify(text)} is not a URL (like http://127.0.0.1:8787)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--node ${text}: the node's URL is http:// or https://`);
  }
  return text.replace(/\/+$/, "");
}

function argsOf(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        node: { type: "string", default: "http://127.0.0.1:8787" },
        port: { type: "string", default: "8788" },
        host: { type: "string", default: "127.0.0.1" },
        drip: { type: "string", default: "1000" },
        "recipient-drips": { type: "string", default: String(DEFAULT_RECIPIENT_LIMIT.limit) },
        "trust-proxy-header": { type: "string" },
        "mnemonic-file": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    // node:util's hint for an unknown option is about positionals, which the faucet takes none of.
    throw new UsageError(code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? `${message.split(". ")[0]}` : message);
  }
}

/** The faucet's options from its arguments and environment; throws UsageError. */
export function parseFaucetArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): FaucetCommand {
  const values = argsOf(argv);
  if (values.help) {
    return { help: true };
  }
  let drip: bigint;
  try {
    drip = parseAmount(values.drip, SERO_DECIMALS, "--drip");
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (drip === 0n) {
    throw new UsageError("--drip must be more than 0");
  }
  const header = values["trust-proxy-header"] ?? (env.FAUCET_TRUST_PROXY_HEADER || undefined);
  if (header !== undefined && !/^[A-Za-z0-9-]+$/.test(header)) {
    throw new UsageError(`--trust-proxy-header ${JSON.stringify(header)} is not a header name (like X-Forwarded-For)`);
  }
  const file = values["mnemonic-file"];
  const words = env.FAUCET_MNEMONIC || undefined;
  if (file !== undefined && words !== undefined) {
    throw new UsageError("the mnemonic comes either from --mnemonic-file or from FAUCET_MNEMONIC, not both");
  }
  let mnemonic: MnemonicSource = { from: "dev-key" };
  if (file === "-") {
    mnemonic = { from: "stdin" };
  } else if (file !== undefined) {
    mnemonic = { from: "file", path: file };
  } else if (words !== undefined) {
    mnemonic = { from: "env", words };
  }
  return {
    help: false,
    options: {
      node: nodeUrl(values.node),
      port: positiveInteger(values.port, "--port", 65_535),
      host: values.host,
      drip,
      dripText: values.drip,
      recipientDrips: positiveInteger(values["recipient-drips"], "--recipient-drips", Number.MAX_SAFE_INTEGER),
      trustProxyHeader: header,
      mnemonic,
    },
  };
}
