/**
 * Registering and issuing an asset (PROTOCOL.md §8.3, §8.4): both signed by
 * the issuer key the wallet derives from the account's seed; issued notes go
 * to one-time addresses of the issuing account, found again by its sync.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { deriveOneTimeAddress, publicAddressOf } from "../protocol/address.ts";
import { type AssetRegistration, type AssetValue, checkRegistration, tokenId } from "../protocol/asset.ts";
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

export function registerToken(
  keys: SpendingKeys,
  token: { readonly symbol: string; readonly decimals: number; readonly cap: bigint },
  chainId: string,
): RegisterTx {
  const registration: AssetRegistration = checkRegistration({
    assetKind: "token",
    name: token.symbol,
    decimals: token.decimals,
    issuer: issuerPublicKey(keys),
    supply: { kind: "capped", cap: token.cap },
  });
  return signTransaction(
    { kind: "register", registration, signature: new Uint8Array(64) },
    chainId,
    issuerSecret(keys),
  );
}

/** Issues `amounts` of a registered token to the issuing account itself, one note each. */
export function issueToken(
  keys: SpendingKeys,
  issue: { readonly symbol: string; readonly nonce: bigint; readonly amounts: readonly bigint[] },
  chainId: string,
  random: RandomSource,
): IssueTx {
  if (issue.amounts.length === 0 || issue.amounts.length > MAX_ISSUED_OUTPUTS) {
    throw new WalletError("bad_amount", `an issuance has 1 to ${MAX_ISSUED_OUTPUTS} notes`);
  }
  const asset = tokenId(issue.symbol);
  const self = publicAddressOf(keys);
  // One base per transaction (§5.2): every note is keyed with the same σ.
  const keyed = deriveOneTimeAddress(self, random(32));
  const outputs = issue.amounts.map((amount) => {
    const owner = deriveOneTimeAddress(self, random(32));
    const value: AssetValue = { kind: "token", asset, amount };
    const note: Note = { value, g: owner.g, pk: owner.pk, rcm: randomFr(random(32)) };
    return { note, memo: new Uint8Array(), recipientKey: keyed.x };
  });
  const sealed = issuedOutputs({ base: keyed.base, esk: random(32), ovk: keys.ovk, outputs });
  const unsigned: IssueTx = {
    kind: "issue",
    assetKind: "token",
    assetRef: asset,
    nonce: issue.nonce,
    epk: sealed.epk,
    outputs: sealed.outputs,
    signature: new Uint8Array(64),
  };
  return signTransaction(unsigned, chainId, issuerSecret(keys));
}
