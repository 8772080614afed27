import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromHex } from "../../src/codec/bytes.ts";
import { drawOrder } from "../../src/consensus/index.ts";

type Hosted = {
  index: number;
  view: number;
  primary: number;
  epoch: { number: number; firstHeight: number; beacon: string };
};

describe("SE-Random in the API (docs/CONSENSUS.md §8)", () => {
  it("GET /v1/status shows each replica's epoch, its beacon and the primary it draws", async () => {
    const body = (await (await exports.default.fetch("http://sero.test/v1/status")).json()) as { validators: Hosted[] };
    for (const v of body.validators) {
      expect(v.epoch.number).toBeGreaterThanOrEqual(0);
      expect(v.epoch.firstHeight).toBeGreaterThanOrEqual(1);
      const order = drawOrder(fromHex(v.epoch.beacon) as Uint8Array, [1n, 1n, 1n, 1n]);
      expect(v.primary).toBe(order[v.view % 4]);
    }
  });

  it("GET /v1/beacon/{epoch}: 404 not_sealed for an epoch not sealed yet, 400 for a malformed epoch", async () => {
    const future = await exports.default.fetch("http://sero.test/v1/beacon/1000000");
    expect(future.status).toBe(404);
    expect(((await future.json()) as { error: { code: string } }).error.code).toBe("not_sealed");
    for (const bad of ["x", "-1", "1.5"]) {
      const res = await exports.default.fetch(`http://sero.test/v1/beacon/${bad}`);
      expect(res.status).toBe(400);
    }
  });
});
