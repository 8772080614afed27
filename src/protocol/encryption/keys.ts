/** Per-output symmetric keys of note encryption (PROTOCOL.md §5.2). */
import { blake2b } from "@noble/hashes/blake2.js";
import { concatBytes } from "../../codec/bytes.ts";
import { Blake2bPersonalization as P } from "../domains.ts";
import { type Fr, frToBytes } from "../field.ts";
import { blake } from "../hash.ts";

export const ZERO_NONCE = new Uint8Array(12);

/** `k_j || tag_j = Blake("SERO_NoteKDF____", shared_j || epk || u8(j), 33)`. */
export function noteKeyAndTag(
  shared: Uint8Array,
  epk: Uint8Array,
  index: number,
): { key: Uint8Array; viewTag: number } {
  return noteKeysOf(shared, epk)(index);
}

/**
 * `noteKeyAndTag` for every output of one transaction and one shared secret
 * (a receiver's): the KDF input is built once and only its last byte changes.
 */
export function noteKeysOf(
  shared: Uint8Array,
  epk: Uint8Array,
): (index: number) => { key: Uint8Array; viewTag: number } {
  const input = concatBytes(shared, epk, Uint8Array.of(0));
  return (index) => {
    input[input.length - 1] = index;
    // Cloning a keyed hasher skips re-parsing its parameters: this runs once per output scanned.
    const out = NOTE_KDF.clone().update(input).digest();
    return { key: out.subarray(0, 32), viewTag: out[32] as number };
  };
}

const NOTE_KDF = blake2b.create({ dkLen: 33, personalization: P.noteKdf });

/** `ock_j = Blake("SERO_OutCiphKey_", ovk || fe(cm_j) || epk || u8(j), 32)`. */
export function outgoingCipherKey(ovk: Uint8Array, cm: Fr, epk: Uint8Array, index: number): Uint8Array {
  return blake(P.outgoingCipherKey, concatBytes(ovk, frToBytes(cm), epk, Uint8Array.of(index)), 32);
}
