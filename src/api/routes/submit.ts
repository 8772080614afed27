/**
 * Submitting and checking transactions. The body is the transaction's JSON
 * form (application/json) or its canonical bytes (application/octet-stream);
 * either way it is parsed at the boundary and handed to a replica as bytes.
 * Refusals keep the protocol's stable codes (PROTOCOL.md §8.7), with HTTP
 * statuses by kind: 400 malformed, 409 a conflict with the ledger or the pool
 * (a note spent or being spent, an asset, nonce or ticket taken, or a replay
 * of a transaction already in a block: `already_committed`/`already_rejected`
 * with its height), 413 too large, 422 proof, anchor, signature or supply
 * invalid, 429 rate limited (`rate_limited` by address, `throttled` after
 * repeated failed proofs or signatures), 503 no replica, the validator busy
 * checking (`busy`) or the pool full of transactions paying more per byte.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toHex } from "../../codec/bytes.ts";
import { decodeUtf8 } from "../../codec/reader.ts";
import type { Admission } from "../../ledger/mempool.ts";
import { encodeTransaction } from "../../protocol/tx/codec.ts";
import { txIdOfBytes } from "../../protocol/tx/hashes.ts";
import { transactionFromJson } from "../../protocol/tx/json.ts";
import type { App, AppEnv } from "../context.ts";
import { ApiError, ErrorSchema, errorBody } from "../errors.ts";
import { checkTransaction, submitTransaction } from "../replicas.ts";
import { Hex32 } from "../schemas.ts";
import { indexedOutcome } from "./transactions.ts";

/** Far above any transaction (a 4x2 transfer is under 4 KiB), far below what would cost a replica. */
export const MAX_BODY_BYTES = 64 * 1024;

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  nullifier_spent: 409,
  nullifier_pending: 409,
  already_committed: 409,
  already_rejected: 409,
  asset_exists: 409,
  asset_pending: 409,
  nonce_pending: 409,
  ticket_exists: 409,
  ticket_pending: 409,
  invalid_proof: 422,
  unknown_anchor: 422,
  fee_too_low: 422,
  bad_signature: 422,
  unknown_asset: 422,
  bad_nonce: 422,
  native_asset: 422,
  supply_exceeded: 422,
  genesis_only: 422,
  too_large: 413,
  mempool_full: 503,
  busy: 503,
  throttled: 429,
};

const ReplayErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), height: z.number().int().optional() }),
});

const body = {
  content: {
    "application/json": {
      schema: z.record(z.string(), z.unknown()).openapi({ description: "the JSON form of PROTOCOL.md §8" }),
    },
    "application/octet-stream": {
      schema: z.string().openapi({ format: "binary", description: "the canonical encoding" }),
    },
  },
  required: true,
};

const errors = {
  400: { description: "Malformed", content: { "application/json": { schema: ErrorSchema } } },
  409: {
    description:
      "A conflict with the ledger or the pool; a replay of a transaction already in a block carries its `height`",
    content: { "application/json": { schema: ReplayErrorSchema } },
  },
  413: { description: "Body too large", content: { "application/json": { schema: ErrorSchema } } },
  429: {
    description: "Too many submissions from this address",
    content: { "application/json": { schema: ErrorSchema } },
  },
  422: { description: "Proof, anchor or signature invalid", content: { "application/json": { schema: ErrorSchema } } },
  503: {
    description: "No replica answered, or the mempool is full",
    content: { "application/json": { schema: ErrorSchema } },
  },
};

const submit = createRoute({
  method: "post",
  path: "/v1/tx",
  summary: "Submit a transaction; 202 once a replica admitted it into consensus",
  request: { body },
  responses: {
    202: {
      description: "Admitted (or already pending): follow it at GET /v1/tx/{id}",
      content: { "application/json": { schema: z.object({ id: Hex32, status: z.literal("pending") }) } },
    },
    ...errors,
  },
});

