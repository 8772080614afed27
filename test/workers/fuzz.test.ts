/**
 * Whatever a client or a peer sends, the answer is never a 500 and nothing
 * changes: malformed bodies, mutated transactions, odd paths and parameters,
 * and garbage WebSocket frames from a peer that passed the handshake.
 */
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { framesOf } from "../../durable-objects/peer-frames.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { transactionToJson } from "../../src/protocol/tx/json.ts";
import { sampleIssue, sampleRegister, sampleTransfer } from "../protocol/fixtures.ts";
import { openLink, peerHeaders, replicaStub } from "./peer-client.ts";

const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);

async function expectClientError(res: Response): Promise<void> {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code).toMatch(/^[a-z_]+$/);
}

async function chainState() {
  const status = (await (await http("/v1/status")).json()) as { validators: { height: number; mempool: number }[] };
  return status.validators.map((v) => [v.height, v.mempool]);
}

const samples = [sampleTransfer(), sampleRegister(), sampleIssue()];

describe("fuzzing the API and the peer links", () => {
  it("malformed and mutated submissions are 4xx with a code, and change nothing", async () => {
    const before = await chainState();
    const mutatedBytes = fc
      .tuple(
        fc.constantFrom(...samples.map(encodeTransaction)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      )
      .map(([bytes, edits]) => {
        const out = Uint8Array.from(bytes);
        for (const [i, d] of edits) {
          out[i % out.length] = ((out[i % out.length] as number) + d) % 256;
        }
        return out;
      });
    const mutatedJson = fc
      .tuple(fc.constantFrom(...samples.map((s) => transactionToJson(s))), fc.string(), fc.jsonValue())
      .map(([json, key, value]) =>
        JSON.stringify({ ...json, [Object.keys(json)[key.length % Object.keys(json).length] as string]: value }),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }).map((b) => ({ body: b as BodyInit, type: "application/octet-stream" })),
          mutatedBytes.map((b) => ({ body: b as BodyInit, type: "application/octet-stream" })),
          mutatedJson.map((b) => ({ body: b as BodyInit, type: "application/json" })),
          fc.json().map((b) => ({ body: b as BodyInit, type: "application/json" })),
          fc
            .tuple(fc.string(), fc.constantFrom("application/json", "text/plain", ""))
            .map(([b, type]) => ({ body: b as BodyInit, type })),
        ),
        fc.constantFrom("/v1/tx", "/v1/verify"),
        async ({ body, type }, path) => {
          const res = await http(path, { method: "POST", headers: type ? { "Content-Type": type } : {}, body });
          if (path === "/v1/verify" && res.status === 200) {
            expect(((await res.json()) as { valid: boolean }).valid).toBe(false);
            return;
          }
          await expectClientError(res);
        },
      ),
      { numRuns: 1500 },
    );
    expect(await chainState()).toEqual(before);
  }, 120_000);

  it("odd paths and query parameters never produce a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/v1/blocks/",
          "/v1/tx/",
          "/v1/nullifiers/",
          "/v1/assets/",
          "/v1/sync?from=",
          "/v1/blocks?limit=",
          "/v1/",
        ),
        fc.string({ maxLength: 80 }),
        async (prefix, tail) => {
          const res = await http(`${prefix}${encodeURIComponent(tail)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
  }, 60_000);

  it("a peer link refuses a bad handshake and survives garbage frames", async () => {
    const replica = replicaStub(0);
    expect((await openLink(replica, await peerHeaders(replica, 0, 1, 2))).status).toBe(403);
    const unanswered = { ...(await peerHeaders(replica, 0, 1)), "X-Sero-Challenge": "00".repeat(56) };
    expect((await openLink(replica, unanswered)).status).toBe(403);

    const before = await chainState();
    const res = await openLink(replica, await peerHeaders(replica, 0, 1));
    expect(res.status).toBe(101);
    const ws = res.webSocket as WebSocket;
    ws.accept();
    // Garbage messages in well-formed frames reach the envelope decoder and are dropped one by one...
    for (const garbage of fc.sample(fc.uint8Array({ maxLength: 2048 }), 300)) {
      for (const frame of framesOf(garbage)) {
        ws.send(frame);
      }
    }
    // ...while a frame that breaks the framing, or a text frame, closes the link.
    ws.send(Uint8Array.of(7, 1, 2, 3));
    ws.send("text frames are not consensus messages");
    await new Promise((r) => setTimeout(r, 200));
    expect(await chainState()).toEqual(before);
  });

  it("a flood of submissions from one address is refused with 429", async () => {
    const verify = (ip: string) =>
      http("/v1/verify", {
        method: "POST",
        headers: { "CF-Connecting-IP": ip, "Content-Type": "application/json" },
        body: "{}",
      });
    const flood = async (n: number) => {
      const responses: Response[] = await Promise.all(Array.from({ length: n }, () => verify("203.0.113.7")));
      return responses.map((r) => r.status);
    };
    // The limit is 2000 a minute (wrangler.toml) in windows aligned to the clock: more than twice that within
    // a minute exceeds it in one window, wherever a window boundary falls.
    const statuses: number[] = [];
    for (let wave = 0; wave < 5; wave++) {
      statuses.push(...(await flood(wave < 4 ? 1000 : 100)));
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect((await verify("198.51.100.1")).status).toBe(400); // other addresses are not affected
  }, 60_000);
});
