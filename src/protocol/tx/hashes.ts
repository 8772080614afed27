/** Transaction id, binding hash and signature message (PROTOCOL.md §8, §8.2, §8.6). */
import { concatBytes, utf8 } from "../../codec/bytes.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { Blake2bPersonalization as P } from "../domains.ts";
import { ProtocolError } from "../errors.ts";
import type { Fr } from "../field.ts";
import { blake, blakeToFr } from "../hash.ts";
import { decodeTransaction, encodeUnsigned } from "./codec.ts";
import type { PayingTx, Transaction } from "./types.ts";

export type TxId = Uint8Array & { readonly __txid: unique symbol };

/**
 * The id commits to the transaction without its proof or signature (PROTOCOL.md §8.8, as ZIP 244
 * separates txid from authorizing data): a second proof of the same statement names the same
 * transaction, so nobody but its author can change a pending transaction's id.
 */
export function txId(tx: Transaction): TxId {
  return blake(P.txId, encodeUnsigned(tx), 32) as TxId;
}

/** The id of submitted bytes: `txId` of what they decode to; bytes that do not decode hash whole, apart (§8.8). */
export function txIdOfBytes(bytes: Uint8Array): TxId {
  let tx: Transaction;
  try {
    tx = decodeTransaction(bytes);
  } catch (e) {
    if (e instanceof ProtocolError) {
      return undecodableTxId(bytes);
    }
    throw e;
  }
  return txId(tx);
}

/** The id of bytes that do not decode (§8.8). */
export function undecodableTxId(bytes: Uint8Array): TxId {
  return blake(P.txIdUndecodable, bytes, 32) as TxId;
}

function chainPrefix(chainId: string): Uint8Array {
  return new ByteWriter().varBytes(utf8(chainId)).finish();
}

/**
 * The last public input of a transfer's proof, or of a registration's or
 * issuance's fee payment (§8.9): binds every public byte of the whole
 * transaction and the chain.
 */
export function bindingHash(tx: PayingTx, chainId: string): Fr {
  return blakeToFr(P.txBinding, concatBytes(chainPrefix(chainId), encodeUnsigned(tx)));
}

/** What an issuer signs for registration and issuance. */
export function signatureMessage(tx: Transaction, chainId: string): Uint8Array {
  return blake(P.txSignature, concatBytes(chainPrefix(chainId), encodeUnsigned(tx)), 32);
}
