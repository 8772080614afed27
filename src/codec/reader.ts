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
    const at = this.#advance(length, what);
    return this.bytes.subarray(at, at + length);
  }

  /** Moves past `length` bytes (read later in place, e.g. through `view`s of the input). */
  skip(length: number, what: string): void {
    this.#advance(length, what);
  }

  // Small integers are read in place: a wallet's sync reads several per output.
  u8(what: string): number {
    return this.bytes[this.#advance(1, what)] as number;
  }

  u16(what: string): number {
    const at = this.#advance(2, what);
    return ((this.bytes[at] as number) << 8) | (this.bytes[at + 1] as number);
  }

  u32(what: string): number {
    const b = this.bytes;
    const at = this.#advance(4, what);
    return (
      (((b[at] as number) << 24) |
        ((b[at + 1] as number) << 16) |
        ((b[at + 2] as number) << 8) |
        (b[at + 3] as number)) >>>
      0
    );
  }

  /** Where the next `length` bytes start, once they are known to be there. */
  #advance(length: number, what: string): number {
    if (this.remaining < length) {
      throw new ProtocolError("truncated", `${what}: needs ${length} bytes, ${this.remaining} left`);
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }

  /** Unsigned big-endian integer of `length` bytes. */
  uint(length: number, what: string): bigint {
    return bytesToBigintBE(this.view(length, what));
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
