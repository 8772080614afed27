/**
 * The chain end to end inside workerd: four replica Durable Objects run PBFT
 * over WebSocket links, execute committed blocks on their ledgers, and the
 * API answers from D1, driven over HTTP as a client would.
 */

import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { transactionToJson } from "../../src/protocol/tx/json.ts";
import { http, registration, submitAndWait, until } from "./chain-client.ts";

type Validator = { height: number; stateRoot: string };

async function validatorsAt(height: number): Promise<Validator[]> {
  return until(async () => {
    const status = (await (await http("/v1/status")).json()) as { validators: (Validator | null)[] };
    const all = status.validators.filter((v): v is Validator => v !== null);
    return all.length === 4 && all.every((v) => v.height >= height) ? all : undefined;
  });
}

describe("local chain", () => {
  it("commits a submitted transaction on every replica and indexes it", async () => {
    const tx = registration("GOLD");
    const res = await http("/v1/tx", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(transactionToJson(tx)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const committed = await until(async () => {
      const status = (await (await http(`/v1/tx/${id}`)).json()) as { status?: string; height?: number };
      return status.status === "committed" ? status : undefined;
    });
    expect(committed.height).toBeGreaterThan(0);
    const everyone = await until(async () => {
      const status = (await (await http("/v1/status")).json()) as {
        validators: { height: number; stateRoot: string }[];
      };
      const heights = status.validators.map((v) => v.height);
      return heights.every((h) => h >= (committed.height as number)) ? status : undefined;
    });
    expect(new Set(everyone.validators.map((v) => v.height)).size).toBeLessThanOrEqual(2);
    const assets = (await (await http("/v1/assets")).json()) as { assets: { name: string }[] };
    expect(assets.assets.map((a) => a.name)).toContain("GOLD");
  });

  it("refuses bad submissions with the right status and changes nothing", async () => {
    const tx = registration("SILVER");
    const forged = { ...tx, signature: new Uint8Array(64).fill(1) };
    const post = (body: BodyInit, type = "application/octet-stream") =>
      http("/v1/tx", { method: "POST", headers: { "Content-Type": type }, body });
    expect((await post(encodeTransaction(forged))).status).toBe(422);
    expect((await post(new Uint8Array([1, 2, 3]))).status).toBe(400);
    expect((await post("{", "application/json")).status).toBe(400);
    expect((await post(new Uint8Array(70_000))).status).toBe(413);
    const verdict = (await (
      await http("/v1/verify", {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: encodeTransaction(tx),
      })
    ).json()) as { valid: boolean; id: string };
    expect(verdict).toMatchObject({ valid: true });
    expect((await http(`/v1/tx/${verdict.id}`)).status).toBe(404);
  });

  it("recovers from a crash of every replica: nothing committed is lost and the chain goes on", async () => {
    const { height } = await submitAndWait(registration("ALPHA"));
    const before = await validatorsAt(height);
    await abortAllDurableObjects(); // in-memory state gone, storage kept: a crash, not a clean stop
    const after = await validatorsAt(height);
    for (const v of after) {
      expect(v.height).toBeGreaterThanOrEqual(height);
    }
    // Replicas at the same height agree on the state root, before and after.
    const roots = new Map(before.map((v) => [v.height, v.stateRoot]));
    for (const v of after) {
      if (roots.has(v.height)) {
        expect(v.stateRoot).toBe(roots.get(v.height));
      }
    }
    const next = await submitAndWait(registration("BETA"));
    expect(next.height).toBeGreaterThan(height);
    const assets = (await (await http("/v1/assets")).json()) as { assets: { name: string }[] };
    expect(assets.assets.map((a) => a.name)).toEqual(expect.arrayContaining(["ALPHA", "BETA"]));
  });
});
