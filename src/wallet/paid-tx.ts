/**
 * Transactions that embed a proved fee payment (PROTOCOL.md §8.9):
 * registrations, issuances, deploys and calls. The payment's change and any
 * other outputs of the transaction (all to this account) are encrypted under
 * one ephemeral key, the payment is proved with the binding hash of the
 * whole transaction, and the body is signed by the transaction's own key
 * (an issuer's or a caller's). A deploy or call may open one payment output
 * to bring value to a contract (§10.3).
 */
import { deriveOneTimeAddress, publicAddressOf } from "../protocol/address.ts";
import type { AssetValue } from "../protocol/asset.ts";
import { IDENTITY } from "../protocol/babyjub.ts";
import { encryptOutputs, type OutputToEncrypt } from "../protocol/encryption/encrypt.ts";
import type { Fr } from "../protocol/field.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { bindingHash } from "../protocol/tx/hashes.ts";
import { signTransaction } from "../protocol/tx/signature.ts";
import {
  type ContractTx,
  type IssueTx,
  type NoteCiphertexts,
  PROOF_BYTES,
  type RegisterTx,
  type ShieldedSpend,
} from "../protocol/tx/types.ts";
import { scalarMult } from "../protocol/x25519.ts";
import type { CircuitShape, ProveOptions, ProvingArtifacts, RandomSource, SpendInput } from "../prover/index.ts";
import { draftNullifiers, draftSpend, type Payment, proveDraft, type SpendDraft } from "./transfer.ts";

/** What builds, proves and signs a paid transaction: the account and its prover. */
export type PaidTxBuilder = {
  readonly keys: SpendingKeys;
  readonly chainId: string;
  readonly random: RandomSource;
  readonly artifacts: (shape: CircuitShape) => ProvingArtifacts;
  readonly options?: ProveOptions;
};

/** The account's notes paying a transaction's fee (§8.9), with their paths to `anchor`. */
export type FeePaymentPlan = {
  readonly anchor: Fr;
  readonly spends: readonly SpendInput[];
  readonly fee: bigint;
};

export type ToEncrypt = Omit<OutputToEncrypt, "recipientKey">;

/** What `assemble` builds the transaction from. */
export type PaidParts = {
  readonly epk: Uint8Array;
  readonly payment: ShieldedSpend;
  /** The `extra` outputs, encrypted under the same key after the payment's. */
  readonly extra: readonly { readonly output: OutputToEncrypt; readonly ciphertexts: NoteCiphertexts }[];
  /** Where the opened output is among the payment's outputs, and its rcm (§10.3); null without one. */
  readonly opened: { readonly output: number; readonly rcm: Fr } | null;
};

export type PaidTxSpec = {
  /** Outputs of the transaction besides the payment's, all to this account (issued notes). */
  readonly extra?: readonly ToEncrypt[];
  /** A value the payment brings to a contract in an opened output (§10.3). */
  readonly opened?: AssetValue | null;
  /** The key that signs the transaction (§8.6). */
  readonly signer: Uint8Array;
};

export async function buildPaidTx<T extends RegisterTx | IssueTx | ContractTx>(
  builder: PaidTxBuilder,
  fee: FeePaymentPlan,
  spec: PaidTxSpec,
  assemble: (parts: PaidParts) => T,
): Promise<T> {
  const { keys, random } = builder;
  // One base per transaction (§5.2): the change and every other output of ours are keyed to it.
  const base = deriveOneTimeAddress(publicAddressOf(keys), random(32)).base;
  const recipientKey = scalarMult(keys.xsk, base);
  const draft = withOpenedLast(
    draftSpend(
      {
        spends: fee.spends,
        payments: spec.opened ? [openedPayment(spec.opened, base, random)] : [],
        sender: keys,
        fee: fee.fee,
        random,
      },
      base,
    ),
    spec.opened ? random(32) : undefined,
  );
  // Received, not sent: their outgoing keys are random, so history shows issued notes as income.
  const others = (spec.extra ?? []).map((o) => ({ ...o, recipientKey, ovk: random(32) }));
  // The payment's outputs first: the ledger appends them first, and an output's index keys its encryption (§5.2).
  const encrypted = encryptOutputs({ base, esk: random(32), ovk: keys.ovk, outputs: [...draft.outputs, ...others] });
  const payment: ShieldedSpend = {
    anchor: fee.anchor,
    nullifiers: draftNullifiers(draft),
    fee: fee.fee,
    outputs: encrypted.outputs.slice(0, draft.outputs.length),
    proof: new Uint8Array(PROOF_BYTES),
  };
  const last = draft.outputs.length - 1;
  const unproven = assemble({
    epk: encrypted.epk,
    payment,
    extra: others.map((output, i) => ({
      output,
      ciphertexts: encrypted.outputs[draft.outputs.length + i] as NoteCiphertexts,
    })),
    opened: spec.opened ? { output: last, rcm: (draft.outputs[last] as OutputToEncrypt).note.rcm } : null,
  });
  const bind = bindingHash(unproven, builder.chainId);
  const proof = await proveDraft(draft, { anchor: fee.anchor, fee: fee.fee, bind }, builder.artifacts, builder.options);
  // The signature covers the payment's public part, not its proof (§8.6).
  return signTransaction({ ...unproven, payment: { ...payment, proof } }, builder.chainId, spec.signer);
}

/**
 * The opened output's note: owned by the identity point (§10.3), so no key can spend it; its ciphertexts
 * are under a random key, so they are random bytes nobody decrypts (the transaction publishes the opening).
 */
function openedPayment(value: AssetValue, base: Uint8Array, random: RandomSource): Payment {
  return { to: { g: IDENTITY, pk: IDENTITY, base, x: scalarMult(random(32), base) }, value, memo: new Uint8Array() };
}

/**
 * Moves the opened output (the draft's first, as a payment) to the end, with an outgoing key of its own.
 * The ledger appends every payment output but the opened one, and a wallet decrypts an output by its index
 * among those appended (§5.2): last, the opened one shifts no other output's index.
 */
function withOpenedLast(draft: SpendDraft, openedOvk: Uint8Array | undefined): SpendDraft {
  const [opened, ...rest] = draft.outputs;
  if (openedOvk === undefined || !opened) {
    return draft;
  }
  return { ...draft, outputs: [...rest, { ...opened, ovk: openedOvk }] };
}
