/**
 * The chain end to end inside workerd: four replica Durable Objects run PBFT
 * over WebSocket links, execute committed blocks on their ledgers, and the
 * API answers from D1, driven over HTTP as a client would.
 */

import { exports } from "cloudflare:workers";
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { transactionToJson } from "../../src/protocol/tx/json.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { RegisterTx } from "../../src/protocol/tx/types.ts";
import { bytes32 } from "../protocol/fixtures.ts";

const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);

function registration(name: string): RegisterTx {
  const secret = bytes32(`issuer ${name}`);
  const unsigned: RegisterTx = {
    kind: "register",
    registration: {
      assetKind: "token",
      name,
      decimals: 2,
      issuer: ed25519.getPublicKey(secret),
      supply: { kind: "unlimited" },
    },
    signature: new Uint8Array(64),
  };
  return signTransaction(unsigned, "sero-local-1", secret);
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error("timed out");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
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
});
