/**
 * The boundary between bytes and domain types (ARCHITECTURE.md §2.4).
 * `openEnvelope` is the only way to obtain a `Verified` envelope: it decodes
 * strictly, applies validateBasic and the attachment rule, checks that every
 * sender is a genesis validator, and verifies the envelope's signature and
 * every embedded signature (certificates inside VIEW-CHANGE, NEW-VIEW and
 * state-transfer replies). The core only ever sees verified envelopes, but
 * still checks the quorum rules, which need replica state.
 */

import { ByteWriter } from "../codec/writer.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Batch, writeBatch } from "./batch.ts";
import type { Committee } from "./committee.ts";
import { decodeEnvelope, encodeSignedPart, signingPayload } from "./encoding.ts";
import { type Envelope, type Message, type Signed, validateAttachments, validateBasic } from "./messages.ts";
import type { Signer, Verifier } from "./signing.ts";

declare const verifiedBrand: unique symbol;

/** An envelope whose encoding, shape and every signature have been checked. */
export type Verified<M extends Message = Message> = Envelope<M> & { readonly [verifiedBrand]: true };

export type OpenResult =
  | { readonly ok: true; readonly envelope: Verified }
  | { readonly ok: false; readonly code: RejectCode; readonly reason: string };

export type RejectCode = "malformed" | "invalid" | "bad_attachment" | "unknown_sender" | "bad_signature";

export interface BoundaryContext {
  readonly committee: Committee;
  readonly verifier: Verifier;
}

export function openEnvelope(bytes: Uint8Array, ctx: BoundaryContext): OpenResult {
  let decoded: ReturnType<typeof decodeEnvelope>;
  try {
    decoded = decodeEnvelope(bytes);
  } catch (e) {
    if (e instanceof ProtocolError) {
      return { ok: false, code: "malformed", reason: `${e.code}: ${e.message}` };
    }
    throw e;
  }
  const { envelope, checks } = decoded;
  const why = validateBasic(envelope.message);
  if (why !== undefined) {
    return { ok: false, code: "invalid", reason: why };
  }
  const attach = validateAttachments(envelope);
  if (attach !== undefined) {
    return { ok: false, code: "bad_attachment", reason: attach };
  }
  for (const c of checks) {
    if (c.from >= ctx.committee.n) {
      return { ok: false, code: "unknown_sender", reason: `sender ${c.from} is not a validator` };
    }
  }
  for (const c of checks) {
    if (!ctx.verifier.verify(c.from, signingPayload(ctx.committee.genesisHash, c.signedPart), c.signature)) {
      return { ok: false, code: "bad_signature", reason: `bad signature by ${c.from}` };
    }
  }
  return { ok: true, envelope: envelope as Verified };
}

/** Signs a message as `signer` (for embedding in a certificate or sending). */
export function signMessage<M extends Message>(message: M, signer: Signer, committee: Committee): Signed<M> {
  const signedPart = encodeSignedPart(signer.id, message);
  return { from: signer.id, message, signature: signer.sign(signingPayload(committee.genesisHash, signedPart)) };
}

export interface Sealed<M extends Message = Message> {
  readonly envelope: Verified<M>;
  readonly bytes: Uint8Array;
}

/** Signs and encodes an outgoing message; what we produce ourselves counts as verified. */
export function seal<M extends Message>(
  message: M,
  batches: readonly Batch[],
  signer: Signer,
  committee: Committee,
): Sealed<M> {
  const signedPart = encodeSignedPart(signer.id, message);
  const signature = signer.sign(signingPayload(committee.genesisHash, signedPart));
  const w = new ByteWriter().bytes(signedPart).bytes(signature).u16(batches.length);
  for (const b of batches) {
    writeBatch(w, b);
  }
  const envelope = { from: signer.id, message, signature, batches } as unknown as Verified<M>;
  return { envelope, bytes: w.finish() };
}
