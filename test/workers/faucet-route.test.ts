/** /v1/faucet on the node's origin, forwarded to FAUCET_URL (src/api/routes/faucet.ts). */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/api/app.ts";

const app = createApp();
const FAUCET = "http://faucet.test";

const call = (init: RequestInit & { vars?: Record<string, string> } = {}) =>
  app.fetch(new Request("http://sero.test/v1/faucet", init), { ...env, ...init.vars });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("/v1/faucet", () => {
  it("answers 404 no_faucet where no faucet is configured, and asks no one", async () => {
    const outbound = vi.spyOn(globalThis, "fetch");
    for (const method of ["GET", "POST"]) {
      const res = await call({ method, ...(method === "POST" ? { body: '{"to":"x"}' } : {}) });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "no_faucet" } });
    }
    expect(outbound).not.toHaveBeenCalled();
  });

  it("forwards the body and the client's address, and passes the faucet's answer through", async () => {
    const refusal = { error: { code: "recipient_limited", message: "5 drips an hour" } };
    const outbound = vi
      .spyOn(globalThis, "fetch")
      .mockResolvedValue(new Response(JSON.stringify(refusal), { status: 429 }));
    const res = await call({
      method: "POST",
      body: '{"to":"seror1abc"}',
      headers: { "CF-Connecting-IP": "203.0.113.7" },
      vars: { FAUCET_URL: FAUCET },
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual(refusal);
    const [url, init] = outbound.mock.calls[0] ?? [];
    expect(url).toBe(`${FAUCET}/v1/faucet`);
    expect(init?.body).toBe('{"to":"seror1abc"}');
    expect(new Headers(init?.headers).get("X-Forwarded-For")).toBe("203.0.113.7");
  });

  it("refuses an oversized body before forwarding, and says so when the faucet is down", async () => {
    const outbound = vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const big = await call({ method: "POST", body: "x".repeat(5000), vars: { FAUCET_URL: FAUCET } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: "too_large" } });
    expect(outbound).not.toHaveBeenCalled();
    const down = await call({ method: "GET", vars: { FAUCET_URL: FAUCET } });
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ error: { code: "faucet_unreachable" } });
  });
});
