/**
 * `npm start`'s quiet output (scripts/local-testnet.ts isRequestLogLine):
 * wrangler's line per HTTP request is dropped, plain or coloured, and nothing
 * else is: errors, warnings, the Worker's own logs, wrangler's notices.
 */
import { describe, expect, it } from "vitest";
import { isRequestLogLine } from "../../scripts/local-testnet.ts";

const ESC = String.fromCharCode(27);
const colour = (code: number, text: string) => `${ESC}[${code}m${text}${ESC}[39m`;

describe("isRequestLogLine", () => {
  it.each([
    "[wrangler:info] GET /v1/status 200 OK (3ms)",
    "[wrangler:info] POST /v1/tx 202 Accepted (1520ms)",
    "[wrangler:info] GET /wallet/ 304 Not Modified (1ms)",
    "[wrangler:info] GET / 500 Internal Server Error (12ms)",
    "[wrangler:info] GET /v1/blocks 200 OK (4ms) some extra note",
    `${colour(32, "[wrangler:info]")} ${ESC}[1mGET${ESC}[22m /v1/status ${colour(32, `${ESC}[1m200${ESC}[22m OK `)}${colour(90, "(3ms)")}`,
  ])("drops %j", (line) => {
    expect(isRequestLogLine(line)).toBe(true);
  });

  it.each([
    "[wrangler:info] Ready on http://127.0.0.1:8787",
    "[wrangler:error] Error: listen EADDRINUSE: address already in use 127.0.0.1:8787",
    "[wrangler:warn] The latest compatibility date supported by the installed Cloudflare Workers Runtime is ...",
    "replica-2: view change to 3 (GET /v1/status 200 OK (3ms) was slow)",
    "✘ [ERROR] Build failed",
    "",
  ])("keeps %j", (line) => {
    expect(isRequestLogLine(line)).toBe(false);
  });
});
