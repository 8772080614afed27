import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { type Block, executeBlock, type LedgerConfig, type Receipt } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import type { ProofToVerify, ProofVerifier } from "../../src/ledger/verifier.ts";
import { SERO_ASSET_ID, ticketCategoryId, tokenId } from "../../src/protocol/asset.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { SHARD_HEIGHT } from "../../src/protocol/merkle/hash.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { bindingHash } from "../../src/protocol/tx/hashes.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type {
  GenesisTx,
  IssuedOutput,
  IssueTx,
  RegisterTx,
  ShieldedSpend,
  TransferTx,
} from "../../src/protocol/tx/types.ts";
import { bytes32, sampleGenesis, samplePayment, sampleTransfer } from "../protocol/fixtures.ts";

const CHAIN = "sero-test-1";
const VALID_PROOF = new Uint8Array(256).fill(1);

/**
 * Accepts the proofs filled with 1s, and a "bound" proof (`boundProof`) only
 * with the binding hash it names, as Groth16 does with its last public input;
 * records what it was asked.
 */
class FakeVerifier implements ProofVerifier {
  readonly seen: ProofToVerify[] = [];
  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    this.seen.push(...items);
    return items.map(
      (i) =>
        i.proof.every((b) => b === 1) ||
        toHex(i.proof) === toHex(boundProof(i.publicInputs[i.publicInputs.length - 1] as Fr)),
    );
  }
}

function boundProof(bind: Fr): Uint8Array {
  const proof = new Uint8Array(256);
  proof.set(frToBytes(bind));
  return proof;
}

function setup(anchorWindow = 3, minFee = 0n) {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const verifier = new FakeVerifier();
  const config: LedgerConfig = { chainId: CHAIN, anchorWindow, minFee, contracts: DEFAULT_CONTRACT_PARAMS, verifier };
  const apply = async (transactions: Uint8Array[]) => {
    const block: Block = { height: store.meta().height + 1, transactions };
    const result = await executeBlock(store, block, config);
    store.commit(result.changes);
    return result;
  };
  return { store, verifier, apply };
}

function amountValue(amount: bigint): Uint8Array {
  const v = new Uint8Array(32);
  new DataView(v.buffer).setBigUint64(24, amount);
  return v;
}

function genesis(amounts: bigint[]): GenesisTx {
  const base = sampleGenesis();
  const out = base.outputs[0] as IssuedOutput;
  return { ...base, outputs: amounts.map((a, i) => ({ ...out, value: amountValue(a), seal: BigInt(100 + i) as Fr })) };
}

function transfer(anchor: Fr, nullifiers: [bigint, bigint], fee = 10n, label = "t"): TransferTx {
  const tx = sampleTransfer(label);
  return { ...tx, anchor, nullifiers: nullifiers as unknown as Fr[], fee, proof: VALID_PROOF };
}

const encode = (tx: Parameters<typeof encodeTransaction>[0]) => encodeTransaction(tx);

