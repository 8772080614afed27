import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { buildChainConfig, DEFAULT_CHAIN_PARAMS, localChainConfig, SERO } from "../../src/chain/config.ts";
import { DEV_FAUCET_SEED, devValidatorPublicKey } from "../../src/chain/dev-keys.ts";
import { chainFromEnv } from "../../src/chain/from-env.ts";
import { GenesisConfigError, parseGenesisDocument } from "../../src/chain/genesis-document.ts";
import { bundledKeys } from "../../src/chain/verifying-keys.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { encodePublicAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import type { SpendingKeys } from "../../src/protocol/keys.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { decodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { GenesisTx } from "../../src/protocol/tx/types.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const CHAIN = "sero-testnet-1";
const keys = [0, 1, 2, 3].map((i) => ed25519.getPublicKey(bytes32(`validator ${i}`)));
const address = (k: SpendingKeys) => encodeText("publicAddress", encodePublicAddress(publicAddressOf(k)));
const faucet = address(account("faucet"));
/** The verifying keys this build carries, named by hash: what a deployed GENESIS must say. */
const trusted = Object.fromEntries(bundledKeys().map((k) => [k.shape, k.hash]));

function doc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    chainId: CHAIN,
    validators: keys.map(toHex),
    entropy: toHex(bytes32("entropy")),
    grants: [{ recipient: faucet, amounts: [(1000n * SERO).toString(), "7"], memo: "testnet faucet" }],
    verifyingKeys: trusted,
    ...overrides,
  };
}

function grant(overrides: Record<string, unknown>) {
  return doc({ grants: [{ recipient: faucet, amounts: ["1"], memo: "", ...overrides }] });
}

