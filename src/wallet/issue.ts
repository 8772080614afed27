/**
 * Registering and issuing assets (PROTOCOL.md §8.3, §8.4): both signed by
 * the issuer key the wallet derives from the account's seed; issued notes go
 * to one-time addresses of the issuing account, found again by its sync.
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
import { issuedOutputs } from "../protocol/tx/issued.ts";
import { signTransaction } from "../protocol/tx/signature.ts";
import { type IssueTx, MAX_ISSUED_OUTPUTS, type RegisterTx } from "../protocol/tx/types.ts";
import type { RandomSource } from "../prover/index.ts";
import { WalletError } from "./errors.ts";

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

export function registerAsset(keys: SpendingKeys, asset: NewAsset, chainId: string): RegisterTx {
  const registration: AssetRegistration = checkRegistration({ ...asset, issuer: issuerPublicKey(keys) });
  return signTransaction(
    { kind: "register", registration, signature: new Uint8Array(64) },
    chainId,
    issuerSecret(keys),
  );
}

/**
 * Issues notes of a registered asset to the issuing account itself: token
 * amounts, or tickets of one category (each value names its asset).
 */
export function issueToSelf(
  keys: SpendingKeys,
  issue: {
    readonly asset: Pick<NewAsset, "assetKind" | "name">;
    readonly nonce: bigint;
    readonly values: readonly AssetValue[];
  },
  chainId: string,
  random: RandomSource,
): IssueTx {
  if (issue.values.length === 0 || issue.values.length > MAX_ISSUED_OUTPUTS) {
    throw new WalletError("bad_amount", `an issuance has 1 to ${MAX_ISSUED_OUTPUTS} notes`);
  }
  const self = publicAddressOf(keys);
  // One base per transaction (§5.2): every note is keyed with the same σ.
  const keyed = deriveOneTimeAddress(self, random(32));
  const outputs = issue.values.map((value) => {
    const owner = deriveOneTimeAddress(self, random(32));
    const note: Note = { value, g: owner.g, pk: owner.pk, rcm: randomFr(random(32)) };
    return { note, memo: new Uint8Array(), recipientKey: keyed.x };
  });
  const sealed = issuedOutputs({ base: keyed.base, esk: random(32), ovk: keys.ovk, outputs });
  const unsigned: IssueTx = {
    kind: "issue",
    assetKind: issue.asset.assetKind,
    assetRef: registeredId(issue.asset),
    nonce: issue.nonce,
    epk: sealed.epk,
    outputs: sealed.outputs,
    signature: new Uint8Array(64),
  };
  return signTransaction(unsigned, chainId, issuerSecret(keys));
}
