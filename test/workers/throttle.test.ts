/**
 * CPU cannot be exhausted cheaply: an address whose submissions keep failing
 * their proof check is refused (429 throttled) before any verification runs,
 * on /v1/tx and /v1/verify alike, while another address is served as usual.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromHex } from "../../src/codec/bytes.ts";
import { DEFAULT_FAILURE_THROTTLE } from "../../src/ledger/failure-throttle.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { TransferTx } from "../../src/protocol/tx/types.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };

/** The fixture transfer claiming a fee `extra` higher: its proof no longer verifies (the fee is a public input). */
function forged(extra: bigint): Uint8Array {
  const tx = decodeTransaction(fromHex(fixtures.independent) as Uint8Array) as TransferTx;
  return encodeTransaction({ ...tx, fee: tx.fee + extra });
}

async function send(path: "/v1/tx" | "/v1/verify", body: Uint8Array, address: string): Promise<[number, string]> {
  const res = await exports.default.fetch(`http://sero.test${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream", "CF-Connecting-IP": address },
    body,
  });
  const json = (await res.json()) as { code?: string; error?: { code: string } };
  return [res.status, json.error?.code ?? json.code ?? "valid"];
}

describe("failure throttle", () => {
  it("refuses an address whose forgeries spent its budget, and only that address", async () => {
    const forger = "198.51.100.7";
    const answers: [number, string][] = [];
    const throttledRun = () => answers.slice(-4).filter(([, code]) => code === "throttled").length;
    // Each replica counts the failures it checked, and the API rotates over four: go on until all four refuse.
    for (let i = 1n; i <= BigInt(5 * DEFAULT_FAILURE_THROTTLE.burst) && throttledRun() < 4; i++) {
      answers.push(await send(i % 2n === 0n ? "/v1/verify" : "/v1/tx", forged(i), forger));
    }
    expect(answers.slice(-4)).toEqual(Array(4).fill([429, "throttled"]));
    expect(answers.filter(([, code]) => code !== "throttled" && code !== "invalid_proof")).toEqual([]);
    expect(await send("/v1/verify", forged(1_000n), forger)).toEqual([429, "throttled"]);
    expect(await send("/v1/tx", forged(1_001n), "203.0.113.9")).toEqual([422, "invalid_proof"]);
  }, 120_000);
});
