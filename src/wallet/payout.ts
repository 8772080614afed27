/**
 * Recognizing a contract's payout to one of the account's one-time addresses
 * (PROTOCOL.md §10.4): the X25519 half first (one key agreement, cheap, and
 * false for nearly every payout), then `ivk·g' = pk'`. A payout that is ours
 * becomes an ordinary note: its asset, amount and rcm are public, its owner
 * is the PKr's (g', pk').
 */
import { bytesEqual } from "../codec/bytes.ts";
import { decodeOneTimeAddress, ONE_TIME_ADDRESS_BYTES, ownsNoteKey } from "../protocol/address.ts";
import type { CompactPayout } from "../protocol/compact.ts";
import { payoutCommitment } from "../protocol/contract-notes.ts";
import type { ViewingKeys } from "../protocol/keys.ts";
import type { Note } from "../protocol/note.ts";
import { scalarMult } from "../protocol/x25519.ts";
import { WalletError } from "./errors.ts";
import { assetValueOf } from "./public-value.ts";

/** The note a payout gives this account, or undefined when the payout is someone else's. */
export function payoutNote(keys: ViewingKeys, payout: CompactPayout): Note | undefined {
  if (payout.pkr.length !== ONE_TIME_ADDRESS_BYTES || !x25519HalfIsOurs(keys, payout.pkr)) {
    return undefined;
  }
  let owner: ReturnType<typeof decodeOneTimeAddress>;
  try {
    owner = decodeOneTimeAddress(payout.pkr);
  } catch {
    return undefined;
  }
  if (!ownsNoteKey(keys, owner.g, owner.pk)) {
    return undefined;
  }
  // The ledger computes a payout's commitment (§10.4); a node that reports another one is lying,
  // and a note recorded under it could never be spent.
  if (payoutCommitment(payout.pkr, payout, payout.rcm) !== payout.commitment) {
    throw new WalletError(
      "bad_node_response",
      `the node's payout at leaf ${payout.position} does not match its commitment: use another node`,
    );
  }
  return { value: assetValueOf(payout), g: owner.g, pk: owner.pk, rcm: payout.rcm };
}

/** `xsk·B' = X'` on the PKr's raw bytes (§3.2). */
function x25519HalfIsOurs(keys: ViewingKeys, pkr: Uint8Array): boolean {
  try {
    return bytesEqual(scalarMult(keys.xsk, pkr.subarray(64, 96)), pkr.subarray(96, 128));
  } catch {
    return false;
  }
}
