/**
 * Read-only calls (PROTOCOL.md §10.7): a call run at the tip over committed
 * state, its changes discarded — `eth_call` and gas estimation in one. The
 * caller and value are optional, so a wallet can estimate exactly the call it
 * is about to pay for.
 */

import type { Randomness } from "../consensus/index.ts";
import type { LedgerReader } from "../ledger/store.ts";
import type { Caller } from "../protocol/tx/types.ts";
import type { ContractOutcome } from "./outcome.ts";
import type { ContractParams } from "./params.ts";
import type { CallValue } from "./precompiles.ts";
import { runtimeFor } from "./runtime-cache.ts";

export type ReadCall = {
  readonly contract: Uint8Array;
  readonly calldata: Uint8Array;
  /** At most the chain's `maxTxGas`. */
  readonly gasLimit: bigint;
  readonly caller: Caller | null;
  readonly value: CallValue | null;
};

export async function readContract(
  ledger: LedgerReader,
  chainId: string,
  params: ContractParams,
  call: ReadCall,
  randomness: Randomness | undefined = undefined,
): Promise<ContractOutcome> {
  // biome-ignore lint/complexity/useMathMinMax: Math.min takes no bigints.
  const gasLimit = call.gasLimit < params.maxTxGas ? call.gasLimit : params.maxTxGas;
  const run = await runtimeFor(chainId, params, "reads").execute(
    ledger,
    { kind: "call", caller: call.caller, contract: call.contract, data: call.calldata, gasLimit, value: call.value },
    { height: ledger.meta().height + 1, randomness },
  );
  return run.outcome;
}
