import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import {
  decodeContractAddress,
  decodeOneTimeAddress,
  decodePublicAddress,
  deriveContractAddress,
  encodeOneTimeAddress,
  encodePublicAddress,
  oneTimeAddressAt,
  publicAddressOf,
  recognizesOneTimeAddress,
} from "../../src/protocol/address.ts";
import { ProtocolError } from "../../src/protocol/errors.ts";
import { decodeViewingKey, deriveViewingKeys, encodeViewingKey, viewingKeyOf } from "../../src/protocol/keys.ts";
import { mnemonicToSeed, seedToMnemonic } from "../../src/protocol/mnemonic.ts";
import { decodeText, encodeText } from "../../src/protocol/text.ts";
import { account, bytes32, oneTimeAddress } from "./fixtures.ts";

describe("keys", () => {
  it("a mnemonic encodes exactly the seed", () => {
    const seed = bytes32("mnemonic");
    const words = seedToMnemonic(seed);
    expect(words.split(" ")).toHaveLength(24);
    expect(mnemonicToSeed(`  ${words.toUpperCase()} `)).toEqual(seed);
    const wrong = words.split(" ");
    wrong[3] = wrong[3] === "abandon" ? "ability" : "abandon";
    expect(() => mnemonicToSeed(wrong.join(" "))).toThrow(/checksum/);
  });

  it("the viewing key derives the same incoming keys as the spending key, and no spending secret", () => {
    const keys = account("alice");
    const vk = decodeViewingKey(encodeViewingKey(viewingKeyOf(keys)));
    const viewing = deriveViewingKeys(vk);
    expect(viewing.ivk).toBe(keys.ivk);
    expect(viewing.xsk).toEqual(keys.xsk);
    expect(viewing.dk).toEqual(keys.dk);
    expect(Object.keys(viewing)).not.toContain("ask");
    expect(Object.keys(viewing)).not.toContain("seed");
  });
});

describe("addresses", () => {
  const alice = account("alice");
  const bob = account("bob");

  it("one-time addresses from PK (any sender) and by index (owner) are recognized by the viewing key only", () => {
    const watcher = deriveViewingKeys(viewingKeyOf(alice));
    for (const pkr of [oneTimeAddress(alice, "a"), oneTimeAddressAt(alice, 0), oneTimeAddressAt(watcher, 7)]) {
      expect(recognizesOneTimeAddress(watcher, pkr)).toBe(true);
      expect(recognizesOneTimeAddress(bob, pkr)).toBe(false);
    }
  });

  it("owner-derived one-time addresses are reproducible and distinct", () => {
    const a = encodeOneTimeAddress(oneTimeAddressAt(alice, 1));
    expect(encodeOneTimeAddress(oneTimeAddressAt(alice, 1))).toEqual(a);
    expect(encodeOneTimeAddress(oneTimeAddressAt(alice, 2))).not.toEqual(a);
    // No component repeats between two PKrs of one owner, nor with the PK.
    const b = encodeOneTimeAddress(oneTimeAddressAt(alice, 2));
    const pk = encodePublicAddress(publicAddressOf(alice));
    for (let i = 0; i < 128; i += 32) {
      expect(toHex(b.subarray(i, i + 32))).not.toBe(toHex(a.subarray(i, i + 32)));
      expect([toHex(pk.subarray(0, 32)), toHex(pk.subarray(32))]).not.toContain(toHex(a.subarray(i, i + 32)));
    }
  });

  it("binary encodings round-trip and refuse tampering", () => {
    const pkr = oneTimeAddressAt(alice, 3);
    const bytes = encodeOneTimeAddress(pkr);
    expect(encodeOneTimeAddress(decodeOneTimeAddress(bytes))).toEqual(bytes);
    const pk = encodePublicAddress(publicAddressOf(alice));
    expect(encodePublicAddress(decodePublicAddress(pk))).toEqual(pk);
    const offCurve = Uint8Array.from(bytes);
    offCurve[0] = (offCurve[0] as number) ^ 1;
    expect(() => decodeOneTimeAddress(offCurve)).toThrow(ProtocolError);
    expect(() => decodePublicAddress(pk.subarray(0, 63))).toThrow(/64 bytes/);
  });

  it("contract addresses are never valid public addresses, and the converse", () => {
    for (let nonce = 0n; nonce < 50n; nonce++) {
      const contract = deriveContractAddress(encodePublicAddress(publicAddressOf(alice)), nonce);
      expect(() => decodePublicAddress(contract.bytes)).toThrow(ProtocolError);
      expect(decodeContractAddress(contract.bytes).bytes).toEqual(contract.bytes);
    }
    expect(() => decodeContractAddress(encodePublicAddress(publicAddressOf(alice)))).toThrow(/not a contract/);
  });

  it("text encodings carry their kind: a viewing key is refused where an address belongs", () => {
    const pk = encodeText("publicAddress", encodePublicAddress(publicAddressOf(alice)));
    const vk = encodeText("viewingKey", encodeViewingKey(alice));
    const pkr = encodeText("oneTimeAddress", encodeOneTimeAddress(oneTimeAddressAt(alice, 0)));
    expect(pk.startsWith("sero1")).toBe(true);
    expect(pkr.startsWith("seror1")).toBe(true);
    expect(vk.startsWith("serovk1")).toBe(true);
    expect(decodeText("publicAddress", pk)).toEqual(encodePublicAddress(publicAddressOf(alice)));
    expect(() => decodeText("publicAddress", vk)).toThrow(expect.objectContaining({ code: "wrong_kind" }));
    expect(() => decodeText("oneTimeAddress", pk)).toThrow(expect.objectContaining({ code: "wrong_kind" }));
    const typo = `${pk.slice(0, -1)}${pk.endsWith("q") ? "p" : "q"}`;
    expect(() => decodeText("publicAddress", typo)).toThrow(expect.objectContaining({ code: "bad_checksum" }));
    expect(() => decodeText("publicAddress", pk.toUpperCase().replace("SERO1", "sero1"))).toThrow(ProtocolError);
  });
});
