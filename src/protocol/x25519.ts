/**
 * X25519 (RFC 7748) for note encryption. `scalarMult` is synchronous (noble) for
 * senders and one-off checks; `KeyAgreement` uses the platform's native
 * WebCrypto X25519 where present (Workers, Node, current browsers), which is
 * 15-20x faster and is what a scanning wallet needs.
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { ProtocolError } from "./errors.ts";

export const X25519_BASE_U: Uint8Array = x25519.GuBytes;

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) {
    acc |= b;
  }
  return acc === 0;
}

/** clamp(k)·u. Refuses an all-zero result (u of low order), RFC 7748 §6.1. */
export function scalarMult(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  if (scalar.length !== 32 || u.length !== 32) {
    throw new ProtocolError("bad_length", "X25519 inputs are 32 bytes");
  }
  let out: Uint8Array;
  try {
    out = x25519.scalarMult(scalar, u);
  } catch {
    throw new ProtocolError("invalid_point", "X25519 key of low order");
  }
  if (isAllZero(out)) {
    throw new ProtocolError("invalid_point", "X25519 key of low order");
  }
  return out;
}

const P25519 = 2n ** 255n - 19n;
/**
 * The u-coordinates of points of order 1, 2, 4 and 8 on Curve25519 and its
 * twist, reduced mod p: exactly the inputs for which clamp(k)·u is 0 for
 * every k (clamping makes k a multiple of 8). The list libsodium checks.
 */
const LOW_ORDER_U = new Set([
  0n,
  1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
  P25519 - 1n,
]);

/**
 * Whether `u` is of low order, as `scalarMult` would find it (an all-zero
 * result) but without a scalar multiplication: RFC 7748 §5 ignores the top
 * bit and reads u mod p.
 */
export function isLowOrderX25519(u: Uint8Array): boolean {
  let value = 0n;
  for (let i = 31; i >= 0; i--) {
    value = (value << 8n) | BigInt(i === 31 ? (u[i] as number) & 0x7f : (u[i] as number));
  }
  return LOW_ORDER_U.has(value % P25519);
}

// PKCS#8 wrapping of a raw X25519 private key (RFC 8410 §7), the one format every WebCrypto accepts.
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** Repeated agreements with one fixed secret (a wallet's xsk) against many public keys. */
export interface KeyAgreement {
  /** Which implementation runs: the native one is what makes scanning fast. */
  readonly implementation: "webcrypto" | "noble" | "node";
  agree(publicU: Uint8Array): Promise<Uint8Array | undefined>;
}

class WebCryptoAgreement implements KeyAgreement {
  readonly implementation = "webcrypto";
  readonly #subtle: SubtleCrypto;
  readonly #key: CryptoKey;

  constructor(subtle: SubtleCrypto, key: CryptoKey) {
    this.#subtle = subtle;
    this.#key = key;
  }

  async agree(publicU: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      const pub = await this.#subtle.importKey(
        "raw",
        publicU as Uint8Array<ArrayBuffer>,
        { name: "X25519" },
        false,
        [],
      );
      // The public key goes under `public` (WebCrypto §X25519); some type sets spell the member differently.
      const algorithm = { name: "X25519", public: pub } as unknown as Parameters<SubtleCrypto["deriveBits"]>[0];
      const bits = await this.#subtle.deriveBits(algorithm, this.#key, 256);
      return new Uint8Array(bits);
    } catch {
      return undefined; // low-order or malformed key: no note can be for us
    }
  }
}

class NobleAgreement implements KeyAgreement {
  readonly implementation = "noble";
  readonly #secret: Uint8Array;
  constructor(secret: Uint8Array) {
    this.#secret = secret;
  }
  async agree(publicU: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return scalarMult(this.#secret, publicU);
    } catch {
      return undefined;
    }
  }
}

/** Native X25519 when the platform has it, noble otherwise; both give identical results. */
export async function createKeyAgreement(secret: Uint8Array, preferNative = true): Promise<KeyAgreement> {
  const subtle = typeof crypto === "undefined" ? undefined : crypto.subtle;
  if (preferNative && subtle) {
    try {
      const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
      pkcs8.set(PKCS8_PREFIX);
      pkcs8.set(secret, PKCS8_PREFIX.length);
      const key = await subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, false, ["deriveBits"]);
      return new WebCryptoAgreement(subtle, key);
    } catch {
      // platform without X25519 in WebCrypto
    }
  }
  return new NobleAgreement(secret);
}
