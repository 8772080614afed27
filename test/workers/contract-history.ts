/**
 * Contract blocks for the Workers tests: test/contracts/ledger-chain.ts's
 * ledger (real EVM and accounting, proofs faked) run inside workerd, each
 * block kept as the replica would hand it to the projection.
 */
import type { Abi, Hex } from "viem";
import tokenSale from "../../contracts/build/TokenSale.json" with { type: "json" };
import type { CommittedBlock } from "../../src/db/projection.ts";
import type { BlockResult } from "../../src/ledger/execute.ts";
import type { ContractArtifact } from "../contracts/artifacts.ts";
import { ContractChain } from "../contracts/ledger-chain.ts";

export const TOKEN_SALE: ContractArtifact = {
  ...tokenSale,
  abi: tokenSale.abi as Abi,
  bytecode: tokenSale.bytecode as Hex,
} as ContractArtifact;

export class RecordedChain extends ContractChain {
  readonly blocks: CommittedBlock[] = [];

  override async apply(transactions: readonly Uint8Array[]): Promise<BlockResult> {
    const height = this.store.meta().height + 1;
    const result = await super.apply(transactions);
    this.blocks.push({ height, transactions, result });
    return result;
  }
}
