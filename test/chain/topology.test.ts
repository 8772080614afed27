import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { devValidatorPublicKey, devValidatorSecret } from "../../src/chain/dev-keys.ts";
import { TopologyError, topologyFromEnv, validatorSecret } from "../../src/chain/topology.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { bytes32 } from "../protocol/fixtures.ts";

const secret = bytes32("validator 2");
const publicKey = ed25519.getPublicKey(secret);
const peers = JSON.stringify([0, 1, 2, 3].map((i) => `https://v${i}.example`));
const deployed = { CHAIN_ID: "sero-testnet-1", VALIDATOR_INDEX: "2", PEER_URLS: peers };

describe("validator keys", () => {
  it("takes VALIDATOR_KEY when its public key is the genesis one", () => {
    const env = { ...deployed, VALIDATOR_KEY: toHex(secret) };
    expect(validatorSecret(env, topologyFromEnv(env, 4), 2, publicKey)).toEqual(secret);
  });

  it("refuses a key that is not the genesis key of its index", () => {
    const env = { ...deployed, VALIDATOR_KEY: toHex(bytes32("someone else")) };
    expect(() => validatorSecret(env, topologyFromEnv(env, 4), 2, publicKey)).toThrow(
      /the VALIDATOR_KEY secret is not validator 2's key: .*GENESIS\.validators\[2\]/,
    );
    expect(() => validatorSecret(env, topologyFromEnv(env, 4), 2, undefined)).toThrow(TopologyError);
  });

  it("uses the dev keys only on a local chain, and only for the dev genesis", () => {
    const local = { CHAIN_ID: "sero-local-1" };
    const all = topologyFromEnv(local, 4);
    expect(validatorSecret(local, all, 1, devValidatorPublicKey(1))).toEqual(devValidatorSecret(1));
    expect(() => validatorSecret(local, all, 1, publicKey)).toThrow(/the dev key is not validator 1's key/);
    expect(() => validatorSecret(deployed, topologyFromEnv(deployed, 4), 2, devValidatorPublicKey(2))).toThrow(
      /needs validator key secrets: dev keys are for local chains only/,
    );
  });

  it("reads VALIDATOR_KEYS by index in one deployment", () => {
    const env = { CHAIN_ID: "sero-testnet-1", VALIDATOR_KEYS: JSON.stringify(["00", "00", toHex(secret), "00"]) };
    expect(validatorSecret(env, topologyFromEnv(env, 4), 2, publicKey)).toEqual(secret);
    expect(() => validatorSecret(env, topologyFromEnv(env, 4), 2, devValidatorPublicKey(2))).toThrow(
      /the VALIDATOR_KEYS\[2\] secret is not validator 2's key/,
    );
  });
});

describe("peer URLs", () => {
  const urls = (...list: string[]) => JSON.stringify(list);

  it("takes https peers on any chain and plain http only on a local one", () => {
    const https = urls("https://v0.example", "https://v1.example/", "https://v2.example", "https://v3.example");
    expect(topologyFromEnv({ ...deployed, PEER_URLS: https }, 4)).toEqual({
      kind: "validator",
      index: 2,
      peers: ["https://v0.example", "https://v1.example", "https://v2.example", "https://v3.example"],
    });
    const local = urls("http://127.0.0.1:8787", "http://127.0.0.1:8788", "http://127.0.0.1:8789", "https://v3.example");
    expect(topologyFromEnv({ CHAIN_ID: "sero-local-1", VALIDATOR_INDEX: "0", PEER_URLS: local }, 4).kind).toBe(
      "validator",
    );
  });

  it("refuses http, ws and other schemes on a deployed chain, naming the var and the entry", () => {
    for (const bad of ["http://v1.example", "ws://v1.example", "wss://v1.example", "ftp://v1.example"]) {
      const env = {
        ...deployed,
        PEER_URLS: urls("https://v0.example", bad, "https://v2.example", "https://v3.example"),
      };
      expect(() => topologyFromEnv(env, 4)).toThrow(new RegExp(`^PEER_URLS\\[1\\] is ${bad.replace(/\./g, "\\.")}`));
    }
    const local = {
      CHAIN_ID: "sero-local-1",
      VALIDATOR_INDEX: "0",
      PEER_URLS: urls("ws://a", "ws://b", "ws://c", "ws://d"),
    };
    expect(() => topologyFromEnv(local, 4)).toThrow(/PEER_URLS\[0\] is ws:\/\/a/);
  });
});
