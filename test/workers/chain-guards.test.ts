/**
 * A deployment that would run on public keys refuses every request with 503
 * `misconfigured`: the local chain outside local tooling (what `wrangler
 * deploy` without --env gives), and a deployed chain whose GENESIS does not
 * name the proof verifying keys it trusts.
 */
import { env } from "cloudflare:workers";
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { bundledKeys } from "../../src/chain/verifying-keys.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { encodePublicAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const app = createApp();

async function blocksWith(vars: Record<string, string>): Promise<Response> {
  return app.fetch(new Request("https://sero-edge.example.workers.dev/v1/blocks"), { ...env, ...vars });
}

async function misconfigured(res: Response): Promise<string> {
  expect(res.status).toBe(503);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("misconfigured");
  return body.error.message;
}

const genesis = (extra: Record<string, unknown>) =>
  JSON.stringify({
    chainId: "sero-testnet-9",
    validators: [0, 1, 2, 3].map((i) => toHex(ed25519.getPublicKey(bytes32(`guard validator ${i}`)))),
    entropy: toHex(bytes32("guard entropy")),
    grants: [
      {
        recipient: encodeText("publicAddress", encodePublicAddress(publicAddressOf(account("guard faucet")))),
        amounts: ["1000"],
        memo: "",
      },
    ],
    ...extra,
  });

describe("deployment guards", () => {
  it("refuses the local dev chain without the local tooling marker", async () => {
    expect(await misconfigured(await blocksWith({ LOCAL_DEV: "" }))).toMatch(
      /^CHAIN_ID "sero-local-1" is a local dev chain, .*wrangler deploy --env testnet/,
    );
  });

  it("refuses a deployed chain whose GENESIS trusts no verifying keys, or others than the build's", async () => {
    const vars = { CHAIN_ID: "sero-testnet-9" };
    expect(await misconfigured(await blocksWith({ ...vars, GENESIS: genesis({}) }))).toMatch(
      /^GENESIS\.verifyingKeys is not set: .*public DEV setup keys/,
    );
    const wrong = Object.fromEntries(bundledKeys().map((k) => [k.shape, "00".repeat(32)]));
    expect(await misconfigured(await blocksWith({ ...vars, GENESIS: genesis({ verifyingKeys: wrong }) }))).toMatch(
      /^GENESIS\.verifyingKeys\.2x2 is 0{64}, but this build's 2x2 key hashes to/,
    );
    // Naming the build's keys passes: the API serves (here from this test's D1).
    const named = Object.fromEntries(bundledKeys().map((k) => [k.shape, k.hash]));
    const res = await blocksWith({ ...vars, GENESIS: genesis({ verifyingKeys: named }) });
    expect(res.status).toBe(200);
  });
});
