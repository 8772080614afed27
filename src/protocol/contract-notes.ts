/**
 * The two notes contracts add (PROTOCOL.md §10.3, §10.4): an opened output,
 * whose owner is the identity point so no key can spend it and whose value the
 * ledger credits to a contract; and a payout, a note to a one-time address
 * with public asset and amount and an rcm anyone can derive.
 */

import { bytesToBigintBE } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import { type AssetId, ticketAssetId } from "./asset.ts";
import { decodeAcceptedPoint } from "./babyjub.ts";
import { Blake2bPersonalization as P, PoseidonTag } from "./domains.ts";
import type { Fr } from "./field.ts";
import { blakeToFr } from "./hash.ts";
import { type Commitment, commitmentFromSeal, noteSeal, type Seal } from "./note.ts";
import { hashTagged } from "./poseidon.ts";

/** An asset and amount as public fields carry them (§8.4): a token's id and u128 amount, or a ticket's category and id. */
export type PublicValue = {
  readonly assetKind: "token" | "ticket";
  readonly assetRef: Fr;
  readonly value: Uint8Array;
};

/** The (asset, amount) a public value commits to. */
export function publicValueAsset(v: PublicValue): { asset: AssetId; amount: bigint } {
  return v.assetKind === "token"
    ? { asset: v.assetRef as AssetId, amount: bytesToBigintBE(v.value) }
    : { asset: ticketAssetId(v.assetRef, v.value), amount: 1n };
}

/** `H_seal(0, 1, 0, 1, rcm)`: the identity point as both g' and pk' (§10.3), which a spend refuses. */
export function openedSeal(rcm: Fr): Seal {
  return hashTagged(PoseidonTag.seal, 0n as Fr, 1n as Fr, 0n as Fr, 1n as Fr, rcm) as Seal;
}

export function openedCommitment(v: PublicValue, rcm: Fr): Commitment {
  const { asset, amount } = publicValueAsset(v);
  return commitmentFromSeal(asset, amount, openedSeal(rcm));
}

/** `rcm = BlakeFr("SERO_PayoutRcm__", id || u32(k))`: the k-th payout of transaction `txId`. */
export function payoutRcm(txId: Uint8Array, k: number): Fr {
  return blakeToFr(P.payoutRcm, new ByteWriter().bytes(txId).u32(k).finish());
}

/**
 * A payout's commitment: owned by the PKr's (g', pk'). Payouts go to callers'
 * PKrs, which `validateBasic` checked when their transactions were accepted
 * (§10.2), so the points are not checked again; a wallet checks its own.
 */
export function payoutCommitment(pkr: Uint8Array, v: PublicValue, rcm: Fr): Commitment {
  const g = decodeAcceptedPoint(pkr.subarray(0, 32));
  const pk = decodeAcceptedPoint(pkr.subarray(32, 64));
  const { asset, amount } = publicValueAsset(v);
  return commitmentFromSeal(asset, amount, noteSeal(g, pk, rcm));
}
