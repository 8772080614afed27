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
  const out = noteKdf(concatBytes(shared, epk, Uint8Array.of(0)), index);
  return { key: out.slice(0, 32), viewTag: out[32] as number };
}

/** The note KDF of one shared secret (a receiver's), output by output. */
export type NoteKeys = {
  /** `tag_j`: computed without allocating, since a scan asks it of every output. */
  viewTag(index: number): number;
  /** `k_j` (a fresh copy): asked only where the view tag matched. */
  key(index: number): Uint8Array;
};

const NOTE_KDF = blake2b.create({ dkLen: 33, personalization: P.noteKdf });
/**
 * Scratch hasher: the keyed initial state is copied into it per output
 * (parsing the parameters once) and digested into `kdfOut`. Each use runs
 * start to finish synchronously, so one of each serves every caller.
 */
const scratch = NOTE_KDF.clone();
const kdfOut = new Uint8Array(36);

/** The 33 output bytes for `input` = shared || epk || u8(j) with its last byte set to `index`, valid until the next call. */
function noteKdf(input: Uint8Array, index: number): Uint8Array {
  input[input.length - 1] = index;
  NOTE_KDF._cloneInto(scratch).update(input).digestInto(kdfOut);
  return kdfOut;
}

/** The KDF input is built once per transaction; only its last byte, j, changes. */
export function noteKeysOf(shared: Uint8Array, epk: Uint8Array): NoteKeys {
  const input = new Uint8Array(shared.length + epk.length + 1);
  input.set(shared);
  input.set(epk, shared.length);
  return {
    viewTag: (index) => noteKdf(input, index)[32] as number,
    key: (index) => noteKdf(input, index).slice(0, 32),
  };
}

/** `ock_j = Blake("SERO_OutCiphKey_", ovk || fe(cm_j) || epk || u8(j), 32)`. */
export function outgoingCipherKey(ovk: Uint8Array, cm: Fr, epk: Uint8Array, index: number): Uint8Array {
  return blake(P.outgoingCipherKey, concatBytes(ovk, frToBytes(cm), epk, Uint8Array.of(index)), 32);
}
