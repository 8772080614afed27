/**
 * PROTOCOL.md §8.8: a transaction id the proof cannot change. A pending
 * transfer re-proved by anyone (A and B negated) keeps its id: the mempool
 * answers the copy as a duplicate, a forged copy is refused, and when both
 * copies reach a block the ledger commits exactly one, under that id.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { localChainConfig } from "../../src/chain/config.ts";
import { chainProofVerifier } from "../../src/chain/proof-verifier.ts";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { type Block, executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { Mempool } from "../../src/ledger/mempool.ts";
import { spendProof } from "../../src/ledger/spend-proof.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import type { TransferTx } from "../../src/protocol/tx/types.ts";
import { withNegatedProof } from "../fixtures/chain/negate-proof.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };

const config = localChainConfig(fixtures.chainId);
const verifier = chainProofVerifier();
const original = fromHex(fixtures.payBob) as Uint8Array;
const negated = withNegatedProof(original);
const forged = (() => {
  const tx = decodeTransaction(original) as TransferTx;
  return encodeTransaction({ ...tx, proof: Uint8Array.from(tx.proof).reverse() });
})();

const ledgerConfig = {
  chainId: config.consensus.chainId,
  anchorWindow: config.anchorWindow,
  minFee: 0n,
  contracts: DEFAULT_CONTRACT_PARAMS,
  verifier,
};

let store: MemoryLedgerStore;
beforeAll(async () => {
  store = new MemoryLedgerStore(emptyLedgerMeta());
  store.commit((await executeBlock(store, { height: 0, transactions: config.genesisBlock }, ledgerConfig)).changes);
});

describe("a transfer re-proved by someone else", () => {
  it("is another valid proof, with other bytes and the same id", async () => {
    const tx = decodeTransaction(negated) as TransferTx;
    const proofs = [original, negated, forged].map((b) => ({
      inputs: 2,
      outputs: 2,
      proof: (decodeTransaction(b) as TransferTx).proof,
      publicInputs: spendProof(tx, config.consensus.chainId).publicInputs,
    }));
    expect(await verifier.verify(proofs)).toEqual([true, true, false]);
    expect(toHex(negated)).not.toBe(toHex(original));
    expect(txIdOfBytes(negated)).toEqual(txIdOfBytes(original));
    expect(txIdOfBytes(forged)).toEqual(txIdOfBytes(original));
  });

  it("is answered by the mempool as a duplicate of the pending original; a forged copy is refused", async () => {
    const pool = new Mempool({ anchorWindow: 8, minFee: 0n, contracts: DEFAULT_CONTRACT_PARAMS });
    const view = { ledger: store, chainId: config.consensus.chainId, verifier };
    // As the replica admits (durable-objects/replica.ts): check, recheck as it enters, record what the pool took.
    const submit = async (bytes: Uint8Array) => {
      const checked = await pool.check(bytes, view);
      if (!checked.ok || checked.duplicate) {
        return checked;
      }
      const entering = pool.recheck(bytes, store);
      if (entering !== undefined) {
        return entering;
      }
      pool.record(toHex(bytes), { request: bytes });
      return checked;
    };
    const id = txIdOfBytes(original);
    expect(await submit(original)).toEqual({ ok: true, id, duplicate: false });
    expect(await submit(negated)).toEqual({ ok: true, id, duplicate: true });
    expect(await submit(forged)).toMatchObject({ ok: false, id, code: "invalid_proof" });
    expect(await pool.check(forged, view)).toMatchObject({ ok: false, code: "invalid_proof" });
    expect(pool.size).toBe(1);
    expect(pool.has(id)).toBe(true);
  });

  it("reaches a block beside the original (another replica admitted it): exactly one commits, under the one id", async () => {
    const cases: [Uint8Array[], (string | undefined)[]][] = [
      [
        [original, negated],
        [undefined, "nullifier_spent"],
      ],
      [
        [negated, original],
        [undefined, "nullifier_spent"],
      ],
      [
        [forged, original, negated],
        ["invalid_proof", undefined, "nullifier_spent"],
      ],
    ];
    for (const [transactions, refusals] of cases) {
      const block: Block = { height: 1, transactions };
      const { receipts } = await executeBlock(store, block, ledgerConfig);
      expect(new Set(receipts.map((r) => toHex(r.txId)))).toEqual(new Set([toHex(txIdOfBytes(original))]));
      expect(receipts.map((r) => (r.status === "rejected" ? r.code : undefined))).toEqual(refusals);
    }
  });
});
