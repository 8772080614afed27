/** Byte helpers shared by every layer: hex, concatenation, constant-shape comparison. */

const HEX_DIGITS = new TextEncoder().encode("0123456789abcdef");
const ASCII = new TextDecoder();
/** Nibble value of each lowercase hex digit by char code; -1 for every other code below 128. */
const NIBBLE = (() => {
  const table = new Int8Array(128).fill(-1);
  HEX_DIGITS.forEach((code, value) => {
    table[code] = value;
  });
  return table;
})();

/**
 * Lowercase hex. Written into bytes and decoded once: appending to a string
 * would build a rope of one node per byte (slow, and ~20x the memory).
 */
export function toHex(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    out[2 * i] = HEX_DIGITS[b >> 4] as number;
    out[2 * i + 1] = HEX_DIGITS[b & 15] as number;
  }
  return ASCII.decode(out);
}

/** Lowercase hex only, even length, no prefix: one spelling per byte string (canonical). */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) {
    return undefined;
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[hex.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) {
      return undefined;
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) {
    length += p.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Compares in time independent of where the first difference is (secrets, tags). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= (a[i] as number) ^ (b[i] as number);
  }
  return diff === 0;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function bigintToBytesBE(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >> BigInt(8 * length) !== 0n) {
    throw new RangeError(`value does not fit in ${length} bytes`);
  }
  const out = new Uint8Array(length);
  let v = value;
  let i = length;
  // 32-bit words first, as in bytesToBigintBE (a wallet's save writes every kept leaf).
  for (; i >= 4; i -= 4) {
    const word = Number(v & 0xffffffffn);
    out[i - 1] = word & 0xff;
    out[i - 2] = (word >>> 8) & 0xff;
    out[i - 3] = (word >>> 16) & 0xff;
    out[i - 4] = word >>> 24;
    v >>= 32n;
  }
  for (; i > 0; i--) {
    out[i - 1] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function bytesToBigintBE(bytes: Uint8Array): bigint {
  // 32-bit words first: a quarter of the bigint operations (sync decodes a field element per nullifier).
  let v = 0n;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    const word =
      ((bytes[i] as number) << 24) |
      ((bytes[i + 1] as number) << 16) |
      ((bytes[i + 2] as number) << 8) |
      (bytes[i + 3] as number);
    v = (v << 32n) | BigInt(word >>> 0);
  }
  for (; i < bytes.length; i++) {
    v = (v << 8n) | BigInt(bytes[i] as number);
  }
  return v;
}
