/**
 * Where the replicas run (docs/OPERATING.md). `one-deployment`: every replica
 * is a Durable Object of this Worker (the local testnet, `npm start`).
 * `validator`: this deployment runs only replica `index`, with its own D1, and
 * reaches validator j at `peers[j]` over HTTPS/WebSocket (plain HTTP only on a
 * local chain).
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesEqual, fromHex } from "../codec/bytes.ts";
import { devValidatorSecret, isLocalChain } from "./dev-keys.ts";

export type Topology =
  | { readonly kind: "one-deployment"; readonly replicas: number }
  | { readonly kind: "validator"; readonly index: number; readonly peers: readonly string[] };

export type TopologyEnv = {
  readonly CHAIN_ID: string;
  readonly VALIDATOR_INDEX?: string;
  /** JSON array of every validator's base URL, in validator order. */
  readonly PEER_URLS?: string;
  /** validator topology: this validator's ed25519 secret key, hex (a Wrangler secret). */
  readonly VALIDATOR_KEY?: string;
  /** one-deployment topology: every validator's secret key, a JSON array of hex (a Wrangler secret). */
  readonly VALIDATOR_KEYS?: string;
};

export class TopologyError extends Error {}

export function topologyFromEnv(env: TopologyEnv, validators: number): Topology {
  if (env.VALIDATOR_INDEX === undefined) {
    return { kind: "one-deployment", replicas: validators };
  }
  const index = Number(env.VALIDATOR_INDEX);
  if (!Number.isInteger(index) || index < 0 || index >= validators) {
    throw new TopologyError(`VALIDATOR_INDEX must be 0..${validators - 1}`);
  }
  let peers: unknown;
  try {
    peers = JSON.parse(env.PEER_URLS ?? "");
  } catch {
    throw new TopologyError("PEER_URLS must be a JSON array of the validators' base URLs");
  }
  if (
    !Array.isArray(peers) ||
    peers.length !== validators ||
    !peers.every((p) => typeof p === "string" && URL.canParse(p))
  ) {
    throw new TopologyError(`PEER_URLS must list ${validators} URLs, one per validator`);
  }
  const schemes = isLocalChain(env.CHAIN_ID) ? ["https:", "http:"] : ["https:"];
  for (const [j, url] of (peers as string[]).entries()) {
    if (!schemes.includes(new URL(url).protocol)) {
      throw new TopologyError(
        `PEER_URLS[${j}] is ${url}: ${isLocalChain(env.CHAIN_ID) ? "an http(s)" : "an https"} URL is needed` +
          " (plain http only on local sero-local-* chains: a deployed chain's links cross the internet)",
      );
    }
  }
  return { kind: "validator", index, peers: peers.map((p: string) => p.replace(/\/$/, "")) };
}

/** Indices of the replicas this deployment hosts. */
export function hostedReplicas(topology: Topology): number[] {
  return topology.kind === "validator" ? [topology.index] : Array.from({ length: topology.replicas }, (_, i) => i);
}

/**
 * The signing key of replica `index`: from the VALIDATOR_KEY (validator
 * topology) or VALIDATOR_KEYS (one deployment) secret; the public dev keys
 * only on a local chain, so a deployed chain never signs with one. It must be
 * the key genesis names for `index` (`publicKey`): a replica with the wrong key
 * would only be refused by its peers, so it refuses to start instead.
 */
export function validatorSecret(
  env: TopologyEnv,
  topology: Topology,
  index: number,
  publicKey: Uint8Array | undefined,
): Uint8Array {
  const secret = topology.kind === "validator" ? env.VALIDATOR_KEY : secretAt(env.VALIDATOR_KEYS, index);
  const name = topology.kind === "validator" ? "VALIDATOR_KEY" : `VALIDATOR_KEYS[${index}]`;
  let key: Uint8Array;
  if (secret !== undefined) {
    const bytes = fromHex(secret);
    if (bytes?.length !== 32) {
      throw new TopologyError("a validator key is 32 bytes of lowercase hex");
    }
    key = bytes;
  } else if (isLocalChain(env.CHAIN_ID)) {
    key = devValidatorSecret(index);
  } else {
    throw new TopologyError(`chain ${env.CHAIN_ID} needs validator key secrets: dev keys are for local chains only`);
  }
  if (publicKey === undefined) {
    throw new TopologyError(`replica ${index} is not a validator of this chain's genesis`);
  }
  if (!bytesEqual(ed25519.getPublicKey(key), publicKey)) {
    const source = secret === undefined ? "the dev key" : `the ${name} secret`;
    throw new TopologyError(
      `${source} is not validator ${index}'s key: its public key differs from genesis (GENESIS.validators[${index}])`,
    );
  }
  return key;
}

function secretAt(json: string | undefined, index: number): string | undefined {
  if (json === undefined) {
    return undefined;
  }
  let keys: unknown;
  try {
    keys = JSON.parse(json);
  } catch {
    throw new TopologyError("VALIDATOR_KEYS must be a JSON array of hex keys");
  }
  const key = Array.isArray(keys) ? keys[index] : undefined;
  if (typeof key !== "string") {
    throw new TopologyError(`VALIDATOR_KEYS has no key for validator ${index}`);
  }
  return key;
}
