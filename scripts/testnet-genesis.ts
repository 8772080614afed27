/**
 * npm run testnet:genesis -- --validators 4 --faucet sero1...
 *
 * Makes a deployed testnet's genesis (docs/OPERATING.md, "Deploying a
 * testnet"): fresh validator key pairs and genesis entropy from
 * crypto.getRandomValues, the public GENESIS document written to --out, and
 * the validator SECRET keys printed once, here, for `wrangler secret put`.
 * Nothing secret is ever written to disk. GENESIS names by hash the proof
 * verifying keys this checkout bundles (docs/CEREMONY.md §4); the public dev
 * setup's only with --dev-proof-keys.
 */
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ed25519 } from "@noble/curves/ed25519.js";
import { SERO } from "../src/chain/config.ts";
import { parseGenesisDocument } from "../src/chain/genesis-document.ts";
import { BUNDLED_KEYS_ARE_DEV, bundledKeys } from "../src/chain/verifying-keys.ts";
import { toHex } from "../src/codec/bytes.ts";

const USAGE = `usage: npm run testnet:genesis -- --validators N --faucet sero1... [options]

  --validators N     validator count, 3f + 1: 4, 7, 10, ... (default 4)
  --faucet ADDRESS   the faucet account's public address (sero1...): genesis funds it
  --supply SERO      whole SERO for the faucet (default 10000000)
  --notes N          split into this many notes, so payments need not wait on change (default 64)
  --memo TEXT        memo of the faucet's genesis notes (default "testnet faucet")
  --chain-id ID      must equal the deployment's CHAIN_ID (default sero-testnet-1)
  --out FILE         where the public GENESIS JSON goes (default genesis.<chain-id>.json; never overwritten)
  --dev-proof-keys   trust the committed DEV setup's verifying keys, with which anyone can forge proofs:
                     only for a test network holding nothing of value (docs/CEREMONY.md)`;

/** Cloudflare's limit on one Worker variable. */
const VAR_LIMIT = 5 * 1024;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function wholeNumber(text: string, name: string): bigint {
  if (!/^[1-9][0-9]*$/.test(text)) {
    fail(`--${name} must be a positive whole number, got ${text}`);
  }
  return BigInt(text);
}

const { values } = parseArgs({
  options: {
    validators: { type: "string", default: "4" },
    faucet: { type: "string" },
    supply: { type: "string", default: "10000000" },
    notes: { type: "string", default: "64" },
    memo: { type: "string", default: "testnet faucet" },
    "chain-id": { type: "string", default: "sero-testnet-1" },
    out: { type: "string" },
    "dev-proof-keys": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const n = Number(wholeNumber(values.validators, "validators"));
if (n < 4 || (n - 1) % 3 !== 0) {
  fail(`--validators ${n}: PBFT needs n = 3f + 1 with f >= 1 (4, 7, 10, ...)`);
}
if (values.faucet === undefined) {
  fail("--faucet is required: the public address (sero1...) of the account the faucet service will hold");
}
if (BUNDLED_KEYS_ARE_DEV && !values["dev-proof-keys"]) {
  fail(
    "circuits/artifacts holds the public DEV setup keys (anyone can forge proofs with them): run the ceremony " +
      "(docs/CEREMONY.md), or pass --dev-proof-keys for a test network holding nothing of value",
  );
}
const chainId = values["chain-id"];
const out = values.out ?? `genesis.${chainId}.json`;
if (existsSync(out)) {
  fail(`${out} exists: a live chain's genesis is never overwritten; choose another --out`);
}

const random32 = () => crypto.getRandomValues(new Uint8Array(32));
const secrets = Array.from({ length: n }, random32);
const supply = wholeNumber(values.supply, "supply") * SERO;
const notes = wholeNumber(values.notes, "notes");
const each = supply / notes;
const amounts = Array.from({ length: Number(notes) }, (_, i) =>
  // The remainder of the division goes to the last note, so the notes add up to the supply.
  (i === Number(notes) - 1 ? supply - each * (notes - 1n) : each).toString(),
);
const genesis = {
  chainId,
  validators: secrets.map((s) => toHex(ed25519.getPublicKey(s))),
  entropy: toHex(random32()),
  grants: [{ recipient: values.faucet, amounts, memo: values.memo }],
  verifyingKeys: Object.fromEntries(bundledKeys().map((k) => [k.shape, k.hash])),
};

const compact = JSON.stringify(genesis);
try {
  parseGenesisDocument(compact, chainId); // exactly what the Worker will check at start
} catch (e) {
  fail((e as Error).message);
}
if (compact.length > VAR_LIMIT) {
  fail(`GENESIS would be ${compact.length} bytes; a Worker variable holds at most ${VAR_LIMIT}: use fewer --notes`);
}
writeFileSync(out, `${JSON.stringify(genesis, null, 2)}\n`, { flag: "wx" });

// A TOML literal string needs no escaping, unless the memo itself holds three quotes.
const toml = compact.includes("'''") ? JSON.stringify(compact) : `'''${compact}'''`;
console.log(`GENESIS of ${chainId} (public) written to ${out}. In wrangler.toml, [env.testnet.vars]:

CHAIN_ID = "${chainId}"
GENESIS = ${toml}

VALIDATOR SECRET KEYS: shown this once and stored nowhere. Hand each to its operator only; never commit them.
${secrets.map((s, i) => `  validator ${i}: ${toHex(s)}`).join("\n")}

One validator per deployment: in validator i's deployment run
  npx wrangler secret put VALIDATOR_KEY --env testnet
and paste validator i's key at the prompt (never as a command-line argument: shells keep history).
One deployment hosting every validator: npx wrangler secret put VALIDATOR_KEYS --env testnet, and paste
  ${JSON.stringify(secrets.map(toHex))}`);
