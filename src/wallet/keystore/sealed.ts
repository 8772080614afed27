/**
 * A byte payload sealed under a passphrase: the wallet file's format at rest.
 * Platform-neutral (no Node imports) so a browser wallet can read the same files.
 *
 * Layout (big-endian, 71-byte header, then the ciphertext):
 *
 *   offset  size  field
 *        0    10  magic "SEROWALLET"
 *       10     1  version = 1
 *       11     1  KDF id = 1 (scrypt, RFC 7914)
 *       12     1  log2 N
 *       13     1  r
 *       14     1  p
 *       15    32  salt
 *       47    24  nonce
 *       71     …  XChaCha20-Poly1305 ciphertext of the payload, 16-byte tag last
 *
 * The key is scrypt(NFKC(passphrase), salt) → 32 bytes. The whole header is
 * the AEAD's associated data, so changing the KDF params, salt or version is
 * detected like a change to the ciphertext. A failed tag cannot tell a wrong
 * passphrase from a damaged file, and the error says so.
 *
 * The key is derived once per unlock and kept (with its salt and params) as a
 * SealingKey: each save seals under it with a fresh random nonce, so a long
 * sync can save often without rerunning scrypt. 24-byte random nonces make
 * collisions negligible however many saves one key sees.
 */

import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { bytesEqual, utf8 } from "../../codec/bytes.ts";
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { ProtocolError } from "../../protocol/errors.ts";

const MAGIC = utf8("SEROWALLET");
const VERSION = 1;
const KDF_SCRYPT = 1;
const SALT_BYTES = 32;
const NONCE_BYTES = 24;
const KEY_BYTES = 32;

/** scrypt cost: N = 2^log2N. */
export type KdfParams = { readonly log2N: number; readonly r: number; readonly p: number };

/**
 * N = 2^17, r = 8, p = 1: 128 MiB and about half a second in JS, the
 * interactive-unlock cost OWASP recommends for scrypt; one run per unlock.
 */
export const DEFAULT_KDF_PARAMS: KdfParams = { log2N: 17, r: 8, p: 1 };

// Bounds on what a file may ask of us, so a hostile one cannot exhaust memory
// or CPU: memory 128·r·N ≤ 1 GiB, work N·r·p ≤ 2^25 (16× the default).
const MAX_LOG2N = 22;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 2 ** 30;
const MAX_WORK = 2 ** 25;

/** A derived key with the salt and params it came from. Memory only: never store it. */
export type SealingKey = { readonly params: KdfParams; readonly salt: Uint8Array; readonly key: Uint8Array };

export type Unlocked = { readonly payload: Uint8Array; readonly key: SealingKey };

/** Called with the KDF's completion fraction in 0..1 (a progress bar for the unlock). */
export type KdfProgress = (fraction: number) => void;

/** A new key under a fresh random salt, for a new wallet or a passphrase change. */
export async function createSealingKey(
  passphrase: string,
  params: KdfParams = DEFAULT_KDF_PARAMS,
  onProgress?: KdfProgress,
): Promise<SealingKey> {
  checkKdfParams(params);
  const salt = randomBytes(SALT_BYTES);
  return { params, salt, key: await deriveKey(passphrase, params, salt, onProgress) };
}

/** Seals under a fresh random nonce; cheap, so callers may save as often as they like. */
export function seal(key: SealingKey, payload: Uint8Array): Uint8Array {
  const header = encodeHeader(key.params, key.salt, randomBytes(NONCE_BYTES));
  const nonce = header.subarray(header.length - NONCE_BYTES);
  const ciphertext = xchacha20poly1305(key.key, nonce, header).encrypt(payload);
  return new ByteWriter().bytes(header).bytes(ciphertext).finish();
}

/** Checks the header, derives the key (the one slow step), and opens the payload. */
export async function unlock(sealed: Uint8Array, passphrase: string, onProgress?: KdfProgress): Promise<Unlocked> {
  const { params, salt, nonce, header, ciphertext } = decodeHeader(sealed);
  const key = await deriveKey(passphrase, params, salt, onProgress);
  let payload: Uint8Array;
  try {
    payload = xchacha20poly1305(key, nonce, header).decrypt(ciphertext);
  } catch {
    key.fill(0);
    throw new ProtocolError("wrong_passphrase", "wrong passphrase or damaged file");
  }
  return { payload, key: { params, salt, key } };
}

function encodeHeader(params: KdfParams, salt: Uint8Array, nonce: Uint8Array): Uint8Array {
  return new ByteWriter()
    .bytes(MAGIC)
    .u8(VERSION)
    .u8(KDF_SCRYPT)
    .u8(params.log2N)
    .u8(params.r)
    .u8(params.p)
    .bytes(salt)
    .bytes(nonce)
    .finish();
}

function decodeHeader(sealed: Uint8Array) {
  if (sealed.length < MAGIC.length || !bytesEqual(sealed.subarray(0, MAGIC.length), MAGIC)) {
    throw new ProtocolError("not_a_wallet", "not a SERO wallet file");
  }
  const reader = new ByteReader(sealed);
  reader.bytesFixed(MAGIC.length, "magic");
  const version = reader.u8("version");
  if (version !== VERSION) {
    throw new ProtocolError(
      "unsupported_version",
      `wallet file version ${version}; this wallet reads version ${VERSION}`,
    );
  }
  const kdf = reader.u8("kdf id");
  if (kdf !== KDF_SCRYPT) {
    throw new ProtocolError("bad_kdf_params", `unknown KDF id ${kdf}`);
  }
  const params: KdfParams = { log2N: reader.u8("log2 N"), r: reader.u8("r"), p: reader.u8("p") };
  checkKdfParams(params);
  const salt = reader.bytesFixed(SALT_BYTES, "salt");
  const nonce = reader.bytesFixed(NONCE_BYTES, "nonce");
  const header = sealed.subarray(0, sealed.length - reader.remaining);
  return { params, salt, nonce, header, ciphertext: reader.bytesFixed(reader.remaining, "ciphertext") };
}

function checkKdfParams({ log2N, r, p }: KdfParams): void {
  const inRange = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!inRange(log2N, MAX_LOG2N) || !inRange(r, MAX_R) || !inRange(p, MAX_P)) {
    throw new ProtocolError("bad_kdf_params", `scrypt params out of range: log2 N=${log2N}, r=${r}, p=${p}`);
  }
  const n = 2 ** log2N;
  if (128 * r * n > MAX_MEMORY || n * r * p > MAX_WORK) {
    throw new ProtocolError("bad_kdf_params", `scrypt params too costly: log2 N=${log2N}, r=${r}, p=${p}`);
  }
}

function deriveKey(
  passphrase: string,
  { log2N, r, p }: KdfParams,
  salt: Uint8Array,
  onProgress: KdfProgress | undefined,
): Promise<Uint8Array> {
  const N = 2 ** log2N;
  // NFKC so the same passphrase typed on different systems gives the same bytes.
  return scryptAsync(utf8(passphrase.normalize("NFKC")), salt, {
    N,
    r,
    p,
    dkLen: KEY_BYTES,
    // Our bound above is the real limit; this backstop leaves room for scrypt's few extra blocks.
    maxmem: 2 * MAX_MEMORY,
    ...(onProgress ? { onProgress } : {}),
  });
}
