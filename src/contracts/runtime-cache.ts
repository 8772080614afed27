/** One contract runtime per chain and parameters in an isolate: building the EVM is not free. */
import type { ContractParams } from "./params.ts";
import { ContractRuntime } from "./runtime.ts";

const runtimes = new Map<string, ContractRuntime>();

export function runtimeFor(chainId: string, params: ContractParams): ContractRuntime {
  const key = JSON.stringify([chainId, params.hardfork, `${params.gasPrice}`, `${params.blockGasLimit}`]);
  let runtime = runtimes.get(key);
  if (runtime === undefined) {
    runtime = new ContractRuntime(chainId, params);
    runtimes.set(key, runtime);
  }
  return runtime;
}
