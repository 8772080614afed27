import { describe, expect, it } from "vitest";
import { type AssetValue, SERO_ASSET_ID, ticketAssetId, tokenId } from "../../src/protocol/asset.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { type PlannerNote, planAll, planRound, predictedOutputs } from "../../src/wallet/planner.ts";

const FEE = 10n;
const USDX = tokenId("USDX");
const sero = (amount: bigint): AssetValue => ({ kind: "token", asset: SERO_ASSET_ID, amount });
const usdx = (amount: bigint): AssetValue => ({ kind: "token", asset: USDX, amount });
const notes = (...values: AssetValue[]): PlannerNote[] => values.map((value, id) => ({ id, value }));
const ids = (txs: readonly { spends: readonly PlannerNote[] }[]) => txs.map((t) => t.spends.map((s) => s.id));

describe("send planning", () => {
  it("pays SERO in one transaction from the fewest largest notes", () => {
    const round = planRound(notes(sero(5n), sero(100n), sero(40n)), sero(120n), FEE);
    expect(round).toMatchObject({ final: true, txs: [{ purpose: "payment" }] });
    expect(ids(round.txs)).toEqual([[1, 2]]);
  });

  it("merges 4 by 4 when the payment needs more notes than a transaction holds", () => {
    const wallet = notes(...Array.from({ length: 9 }, () => sero(100n)));
    const rounds = planAll(wallet, sero(850n), FEE);
    expect(rounds.map((r) => r.txs.map((t) => t.purpose))).toEqual([["merge", "merge"], ["payment"]]);
    expect(rounds[0]?.txs.map((t) => t.spends.length)).toEqual([4, 4]);
  });

  it("pays a token with a fee note, making the fee note first when there is none", () => {
    const without = planAll(notes(usdx(500n), sero(1000n)), usdx(200n), FEE);
    expect(without.map((r) => r.txs.map((t) => t.purpose))).toEqual([["fee_note"], ["payment"]]);
    const withFeeNote = planRound(notes(usdx(500n), sero(FEE)), usdx(200n), FEE);
    expect(withFeeNote).toMatchObject({ final: true });
    expect(ids(withFeeNote.txs)).toEqual([[0, 1]]);
  });

  it("pays a ticket with a fee note", () => {
    const ticket: AssetValue = { kind: "ticket", category: 5n as Fr, ticketId: new Uint8Array(32).fill(1) };
    const round = planRound(notes(ticket, sero(FEE)), ticket, FEE);
    expect(round).toMatchObject({ final: true, txs: [{ purpose: "payment" }] });
    expect(ticketAssetId(5n as Fr, new Uint8Array(32).fill(1))).not.toBe(SERO_ASSET_ID);
  });

  it("predicts what preparatory transactions return", () => {
    expect(predictedOutputs({ purpose: "fee_note", spends: notes(sero(100n)) }, FEE)).toEqual([sero(FEE), sero(80n)]);
    expect(predictedOutputs({ purpose: "merge", spends: notes(sero(50n), sero(60n)) }, FEE)).toEqual([sero(100n)]);
  });

  it("refuses a shortfall with the amounts needed and held", () => {
    expect(() => planRound(notes(sero(100n)), sero(95n), FEE)).toThrow(
      expect.objectContaining({ code: "insufficient_funds", needed: 105n, spendable: 100n }),
    );
    expect(() => planRound(notes(usdx(10n), sero(5n)), usdx(10n), FEE)).toThrow(
      expect.objectContaining({ code: "insufficient_funds" }),
    );
  });
});
