/** npm run web:build: the page, its worker, and the proving files in parts under the static asset limit. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web.ts";
import { parseArtifactIndex, sha256Hex } from "../../src/web/wallet/artifacts.ts";

/** Cloudflare's per-file limit for static assets. */
const ASSET_LIMIT = 25 * 1024 * 1024;
const manifest = JSON.parse(readFileSync("circuits/artifacts/manifest.json", "utf8")) as {
  circuits: Record<string, { sha256: { wasm: string; zkey: string } }>;
};

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "sero-web-build-"));
  await buildWeb(out);
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

describe("web:build", () => {
  it("writes the page, its script, the wallet and proving workers and the CSP under /wallet/", () => {
    for (const name of ["index.html", "style.css", "app.js", "worker.js", "prove-worker.js", "artifacts/index.json"]) {
      expect(statSync(join(out, "wallet", name)).size).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out, "wallet/index.html"), "utf8")).toContain('src="./app.js"');
    expect(readFileSync(join(out, "_headers"), "utf8")).toMatch(
      /\/wallet\/\*\n {2}Content-Security-Policy: .*connect-src 'self'/,
    );
  });

  it("keeps every file under the 25 MiB asset limit, the merge key included", () => {
    const sizes = files(out).map((f) => statSync(f).size);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(ASSET_LIMIT);
    const index = parseArtifactIndex(JSON.parse(readFileSync(join(out, "wallet/artifacts/index.json"), "utf8")));
    expect(index.circuits.merge_4x2?.zkey.parts.length).toBeGreaterThan(1);
  });

  it("lists each proving file with the manifest's hash, and its parts join into exactly that file", async () => {
    const index = parseArtifactIndex(JSON.parse(readFileSync(join(out, "wallet/artifacts/index.json"), "utf8")));
    expect(Object.keys(index.circuits).sort()).toEqual(Object.keys(manifest.circuits).sort());
    for (const [name, entry] of Object.entries(manifest.circuits)) {
      for (const kind of ["wasm", "zkey"] as const) {
        const file = index.circuits[name]?.[kind];
        expect(file?.sha256).toBe(entry.sha256[kind]);
        const joined = Buffer.concat((file?.parts ?? []).map((p) => readFileSync(join(out, "wallet/artifacts", p))));
        expect(joined.length).toBe(file?.size);
        expect(await sha256Hex(new Uint8Array(joined))).toBe(entry.sha256[kind]);
      }
    }
  });
});
