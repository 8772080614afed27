/**
 * Every encoding error in client data is a 4xx (PROTOCOL.md §8): text and
 * length fields of every transaction kind, in JSON and in binary, mutated at
 * random and sent to /v1/tx and /v1/verify. Genesis is always refused. The
 * regression that was a 500: a name of 22,000 0xff bytes, which a lenient
 * reader turned into 66,000 bytes of U+FFFD, past the name's u16 length.
 */
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../src/codec/writer.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { transactionToJson } from "../../src/protocol/tx/json.ts";
import type { Transaction } from "../../src/protocol/tx/types.ts";
import {
  sampleCall,
  sampleDeploy,
  sampleGenesis,
  sampleIssue,
  sampleRegister,
  sampleTransfer,
} from "../protocol/fixtures.ts";

type Body = { readonly body: Uint8Array | string; readonly type: string };

const SOURCE = "encoding-fuzz"; // its own rate-limit key: other files' floods do not throttle this one
const post = (path: string, { body, type }: Body) =>
  exports.default.fetch(`http://sero.test${path}`, {
    method: "POST",
    headers: { "Content-Type": type, "CF-Connecting-IP": SOURCE },
    body,
  });

const register = sampleRegister();
const samples: Record<Transaction["kind"], Transaction> = {
  transfer: sampleTransfer("encoding-fuzz"),
  register,
  issue: sampleIssue(),
  genesis: sampleGenesis(),
  deploy: sampleDeploy(),
  call: sampleCall(),
};

/** A client error with a code; /v1/verify may instead answer 200 with a refusal for bytes it could parse. */
async function expectRefused(path: string, res: Response): Promise<string> {
  if (path === "/v1/verify" && res.status === 200) {
    const verdict = (await res.json()) as { valid: boolean; code: string };
    expect(verdict.valid).toBe(false);
    return verdict.code;
  }
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const { error } = (await res.json()) as { error: { code: string } };
  expect(error.code).toMatch(/^[a-z_]+$/);
  return error.code;
}

// ---- text: names, hex strings, raw bytes inside a JSON string ----

/** Printable ASCII, any code point, lone surrogates (JSON.stringify spells them `\udXXX`). */
const codeUnit = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
);
/** Short runs, and runs whose UTF-8 (or U+FFFD replacement) outgrows a u16 length while the body fits 64 KiB. */
const runLength = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 20_000, max: 30_000 }));
const text = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 64 }),
  fc.tuple(codeUnit, runLength).map(([c, n]) => c.repeat(n)),
);
/** Bytes to splice raw into a body: anything, or long runs of one byte (0xff is the regression). */
const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.tuple(fc.integer({ min: 0x80, max: 0xff }), runLength).map(([b, n]) => new Uint8Array(n).fill(b)),
);

const TEXT_FIELDS: Record<Transaction["kind"], readonly string[]> = {
  transfer: ["anchor", "fee", "epk", "proof"],
  register: ["name", "assetKind", "issuer", "signature"],
  issue: ["assetKind", "assetRef", "nonce", "epk", "signature"],
  genesis: ["epk"],
  deploy: ["gasLimit", "initCode", "epk", "signature"],
  call: ["contract", "gasLimit", "calldata", "epk", "signature"],
};
const ARRAY_FIELDS: Record<Transaction["kind"], readonly string[]> = {
  transfer: ["nullifiers", "outputs"],
  register: [],
  issue: ["outputs"],
  genesis: ["outputs"],
  deploy: [],
  call: [],
};

const kind = fc.constantFrom(...(Object.keys(samples) as Transaction["kind"][]));

/** One text field of one kind's JSON replaced by any string. */
const jsonWithText = kind.chain((k) =>
  fc.tuple(fc.constantFrom(...TEXT_FIELDS[k]), text).map(([field, value]): Body => {
    const json = transactionToJson(samples[k]);
    return { body: JSON.stringify({ ...json, [field]: value }), type: "application/json" };
  }),
);

/** One array of one kind's JSON grown or shrunk past its count field (u8, or u16 for genesis). */
const jsonWithCount = kind
  .filter((k) => ARRAY_FIELDS[k].length > 0)
  .chain((k) =>
    fc.tuple(fc.constantFrom(...ARRAY_FIELDS[k]), fc.integer({ min: 0, max: 300 })).map(([field, n]): Body => {
      const json = transactionToJson(samples[k]);
      const items = json[field] as unknown[];
      const resized = Array.from(
        { length: field === "outputs" ? Math.min(n, 40) : n },
        (_, i) => items[i % items.length],
      );
      return { body: JSON.stringify({ ...json, [field]: resized }), type: "application/json" };
    }),
  );

