/**
 * Registering and issuing assets (PROTOCOL.md §8.3, §8.4): both signed by
 * the issuer key the wallet derives from the account's seed, both paying the
 * fee with a proved payment from the account's SERO notes (§8.9); issued
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
import { encryptOutputs, type OutputToEncrypt } from "../protocol/encryption/encrypt.ts";
import type { Fr } from "../protocol/field.ts";
import { blake } from "../protocol/hash.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { type Note, randomFr } from "../protocol/note.ts";
import { bindingHash } from "../protocol/tx/hashes.ts";
import { issuedOutput } from "../protocol/tx/issued.ts";
import { signTransaction } from "../protocol/tx/signature.ts";
import {
  type IssueTx,
  MAX_ISSUED_OUTPUTS,
  type NoteCiphertexts,
  PROOF_BYTES,
  type RegisterTx,
  type ShieldedSpend,
  SIGNATURE_BYTES,
} from "../protocol/tx/types.ts";
import { scalarMult } from "../protocol/x25519.ts";
import type { CircuitShape, ProveOptions, ProvingArtifacts, RandomSource, SpendInput } from "../prover/index.ts";
import { WalletError } from "./errors.ts";
import { draftNullifiers, draftSpend, proveDraft } from "./transfer.ts";

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
export type Issuer = {
  readonly keys: SpendingKeys;
  readonly chainId: string;
  readonly random: RandomSource;
  readonly artifacts: (shape: CircuitShape) => ProvingArtifacts;
  readonly options?: ProveOptions;
};

/** The account's SERO notes paying a registration's or issuance's fee (§8.9), with their paths to `anchor`. */
export type FeePaymentPlan = {
  readonly anchor: Fr;
  readonly spends: readonly SpendInput[];
  readonly fee: bigint;
};

export async function registerAsset(issuer: Issuer, asset: NewAsset, fee: FeePaymentPlan): Promise<RegisterTx> {
  const registration: AssetRegistration = checkRegistration({ ...asset, issuer: issuerPublicKey(issuer.keys) });
  return paid(issuer, fee, [], (epk, payment) => ({
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
  return paid(issuer, fee, toIssue, (epk, payment, encrypted) => ({
    kind: "issue",
    assetKind: issue.asset.assetKind,
    assetRef: registeredId(issue.asset),
    nonce: issue.nonce,
    epk,
    outputs: encrypted.map((e) => issuedOutput(e.output, e.ciphertexts)),
    payment,
    signature: new Uint8Array(SIGNATURE_BYTES),
  }));
}

type ToEncrypt = Omit<OutputToEncrypt, "recipientKey">;

/**
 * Builds the transaction `assemble` makes around a fee payment (§8.9): the
 * payment's change and `extra` outputs (all to this account) encrypted under
 * one ephemeral key, the payment proved with the binding hash of the whole
 * transaction, the body signed.
 */
async function paid<T extends RegisterTx | IssueTx>(
  issuer: Issuer,
  fee: FeePaymentPlan,
  extra: readonly ToEncrypt[],
  assemble: (
    epk: Uint8Array,
    payment: ShieldedSpend,
    extra: readonly { output: OutputToEncrypt; ciphertexts: NoteCiphertexts }[],
  ) => T,
): Promise<T> {
  const { keys, random } = issuer;
  // One base per transaction (§5.2): the change and every issued note are keyed to it.
  const base = deriveOneTimeAddress(publicAddressOf(keys), random(32)).base;
  const recipientKey = scalarMult(keys.xsk, base);
  const draft = draftSpend({ spends: fee.spends, payments: [], sender: keys, fee: fee.fee, random }, base);
  // Issued notes are received, not sent: their outgoing keys are random, so history shows them as income.
  const others = extra.map((o) => ({ ...o, recipientKey, ovk: random(32) }));
  // The payment's outputs first: the ledger appends them first, and an output's index keys its encryption (§5.2).
  const encrypted = encryptOutputs({ base, esk: random(32), ovk: keys.ovk, outputs: [...draft.outputs, ...others] });
  const payment: ShieldedSpend = {
    anchor: fee.anchor,
    nullifiers: draftNullifiers(draft),
    fee: fee.fee,
    outputs: encrypted.outputs.slice(0, draft.outputs.length),
    proof: new Uint8Array(PROOF_BYTES),
  };
  const unproven = assemble(
    encrypted.epk,
    payment,
    others.map((output, i) => ({
      output,
      ciphertexts: encrypted.outputs[draft.outputs.length + i] as NoteCiphertexts,
    })),
  );
  const bind = bindingHash(unproven, issuer.chainId);
  const proof = await proveDraft(draft, { anchor: fee.anchor, fee: fee.fee, bind }, issuer.artifacts, issuer.options);
  // The signature covers the payment's public part, not its proof (§8.6).
  return signTransaction({ ...unproven, payment: { ...payment, proof } }, issuer.chainId, issuerSecret(keys));
}
