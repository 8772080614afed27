/**
 * Registering and issuing assets (PROTOCOL.md §8.3, §8.4): both signed by
 * the issuer key the wallet derives from the account's seed, both paying the
 * fee with a proved payment from the account's SERO notes (§8.9, ./paid-tx.ts); issued
 * notes and the change go to one-time addresses of the issuing account,
 * found again by its sync.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { deriveOneTimeAddress, publicAddressOf } from "../protocol/address.ts";
import {
  type AssetRegistration,
  type AssetValue,
  checkRegistration,
  registeredId,
  type SupplyRule,
} from "../protocol/asset.ts";
import { Blake2bPersonalization as P } from "../protocol/domains.ts";
import { blake } from "../protocol/hash.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { type Note, randomFr } from "../protocol/note.ts";
import { issuedOutput } from "../protocol/tx/issued.ts";
import { type IssueTx, MAX_ISSUED_OUTPUTS, type RegisterTx, SIGNATURE_BYTES } from "../protocol/tx/types.ts";
import { WalletError } from "./errors.ts";
import { buildPaidTx, type FeePaymentPlan, type PaidTxBuilder } from "./paid-tx.ts";

export function issuerSecret(keys: SpendingKeys): Uint8Array {
  return blake(P.issuerKey, keys.seed, 32);
}

export function issuerPublicKey(keys: SpendingKeys): Uint8Array {
  return ed25519.getPublicKey(issuerSecret(keys));
}

export type NewAsset = {
  readonly assetKind: "token" | "ticket";
  /** A token symbol or a ticket category name. */
  readonly name: string;
  readonly decimals: number;
  readonly supply: SupplyRule;
};

/** What builds, proves and signs registrations and issuances: the account and its prover. */
export type Issuer = PaidTxBuilder;

export async function registerAsset(issuer: Issuer, asset: NewAsset, fee: FeePaymentPlan): Promise<RegisterTx> {
  const registration: AssetRegistration = checkRegistration({ ...asset, issuer: issuerPublicKey(issuer.keys) });
  return buildPaidTx(issuer, fee, { signer: issuerSecret(issuer.keys) }, ({ epk, payment }) => ({
    kind: "register",
    registration,
    epk,
    payment,
    signature: new Uint8Array(SIGNATURE_BYTES),
  }));
}

/**
 * Issues notes of a registered asset to the issuing account itself: token
 * amounts, or tickets of one category (each value names its asset).
 */
export async function issueToSelf(
  issuer: Issuer,
  issue: {
    readonly asset: Pick<NewAsset, "assetKind" | "name">;
    readonly nonce: bigint;
    readonly values: readonly AssetValue[];
  },
  fee: FeePaymentPlan,
): Promise<IssueTx> {
  if (issue.values.length === 0 || issue.values.length > MAX_ISSUED_OUTPUTS) {
    throw new WalletError("bad_amount", `an issuance has 1 to ${MAX_ISSUED_OUTPUTS} notes`);
  }
  const self = publicAddressOf(issuer.keys);
  const toIssue = issue.values.map((value) => {
    const owner = deriveOneTimeAddress(self, issuer.random(32));
    const note: Note = { value, g: owner.g, pk: owner.pk, rcm: randomFr(issuer.random(32)) };
    return { note, memo: new Uint8Array() };
  });
  return buildPaidTx(issuer, fee, { extra: toIssue, signer: issuerSecret(issuer.keys) }, ({ epk, payment, extra }) => ({
    kind: "issue",
    assetKind: issue.asset.assetKind,
    assetRef: registeredId(issue.asset),
    nonce: issue.nonce,
    epk,
    outputs: extra.map((e) => issuedOutput(e.output, e.ciphertexts)),
    payment,
    signature: new Uint8Array(SIGNATURE_BYTES),
  }));
}
