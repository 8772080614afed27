import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /v1/status", () => {
  it("reports the chain id from the Worker's bindings", async () => {
    const res = await exports.default.fetch("http://sero.test/v1/status");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ chainId: "sero-local-1" });
  });

  it("answers unknown routes with the JSON error shape", async () => {
    const res = await exports.default.fetch("http://sero.test/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route for GET /nope" } });
  });
});
