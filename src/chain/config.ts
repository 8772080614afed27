/**
 * Everything a replica needs to know about its chain before block 0: the
 * consensus genesis (validators, parameters), the ledger's anchor window and
 * the genesis allocation. The local testnet's config is derived from the
 * labelled dev keys; a deployed testnet's from its environment (OPERATING.md).
 */
import { DEFAULT_PARAMS, type Genesis } from "../consensus/index.ts";
import { publicAddressOf } from "../protocol/address.ts";
import { deriveSpendingKeys } from "../protocol/keys.ts";
import { encodeTransaction } from "../protocol/tx/codec.ts";
import { DEV_FAUCET_SEED, DEV_GENESIS_ENTROPY, devValidatorPublicKey } from "./dev-keys.ts";
import { buildGenesisAllocation } from "./genesis-allocation.ts";

export type ChainConfig = {
  readonly consensus: Genesis;
  /** Transfers must use a tree root of one of the last `anchorWindow` blocks. */
  readonly anchorWindow: number;
  /**
   * The fee every transfer pays at least, in SERO base units: one flat fee per
   * transaction, because every transfer costs the validators the same (one
   * proof, a fixed number of nullifiers and outputs). Mempool policy, not consensus.
   */
  readonly minFee: bigint;
  /** The transactions of block 0, applied by every replica at creation. */
  readonly genesisBlock: readonly Uint8Array[];
};

export const LOCAL_VALIDATORS = 4;
/** 1 SERO = 10^18 base units. */
const SERO = 10n ** 18n;

/** A token fee on the local testnet (deployed testnets set their own, OPERATING.md). */
const LOCAL_MIN_FEE = 1_000n;

const localConfigs = new Map<string, ChainConfig>();

/** The local testnet: 4 dev validators, a dev faucet holding 10 million SERO in 64 notes. Built once per isolate. */
export function localChainConfig(chainId: string): ChainConfig {
  let config = localConfigs.get(chainId);
  if (!config) {
    config = buildLocalChainConfig(chainId);
    localConfigs.set(chainId, config);
  }
  return config;
}

function buildLocalChainConfig(chainId: string): ChainConfig {
  const faucet = publicAddressOf(deriveSpendingKeys(DEV_FAUCET_SEED));
  const allocation = buildGenesisAllocation(
    [
      {
        recipient: faucet,
        amounts: Array.from({ length: 64 }, () => 156_250n * SERO),
        memo: "local testnet faucet (DEV KEY)",
      },
    ],
    DEV_GENESIS_ENTROPY,
  );
  return {
    consensus: {
      chainId,
      validators: Array.from({ length: LOCAL_VALIDATORS }, (_, i) => devValidatorPublicKey(i)),
      // Time units are milliseconds in the Durable Object shell.
      params: { ...DEFAULT_PARAMS, batchTimeout: 20, viewTimeout: 2_000, statusInterval: 1_000 },
    },
    anchorWindow: 100,
    minFee: LOCAL_MIN_FEE,
    genesisBlock: [encodeTransaction(allocation)],
  };
}