/** The JSON body of `tx` with `raw` as the bytes of one string field: where invalid UTF-8 enters. */
function jsonWithRawField(tx: Transaction, field: string, raw: Uint8Array): Body {
  const [head, tail] = JSON.stringify({ ...transactionToJson(tx), [field]: "\u0000" }).split("\\u0000");
  const utf8 = new TextEncoder();
  return { body: Uint8Array.of(...utf8.encode(head), ...raw, ...utf8.encode(tail)), type: "application/json" };
}

const jsonWithRawBytes = kind.chain((k) =>
  fc
    .tuple(fc.constantFrom(...TEXT_FIELDS[k]), rawBytes)
    .map(([field, raw]) => jsonWithRawField(samples[k], field, raw)),
);

// ---- binary: every length and count field, and the name's bytes ----

/** Offset and width of each length or count field in the canonical encoding (PROTOCOL.md §8.2–8.5, §10.1). */
const LENGTH_FIELDS: Record<Transaction["kind"], readonly { at: number; bytes: 1 | 2 | 4 }[]> = {
  transfer: [
    { at: 2, bytes: 1 }, // nIn
    { at: 3, bytes: 1 }, // nOut
  ],
  register: [{ at: 3, bytes: 2 }], // var(name)
  issue: [{ at: 75, bytes: 1 }], // nOut, after assetKind, assetRef, nonce, epk
  genesis: [{ at: 34, bytes: 2 }], // nOut, after epk
  deploy: [{ at: 170, bytes: 4 }], // var32(initCode), after the caller and the gas limit
  call: [{ at: 234, bytes: 4 }], // var32(calldata), after the contract, the caller and the gas limit
};

const binaryWithLength = kind.chain((k) =>
  fc
    .tuple(fc.constantFrom(...LENGTH_FIELDS[k]), fc.nat({ max: 0xffff }), fc.integer({ min: -2000, max: 2000 }))
    .map(([field, value, tailChange]): Body => {
      const bytes = encodeTransaction(samples[k]);
      const out = new Uint8Array(Math.max(field.at + field.bytes, bytes.length + tailChange));
      out.set(bytes.subarray(0, out.length));
      const w = new ByteWriter();
      const encoded = { 1: () => w.u8(value & 0xff), 2: () => w.u16(value), 4: () => w.u32(value) }[field.bytes]();
      out.set(encoded.finish(), field.at);
      return { body: out, type: "application/octet-stream" };
    }),
);

/** The registration with its name replaced by raw bytes under any declared length. */
function registerWithName(name: Uint8Array, declared = name.length): Uint8Array {
  const bytes = encodeTransaction(register);
  const nameEnd = 5 + register.registration.name.length;
  return Uint8Array.of(
    ...bytes.subarray(0, 3),
    ...new ByteWriter().u16(declared).finish(),
    ...name,
    ...bytes.subarray(nameEnd),
  );
}

const binaryWithName = fc.tuple(rawBytes, fc.option(fc.nat({ max: 0xffff }))).map(
  ([name, declared]): Body => ({
    body: registerWithName(name, declared ?? Math.min(name.length, 0xffff)),
    type: "application/octet-stream",
  }),
);

describe("encoding errors in client data are 4xx, never 5xx", () => {
  it("a name of 22,000 0xff bytes (the regression): 400 in JSON, refused in binary", async () => {
    const ff = new Uint8Array(22_000).fill(0xff);
    const json = jsonWithRawField(register, "name", ff);
    const binary: Body = { body: registerWithName(ff), type: "application/octet-stream" };
    for (const path of ["/v1/tx", "/v1/verify"]) {
      const res = await post(path, json);
      expect(res.status).toBe(400);
      expect(await expectRefused(path, res)).toBe("bad_encoding");
      expect(await expectRefused(path, await post(path, binary))).toBe("too_long");
    }
    // Well-formed but as long: 22,000 × U+00FF, 44,000 bytes of UTF-8 in a 32-byte field.
    const long: Body = {
      body: JSON.stringify({ ...transactionToJson(register), name: "\u00ff".repeat(22_000) }),
      type: "application/json",
    };
    expect(await expectRefused("/v1/tx", await post("/v1/tx", long))).toBe("bad_json");
  });

  it("genesis is refused in both forms", async () => {
    const forms: Body[] = [
      { body: encodeTransaction(samples.genesis), type: "application/octet-stream" },
      { body: JSON.stringify(transactionToJson(samples.genesis)), type: "application/json" },
    ];
    for (const form of forms) {
      const res = await post("/v1/tx", form);
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
        422,
        "genesis_only",
      ]);
    }
  });

  it("text and length fields of every kind, mutated, in JSON and binary", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(jsonWithText, jsonWithCount, jsonWithRawBytes, binaryWithLength, binaryWithName),
        fc.constantFrom("/v1/tx", "/v1/verify"),
        async (body, path) => {
          await expectRefused(path, await post(path, body));
        },
      ),
      { numRuns: 600 },
    );
  }, 180_000);
});
