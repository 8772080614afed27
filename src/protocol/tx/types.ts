/** Transaction domain types (PROTOCOL.md §8). Built only by the decoders and by wallets. */
import type { AssetRegistration } from "../asset.ts";
import type { Fr } from "../field.ts";

export { ENC_CIPHERTEXT_BYTES, OUT_CIPHERTEXT_BYTES } from "../encryption/encrypt.ts";

export const TX_VERSION = 1;

export const TxKind = { transfer: 1, register: 2, issue: 3, genesis: 4, deploy: 5, call: 6 } as const;
export type TxKindName = keyof typeof TxKind;

export const EPK_BYTES = 32;
export const PROOF_BYTES = 256;
export const SIGNATURE_BYTES = 64;
export const MAX_ISSUED_OUTPUTS = 16;
export const MAX_GENESIS_OUTPUTS = 1024;
/** EIP-3860's limit on init code, EIP-170's on deployed code, and ours on calldata (PROTOCOL.md §10.1). */
export const MAX_INIT_CODE_BYTES = 49_152;
export const MAX_CODE_BYTES = 24_576;
export const MAX_CALLDATA_BYTES = 32_768;
export const CALLER_KEY_BYTES = 32;

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

/**
 * Who calls a contract (§10.1): the one-time address payouts to it go to, and
 * the Ed25519 key that signs the transaction, so only its holder can act as
 * the same `msg.sender` again.
 */
export type Caller = {
  /** A one-time address (§3.2), 128 bytes, validated by `validateBasic`. */
  readonly pkr: Uint8Array;
  readonly key: Uint8Array;
};

/**
 * The fee payment's output `output`, opened (§10.3): its owner is the
 * identity point, and its asset, amount and rcm are public, so the ledger can
 * check it against the commitment and credit the contract instead of the tree.
 */
export type ValueOpening = {
  readonly output: number;
  readonly assetKind: "token" | "ticket";
  /** Token id or ticket category id. */
  readonly assetRef: Fr;
  /** As an issued output's (§8.4): a u128 amount in the last 16 bytes, or a ticket id. */
  readonly value: Uint8Array;
  readonly rcm: Fr;
};

/** What deploys and calls share (§10.1). */
type ContractTxBody = {
  readonly caller: Caller;
  readonly gasLimit: bigint;
  readonly value: ValueOpening | null;
  readonly epk: Uint8Array;
  /** Pays the fee in SERO and carries the value (§8.9, §10.3). */
  readonly payment: ShieldedSpend;
  readonly signature: Uint8Array;
};

export type DeployTx = ContractTxBody & {
  readonly kind: "deploy";
  readonly initCode: Uint8Array;
};

export type CallTx = ContractTxBody & {
  readonly kind: "call";
  /** A 64-byte contract address (§3.4). */
  readonly contract: Uint8Array;
  readonly calldata: Uint8Array;
};

export type ContractTx = DeployTx | CallTx;

export type Transaction = TransferTx | RegisterTx | IssueTx | GenesisTx | ContractTx;

/** The transactions that pay a fee: every kind but genesis (§8.9). */
export type PayingTx = Exclude<Transaction, GenesisTx>;

/** The spend that pays `tx`'s fee: a transfer is its own (§8.9). */
export function shieldedSpendOf(tx: PayingTx): ShieldedSpend {
  return tx.kind === "transfer" ? tx : tx.payment;
}
