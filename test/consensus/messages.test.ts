import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Batch,
  batchDigest,
  type Checkpoint,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  type Message,
  NULL_DIGEST,
  openEnvelope,
  type Prepare,
  type Signed,
  validateBasic,
} from "../../src/consensus/index.ts";
import { fixture } from "./sim/fixtures.ts";

const f = fixture(4);
const digest = fc.uint8Array({ minLength: 32, maxLength: 32 });
const seqArb = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const viewArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const batchArb: fc.Arbitrary<Batch> = fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 5 });

function sign<M extends Message>(from: number, m: M): Signed<M> {
  const e = f.msg(from, m);
  return { from: e.from, message: e.message, signature: e.signature };
}

const simpleMessages: fc.Arbitrary<{ message: Message; batches: Batch[] }> = fc.oneof(
  fc.record({ view: viewArb, seq: seqArb, batch: batchArb }).map(({ view, seq, batch }) => ({
    message: { type: "pre-prepare", view, seq, digest: batchDigest(batch) } as Message,
    batches: [batch],
  })),
  fc
    .record({ t: fc.constantFrom("prepare", "commit"), view: viewArb, seq: seqArb, d: digest })
    .map(({ t, view, seq, d }) => ({
      message: { type: t, view, seq, digest: d } as Message,
      batches: [],
    })),
  fc.record({ seq: seqArb, a: digest, b: digest }).map(({ seq, a, b }) => ({
    message: { type: "checkpoint", seq, chainHash: a, stateRoot: b } as Message,
    batches: [],
  })),
  fc
    .uint8Array({ minLength: 1, maxLength: 300 })
    .map((request) => ({ message: { type: "request", request } as Message, batches: [] })),
  fc.record({ view: viewArb, active: fc.boolean(), c: fc.nat(), s: fc.nat() }).map(({ view, active, c, s }) => ({
    message: { type: "status", view, active, lastCommitted: c, stableSeq: s } as Message,
    batches: [],
  })),
  fc
    .record({ from: seqArb.filter((x) => x < 2 ** 40), len: fc.integer({ min: 0, max: 255 }) })
    .map(({ from, len }) => ({
      message: { type: "fetch-blocks", fromSeq: from, toSeq: from + len } as Message,
      batches: [],
    })),
);

/** A view change with a checkpoint proof and prepared certificates (f = 1: 2 prepares each). */
function viewChange(newView: number, stableSeq: number, preparedSeqs: number[]) {
  const cp: Checkpoint = { type: "checkpoint", seq: stableSeq, chainHash: NULL_DIGEST, stateRoot: NULL_DIGEST };
  const checkpointProof = stableSeq === 0 ? [] : [0, 1, 2].map((i) => sign(i, cp));
  const batches: Batch[] = [];
  const prepared = preparedSeqs.map((seq) => {
    const batch = [new Uint8Array([seq])];
    batches.push(batch);
    const pp = sign(0, { type: "pre-prepare", view: 0, seq, digest: batchDigest(batch) });
    const prepares = [1, 2].map((i) =>
      sign(i, { type: "prepare", view: 0, seq, digest: batchDigest(batch) } as Prepare),
    );
    return { prePrepare: pp, prepares };
  });
  return { message: { type: "view-change" as const, newView, stableSeq, checkpointProof, prepared }, batches };
}

