/**
 * Builds a shielded transfer (PROTOCOL.md §5.2, §8.2) from notes the wallet
 * owns: pays one-time addresses, returns change to the sender, pads to a
 * circuit shape with dummy notes, encrypts every output under one ephemeral
 * key, binds the public data, proves, and returns the transaction ready to
 * submit. Proving happens here, on the client, where the secrets are.
 */

import { deriveOneTimeAddress, type OneTimeAddress, publicAddressOf } from "../protocol/address.ts";
import { type AssetId, type AssetValue, committedValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import { encryptOutputs, type OutputToEncrypt } from "../protocol/encryption/encrypt.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Fr } from "../protocol/field.ts";
import { encodeProof, proofFromSnarkjs } from "../protocol/groth16/index.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { type Note, noteCommitment, randomFr } from "../protocol/note.ts";
import { nullifier } from "../protocol/nullifier.ts";
import { bindingHash } from "../protocol/tx/hashes.ts";
import { PROOF_BYTES, type TransferTx } from "../protocol/tx/types.ts";
import { scalarMult } from "../protocol/x25519.ts";
import {
  CIRCUITS,
  type CircuitShape,
  dummyOutput,
  dummySpend,
  type ProveOptions,
  type ProvingArtifacts,
  proveTransfer,
  type RandomSource,
  type SpendInput,
} from "../prover/index.ts";

export type Payment = {
  readonly to: OneTimeAddress;
  /** A token amount, or one ticket. */
  readonly value: AssetValue;
  readonly memo: Uint8Array;
};

export type TransferPlan = {
  readonly chainId: string;
  /** A recent tree root every real spend's path leads to. */
  readonly anchor: Fr;
  /** The notes to spend, with their owner keys and authentication paths. */
  readonly spends: readonly SpendInput[];
  /** At most one handed-out one-time address per transaction (§5.2). */
  readonly payments: readonly Payment[];
  /** Owns the change and can recover every output with its outgoing viewing key. */
  readonly sender: SpendingKeys;
  readonly fee: bigint;
  readonly random: RandomSource;
};

/** The smallest circuit shape that holds the spends and outputs. */
export function shapeFor(inputs: number, outputs: number): CircuitShape {
  const shape = CIRCUITS.filter((c) => c.nIn >= inputs && c.nOut >= outputs).sort((a, b) => a.nIn - b.nIn)[0];
  if (!shape) {
    throw new ProtocolError("unknown_shape", `no circuit takes ${inputs} inputs and ${outputs} outputs`);
  }
  return shape;
}

/**
 * What returns to the sender after the payments and the fee: per token its
 * remaining amount, and every ticket spent but not paid. Refuses a shortfall.
 */
export function changeOf(
  spends: readonly { readonly note: Pick<Note, "value"> }[],
  payments: readonly Pick<Payment, "value">[],
  fee: bigint,
): AssetValue[] {
  const balance = new Map<AssetId, { value: AssetValue; amount: bigint }>();
  const add = (value: AssetValue, sign: 1n | -1n) => {
    const { asset, amount } = committedValue(value);
    const entry = balance.get(asset) ?? { value, amount: 0n };
    balance.set(asset, { value, amount: entry.amount + sign * amount });
  };
  for (const s of spends) {
    add(s.note.value, 1n);
  }
  for (const p of payments) {
    add(p.value, -1n);
  }
  add({ kind: "token", asset: SERO_ASSET_ID, amount: fee }, -1n);
  const change: AssetValue[] = [];
  for (const { value, amount } of balance.values()) {
    if (amount < 0n) {
      throw new ProtocolError("insufficient_funds", "the notes do not cover the payments and the fee");
    }
    if (amount > 0n) {
      change.push(value.kind === "token" ? { ...value, amount } : value);
    }
  }
  return change;
}

/**
 * A shielded spend's notes before encryption (§8.2): the spends and the
 * outputs (payments, change to the sender, dummies) padded to a circuit shape,
 * every output keyed to `base`. A transfer encrypts them alone; a fee payment
 * (§8.9) with the enclosing transaction's other outputs.
 */
export type SpendDraft = {
  readonly shape: CircuitShape;
  readonly spends: readonly SpendInput[];
  readonly outputs: readonly OutputToEncrypt[];
};

export function draftSpend(
  plan: Pick<TransferPlan, "spends" | "payments" | "sender" | "fee" | "random">,
  base: Uint8Array,
): SpendDraft {
  const random = plan.random;
  const changes = changeOf(plan.spends, plan.payments, plan.fee);
  const shape = shapeFor(plan.spends.length, plan.payments.length + changes.length);
  const senderAddress = publicAddressOf(plan.sender);
  const note = (to: Pick<OneTimeAddress, "g" | "pk">, value: AssetValue): Note => ({
    value,
    g: to.g,
    pk: to.pk,
    rcm: randomFr(random(32)),
  });
  const outputs: OutputToEncrypt[] = [
    ...plan.payments.map((p) => ({ note: note(p.to, p.value), memo: p.memo, recipientKey: p.to.x })),
    ...changes.map((value) => ({
      note: note(deriveOneTimeAddress(senderAddress, random(32)), value),
      memo: new Uint8Array(),
      recipientKey: scalarMult(plan.sender.xsk, base),
    })),
  ];
  while (outputs.length < shape.nOut) {
    outputs.push({ note: dummyOutput(random), memo: new Uint8Array(), recipientKey: scalarMult(random(32), base) });
  }
  const spends = [...plan.spends];
  while (spends.length < shape.nIn) {
    spends.push(dummySpend(random));
  }
  return { shape, spends, outputs };
}

export function draftNullifiers(draft: SpendDraft): Fr[] {
  return draft.spends.map((s) => nullifier(s.keys.nk, noteCommitment(s.note), s.path.position));
}

/** Proves `draft` with the binding hash of the transaction that holds it (§8.2, §8.9); returns the encoded proof. */
export async function proveDraft(
  draft: SpendDraft,
  spend: { readonly anchor: Fr; readonly fee: bigint; readonly bind: Fr },
  artifacts: (shape: CircuitShape) => ProvingArtifacts,
  options: ProveOptions = {},
): Promise<Uint8Array> {
  const proved = await proveTransfer(
    draft.shape,
    artifacts(draft.shape),
    { ...spend, spends: draft.spends, outputs: draft.outputs.map((o) => o.note) },
    options,
  );
  return encodeProof(proofFromSnarkjs(proved.proof));
}

export async function buildTransfer(
  plan: TransferPlan,
  artifacts: (shape: CircuitShape) => ProvingArtifacts,
  options: ProveOptions = {},
): Promise<TransferTx> {
  const random = plan.random;
  // Every output is keyed to one X25519 base: the payee's, or a fresh one of ours for a pure merge.
  const base = plan.payments[0]?.to.base ?? deriveOneTimeAddress(publicAddressOf(plan.sender), random(32)).base;
  if (plan.payments.some((p) => p.to.base.some((b, i) => b !== base[i]))) {
    throw new ProtocolError("one_payee_per_transaction", "pay one handed-out address per transaction (§5.2)");
  }
  const draft = draftSpend(plan, base);
  const encrypted = encryptOutputs({ base, esk: random(32), ovk: plan.sender.ovk, outputs: draft.outputs });
  const unproven: TransferTx = {
    kind: "transfer",
    anchor: plan.anchor,
    nullifiers: draftNullifiers(draft),
    fee: plan.fee,
    epk: encrypted.epk,
    outputs: encrypted.outputs,
    proof: new Uint8Array(PROOF_BYTES),
  };
  const bind = bindingHash(unproven, plan.chainId);
  return {
    ...unproven,
    proof: await proveDraft(draft, { anchor: plan.anchor, fee: plan.fee, bind }, artifacts, options),
  };
}

/** Randomness for building: the platform's CSPRNG. */
export function systemRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}
