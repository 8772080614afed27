/**
 * A chain's contract parameters (PROTOCOL.md §10.1), fixed by genesis: every
 * replica must run the same EVM rules and meter gas alike.
 */

/** The EVM rules contracts run under. Only Cancun so far; a later fork is a new genesis parameter value. */
export const EVM_HARDFORKS = ["cancun"] as const;
export type EvmHardfork = (typeof EVM_HARDFORKS)[number];

export type ContractParams = {
  readonly hardfork: EvmHardfork;
  /** SERO base units per unit of gas: a contract transaction's fee covers `minFee + gasLimit × gasPrice`. */
  readonly gasPrice: bigint;
  /** The most gas one transaction may declare. */
  readonly maxTxGas: bigint;
  /** The most gas a block's contract transactions may declare in all. */
  readonly blockGasLimit: bigint;
};

export const DEFAULT_CONTRACT_PARAMS: ContractParams = {
  hardfork: "cancun",
  gasPrice: 1n,
  maxTxGas: 10_000_000n,
  blockGasLimit: 100_000_000n,
};

/** The least fee of a contract transaction declaring `gasLimit` (PROTOCOL.md §10.1). */
export function contractMinFee(minFee: bigint, params: ContractParams, gasLimit: bigint): bigint {
  return minFee + gasLimit * params.gasPrice;
}
