/**
 * Signatures an isolate already knows to be valid. Checking an ed25519
 * signature is a pure function of the validator key, the message and the
 * signature, so remembering the positive answers changes no answer; it only
 * spares repeating them. The replicas of one deployment run in one isolate
 * and share one memo per committee: each message one of them signs enters it
 * as it is made, so its peers in the isolate never verify it, and a message
 * checked once (a certificate forwarded inside a VIEW-CHANGE, a relay from
 * another deployment) is not checked again. A replica alone in its isolate
 * (the validator topology) still verifies every peer's message itself.
 * Refusals are never remembered; the memo is bounded, and a forgotten
 * signature is simply verified again.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { ed25519Signer, ed25519Verifier, type Signer, type Verifier } from "./signing.ts";

/** About a minute of a busy chain's messages at n = 4. */
const CAPACITY = 16_384;

export class SignatureMemo {
  readonly #capacity: number;
  /** Insertion-ordered: the first entry is the oldest. */
  readonly #valid = new Set<string>();

  constructor(capacity = CAPACITY) {
    this.#capacity = capacity;
  }

  has(from: ReplicaId, message: Uint8Array, signature: Uint8Array): boolean {
    return this.#valid.has(memoKey(from, message, signature));
  }

  remember(from: ReplicaId, message: Uint8Array, signature: Uint8Array): void {
    this.#valid.add(memoKey(from, message, signature));
    if (this.#valid.size > this.#capacity) {
      this.#valid.delete(this.#valid.values().next().value as string);
    }
  }
}

/** The signer, then the signature and message, length-prefixed, so no two triples share a key; never throws. */
function memoKey(from: ReplicaId, message: Uint8Array, signature: Uint8Array): string {
  const w = new ByteWriter()
    .uint(BigInt(signature.length), 4)
    .bytes(signature)
    .uint(BigInt(message.length), 4)
    .bytes(message);
  return `${from}/${toHex(sha256(w.finish()))}`;
}

/** Answers from the memo when it can; otherwise verifies, and remembers a valid signature. */
export function rememberingVerifier(inner: Verifier, memo: SignatureMemo): Verifier {
  return {
    verify(from, message, signature) {
      if (memo.has(from, message, signature)) {
        return true;
      }
      const valid = inner.verify(from, message, signature);
      if (valid) {
        memo.remember(from, message, signature);
      }
      return valid;
    },
  };
}

/**
 * An ed25519 signer whose signatures enter the memo as made. Only when its key is validator `id`'s
 * genesis key: a signature by any other key would not verify as `id`'s, so it must not be remembered.
 */
export function rememberingSigner(
  committee: Committee,
  id: ReplicaId,
  secret: Uint8Array,
  memo: SignatureMemo,
): Signer {
  const inner = ed25519Signer(id, secret);
  const genesisKey = committee.validators[id];
  if (genesisKey === undefined || toHex(ed25519.getPublicKey(secret)) !== toHex(genesisKey)) {
    return inner;
  }
  return {
    id,
    sign(message) {
      const signature = inner.sign(message);
      memo.remember(id, message, signature);
      return signature;
    },
  };
}

const memos = new Map<string, SignatureMemo>();

/** The memo of this isolate for `committee`: one per genesis, so two chains never share an entry. */
export function isolateSignatureMemo(committee: Committee): SignatureMemo {
  const id = toHex(committee.genesisHash);
  let memo = memos.get(id);
  if (memo === undefined) {
    memo = new SignatureMemo();
    memos.set(id, memo);
  }
  return memo;
}

/** `ed25519Verifier` for the committee, answering from the isolate's memo. */
export function isolateVerifier(committee: Committee): Verifier {
  return rememberingVerifier(ed25519Verifier(committee.validators), isolateSignatureMemo(committee));
}
