import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { digestKey, requestDigest } from "../../src/consensus/index.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { type Block, executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { type Admission, Mempool, type Pooled } from "../../src/ledger/mempool.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import type { ProofToVerify, ProofVerifier } from "../../src/ledger/verifier.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { IssuedOutput, IssueTx, RegisterTx, ShieldedSpend } from "../../src/protocol/tx/types.ts";
import { bytes32, sampleGenesis, samplePayment, sampleTransfer } from "../protocol/fixtures.ts";

const CHAIN = "sero-test-1";
const WINDOW = 4;
/** The minimum fee; the sample transfer pays exactly this much. */
const FEE = sampleTransfer().fee;
const validProof = (item: ProofToVerify) => item.proof.every((b) => b === 1);
const verifier: ProofVerifier = { verify: async (items) => items.map(validProof) };
const policy = { anchorWindow: WINDOW, minFee: FEE, contracts: DEFAULT_CONTRACT_PARAMS };

const secret = bytes32("issuer");
const issuer = ed25519.getPublicKey(secret);
const amount = (n: bigint) => {
  const value = new Uint8Array(32);
  new DataView(value.buffer).setBigUint64(24, n);
  return value;
};

/** How a registration's or issuance's fee payment (PROTOCOL.md §8.9) departs from an honest one. */
type PaymentOptions = { nullifiers?: bigint[]; fee?: bigint; anchor?: Fr; proofByte?: number };

/** The ledger, the consensus pool (a map, as the core keeps it) and the index over it, wired as the replica does. */
async function setup(mempoolPolicy = policy) {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const pool = new Map<string, Pooled>();
  const mempool = new Mempool(mempoolPolicy);
  const view = { ledger: store, chainId: CHAIN, verifier };
  const apply = async (transactions: Uint8Array[]) => {
    const block: Block = { height: store.meta().height + 1, transactions };
    const config = {
      chainId: CHAIN,
      anchorWindow: WINDOW,
      minFee: mempoolPolicy.minFee,
      contracts: DEFAULT_CONTRACT_PARAMS,
      verifier,
    };
    const result = await executeBlock(store, block, config);
    store.commit(result.changes);
    for (const bytes of transactions) {
      pool.delete(digestKey(requestDigest(bytes)));
    }
    mempool.sync(pool);
    return result;
  };
  await apply([encodeTransaction(sampleGenesis())]);
  /** The tip's tree root: what a wallet building a transaction now names as its anchor. */
  const tip = () => IncrementalTree.decode(store.meta().frontier).root();
  const transfer = (nfs: [bigint, bigint], label: string, proofByte = 1) =>
    encodeTransaction({
      ...sampleTransfer(label),
      anchor: tip(),
      nullifiers: nfs as unknown as Fr[],
      proof: new Uint8Array(256).fill(proofByte),
    });
  let nextNullifier = 1_000n;
  /** A fee payment spending fresh notes under the tip's root, paying the minimum fee, with a valid proof. */
  const payment = (options: PaymentOptions): ShieldedSpend => ({
    ...samplePayment(),
    anchor: options.anchor ?? tip(),
    nullifiers: (options.nullifiers ?? [nextNullifier++, nextNullifier++]) as Fr[],
    fee: options.fee ?? mempoolPolicy.minFee,
    proof: new Uint8Array(256).fill(options.proofByte ?? 1),
  });
  const registerTx = (name: string, cap: bigint, options: PaymentOptions = {}): RegisterTx =>
    signTransaction<RegisterTx>(
      {
        kind: "register",
        registration: { assetKind: "token", name, decimals: 6, issuer, supply: { kind: "capped", cap } },
        epk: sampleGenesis().epk,
        payment: payment(options),
        signature: new Uint8Array(64),
      },
      CHAIN,
      secret,
    );
  const register = (name: string, cap: bigint, options: PaymentOptions = {}) =>
    encodeTransaction(registerTx(name, cap, options));
  const issue = (name: string | Fr, nonce: bigint, value: bigint, options: PaymentOptions = {}): Uint8Array => {
    const out = sampleGenesis().outputs[0] as IssuedOutput;
    return encodeTransaction(
      signTransaction<IssueTx>(
        {
          kind: "issue",
          assetKind: "token",
          assetRef: typeof name === "string" ? tokenId(name) : name,
          nonce,
          epk: sampleGenesis().epk,
          outputs: [{ ...out, value: amount(value), seal: 500n as Fr }],
          payment: payment(options),
          signature: new Uint8Array(64),
        },
        CHAIN,
        secret,
      ),
    );
  };
  /** What `Replica.submit` does: check, recheck after the await, and index only what the pool took. */
  const submit = async (bytes: Uint8Array): Promise<Admission> => {
    const checked = await mempool.check(bytes, view);
    if (!checked.ok || checked.duplicate) {
      return checked;
    }
    const refusal = mempool.recheck(bytes, store);
    if (refusal) {
      return refusal;
    }
    const key = digestKey(requestDigest(bytes));
    const pooled = { request: bytes };
    pool.set(key, pooled);
    mempool.record(key, pooled);
    return checked;
  };
  /** What the replica does after a block: drops what can no longer commit, with the reasons. */
  const dropStale = () => {
    const stale = mempool.stale(store);
    for (const s of stale) {
      pool.delete(s.key);
    }
    mempool.sync(pool);
    return stale.map((s): [string, string] => [toHex(s.id), s.reason]);
  };
  return { store, pool, mempool, view, apply, tip, transfer, registerTx, register, issue, submit, dropStale };
}

