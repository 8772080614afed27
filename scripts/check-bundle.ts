/**
 * Fails if the Worker bundle that `wrangler deploy --dry-run --outdir DIR`
 * wrote would not deploy on Cloudflare's Free plan: at most 3 MB after
 * gzip (developers.cloudflare.com/workers/platform/limits, "Worker size").
 * The EVM is the largest part; this keeps it honest.
 *
 *   node scripts/check-bundle.ts DIR
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const LIMIT_GZIP_BYTES = 3 * 1000 * 1000;

const dir = process.argv[2];
if (dir === undefined) {
  console.error("usage: node scripts/check-bundle.ts DIR");
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => /\.(m?js|wasm)$/.test(f) && statSync(join(dir, f)).isFile());
let raw = 0;
let gzip = 0;
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(
  `worker bundle ${dir}: ${files.length} files, ${kib(raw)}, ${kib(gzip)} gzip (limit ${kib(LIMIT_GZIP_BYTES)})`,
);
if (files.length === 0 || gzip > LIMIT_GZIP_BYTES) {
  console.error(files.length === 0 ? "no bundle found" : "the Worker bundle is over the Free plan's size limit");
  process.exit(1);
}
