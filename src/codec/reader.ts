import { ProtocolError } from "../protocol/errors.ts";
import { bytesToBigintBE } from "./bytes.ts";

// fatal: invalid UTF-8 is refused, not replaced by U+FFFD (whose 3 bytes would re-encode longer);
// ignoreBOM: a leading BOM is kept as text, not dropped, so the text re-encodes to the same bytes.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Untrusted bytes as text: well-formed UTF-8 or `bad_encoding`. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ProtocolError("bad_encoding", `${what}: not well-formed UTF-8`);
  }
}

/**
 * Strict cursor over untrusted bytes. Every read checks bounds; `finish()`
 * refuses trailing bytes, so a value has exactly one accepted encoding.
 */
export class ByteReader {
  private offset = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  bytesFixed(length: number, what: string): Uint8Array {
    return this.view(length, what).slice();
  }

  /** Like bytesFixed, without copying: the view shares the input's memory (for large read-only fields). */
  view(length: number, what: string): Uint8Array {
    if (this.remaining < length) {
      throw new ProtocolError("truncated", `${what}: needs ${length} bytes, ${this.remaining} left`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** Moves past `length` bytes (read later in place, e.g. through `view`s of the input). */
  skip(length: number, what: string): void {
    this.view(length, what);
  }

  u8(what: string): number {
    return this.bytesFixed(1, what)[0] as number;
  }

  u16(what: string): number {
    const b = this.bytesFixed(2, what);
    return ((b[0] as number) << 8) | (b[1] as number);
  }

  u32(what: string): number {
    const b = this.bytesFixed(4, what);
    return (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
  }

  /** Unsigned big-endian integer of `length` bytes. */
  uint(length: number, what: string): bigint {
    return bytesToBigintBE(this.bytesFixed(length, what));
  }

  /** A u16 length prefix followed by that many bytes, at most `max`. */
  varBytes(max: number, what: string): Uint8Array {
    const length = this.u16(what);
    if (length > max) {
      throw new ProtocolError("too_long", `${what}: ${length} bytes, at most ${max}`);
    }
    return this.bytesFixed(length, what);
  }

  /** `varBytes` holding well-formed UTF-8. */
  varText(max: number, what: string): string {
    return decodeUtf8(this.varBytes(max, what), what);
  }

  /** A u32 length prefix followed by that many bytes, at most `max`. */
  longVarBytes(max: number, what: string): Uint8Array {
    const length = this.u32(what);
    if (length > max) {
      throw new ProtocolError("too_long", `${what}: ${length} bytes, at most ${max}`);
    }
    return this.bytesFixed(length, what);
  }

  finish(what: string): void {
    if (this.remaining !== 0) {
      throw new ProtocolError("trailing_bytes", `${what}: ${this.remaining} trailing bytes`);
    }
  }
}
