/** Transaction id, binding hash and signature message (PROTOCOL.md §8, §8.2, §8.6). */
import { concatBytes, utf8 } from "../../codec/bytes.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { Blake2bPersonalization as P } from "../domains.ts";
import type { Fr } from "../field.ts";
import { blake, blakeToFr } from "../hash.ts";
import { encodeTransaction, encodeUnsigned } from "./codec.ts";
import type { PayingTx, Transaction } from "./types.ts";

export type TxId = Uint8Array & { readonly __txid: unique symbol };

export function txId(tx: Transaction): TxId {
  return txIdOfBytes(encodeTransaction(tx));
}

/** The id of submitted bytes, decodable or not; equals `txId` for canonical encodings. */
export function txIdOfBytes(bytes: Uint8Array): TxId {
  return blake(P.txId, bytes, 32) as TxId;
}

function chainPrefix(chainId: string): Uint8Array {
  return new ByteWriter().varBytes(utf8(chainId)).finish();
}

/**
 * The last public input of a transfer's proof, or of a registration's or
 * issuance's fee payment (§8.8): binds every public byte of the whole
 * transaction and the chain.
 */
export function bindingHash(tx: PayingTx, chainId: string): Fr {
  return blakeToFr(P.txBinding, concatBytes(chainPrefix(chainId), encodeUnsigned(tx)));
}

/** What an issuer signs for registration and issuance. */
export function signatureMessage(tx: Transaction, chainId: string): Uint8Array {
  return blake(P.txSignature, concatBytes(chainPrefix(chainId), encodeUnsigned(tx)), 32);
}
