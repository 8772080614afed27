/**
 * X25519 key agreement through Node's own OpenSSL binding, called
 * synchronously: for a scanning wallet (one agreement per transaction) it
 * is about 30% faster than WebCrypto on Node, whose per-call promise and
 * argument checks cost more than the curve arithmetic. Node only; other
 * platforms use the WebCrypto agreement of src/protocol/x25519.ts.
 */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";
import type { KeyAgreement } from "../protocol/x25519.ts";

// DER prefixes of raw X25519 keys (RFC 8410 §7 and §4).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

export function nodeKeyAgreement(secret: Uint8Array): KeyAgreement {
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, secret]),
    format: "der",
    type: "pkcs8",
  });
  // One DER buffer per agreement object, refilled per call: createPublicKey copies it synchronously.
  const spki = Buffer.alloc(SPKI_PREFIX.length + 32);
  SPKI_PREFIX.copy(spki);
  return {
    implementation: "node",
    async agree(publicU: Uint8Array): Promise<Uint8Array | undefined> {
      if (publicU.length !== 32) {
        return undefined;
      }
      try {
        spki.set(publicU, SPKI_PREFIX.length);
        const publicKey = createPublicKey({ key: spki, format: "der", type: "spki" });
        const shared = diffieHellman({ privateKey, publicKey });
        // RFC 7748 §6.1: an all-zero result means a low-order key; no note can be for us.
        let any = 0;
        for (const b of shared) {
          any |= b;
        }
        return any === 0 ? undefined : new Uint8Array(shared.buffer, shared.byteOffset, shared.length);
      } catch {
        return undefined;
      }
    },
  };
}