const codeOf = (a: Admission) => (a.ok ? (a.duplicate ? "duplicate" : "ok") : a.code);

describe("mempool: admission", () => {
  it("admits valid transfers once and refuses a second spender of a pending note", async () => {
    const { mempool, transfer, submit } = await setup();
    const first = transfer([1n, 2n], "m1");
    expect(codeOf(await submit(first))).toBe("ok");
    expect(codeOf(await submit(first))).toBe("duplicate");
    expect(codeOf(await submit(transfer([2n, 3n], "m2")))).toBe("nullifier_pending");
    expect(mempool.size).toBe(1);
    expect(mempool.has(txIdOfBytes(first))).toBe(true);
  });

  it("refuses malformed bytes, bad proofs, unknown anchors, unsigned registrations and genesis with their codes", async () => {
    const { mempool, pool, transfer, registerTx, submit } = await setup();
    const stale = encodeTransaction({
      ...sampleTransfer("stale"),
      anchor: 123n as Fr,
      proof: new Uint8Array(256).fill(1),
    });
    const codes = [
      await submit(Uint8Array.of(1)),
      await submit(transfer([5n, 6n], "bad", 2)),
      await submit(stale),
      await submit(encodeTransaction({ ...registerTx("UNSIGNED", 5n), signature: new Uint8Array(64).fill(3) })),
      await submit(encodeTransaction(sampleGenesis())),
    ].map(codeOf);
    expect(codes).toEqual(["truncated", "invalid_proof", "unknown_anchor", "bad_signature", "genesis_only"]);
    expect([mempool.size, pool.size]).toEqual([0, 0]);
  });

  it("refuses a transfer paying less than the minimum fee", async () => {
    const fee = sampleTransfer("fee").fee;
    const cheap = await setup({ ...policy, minFee: fee + 1n });
    expect(codeOf(await cheap.submit(cheap.transfer([5n, 6n], "cheap")))).toBe("fee_too_low");
    const exact = await setup({ ...policy, minFee: fee });
    expect(codeOf(await exact.submit(exact.transfer([5n, 6n], "exact")))).toBe("ok");
  });

  it("checks the fee payment of a registration or issuance like a transfer, and holds its notes while pending", async () => {
    const { mempool, pool, apply, transfer, register, issue, submit, dropStale } = await setup();
    await apply([register("USDX", 100n)]);
    const refused = [
      await submit(register("CHEAP", 5n, { fee: FEE - 1n })),
      await submit(issue("USDX", 0n, 1n, { fee: FEE - 1n })),
      await submit(register("STALE", 5n, { anchor: 123n as Fr })),
      await submit(register("FORGED", 5n, { proofByte: 2 })),
      await submit(issue("USDX", 0n, 1n, { proofByte: 2 })),
    ].map(codeOf);
    expect(refused).toEqual(["fee_too_low", "fee_too_low", "unknown_anchor", "invalid_proof", "invalid_proof"]);
    expect([mempool.size, pool.size]).toEqual([0, 0]);
    // A note a pooled transfer spends cannot pay a fee too, nor the other way round.
    expect(codeOf(await submit(transfer([32n, 33n], "pending")))).toBe("ok");
    expect(codeOf(await submit(register("PENDING", 5n, { nullifiers: [33n, 34n] })))).toBe("nullifier_pending");
    const paid = register("PAID", 5n, { nullifiers: [30n, 31n] });
    expect(codeOf(await submit(paid))).toBe("ok");
    expect(codeOf(await submit(transfer([31n, 35n], "second")))).toBe("nullifier_pending");
    expect(codeOf(await submit(issue("USDX", 0n, 1n, { nullifiers: [30n, 36n] })))).toBe("nullifier_pending");
    expect([mempool.size, pool.size]).toEqual([2, 2]);
    // Another replica's transfer spending note 30 commits first: the registration can no longer execute.
    await apply([transfer([30n, 37n], "other")]);
    expect(dropStale()).toEqual([[toHex(txIdOfBytes(paid)), "nullifier_spent"]]);
    expect(codeOf(await submit(register("SPENT", 5n, { nullifiers: [30n, 38n] })))).toBe("nullifier_spent");
    expect(codeOf(await submit(issue("USDX", 0n, 1n, { nullifiers: [38n, 30n] })))).toBe("nullifier_spent");
  });

  it("refuses a replayed committed registration and leaves the pool as it was (the 10,000-entry attack)", async () => {
    const { mempool, pool, apply, register, submit } = await setup();
    const usd = register("USDX", 100n);
    expect(codeOf(await submit(usd))).toBe("ok");
    await apply([usd]);
    expect(mempool.size).toBe(0);
    for (let i = 0; i < 3; i++) {
      expect(codeOf(await submit(usd))).toBe("asset_exists");
    }
    expect(codeOf(await submit(register("USDX", 7n)))).toBe("asset_exists");
    expect([mempool.size, pool.size]).toEqual([0, 0]);
  });

  it("admits only issuances that can commit: the next nonces in order, within the cap, never a pending nonce twice", async () => {
    const { mempool, apply, register, issue, submit } = await setup();
    await apply([register("USDX", 100n)]);
    expect(codeOf(await submit(issue("USDX", 1n, 10n)))).toBe("bad_nonce"); // a future nonce would fail in its block
    expect(codeOf(await submit(issue("USDX", 0n, 101n)))).toBe("supply_exceeded");
    expect(codeOf(await submit(issue("USDX", 0n, 60n)))).toBe("ok");
    expect(codeOf(await submit(issue("USDX", 0n, 5n)))).toBe("nonce_pending");
    expect(codeOf(await submit(issue("USDX", 1n, 41n)))).toBe("supply_exceeded"); // 60 pending + 41 > 100
    expect(codeOf(await submit(issue("USDX", 1n, 40n)))).toBe("ok");
    expect(codeOf(await submit(issue("USDX", 3n, 0n)))).toBe("bad_nonce");
    expect(mempool.size).toBe(2);
    expect(codeOf(await submit(issue(SERO_ASSET_ID, 0n, 1n)))).toBe("native_asset");
  });

  it("maps each proof verdict to its own submission, duplicates in one batch included", async () => {
    const { mempool, view, transfer, register } = await setup();
    const good = transfer([30n, 31n], "good");
    const bad = transfer([32n, 33n], "bad", 2);
    const items = [
      { name: "malformed", bytes: Uint8Array.of(1) },
      { name: "bad", bytes: bad },
      { name: "badly paid", bytes: register("BADLY", 5n, { proofByte: 2 }) },
      { name: "good", bytes: good },
      { name: "good again", bytes: good },
    ];
    const checked = await mempool.checkMany(items, (i) => i.bytes, view);
    expect(checked.map((c) => [c.item.name, codeOf(c.admission)])).toEqual([
      ["malformed", "truncated"],
      ["bad", "invalid_proof"],
      ["badly paid", "invalid_proof"],
      ["good", "ok"],
      ["good again", "ok"],
    ]);
    // Both copies passed the checks; only one enters, the recheck sees the other.
    mempool.record("k", { request: good });
    expect(mempool.recheck(good, view.ledger)).toMatchObject({ ok: true, duplicate: true });
  });

  it("refuses to map verdicts when the verifier answers a different number of them", async () => {
    const { mempool, view, transfer } = await setup();
    const short: ProofVerifier = { verify: async () => [true] };
    await expect(
      mempool.checkMany([transfer([40n, 41n], "a"), transfer([42n, 43n], "b")], (b) => b, { ...view, verifier: short }),
    ).rejects.toThrow(/1 verdicts for 2 proofs/);
  });

  it("indexes what peers relayed into the pool, and forgets what left it", async () => {
    const { mempool, pool, transfer, submit } = await setup();
    const relayed = transfer([50n, 51n], "relayed");
    const key = digestKey(requestDigest(relayed));
    pool.set(key, { request: relayed });
    expect(mempool.sync(pool)).toEqual([]);
    expect(codeOf(await submit(transfer([51n, 52n], "mine")))).toBe("nullifier_pending");
    pool.delete(key);
    expect(mempool.sync(pool)).toEqual([{ key, id: txIdOfBytes(relayed) }]);
    expect(codeOf(await submit(transfer([51n, 52n], "mine")))).toBe("ok");
  });
});

