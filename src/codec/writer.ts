import { bigintToBytesBE } from "./bytes.ts";

/** Append-only builder for canonical encodings: fixed widths, big-endian, u16 length prefixes. */
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
    return this.bytes(bigintToBytesBE(value, length));
  }

  varBytes(value: Uint8Array): this {
    return this.u16(value.length).bytes(value);
  }

  /** With a u32 length prefix, for values that may exceed 64 KiB. */
  longVarBytes(value: Uint8Array): this {
    return this.u32(value.length).bytes(value);
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

  private uintNumber(value: number, length: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
      throw new RangeError(`${value} does not fit in ${length} bytes`);
    }
    return this.uint(BigInt(value), length);
  }
}
