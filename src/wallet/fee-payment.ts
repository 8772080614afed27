/**
 * Which of the account's SERO notes pay a registration's or issuance's fee
 * (PROTOCOL.md §8.9), planned as a send's fee is (planner.ts): the fewest
 * largest notes covering it, at most one transaction's inputs.
 */
import { SERO_ASSET_ID } from "../protocol/asset.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import type { AccountState, PendingSend } from "./account-state.ts";
import { WalletError } from "./errors.ts";
import type { FeePaymentPlan } from "./paid-tx.ts";
import { planRound } from "./planner.ts";
import { plannerNotes } from "./send.ts";
import { spendInputs, syncedAnchor } from "./spend-inputs.ts";
import { changeOf } from "./transfer.ts";

export type PlannedFeePayment = FeePaymentPlan & { readonly positions: readonly number[] };

export function planFeePayment(state: AccountState, keys: SpendingKeys, fee: bigint): PlannedFeePayment {
  // A payment of nothing: the planner then covers exactly the fee.
  const round = planRound(plannerNotes(state), { kind: "token", asset: SERO_ASSET_ID, amount: 0n }, fee);
  const [tx] = round.txs;
  if (!round.final || !tx) {
    throw new WalletError(
      "fee_needs_merge",
      "the fee needs more SERO notes than one transaction spends: send SERO to this account first to merge them",
    );
  }
  const positions = tx.spends.map((s) => s.id);
  return { anchor: syncedAnchor(state), spends: spendInputs(state, keys, positions), fee, positions };
}

/** The lock a submitted fee payment holds on its notes until it commits or its anchor expires. */
export function feePaymentLock(
  txId: string,
  plan: PlannedFeePayment,
  state: AccountState,
  anchorWindow: number,
): PendingSend {
  return {
    txId,
    positions: plan.positions,
    change: changeOf(plan.spends, [], plan.fee),
    expiresAfter: state.syncedHeight + anchorWindow,
  };
}
