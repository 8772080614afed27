/**
 * What the machine could do if proof verification were the chain's only
 * cost: limit_tx_per_s = usable cores ÷ (verifications per transaction ×
 * batched verification time per proof). The time is measured here, in the
 * benchmark process, with the replicas' own verifier (chainProofVerifier,
 * src/ledger/groth16-verifier.ts) on the run's own proofs, in batches of a
 * block's size as the run's blocks had them.
 */
import { chainProofVerifier } from "../../src/chain/proof-verifier.ts";
import { spendProof } from "../../src/ledger/spend-proof.ts";
import { decodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { TransferTx } from "../../src/protocol/tx/types.ts";
import type { Topology } from "./testnet.ts";

/** At most this many proofs are timed: enough for a stable mean, few enough to take seconds. */
const SAMPLE = 128;

/**
 * Cores the topology can use for verification: the four replicas of one
 * deployment share one isolate, hence one thread; one process per validator
 * can use up to four cores, of those the machine has.
 */
export function usableCores(topology: Topology, cores: number): number {
  return topology === "validators" ? Math.min(4, cores) : 1;
}

/**
 * Proof verifications the machine does per transaction: the replicas of one
 * deployment share one verdict cache (PROTOCOL.md §8.10), so one; replicas in
 * separate deployments each verify for themselves, so four.
 */
export function verificationsPerTx(topology: Topology): number {
  return topology === "validators" ? 4 : 1;
}

/** Mean milliseconds per proof, verifying the transfers in batches of `batch`. */
export async function batchedVerifyMs(txs: readonly Uint8Array[], chainId: string, batch: number): Promise<number> {
  const verifier = chainProofVerifier();
  const items = txs.slice(0, SAMPLE).map((b) => spendProof(decodeTransaction(b) as TransferTx, chainId));
  await verifier.verify(items.slice(0, batch)); // warm-up: JIT, prepared keys
  const size = Math.max(1, Math.min(batch, items.length));
  const start = performance.now();
  for (let i = 0; i < items.length; i += size) {
    const verdicts = await verifier.verify(items.slice(i, i + size));
    if (!verdicts.every(Boolean)) {
      throw new Error("a benchmark transfer does not verify");
    }
  }
  return (performance.now() - start) / items.length;
}
