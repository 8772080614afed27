/**
 * The faucet's HTTP limits, with a faucet that pays without proving: what
 * counts against a quota, whose quota it is, and which headers are believed.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "../../src/faucet/client-address.ts";
import { SlidingWindow } from "../../src/faucet/rate-limit.ts";
import { type FaucetServer, type FaucetServerOptions, serveFaucet } from "../../src/faucet/server.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { oneTimeAddressText, publicAddressText } from "../../src/wallet/account.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x21));
const account = { viewing: keys, spending: keys };
const alice = publicAddressText(account);
const oneTime = (i: number) => oneTimeAddressText(account, i);

let server: FaucetServer | undefined;
let paid: string[] = [];

async function start(options: FaucetServerOptions = {}): Promise<FaucetServer> {
  paid = [];
  const faucet = {
    drip: 5n,
    balance: async () => 100n,
    pay: async (to: string) => {
      paid.push(to);
      return "ab".repeat(32);
    },
  };
  server = await serveFaucet(faucet, 0, { perClient: { limit: 3, windowMs: 60_000 }, ...options });
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ask(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server?.url}/v1/faucet`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
}

const drip = (to: string, headers?: Record<string, string>) => ask(JSON.stringify({ to }), headers);

describe("faucet rate limits", () => {
  it("does not count garbage against the client's quota", async () => {
    await start();
    const garbage = [
      "not json",
      "null",
      "[]",
      JSON.stringify({ to: 5 }),
      JSON.stringify({ to: "sero1notanaddress" }),
      JSON.stringify({ to: "SERO1" }),
      JSON.stringify({ to: alice.toUpperCase() }),
      "x".repeat(5000),
    ];
    for (let round = 0; round < 3; round++) {
      for (const body of garbage) {
        const { status } = await ask(body);
        expect([400, 413]).toContain(status);
      }
    }
    for (let i = 0; i < 3; i++) {
      expect((await drip(oneTime(i))).status).toBe(200);
    }
    expect((await drip(oneTime(9))).body.error?.code).toBe("rate_limited");
    expect(paid).toEqual([oneTime(0), oneTime(1), oneTime(2)]);
  });

  it("limits two clients behind one trusted proxy separately", async () => {
    await start({ trustProxyHeader: "X-Forwarded-For" });
    // The proxy appends the peer it saw; a client may send its own header first, which is ignored.
    const via = (client: string, forged?: string) => ({
      "X-Forwarded-For": forged === undefined ? client : `${forged}, ${client}`,
    });
    for (let i = 0; i < 3; i++) {
      expect((await drip(oneTime(i), via("198.51.100.7", "203.0.113.1"))).status).toBe(200);
    }
    expect((await drip(oneTime(3), via("198.51.100.7", "203.0.113.99"))).body.error?.code).toBe("rate_limited");
    expect((await drip(oneTime(4), via("2001:db8::1"))).status).toBe(200);
    // A request that did not come through the proxy is keyed on its own socket address.
    expect((await drip(oneTime(5))).status).toBe(200);
  });

  it("ignores a forged header when no proxy is trusted", async () => {
    await start();
    for (let i = 0; i < 3; i++) {
      expect((await drip(oneTime(i), { "X-Forwarded-For": `192.0.2.${i}` })).status).toBe(200);
    }
    expect((await drip(oneTime(3), { "X-Forwarded-For": "192.0.2.200" })).body.error?.code).toBe("rate_limited");
  });

  it("caps a recipient's drips whichever client asks", async () => {
    await start({ trustProxyHeader: "X-Forwarded-For", perRecipient: { limit: 2, windowMs: 3_600_000 } });
    expect((await drip(alice, { "X-Forwarded-For": "198.51.100.1" })).status).toBe(200);
    expect((await drip(alice, { "X-Forwarded-For": "198.51.100.2" })).status).toBe(200);
    const third = await drip(alice, { "X-Forwarded-For": "198.51.100.3" });
    expect(third).toMatchObject({ status: 429, body: { error: { code: "recipient_limited" } } });
    // The refused request used none of that client's quota, and other recipients are still paid.
    for (let i = 0; i < 3; i++) {
      expect((await drip(oneTime(i), { "X-Forwarded-For": "198.51.100.3" })).status).toBe(200);
    }
    expect(paid.filter((to) => to === alice)).toHaveLength(2);
  });

  it("frees a quota once its window has passed", async () => {
    let now = 1_000_000;
    await start({ now: () => now, perRecipient: { limit: 1, windowMs: 10_000 } });
    expect((await drip(alice)).status).toBe(200);
    expect((await drip(alice)).status).toBe(429);
    now += 10_000;
    expect((await drip(alice)).status).toBe(200);
  });
});

describe("the client address", () => {
  it("is the right-most valid address of the trusted header, else the socket's", () => {
    const rule = { trustProxyHeader: "X-Forwarded-For" };
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" }, "10.0.0.1", rule)).toBe("2.2.2.2");
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, garbage" }, "10.0.0.1", rule)).toBe("10.0.0.1");
    expect(clientAddress({}, "10.0.0.1", rule)).toBe("10.0.0.1");
    expect(clientAddress({ "x-forwarded-for": "2.2.2.2" }, "10.0.0.1", {})).toBe("10.0.0.1");
  });

  it("cannot be chosen by what a client writes left of the proxy's entry", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), fc.ipV4(), (forged, real) => {
        const header = [...forged, real].join(", ");
        expect(clientAddress({ "x-forwarded-for": header }, "10.0.0.1", { trustProxyHeader: "X-Forwarded-For" })).toBe(
          real,
        );
      }),
    );
  });
});

describe("the sliding window", () => {
  it("never allows more than the limit within any window", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), (gaps) => {
        const window = new SlidingWindow({ limit: 3, windowMs: 100 });
        const accepted: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          if (window.allows("k", now)) {
            window.record("k", now);
            accepted.push(now);
          }
        }
        for (const t of accepted) {
          expect(accepted.filter((u) => u >= t && u - t < 100).length).toBeLessThanOrEqual(3);
        }
      }),
    );
  });
});

describe("faucet server edges", () => {
  it("a port already in use is a plain error, not a crash or a hang", async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    const faucet = { drip: 5n, balance: async () => 0n, pay: async () => "ab".repeat(32) };
    await expect(serveFaucet(faucet, port)).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
  });

  it("a wallet that takes the faucet for a node is told what it reached", async () => {
    await start();
    const response = await fetch(`${server?.url}/v1/status`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "this is a SERO faucet, not a node: it answers only at /v1/faucet" },
    });
  });
});
