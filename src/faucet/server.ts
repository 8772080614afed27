/**
 * The faucet's HTTP face (Node): `POST /v1/faucet {"to": ADDRESS}` pays the
 * drip and answers the transaction id; `GET /v1/faucet` tells the drip and
 * what is left. Errors are `{ "error": { "code", "message" } }` like the node's.
 *
 * A request is checked completely (body, JSON, address) before it counts
 * against any limit, so malformed requests cannot use up anyone's quota.
 * Two limits then apply (docs/OPERATING.md "A faucet for a deployed testnet"):
 * per client address (./client-address.ts) and per recipient address.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SERO_DECIMALS } from "../protocol/asset.ts";
import { parseRecipient } from "../wallet/recipient.ts";
import { type ClientAddressRule, clientAddress } from "./client-address.ts";
import type { Faucet } from "./faucet.ts";
import { SlidingWindow, type WindowLimit } from "./rate-limit.ts";

const MAX_BODY = 4096;

/** A proof costs seconds of CPU: requests per client address. */
export const DEFAULT_CLIENT_LIMIT: WindowLimit = { limit: 10, windowMs: 60_000 };
/** Drips per recipient address, whichever client asks for them. */
export const DEFAULT_RECIPIENT_LIMIT: WindowLimit = { limit: 5, windowMs: 3_600_000 };

export type FaucetServerOptions = ClientAddressRule & {
  readonly host?: string;
  readonly perClient?: WindowLimit;
  readonly perRecipient?: WindowLimit;
  /** Milliseconds, for the windows. */
  readonly now?: () => number;
};

/** What the server needs of a faucet (tests pass one that does not prove). */
export type FaucetService = Pick<Faucet, "drip" | "balance" | "pay">;

type Reply = { status: number; body: unknown };

const error = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

const per = (rule: WindowLimit) =>
  rule.windowMs % 3_600_000 === 0 ? `${rule.windowMs / 3_600_000} h` : `${rule.windowMs / 1000} s`;

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

/** The recipient's address text, checked; the key its drips are counted under. */
async function recipientOf(req: IncomingMessage): Promise<{ to: string } | Reply> {
  const text = await readBody(req);
  if (text === undefined) {
    return error(413, "too_large", `the body is at most ${MAX_BODY} bytes`);
  }
  let to: unknown;
  try {
    to = (JSON.parse(text) as { to?: unknown } | null)?.to;
  } catch {
    return error(400, "bad_json", 'the body is JSON: {"to": "sero1..."}');
  }
  if (typeof to !== "string") {
    return error(400, "bad_request", 'give the address to pay: {"to": "sero1..."}');
  }
  try {
    parseRecipient(to);
  } catch (e) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return error(400, typeof code === "string" ? code : "bad_address", String(message));
  }
  // Decoding accepts one spelling per address (lowercase, PROTOCOL.md §3.5): one recipient, one key.
  return { to };
}

export type FaucetServer = { readonly url: string; close(): Promise<void> };

export async function serveFaucet(
  faucet: FaucetService,
  port: number,
  options: FaucetServerOptions = {},
): Promise<FaucetServer> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const perClient = new SlidingWindow(options.perClient ?? DEFAULT_CLIENT_LIMIT);
  const perRecipient = new SlidingWindow(options.perRecipient ?? DEFAULT_RECIPIENT_LIMIT);

  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const path = new URL(req.url ?? "/", "http://faucet").pathname;
    if (path !== "/v1/faucet") {
      // A wallet given the faucet's URL as its node lands here: say what this is.
      return error(404, "not_found", "this is a SERO faucet, not a node: it answers only at /v1/faucet");
    }
    if (req.method === "GET") {
      const left = await faucet.balance();
      return { status: 200, body: { drip: faucet.drip.toString(), decimals: SERO_DECIMALS, balance: left.toString() } };
    }
    if (req.method !== "POST") {
      return error(405, "method_not_allowed", "GET or POST /v1/faucet");
    }
    const recipient = await recipientOf(req);
    if (!("to" in recipient)) {
      return recipient;
    }
    const client = clientAddress(req.headers, req.socket.remoteAddress, options);
    const at = now();
    if (!perClient.allows(client, at)) {
      return error(429, "rate_limited", `at most ${perClient.rule.limit} requests per ${per(perClient.rule)}`);
    }
    if (!perRecipient.allows(recipient.to, at)) {
      const { limit } = perRecipient.rule;
      return error(429, "recipient_limited", `this address got ${limit} drips in the last ${per(perRecipient.rule)}`);
    }
    perClient.record(client, at);
    perRecipient.record(recipient.to, at);
    const txId = await faucet.pay(recipient.to);
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
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is in use`) : e),
    );
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
