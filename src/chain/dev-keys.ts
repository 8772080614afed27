/**
 * DEV ONLY. Deterministic keys for the local testnet (`npm start`): validator
 * signing keys and the faucet account. They are derived from public labels,
 * so they are PUBLIC: anyone can sign as these validators or spend the dev
 * faucet. Never use them on a network that matters; a deployed testnet takes
 * its validator keys from Wrangler secrets (docs/OPERATING.md).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { blake2b } from "@noble/hashes/blake2.js";
import { utf8 } from "../codec/bytes.ts";

/** Chains whose ids start with this may use the dev keys; no other chain ever does. */
export const LOCAL_CHAIN_PREFIX = "sero-local-";

export function isLocalChain(chainId: string): boolean {
  return chainId.startsWith(LOCAL_CHAIN_PREFIX);
}

const LABEL = "sero-edge LOCAL TESTNET DEV KEY - PUBLIC, NEVER USE ELSEWHERE";

function devSecret(purpose: string): Uint8Array {
  return blake2b(utf8(`${LABEL}/${purpose}`), { dkLen: 32 });
}

/** The ed25519 secret key of local validator `index`. */
export function devValidatorSecret(index: number): Uint8Array {
  return devSecret(`validator/${index}`);
}

export function devValidatorPublicKey(index: number): Uint8Array {
  return ed25519.getPublicKey(devValidatorSecret(index));
}

/** The seed of the local faucet account, which genesis funds. */
export const DEV_FAUCET_SEED: Uint8Array = devSecret("faucet");

/** Entropy of the local genesis allocation: fixed, so every run has the same block 0. */
export const DEV_GENESIS_ENTROPY: Uint8Array = devSecret("genesis");