function refusal(raw: unknown, chainId = CHAIN): string {
  try {
    parseGenesisDocument(raw, chainId);
  } catch (e) {
    expect(e).toBeInstanceOf(GenesisConfigError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("GENESIS document", () => {
  it("gives the chain it names: validators, allocation, defaults", async () => {
    const chain = parseGenesisDocument(JSON.stringify(doc()), CHAIN);
    expect(chain.consensus.chainId).toBe(CHAIN);
    expect(chain.consensus.validators).toEqual(keys);
    expect(chain.consensus.params).toEqual(DEFAULT_CHAIN_PARAMS);
    expect(chain.anchorWindow).toBe(100);
    expect(chain.minFee).toBe(1000n);
    expect(chain.entropy).toEqual(bytes32("entropy"));
    expect(chain.grants).toHaveLength(1);
    expect(encodePublicAddress(chain.grants[0]?.recipient as never)).toEqual(
      encodePublicAddress(publicAddressOf(account("faucet"))),
    );
    expect(chain.grants[0]?.amounts).toEqual([1000n * SERO, 7n]);

    // Block 0 is the same bytes every time (every replica), and issues exactly the grants.
    const config = buildChainConfig(chain);
    expect(buildChainConfig(parseGenesisDocument(doc(), CHAIN)).genesisBlock).toEqual(config.genesisBlock);
    const tx = decodeTransaction(config.genesisBlock[0] as Uint8Array) as GenesisTx;
    expect(tx.outputs).toHaveLength(2);
    const block0 = await executeBlock(
      new MemoryLedgerStore(emptyLedgerMeta()),
      { height: 0, transactions: config.genesisBlock },
      {
        chainId: CHAIN,
        anchorWindow: config.anchorWindow,
        minFee: config.minFee,
        contracts: DEFAULT_CONTRACT_PARAMS,
        verifier: { verify: async () => [] },
      },
    );
    expect(block0.changes.assets.get(SERO_ASSET_ID)?.issued).toBe(1000n * SERO + 7n);
  });

  it("takes the optional fields, and a table (object) as well as a JSON string", () => {
    const chain = parseGenesisDocument(
      doc({ anchorWindow: 50, minFee: "25000", consensus: { viewTimeout: 5000, statusInterval: 2000 } }),
      CHAIN,
    );
    expect(chain.anchorWindow).toBe(50);
    expect(chain.minFee).toBe(25_000n);
    expect(chain.consensus.params).toEqual({ ...DEFAULT_CHAIN_PARAMS, viewTimeout: 5000, statusInterval: 2000 });
    const weighted = parseGenesisDocument(
      doc({ stakes: ["1", "2", "3", "18446744073709551615"], consensus: { epochLength: 4 } }),
      CHAIN,
    );
    expect(weighted.consensus.stakes).toEqual([1n, 2n, 3n, 2n ** 64n - 1n]);
    expect(weighted.consensus.params.epochLength).toBe(4);
  });

  it.each([
    ["not JSON", "{validators: []}", /^GENESIS is not JSON/],
    ["not an object", "[]", /^GENESIS: /],
    ["an unknown field", doc({ anchorwindow: 5 }), /^GENESIS: .*anchorwindow/],
    ["a missing field", doc({ entropy: undefined }), /^GENESIS\.entropy: /],
    [
      "another chain's genesis",
      doc({ chainId: "sero-testnet-2" }),
      /GENESIS\.chainId is "sero-testnet-2" but CHAIN_ID/,
    ],
    [
      "a key that is not hex",
      doc({ validators: ["zz", ...keys.slice(1).map(toHex)] }),
      /^GENESIS\.validators\[0\]: .*hex/,
    ],
    ["uppercase hex", doc({ validators: [toHex(keys[0] as Uint8Array).toUpperCase()] }), /^GENESIS\.validators\[0\]/],
    ["3 validators", doc({ validators: keys.slice(0, 3).map(toHex) }), /^GENESIS\.validators: n = 3: .*3f \+ 1/],
    [
      "5 validators",
      doc({ validators: [...keys, ed25519.getPublicKey(bytes32("v4"))].map(toHex) }),
      /^GENESIS\.validators: n = 5/,
    ],
    [
      "a duplicate key",
      doc({ validators: [keys[0], keys[0], keys[1], keys[2]].map((k) => toHex(k as Uint8Array)) }),
      /duplicate/,
    ],
    [
      "not a curve point",
      doc({ validators: ["ff".repeat(32), ...keys.slice(1).map(toHex)] }),
      /validators\[0\]: not an ed25519/,
    ],
    [
      "a small-order point",
      doc({ validators: [`01${"00".repeat(31)}`, ...keys.slice(1).map(toHex)] }),
      /validators\[0\]: a small-order point/,
    ],
    ["short entropy", doc({ entropy: "00" }), /^GENESIS\.entropy: must be 64 lowercase hex/],
    ["no grants", doc({ grants: [] }), /^GENESIS\.grants: /],
    ["a grant with an unknown field", grant({ amount: "5" }), /^GENESIS\.grants\[0\]: .*amount/],
    [
      "a garbage recipient",
      grant({ recipient: "alice" }),
      /^GENESIS\.grants\[0\]\.recipient: expected a publicAddress/,
    ],
    [
      "a one-time address as recipient",
      grant({
        recipient: encodeText("oneTimeAddress", new Uint8Array([...Array(128)].map(() => 1))),
      }),
      /^GENESIS\.grants\[0\]\.recipient: expected a publicAddress \(sero1\.\.\.\), got a oneTimeAddress/,
    ],
    ["a recipient with a bad checksum", grant({ recipient: `${faucet.slice(0, -1)}q` }), /recipient: .*checksum/],
    ["an amount as a JSON number", grant({ amounts: [5] }), /^GENESIS\.grants\[0\]\.amounts\[0\]: must be a string/],
    ["an amount with a leading zero", grant({ amounts: ["05"] }), /amounts\[0\]: must be SERO base units in decimal/],
    ["a negative amount", grant({ amounts: ["-5"] }), /amounts\[0\]: must be SERO base units/],
    ["an amount with a point", grant({ amounts: ["1.5"] }), /amounts\[0\]: must be SERO base units/],
    ["a zero amount", grant({ amounts: ["1", "0"] }), /amounts\[1\]: a genesis note holds a positive amount/],
    ["no amounts", grant({ amounts: [] }), /^GENESIS\.grants\[0\]\.amounts: /],
    ["a supply of 2^128", grant({ amounts: [(1n << 127n).toString(), (1n << 127n).toString()] }), /below 2\^128/],
    ["4,081 notes", grant({ amounts: Array(4081).fill("1") }), /4081 notes, at most 4080/],
    ["a memo over 512 bytes", grant({ memo: "é".repeat(257) }), /memo: at most 512 bytes/],
    ["anchorWindow 0", doc({ anchorWindow: 0 }), /^GENESIS\.anchorWindow: /],
    ["a stake of 2^64", doc({ stakes: ["1", "1", "1", "18446744073709551616"] }), /^GENESIS\.stakes\[3\]: /],
    ["a zero stake", doc({ stakes: ["1", "0", "1", "1"] }), /^GENESIS\.stakes\[1\]: /],
    ["a stake missing", doc({ stakes: ["1", "1", "1"] }), /^GENESIS\.stakes: one per validator/],
    ["epochLength 1", doc({ consensus: { epochLength: 1 } }), /^GENESIS\.consensus\.epochLength: /],
    ["a fractional anchorWindow", doc({ anchorWindow: 1.5 }), /^GENESIS\.anchorWindow: /],
    ["a huge anchorWindow", doc({ anchorWindow: 10_001 }), /^GENESIS\.anchorWindow: /],
    ["minFee as a number", doc({ minFee: 1000 }), /^GENESIS\.minFee: must be a string/],
    [
      "a verifying key hash in uppercase",
      doc({ verifyingKeys: { ...trusted, "2x2": "AB".repeat(32) } }),
      /^GENESIS\.verifyingKeys\.2x2: must be 64 lowercase hex/,
    ],
    [
      "a verifying key named by no shape",
      doc({ verifyingKeys: { ...trusted, transfer: "ab".repeat(32) } }),
      /^GENESIS\.verifyingKeys/,
    ],
    ["minFee of 2^128", doc({ minFee: (1n << 128n).toString() }), /^GENESIS\.minFee: must be below 2\^128/],
    [
      "a non-timing consensus param",
      doc({ consensus: { checkpointInterval: 8 } }),
      /^GENESIS\.consensus: .*checkpointInterval/,
    ],
    ["a zero timer", doc({ consensus: { batchTimeout: 0 } }), /^GENESIS\.consensus\.batchTimeout: /],
    [
      "a timer in seconds as a string",
      doc({ consensus: { viewTimeout: "2s" } }),
      /consensus\.viewTimeout: must be an integer/,
    ],
    [
      "maxViewTimeout below viewTimeout",
      doc({ consensus: { viewTimeout: 10_000, maxViewTimeout: 5_000 } }),
      /^GENESIS\.consensus: maxViewTimeout < viewTimeout/,
    ],
  ])("refuses %s", (_, raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });

  it("refuses the public dev keys on a chain that is not local, and allows them on a local one", () => {
    const devKeys = doc({ validators: [0, 1, 2, 3].map((i) => toHex(devValidatorPublicKey(i))) });
    expect(refusal(devKeys)).toMatch(/^GENESIS\.validators\[0\]: the public DEV key of validator 0/);
    const oneDevKey = doc({
      validators: [keys[0], keys[1], devValidatorPublicKey(2), keys[3]].map((k) => toHex(k as Uint8Array)),
    });
    expect(refusal(oneDevKey)).toMatch(/^GENESIS\.validators\[2\]: the public DEV key/);
    const devFaucet = grant({ recipient: address(deriveSpendingKeys(DEV_FAUCET_SEED)) });
    expect(refusal(devFaucet)).toMatch(/^GENESIS\.grants\[0\]\.recipient: the public DEV faucet/);

    const local = "sero-local-7";
    const chain = parseGenesisDocument(
      { ...devKeys, chainId: local, grants: (devFaucet as { grants: unknown }).grants },
      local,
    );
    expect(chain.consensus.validators).toEqual([0, 1, 2, 3].map(devValidatorPublicKey));
  });
});

describe("GENESIS.verifyingKeys", () => {
  it("is required on a chain that is not local, and names the dev keys' hashes when it is missing", () => {
    const message = refusal(doc({ verifyingKeys: undefined }));
    expect(message).toMatch(/^GENESIS\.verifyingKeys is not set: chain "sero-testnet-1" is not a local chain/);
    expect(message).toMatch(/public DEV setup keys, with which anyone can forge proofs/);
    expect(message).toContain(`"2x2": "${trusted["2x2"]}"`);
  });

  it("accepts exactly the bundled keys' hashes, and refuses a mismatch, a missing or an unknown shape", () => {
    expect(parseGenesisDocument(doc(), CHAIN).consensus.chainId).toBe(CHAIN);
    const other = "ab".repeat(32);
    expect(refusal(doc({ verifyingKeys: { ...trusted, "4x2": other } }))).toMatch(
      new RegExp(
        `^GENESIS\\.verifyingKeys\\.4x2 is ${other}, but this build's 4x2 key hashes to ${trusted["4x2"]} \\(the public DEV setup key\\)`,
      ),
    );
    expect(refusal(doc({ verifyingKeys: { "2x2": trusted["2x2"] } }))).toMatch(
      /^GENESIS\.verifyingKeys\.4x2 is missing/,
    );
    expect(refusal(doc({ verifyingKeys: { ...trusted, "3x3": other } }))).toMatch(
      /^GENESIS\.verifyingKeys\.3x3: this build has no 3x3 circuit \(it has 2x2, 4x2\)/,
    );
    expect(refusal(doc({ verifyingKeys: {} }))).toMatch(/^GENESIS\.verifyingKeys\.2x2 is missing/);
  });

  it("may be left out on a local chain, and is checked there when given", () => {
    const local = "sero-local-7";
    expect(() => parseGenesisDocument(doc({ chainId: local, verifyingKeys: undefined }), local)).not.toThrow();
    expect(refusal(doc({ chainId: local, verifyingKeys: { ...trusted, "2x2": "00".repeat(32) } }), local)).toMatch(
      /^GENESIS\.verifyingKeys\.2x2 is 0+, but/,
    );
  });
});

describe("chainFromEnv", () => {
  it("gives a local chain without GENESIS the dev genesis, byte for byte", () => {
    const chain = chainFromEnv({ CHAIN_ID: "sero-local-1", LOCAL_DEV: "1" });
    expect(buildChainConfig(chain)).toEqual(localChainConfig("sero-local-1"));
    expect(chainFromEnv({ CHAIN_ID: "sero-local-1", GENESIS: "", LOCAL_DEV: "1" })).toBe(chain);
  });

  it("refuses a local chain outside local tooling (wrangler deploy without --env), with or without GENESIS", () => {
    const local = doc({ chainId: "sero-local-1" });
    for (const env of [
      { CHAIN_ID: "sero-local-1" },
      { CHAIN_ID: "sero-local-1", LOCAL_DEV: "true" },
      { CHAIN_ID: "sero-local-1", LOCAL_DEV: "" },
      { CHAIN_ID: "sero-local-1", GENESIS: JSON.stringify(local) },
    ]) {
      expect(() => chainFromEnv(env)).toThrow(
        /^CHAIN_ID "sero-local-1" is a local dev chain, .*LOCAL_DEV = "1".*`wrangler deploy --env testnet`/,
      );
    }
    expect(
      chainFromEnv({ CHAIN_ID: "sero-local-1", GENESIS: JSON.stringify(local), LOCAL_DEV: "1" }).grants,
    ).toHaveLength(1);
  });

  it("refuses a deployed chain without GENESIS, naming the var", () => {
    expect(() => chainFromEnv({ CHAIN_ID: CHAIN })).toThrow(
      /^GENESIS is not set: chain "sero-testnet-1" is not a local chain/,
    );
    expect(() => chainFromEnv({ CHAIN_ID: CHAIN, GENESIS: "" })).toThrow(GenesisConfigError);
  });

  it("reads GENESIS when set, and gives the same chain to every caller", () => {
    const env = { CHAIN_ID: CHAIN, GENESIS: JSON.stringify(doc()) };
    const chain = chainFromEnv(env);
    expect(chain.consensus.validators).toEqual(keys);
    expect(chainFromEnv({ ...env })).toBe(chain);
    expect(() => chainFromEnv({ ...env, GENESIS: "{" })).toThrow(/^GENESIS is not JSON/);
  });
});
