/** The committed contract artifacts (contracts/build/, written by scripts/compile-contracts.ts). */
import { readFileSync } from "node:fs";
import type { Abi, Hex } from "viem";

export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
  sourceHash: string;
}

export function loadArtifact(name: string): ContractArtifact {
  const url = new URL(`../../contracts/build/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as ContractArtifact;
}