describe("message encoding", () => {
  it("round-trips every simple message type, and re-encodes to the same bytes (one canonical encoding)", () => {
    fc.assert(
      fc.property(simpleMessages, fc.integer({ min: 0, max: 3 }), ({ message, batches }, from) => {
        const bytes = f.bytes(from, message, batches);
        const opened = openEnvelope(bytes, f.keyring);
        expect(opened.ok).toBe(true);
        if (!opened.ok) {
          return;
        }
        expect(opened.envelope.message).toEqual(message);
        expect(encodeEnvelope(opened.envelope)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips view changes, new views and blocks with nested certificates", () => {
    const vc = viewChange(1, 4, [5, 6, 8]);
    const vcBytes = f.bytes(3, vc.message, vc.batches);
    const opened = f.open(vcBytes);
    expect(opened.message).toEqual(vc.message);
    expect(encodeEnvelope(opened)).toEqual(vcBytes);

    const signedVc = sign(3, vc.message);
    const nv = {
      type: "new-view" as const,
      view: 1,
      viewChanges: [signedVc],
      prePrepares: [sign(1, { type: "pre-prepare", view: 1, seq: 5, digest: NULL_DIGEST })],
    };
    const nvBytes = f.bytes(1, nv, [[]]);
    expect(f.open(nvBytes).message).toEqual(nv);

    const commits = [0, 1, 2].map((i) => sign(i, { type: "commit", view: 0, seq: 7, digest: batchDigest([]) }));
    const blocks = { type: "blocks" as const, certificates: [commits] };
    expect(f.open(f.bytes(2, blocks, [[]])).message).toEqual(blocks);
  });

  it("refuses trailing bytes, truncation and every single-byte corruption of a signed message", () => {
    const vc = viewChange(2, 4, [5]);
    const bytes = f.bytes(3, vc.message, vc.batches);
    const extended = new Uint8Array([...bytes, 0]);
    expect(openEnvelope(extended, f.keyring)).toMatchObject({ ok: false, code: "malformed" });
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(openEnvelope(bytes.subarray(0, cut), f.keyring).ok).toBe(false);
    }
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] = (bad[i] as number) ^ 0x01;
      expect(openEnvelope(bad, f.keyring).ok, `flip at byte ${i}`).toBe(false);
    }
  });

  it("never throws on arbitrary bytes: the boundary returns a refusal", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = openEnvelope(bytes, f.keyring);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses an unknown sender and a batch that does not match its digest", () => {
    const prepare = { type: "prepare" as const, view: 0, seq: 1, digest: NULL_DIGEST };
    const e = f.msg(1, prepare);
    expect(openEnvelope(encodeEnvelope({ ...e, from: 9 }), f.keyring)).toMatchObject({
      ok: false,
      code: "unknown_sender",
    });
    const batch: Batch = [new Uint8Array([1])];
    const pp = f.msg(0, { type: "pre-prepare", view: 0, seq: 1, digest: batchDigest(batch) }, [batch]);
    const swapped: Envelope = { ...pp, batches: [[new Uint8Array([2])]] };
    expect(openEnvelope(encodeEnvelope(swapped), f.keyring)).toMatchObject({ ok: false, code: "bad_attachment" });
  });

  it("validateBasic enforces ranges and canonical order", () => {
    expect(validateBasic({ type: "prepare", view: 0, seq: 0, digest: NULL_DIGEST })).toMatch(/seq/);
    expect(validateBasic({ type: "prepare", view: -1, seq: 1, digest: NULL_DIGEST })).toBeDefined();
    expect(validateBasic({ type: "commit", view: 0, seq: 1, digest: new Uint8Array(31) })).toMatch(/digest/);
    expect(validateBasic({ type: "fetch-blocks", fromSeq: 5, toSeq: 4 })).toBeDefined();
    expect(validateBasic({ type: "fetch-blocks", fromSeq: 1, toSeq: 1000 })).toMatch(/too long/);
    const vc = viewChange(1, 4, [5, 6]).message;
    expect(validateBasic(vc)).toBeUndefined();
    expect(validateBasic({ ...vc, prepared: [...vc.prepared].reverse() })).toMatch(/ascending/);
    expect(validateBasic({ ...vc, checkpointProof: [...vc.checkpointProof].reverse() })).toMatch(/sender order/);
    expect(validateBasic({ ...vc, checkpointProof: [] })).toMatch(/proof/);
    expect(validateBasic({ ...vc, newView: 0 })).toBeDefined();
    const cert = vc.prepared[0];
    if (cert === undefined) {
      throw new Error("fixture");
    }
    const wrongPrepare = {
      ...cert,
      prepares: [cert.prepares[0], sign(2, { type: "prepare", view: 0, seq: 5, digest: NULL_DIGEST })],
    };
    expect(validateBasic({ ...vc, prepared: [wrongPrepare as never] })).toMatch(/does not match/);
    const fromPrimary = { ...cert, prepares: [sign(0, cert.prepares[0]?.message as Prepare), cert.prepares[1]] };
    expect(validateBasic({ ...vc, prepared: [fromPrimary as never] })).toMatch(/primary/);
  });

  it("decodeEnvelope reports the signatures to check: the envelope's own first, then every embedded one", () => {
    const vc = viewChange(1, 4, [5]);
    const { checks } = decodeEnvelope(f.bytes(3, vc.message, vc.batches));
    // outer + 3 checkpoint signatures + 1 pre-prepare + 2 prepares
    expect(checks.map((c) => c.from)).toEqual([3, 0, 1, 2, 0, 1, 2]);
  });
});
