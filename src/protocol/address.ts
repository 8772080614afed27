/**
 * Addresses (PROTOCOL.md §3): the public address PK, one-time addresses PKr
 * (re-randomizable by anyone, derivable by the owner by index, unlinkable under
 * DDH), and contract addresses in a domain disjoint from PK by construction.
 */
import { bytesEqual, concatBytes } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import { type BabyjubPoint, decodePoint, encodePoint, GENERATOR, multiply, SUBGROUP_ORDER } from "./babyjub.ts";
import { Blake2bPersonalization as P } from "./domains.ts";
import { ProtocolError } from "./errors.ts";
import { blake, blakeToFr } from "./hash.ts";
import type { ViewingKeys } from "./keys.ts";
import { isLowOrderX25519, scalarMult, X25519_BASE_U } from "./x25519.ts";

export const PUBLIC_ADDRESS_BYTES = 64;
export const ONE_TIME_ADDRESS_BYTES = 128;
export const CONTRACT_ADDRESS_BYTES = 64;

/** PK = pt(pk0) || X0. */
export type PublicAddress = {
  readonly pk0: BabyjubPoint;
  readonly x0: Uint8Array;
};

/** PKr = pt(g') || pt(pk') || B' || X'. (g', pk') owns notes; (B', X') receives their encryption. */
export type OneTimeAddress = {
  readonly g: BabyjubPoint;
  readonly pk: BabyjubPoint;
  readonly base: Uint8Array;
  readonly x: Uint8Array;
};

export type ContractAddress = { readonly bytes: Uint8Array };

export function publicAddressOf(keys: ViewingKeys): PublicAddress {
  return { pk0: multiply(GENERATOR, keys.ivk), x0: scalarMult(keys.xsk, X25519_BASE_U) };
}

/** Re-randomizes PK with 32 bytes of randomness `rnd` (§3.2). */
export function deriveOneTimeAddress(pk: PublicAddress, rnd: Uint8Array): OneTimeAddress {
  if (rnd.length !== 32) {
    throw new ProtocolError("bad_length", "one-time address randomness is 32 bytes");
  }
  const rho = blakeToFr(P.oneTimeBabyjub, rnd) % SUBGROUP_ORDER;
  const sigma = blake(P.oneTimeX25519, rnd, 32);
  return {
    g: multiply(GENERATOR, rho),
    pk: multiply(pk.pk0, rho),
    base: scalarMult(sigma, X25519_BASE_U),
    x: scalarMult(sigma, pk.x0),
  };
}

/** The owner's `index`-th one-time address, reproducible from the viewing key alone. */
export function oneTimeAddressAt(keys: ViewingKeys, index: number): OneTimeAddress {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
    throw new ProtocolError("bad_index", "an address index is a 32-bit unsigned integer");
  }
  const rnd = blake(P.oneTimeIndex, concatBytes(keys.dk, new ByteWriter().u32(index).finish()), 32);
  return deriveOneTimeAddress(publicAddressOf(keys), rnd);
}

/** Whether `owner` (g', pk') is spendable by these keys: ivk·g' = pk'. */
export function ownsNoteKey(keys: ViewingKeys, g: BabyjubPoint, pk: BabyjubPoint): boolean {
  return multiply(g, keys.ivk).equals(pk);
}

/** The viewing key's test for "this PKr is mine" (§3.2). */
export function recognizesOneTimeAddress(keys: ViewingKeys, address: OneTimeAddress): boolean {
  if (!ownsNoteKey(keys, address.g, address.pk)) {
    return false;
  }
  try {
    return bytesEqual(scalarMult(keys.xsk, address.base), address.x);
  } catch {
    return false;
  }
}

export function encodePublicAddress(a: PublicAddress): Uint8Array {
  return concatBytes(encodePoint(a.pk0), a.x0);
}

export function decodePublicAddress(bytes: Uint8Array): PublicAddress {
  if (bytes.length !== PUBLIC_ADDRESS_BYTES) {
    throw new ProtocolError("bad_length", "a public address is 64 bytes");
  }
  const x0 = bytes.slice(32);
  checkX25519Key(x0, "address X25519 key");
  return { pk0: decodePoint(bytes.subarray(0, 32), "address key"), x0 };
}

export function encodeOneTimeAddress(a: OneTimeAddress): Uint8Array {
  return concatBytes(encodePoint(a.g), encodePoint(a.pk), a.base, a.x);
}

export function decodeOneTimeAddress(bytes: Uint8Array): OneTimeAddress {
  if (bytes.length !== ONE_TIME_ADDRESS_BYTES) {
    throw new ProtocolError("bad_length", "a one-time address is 128 bytes");
  }
  const base = bytes.slice(64, 96);
  const x = bytes.slice(96, 128);
  checkX25519Key(base, "one-time X25519 base");
  checkX25519Key(x, "one-time X25519 key");
  return {
    g: decodePoint(bytes.subarray(0, 32), "one-time base"),
    pk: decodePoint(bytes.subarray(32, 64), "one-time key"),
    base,
    x,
  };
}

/** Refuses low-order X25519 u-coordinates: a sender could not encrypt to them. */
function checkX25519Key(u: Uint8Array, what: string): void {
  if (u.length !== 32 || isLowOrderX25519(u)) {
    throw new ProtocolError("invalid_point", `${what} is of low order`);
  }
}

/** §3.4: bit 6 of byte 31 set, so the first half is never a valid point and never a PK. */
export function deriveContractAddress(creator: Uint8Array, nonce: bigint): ContractAddress {
  if (creator.length !== 64) {
    throw new ProtocolError("bad_length", "a creator address is 64 bytes");
  }
  const bytes = blake(P.contractAddress, concatBytes(creator, new ByteWriter().uint(nonce, 8).finish()), 64);
  bytes[31] = (bytes[31] as number) | 0x40;
  return { bytes };
}

export function decodeContractAddress(bytes: Uint8Array): ContractAddress {
  if (bytes.length !== CONTRACT_ADDRESS_BYTES) {
    throw new ProtocolError("bad_length", "a contract address is 64 bytes");
  }
  if (((bytes[31] as number) & 0x40) === 0) {
    throw new ProtocolError("wrong_kind", "not a contract address");
  }
  return { bytes: Uint8Array.from(bytes) };
}
