/** Signatures of registration and issuance (PROTOCOL.md §8.6) and of contract callers (§10.1): Ed25519, RFC 8032. */
import { ed25519 } from "@noble/curves/ed25519.js";
import { ProtocolError } from "../errors.ts";
import { signatureMessage } from "./hashes.ts";
import type { PayingTx, TransferTx } from "./types.ts";

type SignedTx = Exclude<PayingTx, TransferTx>;

/** Signs `tx` (its signature field is ignored) and returns it with the signature set. */
export function signTransaction<T extends SignedTx>(tx: T, chainId: string, secretKey: Uint8Array): T {
  return { ...tx, signature: ed25519.sign(signatureMessage(tx, chainId), secretKey) };
}

/** Throws `bad_signature` unless `signer` signed exactly this transaction for this chain. */
export function verifyTransactionSignature(tx: SignedTx, chainId: string, signer: Uint8Array): void {
  let valid = false;
  try {
    // zip215: false is RFC 8032's strict rule: one valid encoding per signature.
    valid = ed25519.verify(tx.signature, signatureMessage(tx, chainId), signer, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new ProtocolError("bad_signature", "the signature does not verify");
  }
}
