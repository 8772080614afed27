/**
 * Everything a replica needs to know about its chain before block 0: the
 * consensus genesis (validators, parameters), the ledger's anchor window and
 * the genesis allocation. The local testnet's config is derived from the
 * labelled dev keys; a deployed chain's from its GENESIS var
 * (`genesis-document.ts`, docs/OPERATING.md). `from-env.ts` picks one.
 */
import { DEFAULT_PARAMS, type Genesis } from "../consensus/index.ts";
import { type ContractParams, DEFAULT_CONTRACT_PARAMS } from "../contracts/params.ts";
import { publicAddressOf } from "../protocol/address.ts";
import { deriveSpendingKeys } from "../protocol/keys.ts";
import { encodeTransaction } from "../protocol/tx/codec.ts";
import { DEV_FAUCET_SEED, DEV_GENESIS_ENTROPY, devValidatorPublicKey } from "./dev-keys.ts";
import { buildGenesisAllocation, type GenesisGrant } from "./genesis-allocation.ts";

/** What the API and the replicas read at every start: cheap to derive. */
export type ChainParams = {
  readonly consensus: Genesis;
  /** Transfers must use a tree root of one of the last `anchorWindow` blocks. */
  readonly anchorWindow: number;
  /**
   * The fee every transfer pays at least, in SERO base units: one flat fee per
   * transaction, because every transfer costs the validators the same (one
   * proof, a fixed number of nullifiers and outputs). A consensus rule (PROTOCOL.md §8.9).
   */
  readonly minFee: bigint;
  /** The EVM's rules and gas parameters (PROTOCOL.md §10.1). */
  readonly contracts: ContractParams;
};

/**
 * A chain as configured: its parameters and the inputs of its genesis
 * allocation. Block 0 itself is built only when needed (`buildChainConfig`):
 * it costs several milliseconds of CPU per note.
 */
export type ChainDefinition = ChainParams & {
  readonly grants: readonly GenesisGrant[];
  /** Public: it only makes block 0 byte-identical on every replica. */
  readonly entropy: Uint8Array;
};

export type ChainConfig = ChainParams & {
  /** The transactions of block 0, applied by every replica at creation. */
  readonly genesisBlock: readonly Uint8Array[];
};

export const LOCAL_VALIDATORS = 4;
/** 1 SERO = 10^18 base units. */
export const SERO = 10n ** 18n;

export const DEFAULT_ANCHOR_WINDOW = 100;
/** A token fee, on the local testnet and wherever GENESIS sets none. */
export const DEFAULT_MIN_FEE = 1_000n;
/** Time units are milliseconds in the Durable Object shell. */
export const DEFAULT_CHAIN_PARAMS = { ...DEFAULT_PARAMS, batchTimeout: 20, viewTimeout: 2_000, statusInterval: 1_000 };

const localConfigs = new Map<string, ChainConfig>();

/** The local testnet: 4 dev validators, a dev faucet holding 10 million SERO in 64 notes. Built once per isolate. */
export function localChainConfig(chainId: string): ChainConfig {
  let config = localConfigs.get(chainId);
  if (!config) {
    config = buildChainConfig(localChainDefinition(chainId));
    localConfigs.set(chainId, config);
  }
  return config;
}

export function localChainDefinition(chainId: string): ChainDefinition {
  const faucet = publicAddressOf(deriveSpendingKeys(DEV_FAUCET_SEED));
  return {
    consensus: {
      chainId,
      validators: Array.from({ length: LOCAL_VALIDATORS }, (_, i) => devValidatorPublicKey(i)),
      params: DEFAULT_CHAIN_PARAMS,
    },
    anchorWindow: DEFAULT_ANCHOR_WINDOW,
    minFee: DEFAULT_MIN_FEE,
    contracts: DEFAULT_CONTRACT_PARAMS,
    grants: [
      {
        recipient: faucet,
        amounts: Array.from({ length: 64 }, () => 156_250n * SERO),
        memo: "local testnet faucet (DEV KEY)",
      },
    ],
    entropy: DEV_GENESIS_ENTROPY,
  };
}

/** Builds block 0: deterministic, so every replica of the chain gets the same bytes. */
export function buildChainConfig(chain: ChainDefinition): ChainConfig {
  return {
    consensus: chain.consensus,
    anchorWindow: chain.anchorWindow,
    minFee: chain.minFee,
    contracts: chain.contracts,
    genesisBlock: buildGenesisAllocation(chain.grants, chain.entropy).map(encodeTransaction),
  };
}
