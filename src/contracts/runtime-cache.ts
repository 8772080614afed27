/**
 * One contract runtime per chain, parameters and use in an isolate: building
 * the EVM is not free. Block execution and read-only calls have runtimes of
 * their own, since a runtime runs one transaction at a time: a flood of free
 * reads must never queue ahead of the blocks consensus commits.
 */
import type { ContractParams } from "./params.ts";
import { ContractRuntime } from "./runtime.ts";

export type RuntimeUse = "blocks" | "reads";

const runtimes = new Map<string, ContractRuntime>();

export function runtimeFor(chainId: string, params: ContractParams, use: RuntimeUse): ContractRuntime {
  const key = JSON.stringify([use, chainId, params.hardfork, `${params.gasPrice}`, `${params.blockGasLimit}`]);
  let runtime = runtimes.get(key);
  if (runtime === undefined) {
    runtime = new ContractRuntime(chainId, params);
    runtimes.set(key, runtime);
  }
  return runtime;
}
