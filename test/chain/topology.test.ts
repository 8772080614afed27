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
