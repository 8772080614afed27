/**
 * The Groth16 verifying keys this build carries (circuits/artifacts, one per
 * circuit shape), and which of them a chain trusts. The committed keys come
 * from the development setup (docs/CEREMONY.md §1): public randomness, so
 * anyone can forge proofs for them. A chain that is not local therefore
 * names in GENESIS, by hash, exactly the keys it trusts
 * (`verifyingKeys`), and refuses to start with any other, dev or not.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import manifest from "../../circuits/artifacts/manifest.json" with { type: "json" };
import merge4x2 from "../../circuits/artifacts/merge_4x2/vkey.json" with { type: "json" };
import transfer2x2 from "../../circuits/artifacts/transfer_2x2/vkey.json" with { type: "json" };
import { toHex } from "../codec/bytes.ts";
import { encodeVerifyingKey, type VerifyingKey, verifyingKeyFromSnarkjs } from "../protocol/groth16/index.ts";
import { isLocalChain } from "./dev-keys.ts";
import { GenesisConfigError } from "./genesis-error.ts";

export type BundledKey = {
  /** `<inputs>x<outputs>`, the name GENESIS.verifyingKeys uses. */
  readonly shape: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly key: VerifyingKey;
  /** sha256 of the key's canonical encoding (`verifyingKeyHash`). */
  readonly hash: string;
};

/** What `circuits:setup` made the committed keys with; a ceremony sets its own name (docs/CEREMONY.md §2). */
export const BUNDLED_KEYS_ARE_DEV = manifest.setup.kind === "dev-beacon";

/**
 * sha256 of the key's canonical bytes (groth16/binary.ts `encodeVerifyingKey`):
 * points, not JSON, so formatting never changes it. `scripts/vkey-hash.ts` prints it.
 */
export function verifyingKeyHash(key: VerifyingKey): string {
  return toHex(sha256(encodeVerifyingKey(key)));
}

export function bundledKey(inputs: number, outputs: number, json: unknown): BundledKey {
  const key = verifyingKeyFromSnarkjs(json);
  return { shape: `${inputs}x${outputs}`, inputs, outputs, key, hash: verifyingKeyHash(key) };
}

let bundled: readonly BundledKey[] | undefined;

/** Parsed once per isolate: checking the points costs milliseconds. */
export function bundledKeys(): readonly BundledKey[] {
  bundled ??= [bundledKey(2, 2, transfer2x2), bundledKey(4, 2, merge4x2)];
  return bundled;
}

/**
 * Checks GENESIS.verifyingKeys (shape → hash) against `keys`: every key must
 * be named with its hash, and nothing else named. A local chain may leave it
 * out and trust the build; any other chain must name them.
 */
export function checkTrustedKeys(
  trusted: Readonly<Record<string, string>> | undefined,
  chainId: string,
  keys: readonly BundledKey[] = bundledKeys(),
  dev: boolean = BUNDLED_KEYS_ARE_DEV,
): void {
  if (trusted === undefined) {
    if (isLocalChain(chainId)) {
      return;
    }
    const why = dev
      ? "this build carries the public DEV setup keys, with which anyone can forge proofs"
      : "a chain names the proof keys it trusts";
    throw new GenesisConfigError(
      `GENESIS.verifyingKeys is not set: chain "${chainId}" is not a local chain (sero-local-*) and ${why}; ` +
        `name each key by hash (docs/CEREMONY.md §4: ${keys.map((k) => `"${k.shape}": "${k.hash}"`).join(", ")})`,
    );
  }
  for (const shape of Object.keys(trusted)) {
    if (!keys.some((k) => k.shape === shape)) {
      throw new GenesisConfigError(
        `GENESIS.verifyingKeys.${shape}: this build has no ${shape} circuit (it has ${keys.map((k) => k.shape).join(", ")})`,
      );
    }
  }
  for (const { shape, hash } of keys) {
    const named = trusted[shape];
    if (named === undefined) {
      throw new GenesisConfigError(`GENESIS.verifyingKeys.${shape} is missing: this build verifies ${shape} proofs`);
    }
    if (named !== hash) {
      throw new GenesisConfigError(
        `GENESIS.verifyingKeys.${shape} is ${named}, but this build's ${shape} key hashes to ${hash}${dev ? " (the public DEV setup key)" : ""}: ` +
          "it would verify proofs with a key the chain does not trust",
      );
    }
  }
}
