/**
 * A bare EVM (Cancun) with the mock SERO precompiles (./mock-sero.ts), and
 * helpers that deploy and call the committed artifacts through their ABIs.
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, type EVM, type EVMResult } from "@ethereumjs/evm";
import { type Address, createAddressFromString } from "@ethereumjs/util";
import {
  bytesToHex,
  decodeErrorResult,
  decodeEventLog,
  decodeFunctionResult,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  hexToBytes,
} from "viem";
import type { ContractArtifact } from "./artifacts.ts";
import { MockSero } from "./mock-sero.ts";

export const OWNER = createAddressFromString("0x00000000000000000000000000000000000a11ce");
export const BUYER = createAddressFromString("0x00000000000000000000000000000000000b0b00");

/** One EVM with the mock precompiles, and helpers that speak the artifacts' ABIs. */
export async function seroEvm() {
  const sero = new MockSero();
  const evm: EVM = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
    customPrecompiles: sero.precompiles(),
  });
  sero.attach(evm);
  /** The block the next calls run in: only its number matters to the examples. */
  let height = 0n;
  const block = () => ({
    header: {
      number: height,
      timestamp: height,
      coinbase: createAddressFromString(`0x${"00".repeat(20)}`),
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: 30_000_000n,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 0n,
    },
  });

  async function deploy(artifact: ContractArtifact, args: readonly unknown[], from = OWNER): Promise<Hex> {
    const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args });
    const result = await evm.runCall({ caller: from, data: hexToBytes(data), gasLimit: 10_000_000n });
    if (result.execResult.exceptionError || !result.createdAddress) {
      throw new Error(`deploying ${artifact.contractName} failed: ${revertReason(result)}`);
    }
    return result.createdAddress.toString();
  }

  async function call(
    artifact: ContractArtifact,
    to: Hex,
    functionName: string,
    args: readonly unknown[] = [],
    from: Address = BUYER,
  ): Promise<EVMResult> {
    const data = encodeFunctionData({ abi: artifact.abi, functionName, args });
    return evm.runCall({
      caller: from,
      to: createAddressFromString(to),
      data: hexToBytes(data),
      gasLimit: 1_000_000n,
      block: block() as never,
    });
  }

  /** Calls a function that must succeed and decodes its result. */
  async function read(artifact: ContractArtifact, to: Hex, functionName: string, args: readonly unknown[] = []) {
    const result = await call(artifact, to, functionName, args);
    if (result.execResult.exceptionError) {
      throw new Error(`${functionName} failed: ${revertReason(result)}`);
    }
    return decodeFunctionResult({ abi: artifact.abi, functionName, data: bytesToHex(result.execResult.returnValue) });
  }

  /** A function's result from a successful call's return data. */
  function result(artifact: ContractArtifact, functionName: string, outcome: EVMResult) {
    return decodeFunctionResult({ abi: artifact.abi, functionName, data: bytesToHex(outcome.execResult.returnValue) });
  }

  /** Later calls run at block `h` (block.number). */
  function atHeight(h: bigint): void {
    height = h;
  }

  return { sero, deploy, call, read, result, atHeight };
}

/** The Error(string) reason of a reverted call. */
export function revertReason(result: EVMResult): string {
  const data = bytesToHex(result.execResult.returnValue);
  if (data === "0x") {
    return `${result.execResult.exceptionError?.error ?? "no error"} without data`;
  }
  const decoded = decodeErrorResult({ abi: [], data });
  return String(decoded.args?.[0]);
}

export function events(artifact: ContractArtifact, result: EVMResult) {
  return (result.execResult.logs ?? []).map(([, topics, data]) =>
    decodeEventLog({
      abi: artifact.abi,
      topics: topics.map((t) => bytesToHex(t)) as [Hex, ...Hex[]],
      data: bytesToHex(data),
    }),
  );
}
