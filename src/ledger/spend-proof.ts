/**
 * The proof of a transaction's shielded spend (PROTOCOL.md §8.2, §8.9): a
 * transfer's own, or the fee payment of a registration or issuance, whose
 * binding hash covers the whole enclosing transaction.
 *
 * Remembered per transaction object and chain: decoded transactions are shared
 * in the isolate (decoded-tx.ts), so admission and every replica's block
 * execution hashed the same binding again (4% of the isolate under load). The
 * transaction is immutable and the result frozen, so it stays with its key.
 */
import type { Fr } from "../protocol/field.ts";
import { bindingHash } from "../protocol/tx/hashes.ts";
import { type PayingTx, shieldedSpendOf } from "../protocol/tx/types.ts";
import type { ProofToVerify } from "./verifier.ts";

const byTx = new WeakMap<PayingTx, Map<string, ProofToVerify>>();

export function spendProof(tx: PayingTx, chainId: string): ProofToVerify {
  let byChain = byTx.get(tx);
  if (byChain === undefined) {
    byChain = new Map();
    byTx.set(tx, byChain);
  }
  let proof = byChain.get(chainId);
  if (proof === undefined) {
    proof = computeSpendProof(tx, chainId);
    byChain.set(chainId, proof);
  }
  return proof;
}

function computeSpendProof(tx: PayingTx, chainId: string): ProofToVerify {
  const spend = shieldedSpendOf(tx);
  return Object.freeze({
    inputs: spend.nullifiers.length,
    outputs: spend.outputs.length,
    proof: spend.proof,
    // The order of PROTOCOL.md §8.2.
    publicInputs: Object.freeze([
      spend.anchor,
      ...spend.nullifiers,
      ...spend.outputs.map((o) => o.commitment),
      spend.fee as Fr,
      bindingHash(tx, chainId),
    ]),
  });
}
