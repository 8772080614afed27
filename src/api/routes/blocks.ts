import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq, gte } from "drizzle-orm";
import { blocks, transactions } from "../../db/schema.ts";
import { type App, type Bindings, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { BlockSummary, Height, Hex32 } from "../schemas.ts";

export const MAX_BLOCKS_PER_PAGE = 100;

/** The BlockSummary columns: the frontier is served by /v1/tree/{height} only. */
const summary = {
  height: blocks.height,
  stateRoot: blocks.stateRoot,
  anchor: blocks.anchor,
  txCount: blocks.txCount,
  fees: blocks.fees,
};

const TxSummary = z
  .object({
    id: Hex32,
    position: z.number().int(),
    kind: z.enum(["transfer", "register", "issue", "genesis", "deploy", "call"]).nullable(),
    status: z.enum(["committed", "rejected"]),
    code: z.string().nullable(),
  })
  .openapi("TxSummary");

const list = createRoute({
  method: "get",
  path: "/v1/blocks",
  summary: "Committed blocks from a height, oldest first",
  request: {
    query: z.object({
      from: Height.default(0),
      limit: z.coerce.number().int().min(1).max(MAX_BLOCKS_PER_PAGE).default(20),
    }),
  },
  responses: {
    200: {
      description: "Blocks",
      content: { "application/json": { schema: z.object({ blocks: z.array(BlockSummary) }) } },
    },
    400: errorResponses[400],
  },
});

const one = createRoute({
  method: "get",
  path: "/v1/blocks/{height}",
  summary: "One block and its transactions (public data only)",
  request: { params: z.object({ height: Height }) },
  responses: {
    200: {
      description: "Block",
      content: { "application/json": { schema: z.object({ block: BlockSummary, transactions: z.array(TxSummary) }) } },
    },
    ...errorResponses,
  },
});

/** One block and its transactions in order, or undefined when the index holds no such height. */
export async function indexedBlock(env: Bindings, height: number) {
  const db = database(env);
  const [block] = await db.select(summary).from(blocks).where(eq(blocks.height, height));
  if (!block) {
    return undefined;
  }
  const txs = await db
    .select()
    .from(transactions)
    .where(eq(transactions.height, height))
    .orderBy(asc(transactions.position));
  return { block, transactions: txs };
}

export function registerBlockRoutes(app: App): void {
  app.openapi(list, async (c) => {
    const { from, limit } = c.req.valid("query");
    const rows = await database(c.env)
      .select(summary)
      .from(blocks)
      .where(gte(blocks.height, from))
      .orderBy(asc(blocks.height))
      .limit(limit);
    return c.json({ blocks: rows }, 200);
  });

  app.openapi(one, async (c) => {
    const { height } = c.req.valid("param");
    const found = await indexedBlock(c.env, height);
    if (!found) {
      throw new ApiError(404, "not_found", `no block at height ${height}`);
    }
    return c.json(
      {
        block: found.block,
        transactions: found.transactions.map((t) => ({
          id: t.id,
          position: t.position,
          kind: t.kind,
          status: t.status,
          code: t.code,
        })),
      },
      200,
    );
  });
}
