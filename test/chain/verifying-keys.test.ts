import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  BUNDLED_KEYS_ARE_DEV,
  bundledKey,
  bundledKeys,
  checkTrustedKeys,
  verifyingKeyHash,
} from "../../src/chain/verifying-keys.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { encodeVerifyingKey, verifyingKeyFromSnarkjs } from "../../src/protocol/groth16/index.ts";

const vkeyJson = (circuit: string) => JSON.parse(readFileSync(`circuits/artifacts/${circuit}/vkey.json`, "utf8"));

describe("verifying key hashes", () => {
  it("hash the key's canonical bytes, whatever the JSON formatting", () => {
    const json = vkeyJson("transfer_2x2");
    const key = verifyingKeyFromSnarkjs(json);
    expect(verifyingKeyHash(key)).toBe(toHex(sha256(encodeVerifyingKey(key))));
    const reformatted = JSON.parse(JSON.stringify({ ...json, vk_alphabeta_12: undefined, note: "x" }, null, 7));
    expect(verifyingKeyHash(verifyingKeyFromSnarkjs(reformatted))).toBe(verifyingKeyHash(key));
    expect(verifyingKeyHash(verifyingKeyFromSnarkjs(vkeyJson("merge_4x2")))).not.toBe(verifyingKeyHash(key));
  });

  it("are what the build bundles, per shape; the committed keys are the dev setup", () => {
    expect(bundledKeys().map((k) => [k.shape, k.hash])).toEqual([
      ["2x2", verifyingKeyHash(verifyingKeyFromSnarkjs(vkeyJson("transfer_2x2")))],
      ["4x2", verifyingKeyHash(verifyingKeyFromSnarkjs(vkeyJson("merge_4x2")))],
    ]);
    expect(BUNDLED_KEYS_ARE_DEV).toBe(true);
  });
});

describe("trusted verifying keys", () => {
  // A build whose 2x2 key came from a ceremony (here: the merge key standing in for it).
  const ceremony = [bundledKey(2, 2, vkeyJson("merge_4x2"))];
  const hash = ceremony[0]?.hash as string;

  it("a deployed chain names even ceremony keys; a local one may trust the build", () => {
    expect(() => checkTrustedKeys(undefined, "sero-testnet-1", ceremony, false)).toThrow(
      /^GENESIS\.verifyingKeys is not set: .* a chain names the proof keys it trusts/,
    );
    expect(() => checkTrustedKeys(undefined, "sero-local-1", ceremony, false)).not.toThrow();
    expect(() => checkTrustedKeys({ "2x2": hash }, "sero-testnet-1", ceremony, false)).not.toThrow();
  });

  it("a deployed chain runs the dev keys only when its GENESIS names them", () => {
    const dev = bundledKeys();
    expect(() => checkTrustedKeys(undefined, "sero-testnet-1", dev, true)).toThrow(/public DEV setup keys/);
    const named = Object.fromEntries(dev.map((k) => [k.shape, k.hash]));
    expect(() => checkTrustedKeys(named, "sero-testnet-1", dev, true)).not.toThrow();
    // Trusting the ceremony key while the build carries the dev one: refused.
    expect(() => checkTrustedKeys({ ...named, "2x2": hash }, "sero-testnet-1", dev, true)).toThrow(
      /^GENESIS\.verifyingKeys\.2x2 is [0-9a-f]{64}, but this build's 2x2 key hashes to [0-9a-f]{64} \(the public DEV setup key\)/,
    );
  });
});
