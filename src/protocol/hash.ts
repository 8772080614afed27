/** BLAKE2b (RFC 7693) with a personalization, and its reduction into Fr (PROTOCOL.md §0). */
import { blake2b } from "@noble/hashes/blake2.js";
import { bytesToBigintBE } from "../codec/bytes.ts";
import { type Fr, reduceToFr } from "./field.ts";

export function blake(personalization: Uint8Array, data: Uint8Array, length: number): Uint8Array {
  return blake2b(data, { dkLen: length, personalization });
}

/** 512 uniform bits reduced mod r: statistically uniform in Fr (bias < 2^-250). */
export function blakeToFr(personalization: Uint8Array, data: Uint8Array): Fr {
  return reduceToFr(bytesToBigintBE(blake(personalization, data, 64)));
}
