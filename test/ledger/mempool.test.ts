import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { type Block, executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { Mempool } from "../../src/ledger/mempool.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import type { ProofVerifier } from "../../src/ledger/verifier.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { type TxId, txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { RegisterTx } from "../../src/protocol/tx/types.ts";
import { bytes32, sampleGenesis, sampleRegister, sampleTransfer } from "../protocol/fixtures.ts";

const CHAIN = "sero-test-1";
const verifier: ProofVerifier = { verify: async (items) => items.map((i) => i.proof.every((b) => b === 1)) };

async function chainWithGenesis() {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const apply = async (transactions: Uint8Array[]) => {
    const block: Block = { height: store.meta().height + 1, transactions };
    const result = await executeBlock(store, block, { chainId: CHAIN, anchorWindow: 4, minFee: 0n, verifier });
    store.commit(result.changes);
    return result;
  };
  await apply([encodeTransaction(sampleGenesis())]);
  const anchor = IncrementalTree.decode(store.meta().frontier).root();
  const transfer = (nfs: [bigint, bigint], label: string, proofByte = 1) =>
    encodeTransaction({
      ...sampleTransfer(label),
      anchor,
      nullifiers: nfs as unknown as Fr[],
      proof: new Uint8Array(256).fill(proofByte),
    });
  const secret = bytes32("mempool issuer");
  /** A registration signed by its issuer, paying `fee` with a payment spending `nfs` (PROTOCOL.md §8.8). */
  const register = (name: string, nfs: [bigint, bigint], fee: bigint, proofByte = 1, paymentAnchor = anchor) => {
    const base = sampleRegister();
    const tx: RegisterTx = {
      ...base,
      registration: { ...base.registration, name, issuer: ed25519.getPublicKey(secret) },
      payment: {
        ...base.payment,
        anchor: paymentAnchor,
        nullifiers: nfs as unknown as Fr[],
        fee,
        proof: new Uint8Array(256).fill(proofByte),
      },
    };
    return encodeTransaction(signTransaction(tx, CHAIN, secret));
  };
  return { store, apply, transfer, register };
}

async function submit(pool: Mempool, bytes: Uint8Array, store: MemoryLedgerStore, source = "a") {
  const checked = await pool.check(bytes, store, CHAIN, verifier);
  return checked.ok ? pool.admit(bytes, source, store) : checked;
}

const limits = { maxTransactions: 3, maxBytes: 1 << 20, anchorWindow: 4, minFee: 0n };

describe("mempool", () => {
  it("admits valid transfers once and refuses a second spender of a pending note", async () => {
    const { store, transfer } = await chainWithGenesis();
    const pool = new Mempool(limits);
    const first = transfer([1n, 2n], "m1");
    expect(await submit(pool, first, store)).toMatchObject({ ok: true, duplicate: false });
    expect(await submit(pool, first, store)).toMatchObject({ ok: true, duplicate: true });
    expect(await submit(pool, transfer([2n, 3n], "m2"), store)).toMatchObject({ ok: false, code: "nullifier_pending" });
    expect(pool.size).toBe(1);
  });

  it("refuses malformed bytes, bad proofs, unknown anchors and unsigned registrations with their codes", async () => {
    const { store, transfer } = await chainWithGenesis();
    const pool = new Mempool(limits);
    expect(await submit(pool, Uint8Array.of(1), store)).toMatchObject({ ok: false, code: "truncated" });
    expect(await submit(pool, transfer([5n, 6n], "bad", 2), store)).toMatchObject({ ok: false, code: "invalid_proof" });
    const stale = encodeTransaction({
      ...sampleTransfer("stale"),
      anchor: 123n as Fr,
      proof: new Uint8Array(256).fill(1),
    });
    expect(await submit(pool, stale, store)).toMatchObject({ ok: false, code: "unknown_anchor" });
    expect(await submit(pool, encodeTransaction(sampleRegister()), store)).toMatchObject({
      ok: false,
      code: "bad_signature",
    });
    expect(await submit(pool, encodeTransaction(sampleGenesis()), store)).toMatchObject({
      ok: false,
      code: "genesis_only",
    });
    expect(pool.size).toBe(0);
  });

  it("refuses a transfer paying less than the minimum fee", async () => {
    const { store, transfer } = await chainWithGenesis();
    const fee = sampleTransfer("fee").fee;
    const pool = new Mempool({ ...limits, minFee: fee + 1n });
    expect(await submit(pool, transfer([5n, 6n], "cheap"), store)).toMatchObject({ ok: false, code: "fee_too_low" });
    const exact = new Mempool({ ...limits, minFee: fee });
    expect(await submit(exact, transfer([5n, 6n], "exact"), store)).toMatchObject({ ok: true });
  });

  it("checks a registration's fee payment like a transfer, and holds its nullifiers while pending", async () => {
    const { store, apply, transfer, register } = await chainWithGenesis();
    const pool = new Mempool({ ...limits, minFee: 10n });
    expect(await submit(pool, register("CHEAP", [30n, 31n], 9n), store)).toMatchObject({ code: "fee_too_low" });
    expect(await submit(pool, register("STALE", [30n, 31n], 10n, 1, 123n as Fr), store)).toMatchObject({
      code: "unknown_anchor",
    });
    expect(await submit(pool, register("FORGED", [30n, 31n], 10n, 2), store)).toMatchObject({
      code: "invalid_proof",
    });
    expect(await submit(pool, transfer([32n, 33n], "pending"), store)).toMatchObject({ ok: true });
    expect(await submit(pool, register("PENDING", [33n, 34n], 10n), store)).toMatchObject({
      code: "nullifier_pending",
    });
    const paid = register("PAID", [30n, 31n], 10n);
    expect(await submit(pool, paid, store)).toMatchObject({ ok: true, duplicate: false });
    expect(await submit(pool, transfer([31n, 35n], "second"), store)).toMatchObject({ code: "nullifier_pending" });
    // Another replica's transfer spending 30 commits first: the registration can no longer execute.
    const result = await apply([transfer([30n, 36n], "other")]);
    expect(pool.removeCommitted([result.receipts[0]?.txId as TxId], store)).toEqual([txIdOfBytes(paid)]);
    expect(await submit(pool, register("SPENT", [30n, 37n], 10n), store)).toMatchObject({ code: "nullifier_spent" });
  });

  it("is bounded, and batches round-robin across sources", async () => {
    const { store, transfer } = await chainWithGenesis();
    const pool = new Mempool(limits);
    const a1 = transfer([10n, 11n], "a1");
    const a2 = transfer([12n, 13n], "a2");
    const b1 = transfer([14n, 15n], "b1");
    expect(await submit(pool, a1, store, "alice")).toMatchObject({ ok: true });
    expect(await submit(pool, a2, store, "alice")).toMatchObject({ ok: true });
    expect(await submit(pool, b1, store, "bob")).toMatchObject({ ok: true });
    expect(await submit(pool, transfer([16n, 17n], "c1"), store, "carol")).toMatchObject({
      ok: false,
      code: "mempool_full",
    });
    expect(pool.nextBatch(2, 1 << 20)).toEqual([a1, b1]);
    expect(pool.nextBatch(10, 1 << 20)).toEqual([a1, b1, a2]);
  });

  it("drops what a block included or invalidated", async () => {
    const { store, apply, transfer } = await chainWithGenesis();
    const pool = new Mempool(limits);
    const kept = transfer([20n, 21n], "k");
    const conflicting = transfer([22n, 23n], "c");
    await submit(pool, kept, store);
    await submit(pool, conflicting, store);
    // Another replica's transaction spending 23 got into the block first.
    const other = transfer([23n, 24n], "o");
    const result = await apply([kept, other]);
    const dropped = pool.removeCommitted(
      result.receipts.map((r) => r.txId),
      store,
    );
    expect(dropped).toEqual([txIdOfBytes(conflicting)]);
    expect(pool.size).toBe(0);
  });
});