describe("ledger", () => {
  it("genesis creates the SERO supply, and only in block 0", async () => {
    const { store, apply } = setup();
    const g = await apply([encode(genesis([1000n, 500n]))]);
    expect(g.receipts[0]?.status).toBe("committed");
    expect(store.asset(SERO_ASSET_ID)?.issued).toBe(1500n);
    expect(g.effects.commitments.map((c) => c.position)).toEqual([0, 1]);
    const again = await apply([encode(genesis([1n]))]);
    expect(again.receipts[0]).toMatchObject({ status: "rejected", code: "genesis_only" });
  });

  it("commits a transfer: nullifiers spent, commitments appended, fee leaves the pool, public inputs in spec order", async () => {
    const { store, verifier, apply } = setup();
    await apply([encode(genesis([1000n]))]);
    const tx = transfer(IncrementalTree.decode(store.meta().frontier).root(), [11n, 12n], 10n);
    const result = await apply([encode(tx)]);
    expect(result.receipts[0]?.status).toBe("committed");
    expect(store.nullifierHeight(11n as Fr)).toBe(1);
    expect(store.asset(SERO_ASSET_ID)?.fees).toBe(10n);
    expect(result.effects.commitments.map((c) => c.position)).toEqual([1, 2]);
    expect(verifier.seen[0]?.publicInputs).toEqual([
      tx.anchor,
      11n,
      12n,
      ...tx.outputs.map((o) => o.commitment),
      10n,
      bindingHash(tx, CHAIN),
    ]);
  });

  it("refuses a nullifier spent earlier in the block or in an earlier block", async () => {
    const { store, apply } = setup();
    await apply([encode(genesis([1000n]))]);
    const root = IncrementalTree.decode(store.meta().frontier).root();
    const first = await apply([encode(transfer(root, [1n, 2n], 0n, "a")), encode(transfer(root, [2n, 3n], 0n, "b"))]);
    expect(first.receipts.map((r) => r.status)).toEqual(["committed", "rejected"]);
    expect(first.receipts[1]).toMatchObject({ code: "nullifier_spent" });
    const later = await apply([encode(transfer(root, [3n, 1n], 0n, "c"))]);
    expect(later.receipts[0]).toMatchObject({ code: "nullifier_spent" });
    expect(store.nullifierHeight(3n as Fr)).toBeUndefined();
  });

  it("accepts anchors of the last K blocks only, and refuses invalid proofs without changing state", async () => {
    const { store, apply } = setup(2);
    await apply([encode(genesis([1000n]))]);
    const old = IncrementalTree.decode(store.meta().frontier).root();
    await apply([encode(transfer(old, [1n, 2n], 0n, "x"))]); // height 1, root changes
    await apply([]); // height 2
    const before = store.meta().stateRoot;
    const stale = await apply([encode(transfer(old, [5n, 6n], 0n, "y"))]);
    expect(stale.receipts[0]).toMatchObject({ code: "unknown_anchor" });
    const fresh = IncrementalTree.decode(store.meta().frontier).root();
    const badProof = await apply([
      encode({ ...transfer(fresh, [7n, 8n], 0n, "z"), proof: new Uint8Array(256).fill(2) }),
    ]);
    expect(badProof.receipts[0]).toMatchObject({ code: "invalid_proof" });
    expect(store.nullifierHeight(7n as Fr)).toBeUndefined();
    expect(toHex(store.meta().nullifierDigest)).toBe(toHex(stale.changes.meta.nullifierDigest));
    expect(toHex(before)).not.toBe(toHex(store.meta().stateRoot)); // the height moved on
  });

  it("rejects malformed bytes with their decode code and applies the rest of the block", async () => {
    const { apply } = setup();
    const result = await apply([Uint8Array.of(1, 9), encode(genesis([5n]))]);
    expect(result.receipts.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "unknown_kind",
      "committed",
    ]);
  });

  it("rejects a transfer paying less than minFee on every replica; block 0 pays nothing", async () => {
    const { store, apply } = setup(3, 10n);
    expect((await apply([encode(genesis([1000n]))])).receipts[0]?.status).toBe("committed");
    const root = IncrementalTree.decode(store.meta().frontier).root();
    const r = await apply([encode(transfer(root, [1n, 2n], 9n, "cheap")), encode(transfer(root, [1n, 3n], 10n, "ok"))]);
    expect(r.receipts.map((x) => (x.status === "rejected" ? x.code : x.status))).toEqual(["fee_too_low", "committed"]);
    expect(store.nullifierHeight(2n as Fr)).toBeUndefined();
    expect(store.asset(SERO_ASSET_ID)?.fees).toBe(10n);
  });

  describe("assets", () => {
    const FEE = 10n;
    const secret = bytes32("issuer");
    const issuer = ed25519.getPublicKey(secret);
    let nextNullifier = 1_000n;
    /** A fee payment (§8.9) with fresh nullifiers; its proof is bound to its transaction by `paid`. */
    const payment = (anchor: Fr, fee = FEE): ShieldedSpend => ({
      ...samplePayment(),
      anchor,
      nullifiers: [nextNullifier++ as Fr, nextNullifier++ as Fr],
      fee,
    });
    /** Proves the payment over the whole transaction and signs the body, as a wallet does. */
    const paid = <T extends RegisterTx | IssueTx>(tx: T): T =>
      signTransaction({ ...tx, payment: { ...tx.payment, proof: boundProof(bindingHash(tx, CHAIN)) } }, CHAIN, secret);
    const register = (anchor: Fr, name: string, assetKind: "token" | "ticket", cap?: bigint, fee = FEE): RegisterTx =>
      paid({
        kind: "register",
        registration: {
          assetKind,
          name,
          decimals: assetKind === "token" ? 6 : 0,
          issuer,
          supply: cap === undefined ? { kind: "unlimited" } : { kind: "capped", cap },
        },
        epk: sampleGenesis().epk,
        payment: payment(anchor, fee),
        signature: new Uint8Array(64),
      });
    const issue = (anchor: Fr, assetKind: "token" | "ticket", assetRef: Fr, nonce: bigint, values: Uint8Array[]) => {
      const out = sampleGenesis().outputs[0] as IssuedOutput;
      return paid<IssueTx>({
        kind: "issue",
        assetKind,
        assetRef,
        nonce,
        epk: sampleGenesis().epk,
        outputs: values.map((value, i) => ({ ...out, value, seal: BigInt(500 + i) as Fr })),
        payment: payment(anchor),
        signature: new Uint8Array(64),
      });
    };
    const codes = (r: { receipts: readonly Receipt[] }) =>
      r.receipts.map((x) => (x.status === "rejected" ? x.code : x.status));
    async function chain() {
      const ctx = setup(3, FEE);
      await ctx.apply([encode(genesis([1_000_000n]))]);
      return { ...ctx, root: () => IncrementalTree.decode(ctx.store.meta().frontier).root() };
    }

    it("registers once, issues with sequential nonces within the cap, refuses forgeries", async () => {
      const { store, apply, root } = await chain();
      const usd = tokenId("USDX");
      const a = root();
      const r = await apply([
        encode(register(a, "USDX", "token", 100n)),
        encode(register(a, "USDX", "token")),
        encode(issue(a, "token", usd, 0n, [amountValue(60n)])),
        encode(issue(a, "token", usd, 0n, [amountValue(1n)])),
        encode(issue(a, "token", usd, 1n, [amountValue(41n)])),
        encode({ ...issue(a, "token", usd, 1n, [amountValue(1n)]), nonce: 2n }),
        encode(issue(a, "token", SERO_ASSET_ID, 0n, [amountValue(1n)])),
        encode(register(a, "SERO", "token")),
      ]);
      expect(codes(r)).toEqual([
        "committed",
        "asset_exists",
        "committed",
        "bad_nonce",
        "supply_exceeded",
        "bad_signature",
        "native_asset",
        "asset_exists",
      ]);
      expect(store.asset(usd)).toMatchObject({ issued: 60n, nonce: 1n });
      expect(store.asset(SERO_ASSET_ID)?.fees).toBe(2n * FEE);
      expect(r.effects.fees).toBe(2n * FEE);
    });

    it("issues each ticket once", async () => {
      const { apply, root } = await chain();
      const category = ticketCategoryId("CONCERT");
      const r = await apply([
        encode(register(root(), "CONCERT", "ticket")),
        encode(issue(root(), "ticket", category, 0n, [bytes32("seat 1"), bytes32("seat 2")])),
        encode(issue(root(), "ticket", category, 1n, [bytes32("seat 2")])),
      ]);
      expect(codes(r)).toEqual(["committed", "committed", "ticket_exists"]);
      const later = await apply([encode(issue(root(), "ticket", category, 1n, [bytes32("seat 1")]))]);
      expect(later.receipts[0]).toMatchObject({ code: "ticket_exists" });
    });

    it("a paid registration spends the payment's nullifiers, appends its outputs, adds its fee; proof checked with the whole transaction's binding", async () => {
      const { store, verifier, apply, root } = await chain();
      const tx = register(root(), "USDX", "token");
      const r = await apply([encode(tx)]);
      expect(codes(r)).toEqual(["committed"]);
      for (const nf of tx.payment.nullifiers) {
        expect(store.nullifierHeight(nf)).toBe(1);
      }
      expect(r.effects.nullifiers.map((n) => n.nullifier)).toEqual(tx.payment.nullifiers);
      expect(r.effects.commitments.map((c) => c.commitment)).toEqual(tx.payment.outputs.map((o) => o.commitment));
      expect(store.asset(SERO_ASSET_ID)?.fees).toBe(FEE);
      expect(verifier.seen.at(-1)).toEqual({
        inputs: 2,
        outputs: 2,
        proof: tx.payment.proof,
        publicInputs: [
          tx.payment.anchor,
          ...tx.payment.nullifiers,
          ...tx.payment.outputs.map((o) => o.commitment),
          FEE,
          bindingHash(tx, CHAIN),
        ],
      });
    });

    it("an issuance appends its payment's outputs first, then the issued ones", async () => {
      const { apply, root } = await chain();
      await apply([encode(register(root(), "USDX", "token"))]);
      const tx = issue(root(), "token", tokenId("USDX"), 0n, [amountValue(5n), amountValue(6n)]);
      const r = await apply([encode(tx)]);
      expect(codes(r)).toEqual(["committed"]);
      expect(r.effects.commitments.slice(0, 2).map((c) => c.commitment)).toEqual(
        tx.payment.outputs.map((o) => o.commitment),
      );
      expect(r.effects.commitments).toHaveLength(4);
    });

    it("rejects every failure of the fee payment, and spends nothing of a rejected one", async () => {
      const { store, apply, root } = await chain();
      const a = root();
      const spent = transfer(a, [7n, 8n], FEE, "spender");
      await apply([encode(spent)]);
      const b = root();
      const honest = register(b, "GOOD", "token");
      const other = register(b, "EVIL", "token");
      // The honest payment lifted onto another (validly signed) registration: its proof binds the original.
      const lifted = signTransaction({ ...other, payment: honest.payment }, CHAIN, secret);
      // A payment whose proof binds this transaction, but a signature made over a different payment.
      const badSignature = { ...register(b, "RESIGN", "token"), signature: register(b, "RESIGN", "token").signature };
      const cases: [string, RegisterTx][] = [
        ["fee_too_low", register(b, "CHEAP", "token", undefined, FEE - 1n)],
        [
          "invalid_proof",
          signTransaction(
            { ...register(b, "BADPROOF", "token"), payment: { ...payment(b), proof: new Uint8Array(256).fill(2) } },
            CHAIN,
            secret,
          ),
        ],
        [
          "nullifier_spent",
          paid({ ...register(b, "SPENT", "token"), payment: { ...payment(b), nullifiers: [7n as Fr, 99n as Fr] } }),
        ],
        ["unknown_anchor", register(5n as Fr, "NOANCHOR", "token")],
        ["invalid_proof", lifted],
        ["bad_signature", badSignature],
      ];
      const before = store.meta();
      const r = await apply(cases.map(([, tx]) => encode(tx)));
      expect(codes(r)).toEqual(cases.map(([code]) => code));
      expect(r.effects).toMatchObject({ commitments: [], nullifiers: [], fees: 0n });
      expect(toHex(r.changes.meta.nullifierDigest)).toBe(toHex(before.nullifierDigest));
      expect(toHex(r.changes.meta.assetDigest)).toBe(toHex(before.assetDigest));
      expect(store.nullifierHeight(99n as Fr)).toBeUndefined();
      for (const name of ["CHEAP", "BADPROOF", "SPENT", "NOANCHOR", "EVIL", "RESIGN"]) {
        expect(store.asset(tokenId(name))).toBeUndefined();
      }
      // The honest registration still goes through with its own payment.
      expect(codes(await apply([encode(honest)]))).toEqual(["committed"]);
    });

    it("a failing issuance spends nothing: its payment's notes stay spendable in the same block", async () => {
      const { store, apply, root } = await chain();
      await apply([encode(register(root(), "USDX", "token", 10n))]);
      const usd = tokenId("USDX");
      const tooMuch = issue(root(), "token", usd, 0n, [amountValue(11n)]);
      const reuse = transfer(root(), [tooMuch.payment.nullifiers[0] as bigint, 77n], FEE, "reuse");
      const r = await apply([encode(tooMuch), encode(reuse)]);
      expect(codes(r)).toEqual(["supply_exceeded", "committed"]);
      expect(store.asset(usd)).toMatchObject({ issued: 0n, nonce: 0n });
      expect(store.nullifierHeight(tooMuch.payment.nullifiers[1] as Fr)).toBeUndefined();
      expect(r.effects.commitments.map((c) => c.commitment)).toEqual(reuse.outputs.map((o) => o.commitment));
      expect(store.asset(SERO_ASSET_ID)?.fees).toBe(2n * FEE);
    });
  });

  it("replicas applying the same blocks agree on the state root; a different block diverges", async () => {
    const a = setup();
    const b = setup();
    const c = setup();
    const g = encode(genesis([1000n, 1n]));
    for (const r of [a, b, c]) {
      await r.apply([g]);
    }
    const root = IncrementalTree.decode(a.store.meta().frontier).root();
    await a.apply([encode(transfer(root, [1n, 2n]))]);
    await b.apply([encode(transfer(root, [1n, 2n]))]);
    await c.apply([encode(transfer(root, [1n, 3n]))]);
    expect(toHex(a.store.meta().stateRoot)).toBe(toHex(b.store.meta().stateRoot));
    expect(toHex(a.store.meta().stateRoot)).not.toBe(toHex(c.store.meta().stateRoot));
  });

  it("reports every shard a block completes, with the root of that shard's leaves", async () => {
    const { store, apply } = setup();
    const root = () => IncrementalTree.decode(store.meta().frontier).root();
    // A shard holds 256 leaves. 254 genesis leaves complete none; a transfer's two outputs (254, 255) complete
    // shard 0; a block of 256 transfers (512 outputs) completes shards 1 and 2.
    const g = await apply([encode(genesis(Array.from({ length: 254 }, (_, i) => BigInt(i + 1))))]);
    const t = await apply([encode(transfer(root(), [1n, 2n]))]);
    const anchor = root();
    const many = await apply(
      Array.from({ length: 256 }, (_, i) =>
        encode(transfer(anchor, [BigInt(10 + 2 * i), BigInt(11 + 2 * i)], 10n, `m${i}`)),
      ),
    );
    expect([...t.receipts, ...many.receipts].every((r) => r.status === "committed")).toBe(true);
    expect(g.effects.shards).toEqual([]);
    expect(t.effects.shards.map((s) => s.index)).toEqual([0]);
    expect(many.effects.shards.map((s) => s.index)).toEqual([1, 2]);
    const leaves = [g, t, many].flatMap((b) => b.effects.commitments.map((c) => c.commitment));
    for (const shard of [...t.effects.shards, ...many.effects.shards]) {
      const tree = new IncrementalTree(SHARD_HEIGHT);
      for (const leaf of leaves.slice(shard.index * 2 ** SHARD_HEIGHT, (shard.index + 1) * 2 ** SHARD_HEIGHT)) {
        tree.append(leaf);
      }
      expect(tree.isFull).toBe(true);
      expect(shard.root).toBe(tree.root());
    }
    const next = await apply([]);
    expect(next.effects.shards).toEqual([]);
  });
});
