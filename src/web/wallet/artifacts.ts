/**
 * The proving artifacts in a browser. Cloudflare serves a static asset of at
 * most 25 MiB and the merge circuit's zkey is about 34 MiB, so the build
 * (scripts/build-web.ts) cuts each file into parts and lists them in
 * `artifacts/index.json` with the whole file's sha256 from
 * circuits/artifacts/manifest.json. Here the parts are fetched, joined, the
 * hash checked, and the file kept in a cache under its hash: fetched once,
 * and a damaged or substituted file is never proved with.
 *
 * Platform-neutral: `fetch` and the cache are given (Cache API in the
 * browser, a Map in tests).
 */
import { toHex } from "../../codec/bytes.ts";
import { WalletError } from "../../wallet/errors.ts";

/** Per-part ceiling the build uses: under Cloudflare's 25 MiB static asset limit. */
export const PART_BYTES = 20 * 1024 * 1024;

export type ArtifactFile = { readonly sha256: string; readonly size: number; readonly parts: readonly string[] };
export type ArtifactIndex = {
  readonly version: 1;
  readonly circuits: Readonly<Record<string, { readonly wasm: ArtifactFile; readonly zkey: ArtifactFile }>>;
};

/** Bytes kept by the hash they were checked against. */
export type ArtifactCache = {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
};

/** How a file is cut: byte ranges [start, end) of at most `partBytes` each. */
export function partRanges(size: number, partBytes = PART_BYTES): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < size; start += partBytes) {
    ranges.push([start, Math.min(size, start + partBytes)]);
  }
  return ranges.length > 0 ? ranges : [[0, 0]];
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));
}

export type LoadOptions = {
  readonly fetch: typeof fetch;
  readonly cache: ArtifactCache;
  /** Bytes received so far of this file, for a progress bar. */
  readonly onBytes?: (received: number, total: number) => void;
};

/** The file's bytes from the cache, or fetched part by part from `base` (a URL ending in /), checked and cached. */
export async function loadArtifact(file: ArtifactFile, base: string, options: LoadOptions): Promise<Uint8Array> {
  const cached = await options.cache.get(file.sha256);
  if (cached && (await sha256Hex(cached)) === file.sha256) {
    return cached;
  }
  const whole = new Uint8Array(file.size);
  let offset = 0;
  for (const part of file.parts) {
    const response = await options.fetch(new URL(part, base).toString());
    if (!response.ok) {
      throw new WalletError("artifact_unavailable", `the node does not serve ${part} (${response.status})`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (offset + bytes.length > file.size) {
      throw new WalletError("artifact_mismatch", `${part} makes the file larger than its ${file.size} bytes`);
    }
    whole.set(bytes, offset);
    offset += bytes.length;
    options.onBytes?.(offset, file.size);
  }
  if (offset !== file.size || (await sha256Hex(whole)) !== file.sha256) {
    throw new WalletError("artifact_mismatch", "a proving file does not match its published hash: not used");
  }
  await options.cache.put(file.sha256, whole);
  return whole;
}

/** Checks the shape of index.json, the one input this module takes from the network besides the bytes. */
export function parseArtifactIndex(json: unknown): ArtifactIndex {
  const fail = () => new WalletError("bad_artifact_index", "the node's artifacts/index.json is not understood");
  const j = json as { version?: unknown; circuits?: unknown };
  if (j?.version !== 1 || typeof j.circuits !== "object" || j.circuits === null) {
    throw fail();
  }
  const isFile = (f: unknown): f is ArtifactFile => {
    const x = f as ArtifactFile;
    return (
      typeof x?.sha256 === "string" &&
      /^[0-9a-f]{64}$/.test(x.sha256) &&
      Number.isSafeInteger(x.size) &&
      x.size >= 0 &&
      Array.isArray(x.parts) &&
      x.parts.every((p) => typeof p === "string" && /^[a-z0-9_.-]+$/.test(p))
    );
  };
  for (const c of Object.values(j.circuits)) {
    if (!isFile((c as { wasm?: unknown }).wasm) || !isFile((c as { zkey?: unknown }).zkey)) {
      throw fail();
    }
  }
  return j as ArtifactIndex;
}
