/**
 * Submitted bytes decoded once, with their id (PROTOCOL.md §8.8) and the
 * `validateBasic` verdict: the ledger and the pool needed both, and computing
 * them apart decoded the same bytes twice (a profile's top entry after the
 * proofs and Poseidon). A ledger rule broken is a refusal like a malformed
 * encoding (ARCHITECTURE.md §2.4): one type, stable codes.
 */
import { ProtocolError } from "../protocol/errors.ts";
import { decodeTransaction } from "../protocol/tx/codec.ts";
import { type TxId, txId, undecodableTxId } from "../protocol/tx/hashes.ts";
import type { Transaction } from "../protocol/tx/types.ts";
import { validateBasic } from "../protocol/tx/validate.ts";

export type DecodedTx = {
  /** `txIdOfBytes(bytes)`. */
  readonly id: TxId;
  /** The transaction if it decodes and passes `validateBasic`, else why not. */
  readonly tx: Transaction | ProtocolError;
};

export function decodeWithId(bytes: Uint8Array): DecodedTx {
  let decoded: Transaction;
  try {
    decoded = decodeTransaction(bytes);
  } catch (e) {
    if (e instanceof ProtocolError) {
      return { id: undecodableTxId(bytes), tx: e };
    }
    throw e;
  }
  const id = txId(decoded);
  try {
    return { id, tx: validateBasic(decoded) };
  } catch (e) {
    if (e instanceof ProtocolError) {
      return { id, tx: e };
    }
    throw e;
  }
}
