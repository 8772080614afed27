/**
 * Opening a peer link (docs/OPERATING.md, "Peer links"): a challenge, then a
 * signed answer. The connecting replica first asks the accepting one for a
 * fresh challenge (`GET …/peer/challenge`), then opens the WebSocket with
 * headers signing (genesis hash, from, to, challenge) with its validator key.
 * The accepting replica takes each challenge it issued at most once, and only
 * for `CHALLENGE_TTL_MS`, so a captured handshake can never be replayed.
 *
 * Challenges are stateless until redeemed: each carries its expiry and a MAC
 * under a key that lives only in this object's memory, so asking for
 * challenges costs the issuer nothing, and a restart voids every outstanding
 * one. Only redeemed challenges are remembered (until they expire), and a
 * redemption needs a validator's signature, so that set stays small.
 * Everything sent over a link is signed too (every consensus message is), so
 * a link only decides who may talk.
 */
import { blake2b } from "@noble/hashes/blake2.js";
import { bytesEqual, fromHex, toHex } from "../src/codec/bytes.ts";
import { ByteReader } from "../src/codec/reader.ts";
import { ByteWriter } from "../src/codec/writer.ts";
import { type Committee, hashTagged, type Signer, type Verifier } from "../src/consensus/index.ts";

/** Long enough for one round trip between continents, short enough to keep the redeemed set small. */
export const CHALLENGE_TTL_MS = 30_000;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
/** expiry (u64 ms) || nonce || MAC over both. */
export const CHALLENGE_BYTES = 8 + NONCE_BYTES + MAC_BYTES;

const HEADER_FROM = "X-Sero-Peer";
const HEADER_CHALLENGE = "X-Sero-Challenge";
const HEADER_SIGNATURE = "X-Sero-Signature";

export type HandshakeVerdict =
  | { readonly ok: true; readonly from: number }
  | { readonly ok: false; readonly reason: string };

/** The challenges one accepting replica issues and redeems. Time and randomness are inputs. */
export class PeerChallenges {
  readonly #key: Uint8Array;
  /** Redeemed challenges (hex) and when they expire. */
  readonly #redeemed = new Map<string, number>();

  /** `key`: 32 random bytes, drawn when the object starts and never stored. */
  constructor(key: Uint8Array) {
    this.#key = key;
  }

  /** A fresh challenge valid until `now + CHALLENGE_TTL_MS`; `nonce` is 16 random bytes. */
  issue(now: number, nonce: Uint8Array): Uint8Array {
    if (nonce.length !== NONCE_BYTES) {
      throw new RangeError(`a challenge nonce is ${NONCE_BYTES} bytes`);
    }
    const body = new ByteWriter()
      .uint(BigInt(now + CHALLENGE_TTL_MS), 8)
      .bytes(nonce)
      .finish();
    return new ByteWriter().bytes(body).bytes(this.#mac(body)).finish();
  }

  /** Whether `challenge` is one of ours, unexpired and not yet redeemed; `undefined` if so. Does not redeem. */
  problem(challenge: Uint8Array, now: number): string | undefined {
    if (challenge.length !== CHALLENGE_BYTES) {
      return "malformed challenge";
    }
    const body = challenge.subarray(0, 8 + NONCE_BYTES);
    if (!bytesEqual(this.#mac(body), challenge.subarray(8 + NONCE_BYTES))) {
      return "challenge not issued by this replica (or before its restart)";
    }
    if (now > Number(new ByteReader(body).uint(8, "expiry"))) {
      return "challenge expired";
    }
    if (this.#redeemed.has(toHex(challenge))) {
      return "challenge already used";
    }
    return undefined;
  }

  /** Marks a checked challenge used, forgetting the ones that expired meanwhile. */
  redeem(challenge: Uint8Array, now: number): void {
    for (const [key, expiry] of this.#redeemed) {
      if (expiry < now) {
        this.#redeemed.delete(key);
      }
    }
    this.#redeemed.set(toHex(challenge), Number(new ByteReader(challenge).uint(8, "expiry")));
  }

  #mac(body: Uint8Array): Uint8Array {
    return blake2b(body, { key: this.#key, dkLen: MAC_BYTES });
  }
}

function handshakeMessage(committee: Committee, from: number, to: number, challenge: Uint8Array): Uint8Array {
  const fields = new ByteWriter().u32(from).u32(to).bytes(challenge).finish();
  return hashTagged("peer-handshake/v2", committee.genesisHash, fields);
}

/** Headers the connecting replica sends with its WebSocket upgrade, answering `challenge`. */
export function handshakeHeaders(
  committee: Committee,
  signer: Signer,
  to: number,
  challenge: Uint8Array,
): Record<string, string> {
  return {
    Upgrade: "websocket",
    [HEADER_FROM]: String(signer.id),
    [HEADER_CHALLENGE]: toHex(challenge),
    [HEADER_SIGNATURE]: toHex(signer.sign(handshakeMessage(committee, signer.id, to, challenge))),
  };
}

/**
 * The validator index a handshake proves, or why it is refused. An accepted
 * handshake redeems its challenge, so the same headers never pass twice.
 */
export function acceptHandshake(
  headers: Headers,
  context: { committee: Committee; verifier: Verifier; self: number; challenges: PeerChallenges },
  now: number,
): HandshakeVerdict {
  const { committee, verifier, self, challenges } = context;
  const fromText = headers.get(HEADER_FROM) ?? "";
  const from = /^(0|[1-9][0-9]{0,9})$/.test(fromText) ? Number(fromText) : -1;
  if (from < 0 || from >= committee.n || from === self) {
    return { ok: false, reason: "not a peer validator" };
  }
  const challenge = fromHex(headers.get(HEADER_CHALLENGE) ?? "");
  if (!challenge) {
    return { ok: false, reason: "malformed challenge" };
  }
  const problem = challenges.problem(challenge, now);
  if (problem) {
    return { ok: false, reason: problem };
  }
  const signature = fromHex(headers.get(HEADER_SIGNATURE) ?? "");
  if (!signature || !verifier.verify(from, handshakeMessage(committee, from, self, challenge), signature)) {
    return { ok: false, reason: "handshake signature does not verify" };
  }
  challenges.redeem(challenge, now);
  return { ok: true, from };
}

/** The body of a challenge response, and reading it back on the connecting side. */
export function challengeBody(challenge: Uint8Array): { challenge: string } {
  return { challenge: toHex(challenge) };
}

export function challengeFromBody(body: unknown): Uint8Array | undefined {
  const hex = typeof body === "object" && body !== null ? (body as { challenge?: unknown }).challenge : undefined;
  const challenge = typeof hex === "string" ? fromHex(hex) : undefined;
  return challenge?.length === CHALLENGE_BYTES ? challenge : undefined;
}
