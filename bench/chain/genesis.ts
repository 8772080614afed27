/**
 * The chain benchmark's own local chain: the dev validators, and a genesis
 * paying one note per benchmark transfer to a bench account, so every
 * transfer spends a note of its own and none waits on another's change. It is
 * an ordinary GENESIS document (docs/OPERATING.md, "The GENESIS document")
 * handed to `wrangler dev --var GENESIS:...`, on a sero-local-* chain id so
 * the dev validator keys are allowed.
 */
import { blake2b } from "@noble/hashes/blake2.js";
import { buildChainConfig, type ChainConfig, SERO } from "../../src/chain/config.ts";
import { devValidatorPublicKey } from "../../src/chain/dev-keys.ts";
import { parseGenesisDocument } from "../../src/chain/genesis-document.ts";
import { toHex, utf8 } from "../../src/codec/bytes.ts";
import { encodePublicAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { MAX_OUTPUTS_PER_TX } from "../../src/protocol/encryption/encrypt.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeText } from "../../src/protocol/text.ts";

export const BENCH_CHAIN_ID = "sero-local-bench";
/** Public, like every dev key: the account genesis funds for the benchmark. */
export const BENCH_SEED = blake2b(utf8("sero-edge chain benchmark payer - PUBLIC"), { dkLen: 32 });
/**
 * Transfers are proved once, under the genesis anchor, and must still be
 * accepted after thousands of blocks of the run: the longest window GENESIS
 * allows (genesis-document.ts), not the default 100 blocks.
 */
const BENCH_ANCHOR_WINDOW = 10_000;

export type BenchChain = {
  /** The GENESIS var, as JSON. */
  readonly document: string;
  readonly config: ChainConfig;
};

/**
 * Enough notes for a ramp of 30 s steps past 2,000 transfers: twelve genesis
 * transactions of 255 (PROTOCOL.md §8.5). Always all of them, so the cached
 * proofs do not depend on how many transfers a run uses.
 */
export const BENCH_NOTES = 12 * MAX_OUTPUTS_PER_TX;

/** The bench genesis: `BENCH_NOTES` notes of 1,000 SERO for the bench account. */
export function benchChain(): BenchChain {
  const recipient = encodeText("publicAddress", encodePublicAddress(publicAddressOf(deriveSpendingKeys(BENCH_SEED))));
  const document = JSON.stringify({
    chainId: BENCH_CHAIN_ID,
    validators: [0, 1, 2, 3].map((i) => toHex(devValidatorPublicKey(i))),
    entropy: toHex(blake2b(utf8("sero-edge chain benchmark genesis - PUBLIC"), { dkLen: 32 })),
    grants: [
      { recipient, amounts: Array.from({ length: BENCH_NOTES }, () => (1_000n * SERO).toString()), memo: "bench" },
    ],
    anchorWindow: BENCH_ANCHOR_WINDOW,
  });
  return { document, config: buildChainConfig(parseGenesisDocument(document, BENCH_CHAIN_ID)) };
}
