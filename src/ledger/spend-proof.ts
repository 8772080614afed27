/**
 * The proof of a transaction's shielded spend (PROTOCOL.md §8.2, §8.9): a
 * transfer's own, or the fee payment of a registration or issuance, whose
 * binding hash covers the whole enclosing transaction.
 */
import type { Fr } from "../protocol/field.ts";
import { bindingHash } from "../protocol/tx/hashes.ts";
import { type PayingTx, shieldedSpendOf } from "../protocol/tx/types.ts";
import type { ProofToVerify } from "./verifier.ts";

export function spendProof(tx: PayingTx, chainId: string): ProofToVerify {
  const spend = shieldedSpendOf(tx);
  return {
    inputs: spend.nullifiers.length,
    outputs: spend.outputs.length,
    proof: spend.proof,
    // The order of PROTOCOL.md §8.2.
    publicInputs: [
      spend.anchor,
      ...spend.nullifiers,
      ...spend.outputs.map((o) => o.commitment),
      spend.fee as Fr,
      bindingHash(tx, chainId),
    ],
  };
}
