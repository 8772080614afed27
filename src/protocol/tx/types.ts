/** Transaction domain types (PROTOCOL.md §8). Built only by the decoders and by wallets. */
import type { AssetRegistration } from "../asset.ts";
import type { Fr } from "../field.ts";

export { ENC_CIPHERTEXT_BYTES, OUT_CIPHERTEXT_BYTES } from "../encryption/encrypt.ts";

export const TX_VERSION = 1;

export const TxKind = { transfer: 1, register: 2, issue: 3, genesis: 4 } as const;
export type TxKindName = keyof typeof TxKind;

export const EPK_BYTES = 32;
export const PROOF_BYTES = 256;
export const SIGNATURE_BYTES = 64;
export const MAX_ISSUED_OUTPUTS = 16;
export const MAX_GENESIS_OUTPUTS = 1024;

/** Circuit shapes a transfer may take (§8.2): a payment shape and a merge shape. */
export const TRANSFER_SHAPES: readonly { readonly inputs: number; readonly outputs: number }[] = [
  { inputs: 2, outputs: 2 },
  { inputs: 4, outputs: 2 },
];

/** Encryption fields every output record carries (§5.2). */
export type NoteCiphertexts = {
  readonly viewTag: number;
  readonly encCiphertext: Uint8Array;
  readonly outCiphertext: Uint8Array;
};

export type TransferOutput = NoteCiphertexts & { readonly commitment: Fr };

/** An output whose asset and amount are public; the ledger computes its commitment from the seal. */
export type IssuedOutput = NoteCiphertexts & {
  /** Token: u128 amount in the last 16 bytes; ticket: the 32-byte ticket id. */
  readonly value: Uint8Array;
  readonly seal: Fr;
};

/**
 * A shielded spend proved by a transfer circuit (§8.2): the whole of a
 * transfer, and the fee payment embedded in a registration or issuance
 * (§8.9). Its outputs are encrypted under the enclosing transaction's epk.
 */
export type ShieldedSpend = {
  readonly anchor: Fr;
  readonly nullifiers: readonly Fr[];
  readonly fee: bigint;
  readonly outputs: readonly TransferOutput[];
  readonly proof: Uint8Array;
};

export type TransferTx = ShieldedSpend & {
  readonly kind: "transfer";
  readonly epk: Uint8Array;
};

export type RegisterTx = {
  readonly kind: "register";
  readonly registration: AssetRegistration;
  readonly epk: Uint8Array;
  /** Pays the fee in SERO (§8.9). */
  readonly payment: ShieldedSpend;
  readonly signature: Uint8Array;
};

export type IssueTx = {
  readonly kind: "issue";
  readonly assetKind: "token" | "ticket";
  /** Token id or ticket category id. */
  readonly assetRef: Fr;
  readonly nonce: bigint;
  readonly epk: Uint8Array;
  readonly outputs: readonly IssuedOutput[];
  /** Pays the fee in SERO (§8.9). */
  readonly payment: ShieldedSpend;
  readonly signature: Uint8Array;
};

export type GenesisTx = {
  readonly kind: "genesis";
  readonly epk: Uint8Array;
  readonly outputs: readonly IssuedOutput[];
};

export type Transaction = TransferTx | RegisterTx | IssueTx | GenesisTx;

/** The transactions that pay a fee: every kind but genesis (§8.9). */
export type PayingTx = TransferTx | RegisterTx | IssueTx;

/** The spend that pays `tx`'s fee: a transfer is its own (§8.9). */
export function shieldedSpendOf(tx: PayingTx): ShieldedSpend {
  return tx.kind === "transfer" ? tx : tx.payment;
}
