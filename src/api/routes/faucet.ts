/**
 * /v1/faucet on the node's own origin, forwarded to the faucet service that
 * runs beside a test chain (FAUCET_URL, set by `npm start` and the browser
 * tests): the browser wallet then talks to no host but the node it was
 * served from. Without FAUCET_URL the route answers 404 `no_faucet`, which
 * the wallet reads as "no faucet on this chain" (docs/OPERATING.md, "A
 * faucet for a deployed testnet").
 */
import type { App } from "../context.ts";
import { errorBody } from "../errors.ts";

const MAX_BODY = 4096;

export function registerFaucetRoutes(app: App): void {
  app.on(["GET", "POST"], "/v1/faucet", async (c) => {
    const target = c.env.FAUCET_URL;
    if (!target) {
      return c.json(errorBody("no_faucet", "this chain has no faucet"), 404);
    }
    const body = c.req.method === "POST" ? await c.req.text() : undefined;
    if (body !== undefined && new TextEncoder().encode(body).length > MAX_BODY) {
      return c.json(errorBody("too_large", `the body is at most ${MAX_BODY} bytes`), 413);
    }
    try {
      // The faucet's per-client limit keys on the right-most X-Forwarded-For address when told to trust it.
      const client = c.req.header("CF-Connecting-IP");
      const answer = await fetch(`${target}/v1/faucet`, {
        method: c.req.method,
        headers: { "Content-Type": "application/json", ...(client ? { "X-Forwarded-For": client } : {}) },
        ...(body === undefined ? {} : { body }),
      });
      return new Response(answer.body, {
        status: answer.status,
        headers: { "Content-Type": "application/json" },
      });
    } catch {
      return c.json(errorBody("faucet_unreachable", "the faucet beside this node does not answer"), 502);
    }
  });
}
