/**
 * Signatures on consensus messages. PBFT §4 in its signature variant (OSDI'99):
 * every message is signed by its sender and checked before use, which is what
 * lets certificates (prepared, commit, checkpoint, view-change) be forwarded
 * and checked by third parties.
 *
 * Replicas sign with ed25519 validator keys. The interfaces let a test swap in
 * a faster scheme with the same unforgeability assumption (keyed MACs whose
 * keys Byzantine replicas do not hold); production uses ed25519 only.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concatBytes } from "../codec/bytes.ts";
import type { ReplicaId } from "./committee.ts";

export const SIGNATURE_BYTES = 64;

export interface Signer {
  readonly id: ReplicaId;
  /** Deterministic: the same message always gives the same signature (ed25519, RFC 8032). */
  sign(message: Uint8Array): Uint8Array;
}

export interface Verifier {
  verify(from: ReplicaId, message: Uint8Array, signature: Uint8Array): boolean;
}

export function ed25519Signer(id: ReplicaId, secretKey: Uint8Array): Signer {
  if (secretKey.length !== 32) {
    throw new RangeError("ed25519 secret key must be 32 bytes");
  }
  // Expanded once: `ed25519.sign` re-derives the scalar and public key (a base-point multiplication) per call.
  const { prefix, scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey.slice());
  return { id, sign: (message) => signExpanded(prefix, scalar, pointBytes, message) };
}

const Fn = ed25519.Point.Fn;
const hashToScalar = (...parts: Uint8Array[]) => Fn.create(bytesToNumberLE(sha512(concatBytes(...parts))));

/** RFC 8032 §5.1.6 with the expanded key: the same bytes as `ed25519.sign` (test/consensus/signing.test.ts). */
function signExpanded(prefix: Uint8Array, scalar: bigint, publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const r = hashToScalar(prefix, message);
  const R = ed25519.Point.BASE.multiply(r).toBytes();
  const k = hashToScalar(R, publicKey, message);
  return concatBytes(R, numberToBytesLE(Fn.create(r + k * scalar), 32));
}

/** Checks against the genesis validator keys; replica i must have signed with validators[i]. */
export function ed25519Verifier(validators: readonly Uint8Array[]): Verifier {
  return {
    verify(from, message, signature) {
      const key = validators[from];
      if (key === undefined || signature.length !== SIGNATURE_BYTES) {
        return false;
      }
      try {
        // zip215: false = strict RFC 8032 verification (no malleable encodings).
        return ed25519.verify(signature, message, key, { zip215: false });
      } catch {
        return false;
      }
    },
  };
}

export function ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}
