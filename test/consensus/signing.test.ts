import { ed25519 } from "@noble/curves/ed25519.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import {
  batchDigest,
  committeeFromGenesis,
  ed25519Signer,
  encodeEnvelope,
  NULL_DIGEST,
  openEnvelope,
  seal,
  type ViewChange,
} from "../../src/consensus/index.ts";
import { deliver, fixture, request } from "./sim/fixtures.ts";
import { makeKeyring } from "./sim/keys.ts";
import { SIM_PARAMS } from "./sim/scenario.ts";

// Real validator signatures: ed25519 over "sero-edge/pbft/v1/sig" || genesis hash || signed part.
const f = fixture(4, "ed25519");

describe("ed25519 message signatures", () => {
  it("the signer with its key expanded once signs exactly as RFC 8032 ed25519 does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (secret, m) => {
        const signature = ed25519Signer(0, secret).sign(m);
        expect(toHex(signature)).toBe(toHex(ed25519.sign(m, secret)));
        expect(ed25519.verify(signature, m, ed25519.getPublicKey(secret), { zip215: false })).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  const prepare = { type: "prepare" as const, view: 0, seq: 1, digest: NULL_DIGEST };

  it("accepts a message signed by its sender", () => {
    const r = openEnvelope(f.bytes(2, prepare), f.keyring);
    expect(r.ok).toBe(true);
  });

  it("refuses a message whose sender field names another validator (forgery)", () => {
    const e = f.msg(3, prepare);
    const forged = encodeEnvelope({ ...e, from: 1 });
    expect(openEnvelope(forged, f.keyring)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("refuses a message signed with a key outside the validator set", () => {
    const outsider = makeKeyring(4, "ed25519", SIM_PARAMS, 12345);
    const bytes = seal(prepare, [], outsider.signers[1] as never, f.keyring.committee).bytes;
    expect(openEnvelope(bytes, f.keyring)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("refuses a message signed for another chain (genesis hash in the signed payload)", () => {
    const other = committeeFromGenesis({ ...f.keyring.genesis, chainId: "another-chain" });
    const bytes = seal(prepare, [], f.keyring.signers[1] as never, other).bytes;
    expect(openEnvelope(bytes, f.keyring)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("refuses a flipped signature bit and an altered field", () => {
    const e = f.msg(2, prepare);
    const sig = e.signature.slice();
    sig[10] = (sig[10] as number) ^ 4;
    expect(openEnvelope(encodeEnvelope({ ...e, signature: sig }), f.keyring)).toMatchObject({ code: "bad_signature" });
    const altered = encodeEnvelope({ ...e, message: { ...prepare, seq: 2 } });
    expect(openEnvelope(altered, f.keyring)).toMatchObject({ code: "bad_signature" });
  });

  it("refuses a view change carrying a forged prepare inside its prepared certificate", () => {
    const batch = [request(1)];
    const d = batchDigest(batch);
    const pp = f.msg(0, { type: "pre-prepare", view: 0, seq: 1, digest: d });
    const p1 = f.msg(1, { type: "prepare", view: 0, seq: 1, digest: d });
    // Replica 3 fabricates replica 2's prepare: signs it itself and puts 2's name on it.
    const fake = f.msg(3, { type: "prepare", view: 0, seq: 1, digest: d });
    const strip = <T extends { from: number; message: unknown; signature: Uint8Array }>(x: T) => ({
      from: x.from,
      message: x.message,
      signature: x.signature,
    });
    const vc: ViewChange = {
      type: "view-change",
      newView: 1,
      stableSeq: 0,
      checkpointProof: [],
      prepared: [
        { prePrepare: strip(pp) as never, prepares: [strip(p1) as never, { ...strip(fake), from: 2 } as never] },
      ],
    };
    const bytes = f.bytes(3, vc, [batch]);
    expect(openEnvelope(bytes, f.keyring)).toMatchObject({
      ok: false,
      code: "bad_signature",
      reason: "bad signature by 2",
    });
  });

  it("the core never sees what the boundary refused: a replica fed only opened envelopes commits with real keys", () => {
    const core = f.cores[1];
    if (core === undefined) {
      throw new Error("fixture");
    }
    let s = core.init();
    const batch = [request(7)];
    const r = deliver(
      core,
      s,
      f.open(f.bytes(0, { type: "pre-prepare", view: 0, seq: 1, digest: batchDigest(batch) }, [batch])),
    );
    s = r.state;
    expect(r.send.map((m) => m.type)).toEqual(["prepare"]);
    // The prepare it sent is a valid ed25519-signed envelope from replica 1.
    const sent = r.send[0];
    if (sent === undefined) {
      throw new Error("no prepare");
    }
    const opened = f.open(sent.bytes);
    expect(opened.from).toBe(1);
  });
});
