/**
 * The isolate's memo of valid consensus signatures: it may spare a check,
 * never change an answer (forged, tampered, replayed under another sender,
 * or signed with a key that is not the sender's genesis key).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Committee,
  committeeFromGenesis,
  DEFAULT_PARAMS,
  ed25519PublicKey,
  ed25519Signer,
  ed25519Verifier,
  isolateSignatureMemo,
  isolateVerifier,
  rememberingSigner,
  rememberingVerifier,
  SignatureMemo,
  type Verifier,
} from "../../src/consensus/index.ts";

const secrets = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(i));
const committeeOf = (chainId: string): Committee =>
  committeeFromGenesis({ chainId, validators: secrets.map(ed25519PublicKey), params: DEFAULT_PARAMS });
const committee = committeeOf("sero-memo-test");
const plain = ed25519Verifier(committee.validators);

/** The plain ed25519 check, counting how often it runs. */
function counting(): Verifier & { checks: number } {
  const v = {
    checks: 0,
    verify(from: number, message: Uint8Array, signature: Uint8Array) {
      v.checks++;
      return plain.verify(from, message, signature);
    },
  };
  return v;
}

const msg = (text: string) => new TextEncoder().encode(text);
const tampered = (bytes: Uint8Array, at: number) => bytes.map((b, i) => (i === at ? b ^ 1 : b));

describe("signature memo", () => {
  it("a replica's own signatures are valid to its peers in the isolate without a check", () => {
    const memo = new SignatureMemo();
    const inner = counting();
    const verifier = rememberingVerifier(inner, memo);
    const signer = rememberingSigner(committee, 2, secrets[2] as Uint8Array, memo);
    const m = msg("prepare v=0 n=1");
    const signature = signer.sign(m);
    expect(verifier.verify(2, m, signature)).toBe(true);
    expect(inner.checks).toBe(0);
  });

  it("checks a peer's signature once, and refuses forgeries, tampering and another sender every time", () => {
    const memo = new SignatureMemo();
    const inner = counting();
    const verifier = rememberingVerifier(inner, memo);
    const m = msg("commit v=0 n=7");
    const signature = ed25519Signer(1, secrets[1] as Uint8Array).sign(m);
    for (let i = 0; i < 3; i++) {
      expect(verifier.verify(1, m, signature)).toBe(true);
    }
    expect(inner.checks).toBe(1);
    for (let i = 0; i < 2; i++) {
      expect(verifier.verify(1, tampered(m, 3), signature)).toBe(false); // the signature of another message
      expect(verifier.verify(1, m, tampered(signature, 10))).toBe(false);
      expect(verifier.verify(0, m, signature)).toBe(false); // replayed as another validator's
      expect(verifier.verify(7, m, signature)).toBe(false); // no such validator
      expect(verifier.verify(1, m, signature.subarray(0, 63))).toBe(false);
    }
    expect(inner.checks).toBe(1 + 10); // refusals are never remembered
  });

  it("remembers nothing a signer makes with a key that is not its genesis key", () => {
    const memo = new SignatureMemo();
    const inner = counting();
    const verifier = rememberingVerifier(inner, memo);
    const impostor = rememberingSigner(committee, 0, secrets[3] as Uint8Array, memo); // validator 3's key as 0
    const m = msg("pre-prepare v=0 n=1");
    expect(verifier.verify(0, m, impostor.sign(m))).toBe(false);
    expect(inner.checks).toBe(1);
  });

  it("is bounded: a forgotten signature is checked again, with the same answer", () => {
    const memo = new SignatureMemo(2);
    const inner = counting();
    const verifier = rememberingVerifier(inner, memo);
    const signer = ed25519Signer(1, secrets[1] as Uint8Array);
    const ms = ["a", "b", "c"].map(msg);
    for (const m of ms) {
      expect(verifier.verify(1, m, signer.sign(m))).toBe(true);
    }
    expect(verifier.verify(1, ms[0] as Uint8Array, signer.sign(ms[0] as Uint8Array))).toBe(true);
    expect(inner.checks).toBe(4);
  });

  it("property: answers exactly as the plain check, for any sequence of valid, tampered and misattributed signatures", () => {
    const signers = secrets.map((s, i) => ed25519Signer(i, s));
    const signed = [0, 1, 2, 3, 0, 1].map((from, k) => {
      const m = msg(`message ${k}`);
      return { from, m, signature: (signers[from] as ReturnType<typeof ed25519Signer>).sign(m) };
    });
    const query = fc.record({
      pick: fc.nat({ max: signed.length - 1 }),
      claim: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
      flipMessage: fc.option(fc.nat({ max: 9 }), { nil: undefined }),
      flipSignature: fc.option(fc.nat({ max: 63 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(query, { maxLength: 24 }), fc.integer({ min: 1, max: 8 }), (queries, capacity) => {
        const verifier = rememberingVerifier(plain, new SignatureMemo(capacity));
        for (const q of queries) {
          const s = signed[q.pick] as (typeof signed)[number];
          const from = q.claim ?? s.from;
          const m = q.flipMessage === undefined ? s.m : tampered(s.m, q.flipMessage);
          const signature = q.flipSignature === undefined ? s.signature : tampered(s.signature, q.flipSignature);
          expect(verifier.verify(from, m, signature)).toBe(plain.verify(from, m, signature));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("one memo per committee in an isolate: the replicas of one chain share it, another chain has its own", () => {
    expect(isolateSignatureMemo(committeeOf("sero-memo-a"))).toBe(isolateSignatureMemo(committeeOf("sero-memo-a")));
    expect(isolateSignatureMemo(committeeOf("sero-memo-b"))).not.toBe(isolateSignatureMemo(committeeOf("sero-memo-a")));
    const a = committeeOf("sero-memo-a");
    const m = msg("checkpoint 8");
    const signature = rememberingSigner(a, 1, secrets[1] as Uint8Array, isolateSignatureMemo(a)).sign(m);
    expect(isolateVerifier(committeeOf("sero-memo-a")).verify(1, m, signature)).toBe(true);
    expect(isolateVerifier(committeeOf("sero-memo-b")).verify(1, m, signature)).toBe(true); // checked, same key
    expect(isolateVerifier(committeeOf("sero-memo-b")).verify(2, m, signature)).toBe(false);
  });
});
