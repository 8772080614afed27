/** The notes a transaction spends, as the prover takes them: owner keys, note, path to the account's anchor. */
import type { SpendingKeys } from "../protocol/keys.ts";
import type { SpendInput } from "../prover/index.ts";
import type { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";

export function spendInputs(state: AccountState, keys: SpendingKeys, positions: readonly number[]): SpendInput[] {
  return positions.map((position) => {
    const owned = state.notes.find((n) => n.position === position);
    if (!owned) {
      throw new WalletError("note_unavailable", `note ${position} is not the account's`);
    }
    return { keys, note: owned.note, path: state.pathOf(position).path };
  });
}

export function syncedAnchor(state: AccountState) {
  const anchor = state.anchor;
  if (anchor === undefined) {
    throw new WalletError("not_synced", "the account has not seen a block yet: run sero sync");
  }
  return anchor;
}
