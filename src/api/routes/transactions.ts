import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { transactions } from "../../db/schema.ts";
import { type App, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { Hex32 } from "../schemas.ts";

const TxStatus = z
  .object({
    id: Hex32,
    status: z.enum(["pending", "committed", "rejected"]),
    height: z.number().int().nullable(),
    position: z.number().int().nullable(),
    code: z.string().nullable().openapi({ description: "why it was rejected" }),
  })
  .openapi("TxStatus");

const route = createRoute({
  method: "get",
  path: "/v1/tx/{hash}",
  summary: "Where a transaction is: pending, committed (height, position) or rejected (reason code)",
  request: { params: z.object({ hash: Hex32 }) },
  responses: {
    200: { description: "Status", content: { "application/json": { schema: TxStatus } } },
    ...errorResponses,
  },
});

export function registerTransactionRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { hash } = c.req.valid("param");
    const rows = await database(c.env)
      .select()
      .from(transactions)
      .where(eq(transactions.id, hash))
      .orderBy(asc(transactions.height), asc(transactions.position));
    // One transaction can be included twice (the same bytes, or another proof or signature under
    // the same id: PROTOCOL.md §8.8); the committed inclusion is the one that matters.
    const row = rows.find((r) => r.status === "committed") ?? rows[0];
    if (!row) {
      throw new ApiError(404, "not_found", "no such transaction");
    }
    return c.json({ id: row.id, status: row.status, height: row.height, position: row.position, code: row.code }, 200);
  });
}