describe("mempool: after each block", () => {
  it("drops transactions whose notes another transaction spent", async () => {
    const { apply, transfer, submit, dropStale } = await setup();
    const kept = transfer([20n, 21n], "k");
    const conflicting = transfer([22n, 23n], "c");
    await submit(kept);
    await submit(conflicting);
    await apply([kept, transfer([23n, 24n], "o")]); // another replica's spend of 23 came first
    expect(dropStale()).toEqual([[toHex(txIdOfBytes(conflicting)), "nullifier_spent"]]);
  });

  it("expires every transaction with its anchor, a registration's or issuance's with its fee payment's", async () => {
    const { store, mempool, apply, tip, transfer, register, issue, submit, dropStale } = await setup();
    const previous = tip();
    await apply([register("USDX", 100n), register("GBPX", 100n)]);
    expect(tip()).not.toBe(previous); // the payments' outputs moved the tree root on
    const pay = transfer([60n, 61n], "p");
    const reg = register("EURX", 5n);
    const iss = issue("USDX", 0n, 1n);
    const older = register("CHFX", 5n, { anchor: previous }); // paid under the previous block's root, still recent
    for (const bytes of [pay, reg, iss, older]) {
      expect(codeOf(await submit(bytes))).toBe("ok");
    }
    const admittedAt = store.meta().height;
    const dropped = new Map<string, [string, number]>();
    for (let nonce = 0n; mempool.size > 0; nonce++) {
      await apply([issue("GBPX", nonce, 1n)]); // each block moves the tree root on
      for (const [id, reason] of dropStale()) {
        dropped.set(id, [reason, store.meta().height - admittedAt]);
      }
    }
    // The tip's root at admission: those leave exactly one window later, not before; the older anchor a block earlier.
    // Nothing else counts: a registration or issuance waits as long as its payment's anchor is recent.
    expect(dropped).toEqual(
      new Map([
        [toHex(txIdOfBytes(pay)), ["expired", WINDOW]],
        [toHex(txIdOfBytes(reg)), ["expired", WINDOW]],
        [toHex(txIdOfBytes(iss)), ["expired", WINDOW]],
        [toHex(txIdOfBytes(older)), ["expired", WINDOW - 1]],
      ]),
    );
  });

  it("drops registrations and issuances a block made impossible", async () => {
    const { apply, register, issue, submit, dropStale } = await setup();
    await apply([register("USDX", 100n)]);
    const mine = register("EURX", 5n);
    const pending = issue("USDX", 0n, 60n);
    await submit(mine);
    await submit(pending);
    // Another replica's admissions reached the block first: the same asset, the same nonce.
    await apply([register("EURX", 6n), issue("USDX", 0n, 50n)]);
    // Before the drop, the stale nonce-0 issuance counts for nothing: nonce 1 is next, nonce 2 is not.
    expect(codeOf(await submit(issue("USDX", 2n, 10n)))).toBe("bad_nonce");
    const next = issue("USDX", 1n, 10n);
    expect(codeOf(await submit(next))).toBe("ok");
    expect(new Map(dropStale())).toEqual(
      new Map([
        [toHex(txIdOfBytes(mine)), "asset_exists"],
        [toHex(txIdOfBytes(pending)), "bad_nonce"],
      ]),
    );
  });

  it("drops undecodable bytes a peer relayed", async () => {
    const { pool, mempool, dropStale } = await setup();
    pool.set("junk", { request: Uint8Array.of(9, 9) });
    mempool.sync(pool);
    expect(dropStale()).toEqual([[toHex(txIdOfBytes(Uint8Array.of(9, 9))), "malformed"]]);
  });
});
