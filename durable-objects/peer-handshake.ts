/**
 * Opening a peer link: the connecting replica proves it holds the key of a
 * genesis validator by signing (chain, from, to, time). The accepting replica
 * checks the signature and that the time is within a minute of its own clock,
 * which bounds replays of a captured handshake. Everything sent afterwards is
 * signed too (every consensus message is), so a link only decides who may talk.
 */
import { fromHex, toHex } from "../src/codec/bytes.ts";
import { ByteWriter } from "../src/codec/writer.ts";
import { type Committee, hashTagged, type Signer, type Verifier } from "../src/consensus/index.ts";

export const HANDSHAKE_SKEW_MS = 60_000;

const HEADER_FROM = "X-Sero-Peer";
const HEADER_TIME = "X-Sero-Time";
const HEADER_SIGNATURE = "X-Sero-Signature";

function handshakeMessage(committee: Committee, from: number, to: number, time: number): Uint8Array {
  const fields = new ByteWriter().u32(from).u32(to).uint(BigInt(time), 8).finish();
  return hashTagged("peer-handshake", committee.genesisHash, fields);
}

/** Headers the connecting replica sends with its WebSocket upgrade. */
export function handshakeHeaders(
  committee: Committee,
  signer: Signer,
  to: number,
  now: number,
): Record<string, string> {
  const signature = signer.sign(handshakeMessage(committee, signer.id, to, now));
  return {
    Upgrade: "websocket",
    [HEADER_FROM]: String(signer.id),
    [HEADER_TIME]: String(now),
    [HEADER_SIGNATURE]: toHex(signature),
  };
}

/** The validator index a handshake proves, or the reason it is refused. */
export function checkHandshake(
  headers: Headers,
  committee: Committee,
  verifier: Verifier,
  self: number,
  now: number,
): { ok: true; from: number } | { ok: false; reason: string } {
  const from = Number(headers.get(HEADER_FROM));
  const time = Number(headers.get(HEADER_TIME));
  const signature = fromHex(headers.get(HEADER_SIGNATURE) ?? "");
  if (!Number.isInteger(from) || from < 0 || from >= committee.n || from === self) {
    return { ok: false, reason: "not a peer validator" };
  }
  if (!Number.isSafeInteger(time) || Math.abs(now - time) > HANDSHAKE_SKEW_MS) {
    return { ok: false, reason: "handshake time too far from ours" };
  }
  if (!signature || !verifier.verify(from, handshakeMessage(committee, from, self, time), signature)) {
    return { ok: false, reason: "handshake signature does not verify" };
  }
  return { ok: true, from };
}
