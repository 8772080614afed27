import { ProtocolError } from "../protocol/errors.ts";
import { bigintToBytesBE } from "./bytes.ts";

/**
 * Append-only builder for canonical encodings: fixed widths, big-endian, u16 length prefixes.
 * A value that does not fit its field is refused with a stable code (`out_of_range`, `too_long`,
 * `bad_encoding`), never encoded wrapped or truncated: it may come from a client.
 */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  bytes(value: Uint8Array): this {
    this.chunks.push(value);
    this.length += value.length;
    return this;
  }

  u8(value: number): this {
    return this.uintNumber(value, 1);
  }

  u16(value: number): this {
    return this.uintNumber(value, 2);
  }

  u32(value: number): this {
    return this.uintNumber(value, 4);
  }

  uint(value: bigint, length: number): this {
    if (value < 0n || value >> BigInt(8 * length) !== 0n) {
      throw new ProtocolError("out_of_range", `${value} does not fit in ${length} bytes`);
    }
    return this.bytes(bigintToBytesBE(value, length));
  }

  varBytes(value: Uint8Array): this {
    return this.lengthPrefixed(value, 2);
  }

  /** Text as `varBytes` of its UTF-8; a string with a lone surrogate has no UTF-8 and is refused. */
  varText(value: string): this {
    if (!value.isWellFormed()) {
      throw new ProtocolError("bad_encoding", "text with a lone surrogate has no UTF-8 encoding");
    }
    return this.varBytes(new TextEncoder().encode(value));
  }

  /** With a u32 length prefix, for values that may exceed 64 KiB. */
  longVarBytes(value: Uint8Array): this {
    return this.lengthPrefixed(value, 4);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  private lengthPrefixed(value: Uint8Array, prefixBytes: number): this {
    if (value.length >= 2 ** (8 * prefixBytes)) {
      throw new ProtocolError("too_long", `${value.length} bytes do not fit a ${prefixBytes}-byte length`);
    }
    return this.uintNumber(value.length, prefixBytes).bytes(value);
  }

  private uintNumber(value: number, length: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
      throw new ProtocolError("out_of_range", `${value} does not fit in ${length} bytes`);
    }
    return this.uint(BigInt(value), length);
  }
}
