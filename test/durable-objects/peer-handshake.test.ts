import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  acceptHandshake,
  CHALLENGE_BYTES,
  CHALLENGE_TTL_MS,
  challengeBody,
  challengeFromBody,
  handshakeHeaders,
  PeerChallenges,
} from "../../durable-objects/peer-handshake.ts";
import { devValidatorPublicKey, devValidatorSecret } from "../../src/chain/dev-keys.ts";
import { committeeFromGenesis, DEFAULT_PARAMS, ed25519Signer, ed25519Verifier } from "../../src/consensus/index.ts";
import { bytes32 } from "../protocol/fixtures.ts";

const validators = [0, 1, 2, 3].map(devValidatorPublicKey);
const committee = committeeFromGenesis({ chainId: "sero-local-1", validators, params: DEFAULT_PARAMS });
const otherChain = committeeFromGenesis({ chainId: "sero-local-2", validators, params: DEFAULT_PARAMS });
const verifier = ed25519Verifier(validators);
const signer = (i: number) => ed25519Signer(i, devValidatorSecret(i));
const NOW = 1_800_000_000_000;
const nonce = (label: string) => bytes32(label).subarray(0, 16);

/** Replica 2 accepting, with its own challenge key. */
function acceptor() {
  const challenges = new PeerChallenges(bytes32("replica 2 challenge key"));
  const context = { committee, verifier, self: 2, challenges };
  return {
    challenges,
    accept: (headers: Record<string, string>, now = NOW) => acceptHandshake(new Headers(headers), context, now),
  };
}

describe("peer handshake", () => {
  it("accepts a fresh challenge signed by the claimed validator, once", () => {
    const { challenges, accept } = acceptor();
    const headers = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("a")));
    expect(accept(headers, NOW + 10)).toEqual({ ok: true, from: 1 });
    expect(accept(headers, NOW + 20)).toEqual({ ok: false, reason: "challenge already used" });
    // A second challenge for the same peer is independent.
    const again = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("b")));
    expect(accept(again, NOW + 30)).toEqual({ ok: true, from: 1 });
  });

  it("refuses a replay after the used challenge expired, and a challenge answered too late", () => {
    const { challenges, accept } = acceptor();
    const used = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("a")));
    expect(accept(used).ok).toBe(true);
    // Redeeming another challenge later prunes the first from the used set; its expiry still refuses it.
    const later = NOW + CHALLENGE_TTL_MS + 1;
    expect(accept(handshakeHeaders(committee, signer(3), 2, challenges.issue(later, nonce("c"))), later).ok).toBe(true);
    expect(accept(used, later)).toEqual({ ok: false, reason: "challenge expired" });
    const slow = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("b")));
    expect(accept(slow, NOW + CHALLENGE_TTL_MS + 1)).toEqual({ ok: false, reason: "challenge expired" });
  });

  it("refuses challenges another replica (or this one before a restart) issued", () => {
    const { accept } = acceptor();
    const restarted = new PeerChallenges(bytes32("a key drawn after a restart"));
    const headers = handshakeHeaders(committee, signer(1), 2, restarted.issue(NOW, nonce("a")));
    expect(accept(headers)).toEqual({
      ok: false,
      reason: "challenge not issued by this replica (or before its restart)",
    });
  });

  it("refuses a signature for another index, another target or another chain", () => {
    const { challenges, accept } = acceptor();
    const challenge = () => challenges.issue(NOW, nonce("a"));
    const bad = { ok: false, reason: "handshake signature does not verify" };
    // Validator 3 signing while claiming to be 1.
    expect(accept({ ...handshakeHeaders(committee, signer(3), 2, challenge()), "X-Sero-Peer": "1" })).toEqual(bad);
    // Signed for replica 0, presented to replica 2.
    expect(accept(handshakeHeaders(committee, signer(1), 0, challenge()))).toEqual(bad);
    // Signed for another chain with the same keys.
    expect(accept(handshakeHeaders(otherChain, signer(1), 2, challenge()))).toEqual(bad);
    // The failures did not use the challenge up: the right answer still passes.
    expect(accept(handshakeHeaders(committee, signer(1), 2, challenge())).ok).toBe(true);
  });

  it("refuses indices that are not another validator", () => {
    const { challenges, accept } = acceptor();
    const headers = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("a")));
    for (const from of ["2", "4", "-1", "01", "1.0", "+1", "", "1e0", "4294967297"]) {
      expect(accept({ ...headers, "X-Sero-Peer": from })).toEqual({ ok: false, reason: "not a peer validator" });
    }
  });

  it("refuses garbage without touching the challenge set", () => {
    const { challenges, accept } = acceptor();
    const good = handshakeHeaders(committee, signer(1), 2, challenges.issue(NOW, nonce("a")));
    fc.assert(
      fc.property(
        fc.record({
          "X-Sero-Peer": fc.oneof(fc.constant("1"), fc.string()),
          "X-Sero-Challenge": fc.oneof(
            fc.string(),
            fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString("hex")),
          ),
          "X-Sero-Signature": fc.oneof(
            fc.string(),
            fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString("hex")),
          ),
        }),
        (headers) => {
          expect(accept({ Upgrade: "websocket", ...headers }).ok).toBe(false);
        },
      ),
    );
    expect(accept({})).toEqual({ ok: false, reason: "not a peer validator" });
    expect(accept({ ...good, "X-Sero-Challenge": "zz" })).toEqual({ ok: false, reason: "malformed challenge" });
    expect(accept({ ...good, "X-Sero-Challenge": "00" })).toEqual({ ok: false, reason: "malformed challenge" });
    expect(accept({ ...good, "X-Sero-Signature": "" })).toEqual({
      ok: false,
      reason: "handshake signature does not verify",
    });
    expect(accept(good)).toEqual({ ok: true, from: 1 });
  });

  it("refuses a challenge whose expiry was edited", () => {
    const { challenges, accept } = acceptor();
    const challenge = challenges.issue(NOW, nonce("a"));
    challenge[7] = (challenge[7] as number) ^ 1;
    expect(accept(handshakeHeaders(committee, signer(1), 2, challenge)).ok).toBe(false);
  });

  it("carries the challenge in a body the connecting side reads back strictly", () => {
    const challenge = new PeerChallenges(bytes32("k")).issue(NOW, nonce("a"));
    expect(challenge.length).toBe(CHALLENGE_BYTES);
    expect(challengeFromBody(JSON.parse(JSON.stringify(challengeBody(challenge))))).toEqual(challenge);
    for (const body of [
      null,
      "x",
      {},
      { challenge: 5 },
      { challenge: "ab" },
      { challenge: "Z".repeat(2 * CHALLENGE_BYTES) },
    ]) {
      expect(challengeFromBody(body)).toBeUndefined();
    }
  });
});
