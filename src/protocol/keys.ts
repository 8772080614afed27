/**
 * The account system's key tree (PROTOCOL.md §2):
 *
 *   seed ─┬─ ask ── ak ─┐
 *         ├─ nk ────────┴─ ivk ─┬─ xsk (X25519)
 *         └─ ovk                └─ pk0 = ivk·G
 *   viewing key = (ak, nk, ovk) ─ dk (diversifier key, for indexed one-time addresses)
 *
 * The seed (through ask) is the only spending secret; the viewing key finds
 * incoming notes, detects their spends and decrypts outgoing notes.
 */
import { concatBytes } from "../codec/bytes.ts";
import { ByteReader } from "../codec/reader.ts";
import { SUBGROUP_ORDER } from "./babyjub.ts";
import { Blake2bPersonalization as P, PoseidonTag } from "./domains.ts";
import { ProtocolError } from "./errors.ts";
import { type Fr, frFromBytes, frToBytes } from "./field.ts";
import { blake, blakeToFr } from "./hash.ts";
import { hashTagged } from "./poseidon.ts";

export const SEED_BYTES = 32;
export const VIEWING_KEY_BYTES = 96;

/** What the viewing key (SERO's trace key) holds; everything else is derived. */
export type ViewingKey = {
  readonly ak: Fr;
  readonly nk: Fr;
  readonly ovk: Uint8Array;
};

/** Keys derived from a viewing key: enough to find, recognize and trace, never to spend. */
export type ViewingKeys = ViewingKey & {
  readonly ivk: Fr;
  readonly xsk: Uint8Array;
  readonly dk: Uint8Array;
};

export type SpendingKeys = ViewingKeys & {
  readonly seed: Uint8Array;
  readonly ask: Fr;
};

function expand(seed: Uint8Array, index: number, length: number): Uint8Array {
  return blake(P.expandSeed, concatBytes(seed, Uint8Array.of(index)), length);
}

export function deriveSpendingKeys(seed: Uint8Array): SpendingKeys {
  if (seed.length !== SEED_BYTES) {
    throw new ProtocolError("bad_length", `a seed is ${SEED_BYTES} bytes`);
  }
  const ask = blakeToFr(P.expandSeed, concatBytes(seed, Uint8Array.of(0)));
  const nk = blakeToFr(P.expandSeed, concatBytes(seed, Uint8Array.of(1)));
  const ovk = expand(seed, 2, 32);
  const viewing = deriveViewingKeys({ ak: hashTagged(PoseidonTag.ak, ask), nk, ovk });
  return { ...viewing, seed: Uint8Array.from(seed), ask };
}

export function deriveViewingKeys(vk: ViewingKey): ViewingKeys {
  const ivk = hashTagged(PoseidonTag.ivk, vk.ak, vk.nk);
  // ivk is used as a BabyJubjub scalar; 0 mod l would make every address the identity.
  if (ivk % SUBGROUP_ORDER === 0n) {
    throw new ProtocolError("degenerate_key", "this key yields a zero ivk");
  }
  const xsk = blake(P.x25519Secret, frToBytes(ivk), 32);
  const dk = blake(P.diversifier, encodeViewingKey(vk), 32);
  return { ak: vk.ak, nk: vk.nk, ovk: vk.ovk, ivk, xsk, dk };
}

export function viewingKeyOf(keys: ViewingKey): ViewingKey {
  return { ak: keys.ak, nk: keys.nk, ovk: keys.ovk };
}

/** `fe(ak) || fe(nk) || ovk`, 96 bytes. */
export function encodeViewingKey(vk: ViewingKey): Uint8Array {
  return concatBytes(frToBytes(vk.ak), frToBytes(vk.nk), vk.ovk);
}

export function decodeViewingKey(bytes: Uint8Array): ViewingKey {
  if (bytes.length !== VIEWING_KEY_BYTES) {
    throw new ProtocolError("bad_length", `a viewing key is ${VIEWING_KEY_BYTES} bytes`);
  }
  const r = new ByteReader(bytes);
  const ak = frFromBytes(r.bytesFixed(32, "ak"), "ak");
  const nk = frFromBytes(r.bytesFixed(32, "nk"), "nk");
  const ovk = r.bytesFixed(32, "ovk");
  r.finish("viewing key");
  return { ak, nk, ovk };
}
