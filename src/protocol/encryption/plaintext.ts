/** The note plaintext, 644 bytes, fixed length (PROTOCOL.md §5.3). */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { AMOUNT_LIMIT, type AssetId, type AssetValue, checkAmount } from "../asset.ts";
import { type BabyjubPoint, decodePoint, encodePoint } from "../babyjub.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";

export const PLAINTEXT_VERSION = 1;
export const MEMO_BYTES = 512;
export const PLAINTEXT_BYTES = 1 + 1 + 32 + 32 + 32 + 32 + 2 + MEMO_BYTES;

const KIND_TOKEN = 0;
const KIND_TICKET = 1;

export type NotePlaintext = {
  readonly value: AssetValue;
  readonly g: BabyjubPoint;
  readonly rcm: Fr;
  readonly memo: Uint8Array;
};

export function encodePlaintext(p: NotePlaintext): Uint8Array {
  if (p.memo.length > MEMO_BYTES) {
    throw new ProtocolError("memo_too_long", `a memo is at most ${MEMO_BYTES} bytes`);
  }
  const w = new ByteWriter().u8(PLAINTEXT_VERSION);
  if (p.value.kind === "token") {
    w.u8(KIND_TOKEN).bytes(frToBytes(p.value.asset)).uint(checkAmount(p.value.amount), 32);
  } else {
    w.u8(KIND_TICKET).bytes(frToBytes(p.value.category)).bytes(p.value.ticketId);
  }
  const memo = new Uint8Array(MEMO_BYTES);
  memo.set(p.memo);
  return w.bytes(encodePoint(p.g)).bytes(frToBytes(p.rcm)).u16(p.memo.length).bytes(memo).finish();
}

export function decodePlaintext(bytes: Uint8Array): NotePlaintext {
  const r = new ByteReader(bytes);
  if (r.u8("version") !== PLAINTEXT_VERSION) {
    throw new ProtocolError("unknown_version", "unknown note plaintext version");
  }
  const kind = r.u8("kind");
  const ref = frFromBytes(r.bytesFixed(32, "asset"), "asset");
  const raw = r.bytesFixed(32, "value");
  let value: AssetValue;
  if (kind === KIND_TOKEN) {
    const amount = new ByteReader(raw).uint(32, "amount");
    if (amount >= AMOUNT_LIMIT) {
      throw new ProtocolError("amount_out_of_range", "note amount must be below 2^128");
    }
    value = { kind: "token", asset: ref as AssetId, amount };
  } else if (kind === KIND_TICKET) {
    value = { kind: "ticket", category: ref, ticketId: raw };
  } else {
    throw new ProtocolError("unknown_kind", "unknown note kind");
  }
  const g = decodePoint(r.bytesFixed(32, "owner base"), "owner base");
  const rcm = frFromBytes(r.bytesFixed(32, "rcm"), "rcm");
  const memoLength = r.u16("memo length");
  if (memoLength > MEMO_BYTES) {
    throw new ProtocolError("memo_too_long", `a memo is at most ${MEMO_BYTES} bytes`);
  }
  const memoField = r.bytesFixed(MEMO_BYTES, "memo");
  r.finish("note plaintext");
  for (let i = memoLength; i < MEMO_BYTES; i++) {
    if (memoField[i] !== 0) {
      throw new ProtocolError("bad_padding", "memo padding must be zero");
    }
  }
  return { value, g, rcm, memo: memoField.slice(0, memoLength) };
}
