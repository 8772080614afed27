/**
 * Sender side of note encryption (PROTOCOL.md §5.2): one ephemeral key for the
 * whole transaction, every output keyed relative to the same X25519 base.
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { concatBytes } from "../../codec/bytes.ts";
import { encodePoint } from "../babyjub.ts";
import { ProtocolError } from "../errors.ts";
import { type Commitment, type Note, noteCommitment } from "../note.ts";
import { scalarMult } from "../x25519.ts";
import { noteKeyAndTag, outgoingCipherKey, ZERO_NONCE } from "./keys.ts";
import { encodePlaintext, PLAINTEXT_BYTES } from "./plaintext.ts";

const TAG_BYTES = 16;
export const ENC_CIPHERTEXT_BYTES = PLAINTEXT_BYTES + TAG_BYTES;
/** X_j || e || pt(pk'_j). */
export const OUT_CIPHERTEXT_BYTES = 3 * 32 + TAG_BYTES;
export const MAX_OUTPUTS_PER_TX = 255;

export type OutputToEncrypt = {
  readonly note: Note;
  readonly memo: Uint8Array;
  /** The recipient's X25519 key relative to the transaction's base. */
  readonly recipientKey: Uint8Array;
  /** This output's outgoing key instead of the transaction's: random bytes keep it out of the sender's sent notes. */
  readonly ovk?: Uint8Array;
};

export type EncryptedOutput = {
  readonly commitment: Commitment;
  readonly viewTag: number;
  readonly encCiphertext: Uint8Array;
  readonly outCiphertext: Uint8Array;
};

export type EncryptedOutputs = { readonly epk: Uint8Array; readonly outputs: EncryptedOutput[] };

export function encryptOutputs(params: {
  /** X25519 base B* all recipient keys are relative to. */
  base: Uint8Array;
  /** The transaction's ephemeral secret e (32 fresh random bytes). */
  esk: Uint8Array;
  /** The sender's outgoing viewing key; random bytes to make outputs unrecoverable by the sender. */
  ovk: Uint8Array;
  outputs: readonly OutputToEncrypt[];
}): EncryptedOutputs {
  if (params.outputs.length > MAX_OUTPUTS_PER_TX) {
    throw new ProtocolError("too_many_outputs", "too many outputs");
  }
  const epk = scalarMult(params.esk, params.base);
  const outputs = params.outputs.map((output, index) => {
    const commitment = noteCommitment(output.note);
    const shared = scalarMult(params.esk, output.recipientKey);
    const { key, viewTag } = noteKeyAndTag(shared, epk, index);
    const plaintext = encodePlaintext({
      value: output.note.value,
      g: output.note.g,
      rcm: output.note.rcm,
      memo: output.memo,
    });
    const encCiphertext = chacha20poly1305(key, ZERO_NONCE).encrypt(plaintext);
    const ock = outgoingCipherKey(output.ovk ?? params.ovk, commitment, epk, index);
    const outCiphertext = chacha20poly1305(ock, ZERO_NONCE).encrypt(
      concatBytes(output.recipientKey, params.esk, encodePoint(output.note.pk)),
    );
    return { commitment, viewTag, encCiphertext, outCiphertext };
  });
  return { epk, outputs };
}