const verify = createRoute({
  method: "post",
  path: "/v1/verify",
  summary: "Every admission check (structure, anchor, nullifiers, proof or signature), without submitting",
  request: { body },
  responses: {
    200: {
      description: "The verdict",
      content: {
        "application/json": {
          schema: z.object({
            id: Hex32,
            valid: z.boolean(),
            code: z.string().optional(),
            message: z.string().optional(),
          }),
        },
      },
    },
    400: errors[400],
    413: errors[413],
    429: errors[429],
    503: errors[503],
  },
});

const isBinary = (c: Context<AppEnv>) =>
  c.req.header("Content-Type")?.split(";")[0]?.trim() === "application/octet-stream";

/** The transaction's canonical bytes, from either body form; malformed input is a 400 with the protocol's code. */
async function transactionBytes(c: Context<AppEnv>): Promise<Uint8Array> {
  if (isBinary(c)) {
    return new Uint8Array(await c.req.arrayBuffer());
  }
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, "bad_json", "the body is not JSON");
  }
  return encodeTransaction(transactionFromJson(json));
}

function refusalStatus(admission: Extract<Admission, { ok: false }>): ContentfulStatusCode {
  return STATUS_BY_CODE[admission.code] ?? 400;
}

const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => c.json(errorBody("too_large", `a transaction body is at most ${MAX_BODY_BYTES} bytes`), 413),
});

/**
 * A text body must be UTF-8 as sent (`bad_encoding`, a 400): checked on the raw bytes, before
 * the body validator reads them as text, which would turn invalid bytes into U+FFFD (PROTOCOL.md §8).
 */
const utf8Text = createMiddleware<AppEnv>(async (c, next) => {
  if (!isBinary(c)) {
    decodeUtf8(new Uint8Array(await c.req.arrayBuffer()), "the body");
  }
  await next();
});

/** The client's address, as Cloudflare's edge reports it (CF-Connecting-IP). */
const clientAddress = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "anonymous";

/** Per client address; the limit itself is in wrangler.toml. Replicas throttle addresses whose proofs fail harder. */
const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const { success } = await c.env.SUBMIT_LIMITER.limit({ key: clientAddress(c) });
  if (!success) {
    return c.json(errorBody("rate_limited", "too many submissions from this address: retry in a minute"), 429);
  }
  await next();
});

export function registerSubmitRoutes(app: App): void {
  for (const path of ["/v1/tx", "/v1/verify"]) {
    app.use(path, rateLimit);
    app.use(path, limit);
    app.use(path, utf8Text);
  }

  app.openapi(submit, async (c) => {
    const bytes = await transactionBytes(c);
    // A replay is answered from the index and never reaches a pool; the replica answers those the index lacks yet.
    const replay = await indexedOutcome(c.env, toHex(txIdOfBytes(bytes)));
    const admission: Admission = replay
      ? {
          ok: false,
          id: txIdOfBytes(bytes),
          code: replay.status === "committed" ? "already_committed" : "already_rejected",
          message: `${replay.status} in block ${replay.height}${replay.code ? ` (${replay.code})` : ""}`,
          height: replay.height,
        }
      : await submitTransaction(c.env, bytes, clientAddress(c));
    if (!admission.ok) {
      const { code, message, height } = admission;
      if (height !== undefined) {
        return c.json({ error: { code, message, height } }, 409);
      }
      throw new ApiError(refusalStatus(admission), code, message);
    }
    return c.json({ id: toHex(admission.id), status: "pending" as const }, 202);
  });

  app.openapi(verify, async (c) => {
    const bytes = await transactionBytes(c);
    const verdict = await checkTransaction(c.env, bytes, clientAddress(c));
    if (!verdict.ok && verdict.code === "throttled") {
      throw new ApiError(429, verdict.code, verdict.message);
    }
    const id = toHex(verdict.id);
    return verdict.ok
      ? c.json({ id, valid: true }, 200)
      : c.json({ id, valid: false, code: verdict.code, message: verdict.message }, 200);
  });
}
