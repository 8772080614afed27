import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";

const app = createApp();

/** The API as another deployment would run it: same bindings, other vars. */
async function statusWith(vars: Record<string, string>): Promise<Response> {
  return app.fetch(new Request("http://sero.test/v1/status"), { ...env, ...vars });
}

type Validator = { index: number; hosted: boolean; height: number; lastSeenMs?: number } | null;

describe("GET /v1/status", () => {
  it("reports the chain id from the Worker's bindings, every validator answering for itself", async () => {
    const res = await exports.default.fetch("http://sero.test/v1/status");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { chainId: string; validators: Validator[] };
    expect(body).toMatchObject({ chainId: "sero-local-1", minFee: "1000", anchorWindow: 100 });
    expect(body.validators.map((v) => v?.hosted)).toEqual([true, true, true, true]);
  });

  it("in the validator topology, shows the validators hosted elsewhere with their last reported height", async () => {
    // This API hosts replica 0 only; the replicas still link to each other, so 0 hears the others' STATUS.
    const peers = JSON.stringify([0, 1, 2, 3].map((i) => `http://v${i}.sero.test`));
    const vars = { VALIDATOR_INDEX: "0", PEER_URLS: peers };
    const deadline = Date.now() + 15_000;
    let validators: Validator[] = [];
    while (Date.now() < deadline) {
      validators = ((await (await statusWith(vars)).json()) as { validators: Validator[] }).validators;
      if (validators.every((v) => v !== null)) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(validators[0]).toMatchObject({ index: 0, hosted: true });
    for (const i of [1, 2, 3]) {
      const v = validators[i];
      expect(v).toMatchObject({ index: i, hosted: false, active: true });
      expect(v?.height).toBeGreaterThanOrEqual(0);
      expect(v?.lastSeenMs).toBeGreaterThanOrEqual(0);
      expect(v?.lastSeenMs).toBeLessThan(15_000);
    }
  });

  it("refuses to serve a deployed chain without GENESIS, naming the var", async () => {
    const res = await statusWith({ CHAIN_ID: "sero-testnet-1" });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("misconfigured");
    expect(body.error.message).toMatch(/^GENESIS is not set: chain "sero-testnet-1"/);
  });

  it("refuses a malformed GENESIS on every route", async () => {
    const res = await app.fetch(new Request("http://sero.test/v1/blocks"), {
      ...env,
      CHAIN_ID: "sero-testnet-1",
      GENESIS: '{"chainId": "sero-testnet-1"}',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: "misconfigured", message: /^GENESIS\.validators: / } });
  });

  it("answers unknown routes with the JSON error shape", async () => {
    const res = await exports.default.fetch("http://sero.test/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route for GET /nope" } });
  });
});
