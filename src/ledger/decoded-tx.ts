/**
 * Submitted bytes decoded once, with their id (PROTOCOL.md §8.8) and the
 * `validateBasic` verdict: the ledger and the pool needed both, and computing
 * them apart decoded the same bytes twice (a profile's top entry after the
 * proofs and Poseidon). A ledger rule broken is a refusal like a malformed
 * encoding (ARCHITECTURE.md §2.4): one type, stable codes.
 *
 * The result is a pure function of the bytes, so it is remembered per isolate
 * by their SHA-256: admission, the pool index and block execution of every
 * replica hosted here decoded each transaction about ten times. It is decoded
 * from a private copy, so no caller's buffer, changed later, can reach it.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../codec/bytes.ts";
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

/** Bytes of the transactions remembered; the oldest are forgotten past it. */
const MEMORY_BYTES = 8 * 1024 * 1024;
const remembered = new Map<string, { readonly decoded: DecodedTx; readonly size: number }>();
let rememberedBytes = 0;

export function decodeWithId(bytes: Uint8Array): DecodedTx {
  const key = toHex(sha256(bytes));
  const known = remembered.get(key);
  if (known !== undefined) {
    return known.decoded;
  }
  const decoded = decode(bytes.slice());
  remembered.set(key, { decoded, size: bytes.length });
  rememberedBytes += bytes.length;
  for (const [oldest, { size }] of remembered) {
    if (rememberedBytes <= MEMORY_BYTES) {
      break;
    }
    remembered.delete(oldest);
    rememberedBytes -= size;
  }
  return decoded;
}

function decode(bytes: Uint8Array): DecodedTx {
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
