/**
 * npm run vkey:hash -- [vkey.json ...]
 *
 * The hash GENESIS.verifyingKeys names a Groth16 verifying key by
 * (docs/CEREMONY.md §4): sha256 of the key's canonical bytes, the same
 * function the Worker checks at start (src/chain/verifying-keys.ts). With
 * files, one `<hash>  <file>` line each, like sha256sum; without, the
 * `verifyingKeys` field for the keys this checkout bundles.
 */
import { readFileSync } from "node:fs";
import { BUNDLED_KEYS_ARE_DEV, bundledKeys, verifyingKeyHash } from "../src/chain/verifying-keys.ts";
import { verifyingKeyFromSnarkjs } from "../src/protocol/groth16/index.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.log(JSON.stringify({ verifyingKeys: Object.fromEntries(bundledKeys().map((k) => [k.shape, k.hash])) }));
  if (BUNDLED_KEYS_ARE_DEV) {
    console.error(
      "note: these are the public DEV setup keys (circuits/artifacts/manifest.json): anyone can forge proofs",
    );
  }
}
for (const file of files) {
  try {
    console.log(`${verifyingKeyHash(verifyingKeyFromSnarkjs(JSON.parse(readFileSync(file, "utf8"))))}  ${file}`);
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
