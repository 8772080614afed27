/**
 * The faucet's HTTP face (Node): `POST /v1/faucet {"to": ADDRESS}` pays the
 * drip and answers the transaction id; `GET /v1/faucet` tells the drip and
 * what is left. Errors are `{ "error": { "code", "message" } }` like the node's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SERO_DECIMALS } from "../protocol/asset.ts";
import type { Faucet } from "./faucet.ts";

const MAX_BODY = 4096;
/** Requests per client address per minute: a proof costs seconds of CPU. */
const PER_MINUTE = 10;

type Reply = { status: number; body: unknown };

const error = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type FaucetServer = { readonly url: string; close(): Promise<void> };

export async function serveFaucet(faucet: Faucet, port: number, host = "127.0.0.1"): Promise<FaucetServer> {
  const recent = new Map<string, number[]>();
  const limited = (client: string) => {
    const now = Date.now();
    const times = (recent.get(client) ?? []).filter((t) => now - t < 60_000);
    recent.set(client, [...times, now]);
    return times.length >= PER_MINUTE;
  };

  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const path = new URL(req.url ?? "/", "http://faucet").pathname;
    if (path !== "/v1/faucet") {
      return error(404, "not_found", "the faucet answers at /v1/faucet");
    }
    if (req.method === "GET") {
      const left = await faucet.balance();
      return { status: 200, body: { drip: faucet.drip.toString(), decimals: SERO_DECIMALS, balance: left.toString() } };
    }
    if (req.method !== "POST") {
      return error(405, "method_not_allowed", "GET or POST /v1/faucet");
    }
    if (limited(req.socket.remoteAddress ?? "unknown")) {
      return error(429, "rate_limited", `at most ${PER_MINUTE} requests a minute`);
    }
    const text = await readBody(req);
    if (text === undefined) {
      return error(413, "too_large", `the body is at most ${MAX_BODY} bytes`);
    }
    let to: unknown;
    try {
      to = (JSON.parse(text) as { to?: unknown }).to;
    } catch {
      return error(400, "bad_json", 'the body is JSON: {"to": "sero1..."}');
    }
    if (typeof to !== "string") {
      return error(400, "bad_request", 'give the address to pay: {"to": "sero1..."}');
    }
    const txId = await faucet.pay(to);
    return { status: 200, body: { txId, amount: faucet.drip.toString() } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .catch((e: { code?: unknown; message?: unknown }) =>
        typeof e?.code === "string"
          ? error(e.code === "insufficient_funds" ? 503 : 400, e.code, String(e.message))
          : error(503, "faucet_unavailable", "the faucet could not pay: is the node running?"),
      )
      .then((reply) => {
        res.writeHead(reply.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(reply.body));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
