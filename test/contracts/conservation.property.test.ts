/**
 * Conservation across contracts (PROTOCOL.md §10.8): after any sequence of
 * calls — purchases, refunds, withdrawals, transfers between contracts,
 * reverts, reentrant payouts — every asset's value is where the public
 * counters say: issued = pool + fees + held, the pool moving only by opened
 * values (out) and payouts (in), and `held` the sum of contracts' balances.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { evmAddressOfContract } from "../../src/contracts/addresses.ts";
import { StateKey } from "../../src/contracts/state-keys.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { publicValueAsset } from "../../src/protocol/contract-notes.ts";
import { type Fr, frFromBytes } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { ContractTx } from "../../src/protocol/tx/types.ts";
import { loadArtifact } from "./artifacts.ts";
import { ContractChain, calldata, SERO, testCaller, tokenValue } from "./ledger-chain.ts";

const sale = loadArtifact("TokenSale");
const box = loadArtifact("TicketBox");
const probe = loadArtifact("Probe");
const GENESIS = 10n ** 30n;
const TKN = tokenId("TKN");

type Action =
  | { kind: "buy"; who: number; amount: bigint; wrongAsset: boolean; gas: bigint }
  | { kind: "ticket"; who: number; exact: boolean }
  | { kind: "withdraw"; from: "sale" | "box"; amount: bigint; byOwner: boolean }
  | { kind: "probe"; to: "user" | "sale"; amount: bigint; depth: bigint; bring: bigint }
  | { kind: "revertAfterSend"; amount: bigint };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("buy" as const),
    who: fc.nat(3),
    amount: fc.bigInt({ min: 1n, max: 5n * SERO }),
    wrongAsset: fc.boolean(),
    gas: fc.constantFrom(30_000n, 2_000_000n),
  }),
  fc.record({ kind: fc.constant("ticket" as const), who: fc.nat(3), exact: fc.boolean() }),
  fc.record({
    kind: fc.constant("withdraw" as const),
    from: fc.constantFrom("sale" as const, "box" as const),
    amount: fc.bigInt({ min: 1n, max: 3n * SERO }),
    byOwner: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("probe" as const),
    to: fc.constantFrom("user" as const, "sale" as const),
    amount: fc.bigInt({ min: 1n, max: SERO }),
    depth: fc.bigInt({ min: 0n, max: 3n }),
    bring: fc.bigInt({ min: 0n, max: 2n * SERO }),
  }),
  fc.record({ kind: fc.constant("revertAfterSend" as const), amount: fc.bigInt({ min: 1n, max: SERO }) }),
);

async function world() {
  const chain = new ContractChain();
  await chain.genesis(GENESIS);
  const owner = testCaller("owner");
  const saleAt = (await chain.deploy(owner, sale, ["TKN", 18, 10n ** 24n, 100n])).address;
  const boxAt = (await chain.deploy(owner, box, ["SEAT", SERO])).address;
  const probeAt = (await chain.deploy(owner, probe)).address;
  return { chain, owner, saleAt, boxAt, probeAt };
}

type World = Awaited<ReturnType<typeof world>>;

function toTx(w: World, a: Action): ContractTx {
  const { chain, owner } = w;
  const user = (i: number) => testCaller(`user ${i}`);
  const sero = (amount: bigint) => ({ value: tokenValue(SERO_ASSET_ID, amount) });
  switch (a.kind) {
    case "buy":
      return chain.contractTx(
        user(a.who),
        { kind: "call", contract: w.saleAt, calldata: calldata(sale.abi, "buy") },
        { value: tokenValue(a.wrongAsset ? TKN : SERO_ASSET_ID, a.amount), gasLimit: a.gas },
      );
    case "ticket":
      return chain.contractTx(
        user(a.who),
        { kind: "call", contract: w.boxAt, calldata: calldata(box.abi, "buy") },
        sero(a.exact ? SERO : SERO + 1n),
      );
    case "withdraw": {
      const abi = a.from === "sale" ? sale.abi : box.abi;
      const contract = a.from === "sale" ? w.saleAt : w.boxAt;
      return chain.contractTx(a.byOwner ? owner : user(0), {
        kind: "call",
        contract,
        calldata: calldata(abi, "withdraw", [a.amount]),
      });
    }
    case "probe": {
      const to = a.to === "user" ? owner.evm : `0x${toHex(evmAddressOfContract(w.saleAt))}`;
      return chain.contractTx(
        owner,
        {
          kind: "call",
          contract: w.probeAt,
          calldata: calldata(probe.abi, "reenter", [to, "SERO", a.amount, a.depth]),
        },
        a.bring > 0n ? sero(a.bring) : {},
      );
    }
    case "revertAfterSend":
      return chain.contractTx(
        owner,
        {
          kind: "call",
          contract: w.probeAt,
          calldata: calldata(probe.abi, "sendThenRevert", [owner.evm, "SERO", a.amount]),
        },
        sero(a.amount),
      );
  }
}

/** Σ over contract balance entries (tokens) and held tickets, per asset. */
function heldByEntries(w: World): Map<Fr, bigint> {
  const held = new Map<Fr, bigint>();
  for (const [key, value] of w.chain.store.contractEntries("")) {
    if (key.startsWith("t/") || key.startsWith("n/")) {
      const asset = frFromBytes(Uint8Array.from(Buffer.from(key.split("/")[2] as string, "hex")));
      const amount = key.startsWith("t/") ? BigInt(`0x${toHex(value)}`) : 1n;
      held.set(asset, (held.get(asset) ?? 0n) + amount);
    }
  }
  return held;
}

describe("conservation with contracts (PROTOCOL.md §10.8)", () => {
  it("per asset: issued = pool + fees + held, the pool moved only by openings and payouts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(action, { minLength: 1, maxLength: 3 }), { maxLength: 5 }), async (blocks) => {
        const w = await world();
        /** The shielded pool per asset, as the public record of openings and payouts moves it. */
        const pool = new Map<Fr, bigint>([[SERO_ASSET_ID, GENESIS - (w.chain.store.asset(SERO_ASSET_ID)?.fees ?? 0n)]]);
        const move = (asset: Fr, delta: bigint) => pool.set(asset, (pool.get(asset) ?? 0n) + delta);
        for (const block of blocks) {
          const txs = block.map((a) => toTx(w, a));
          const result = await w.chain.apply(txs.map(encodeTransaction));
          for (const [i, r] of result.receipts.entries()) {
            const tx = txs[i] as ContractTx;
            if (r.status !== "committed") {
              continue;
            }
            move(SERO_ASSET_ID, -tx.payment.fee);
            if (tx.value) {
              const { asset, amount } = publicValueAsset(tx.value);
              move(asset, -amount);
            }
          }
          for (const p of result.effects.payouts) {
            const { asset, amount } = publicValueAsset(p);
            move(asset, amount);
          }
        }
        const held = heldByEntries(w);
        const assets = new Set<Fr>([...pool.keys(), ...held.keys(), TKN]);
        for (const asset of assets) {
          const heldCounter = w.chain.store.contractValue(StateKey.held(asset));
          const counted = heldCounter ? BigInt(`0x${toHex(heldCounter)}`) : 0n;
          expect(counted).toBe(held.get(asset) ?? 0n);
          const record = w.chain.store.asset(asset);
          // A ticket is its own asset of amount 1, recorded as issued, not by a record of its own.
          const issued = record ? record.issued : w.chain.store.hasTicket(asset) ? 1n : 0n;
          expect((pool.get(asset) ?? 0n) + (record?.fees ?? 0n) + counted).toBe(issued);
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
