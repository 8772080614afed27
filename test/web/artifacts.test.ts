/** Proving files in the browser: parts joined, the manifest's hash checked, cached once. */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ArtifactCache,
  type ArtifactFile,
  loadArtifact,
  parseArtifactIndex,
  partRanges,
  sha256Hex,
} from "../../src/web/wallet/artifacts.ts";

const BASE = "http://node.test/wallet/artifacts/";

function memoryCache(): ArtifactCache & { map: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  return {
    map,
    async get(sha) {
      return map.get(sha);
    },
    async put(sha, bytes) {
      map.set(sha, bytes);
    },
  };
}

/** A file cut as the build cuts it, served by a fetch that counts requests. */
async function served(bytes: Uint8Array, partBytes: number) {
  const parts = new Map<string, Uint8Array>(
    partRanges(bytes.length, partBytes).map(([start, end], i) => [`f.${i}`, bytes.slice(start, end)] as const),
  );
  const file: ArtifactFile = { sha256: await sha256Hex(bytes), size: bytes.length, parts: [...parts.keys()] };
  const requests: string[] = [];
  const fetcher = (async (input: string | URL | Request) => {
    const url = String(input);
    requests.push(url);
    const part = parts.get(url.slice(BASE.length));
    return part ? new Response(part as Uint8Array<ArrayBuffer>) : new Response("missing", { status: 404 });
  }) as typeof fetch;
  return { file, parts, fetcher, requests };
}

describe("partRanges", () => {
  it("covers the file exactly, each part at most the limit", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 3_000 }), (size, limit) => {
        const ranges = partRanges(size, limit);
        let next = 0;
        for (const [start, end] of ranges) {
          expect(start).toBe(next);
          expect(end - start).toBeLessThanOrEqual(limit);
          next = end;
        }
        expect(next).toBe(size);
      }),
    );
  });
});

describe("loadArtifact", () => {
  it("joins the parts, checks the hash, and fetches only once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 2_000 }),
        fc.integer({ min: 1, max: 700 }),
        async (bytes, partBytes) => {
          const { file, fetcher, requests } = await served(bytes, partBytes);
          const cache = memoryCache();
          expect(await loadArtifact(file, BASE, { fetch: fetcher, cache })).toEqual(bytes);
          const fetched = requests.length;
          expect(fetched).toBe(file.parts.length);
          expect(await loadArtifact(file, BASE, { fetch: fetcher, cache })).toEqual(bytes);
          expect(requests.length).toBe(fetched);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("refuses a part changed, swapped, missing or too long, and caches nothing then", async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(1000));
    const { file, parts, fetcher } = await served(bytes, 300);
    const tamper = async (change: () => void, code: string) => {
      const saved = new Map(parts);
      change();
      const cache = memoryCache();
      await expect(loadArtifact(file, BASE, { fetch: fetcher, cache })).rejects.toMatchObject({ code });
      expect(cache.map.size).toBe(0);
      parts.clear();
      for (const [k, v] of saved) {
        parts.set(k, v);
      }
    };
    await tamper(() => (parts.get("f.1") as Uint8Array).fill(7, 0, 1), "artifact_mismatch");
    await tamper(() => {
      const a = parts.get("f.0") as Uint8Array;
      parts.set("f.0", parts.get("f.1") as Uint8Array);
      parts.set("f.1", a);
    }, "artifact_mismatch");
    await tamper(() => parts.delete("f.2"), "artifact_unavailable");
    await tamper(() => parts.set("f.3", new Uint8Array(500)), "artifact_mismatch");
  });

  it("does not trust a cached copy that no longer matches its hash", async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(100));
    const { file, fetcher, requests } = await served(bytes, 64);
    const cache = memoryCache();
    cache.map.set(file.sha256, new Uint8Array(100));
    expect(await loadArtifact(file, BASE, { fetch: fetcher, cache })).toEqual(bytes);
    expect(requests.length).toBe(2);
  });
});

describe("parseArtifactIndex", () => {
  const good = { sha256: "ab".repeat(32), size: 3, parts: ["x.zkey.0"] };
  it("accepts the build's index", () => {
    expect(parseArtifactIndex({ version: 1, circuits: { c: { wasm: good, zkey: good } } }).circuits.c?.zkey).toEqual(
      good,
    );
  });
  it("refuses part names that could leave the artifacts folder or reach another host", () => {
    for (const part of ["../index.html", "//evil.test/x", "https://evil.test/x", "a/b", ""]) {
      const bad = { ...good, parts: [part] };
      expect(() => parseArtifactIndex({ version: 1, circuits: { c: { wasm: good, zkey: bad } } })).toThrow(
        expect.objectContaining({ code: "bad_artifact_index" }),
      );
    }
  });
  it("refuses other versions, bad hashes and sizes", () => {
    for (const index of [
      { version: 2, circuits: {} },
      null,
      { version: 1, circuits: { c: { wasm: { ...good, sha256: "zz" }, zkey: good } } },
      { version: 1, circuits: { c: { wasm: { ...good, size: -1 }, zkey: good } } },
      { version: 1, circuits: { c: { wasm: good } } },
    ]) {
      expect(() => parseArtifactIndex(index)).toThrow(expect.objectContaining({ code: "bad_artifact_index" }));
    }
  });
});
