/**
 * Where a transaction is (PROTOCOL.md §8.10): committed or rejected in a block
 * (from the index, or from a replica while the index catches up), pending in
 * a replica's pool, or dropped from it with a reason (`expired`, `evicted`,
 * `nullifier_spent`, ...). A transaction accepted with 202 is always one of
 * these while its record lasts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { fromHex } from "../../codec/bytes.ts";
import { OUTCOME_CODES, type OutcomeCode } from "../../contracts/outcome.ts";
import { transactions } from "../../db/schema.ts";
import { encodeText } from "../../protocol/text.ts";
import { type App, type Bindings, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { txPresence } from "../replicas.ts";
import { ContractAddress, Decimal, Hex, Hex32 } from "../schemas.ts";

const TxStatus = z
  .object({
    id: Hex32,
    status: z.enum(["pending", "committed", "rejected", "dropped"]),
    height: z.number().int().nullable(),
    position: z.number().int().nullable(),
    code: z.string().nullable().openapi({ description: "why it was rejected or dropped" }),
    outcome: z
      .object({
        code: z.enum(OUTCOME_CODES),
        gasUsed: Decimal,
        returnData: Hex,
        contract: ContractAddress.nullable().openapi({ description: "the contract a deploy created" }),
      })
      .optional()
      .openapi({ description: "a committed deploy's or call's outcome (PROTOCOL.md §10.6)" }),
  })
  .openapi("TxStatus");

type TxStatus = z.infer<typeof TxStatus>;

const route = createRoute({
  method: "get",
  path: "/v1/tx/{hash}",
  summary: "Where a transaction is: pending, committed (height, position), rejected or dropped (reason code)",
  request: { params: z.object({ hash: Hex32 }) },
  responses: {
    200: { description: "Status", content: { "application/json": { schema: TxStatus } } },
    ...errorResponses,
  },
});

/** The index's row for a transaction id: its committed inclusion if any, else its first (rejected) one. */
export async function indexedTransaction(env: Bindings, id: string) {
  const rows = await database(env)
    .select()
    .from(transactions)
    .where(eq(transactions.id, id))
    .orderBy(asc(transactions.height), asc(transactions.position));
  // One transaction can be included twice (the same bytes, or another proof or signature under
  // the same id: PROTOCOL.md §8.8); the committed inclusion is the one that matters.
  return rows.find((r) => r.status === "committed") ?? rows[0];
}

/** The block outcome the index holds for a transaction id, if any. */
export async function indexedOutcome(env: Bindings, id: string) {
  const row = await indexedTransaction(env, id);
  return (
    row && {
      id: row.id,
      status: row.status,
      height: row.height,
      position: row.position,
      code: row.code,
      ...(row.outcome === null ? {} : { outcome: contractOutcome(row) }),
    }
  );
}

/** The outcome columns of a contract transaction's row, as the API spells them. */
export function contractOutcome(row: typeof transactions.$inferSelect) {
  return {
    code: row.outcome as OutcomeCode,
    gasUsed: row.gasUsed ?? "0",
    returnData: row.returnData ?? "",
    contract:
      row.createdContract === null ? null : encodeText("contractAddress", fromHex(row.createdContract) as Uint8Array),
  };
}

export function registerTransactionRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { hash } = c.req.valid("param");
    const indexed = await indexedOutcome(c.env, hash);
    if (indexed) {
      return c.json(indexed, 200);
    }
    const presence = await txPresence(c.env, hash);
    if (presence.status === "unknown") {
      throw new ApiError(404, "not_found", "no such transaction");
    }
    const status: TxStatus = {
      id: hash,
      status: presence.status,
      height: "height" in presence ? presence.height : null,
      position: null,
      code: "code" in presence ? presence.code : null,
    };
    return c.json(status, 200);
  });
}
