/**
 * The commitment tree's frontier after a block (§7, §7.1): a wallet starting
 * from a recent height seeds its tree from it instead of hashing every leaf
 * before, and checks it against the block's anchor, so a lying server can only
 * make the wallet's proofs fail. Public data: asking for it reveals nothing.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { fromHex } from "../../codec/bytes.ts";
import { blocks } from "../../db/schema.ts";
import { IncrementalTree } from "../../protocol/merkle/tree.ts";
import { type App, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { Height, Hex32 } from "../schemas.ts";

const TreeState = z
  .object({
    height: z.number().int(),
    anchor: Hex32.openapi({ description: "The tree root after the block" }),
    size: z.number().int().openapi({ description: "Leaves in the tree after the block" }),
    frontier: z
      .string()
      .regex(/^(?:[0-9a-f]{2})+$/)
      .openapi({ description: "The canonical frontier encoding (PROTOCOL.md §7), lowercase hex" }),
  })
  .openapi("TreeState");

const route = createRoute({
  method: "get",
  path: "/v1/tree/{height}",
  summary: "The commitment tree's frontier after a committed block",
  request: { params: z.object({ height: Height }) },
  responses: {
    200: { description: "Tree state after the block", content: { "application/json": { schema: TreeState } } },
    ...errorResponses,
  },
});

export function registerTreeRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { height } = c.req.valid("param");
    const [row] = await database(c.env)
      .select({ anchor: blocks.anchor, frontier: blocks.frontier })
      .from(blocks)
      .where(eq(blocks.height, height));
    // Blocks projected before frontiers were recorded have none (migration 0001).
    if (!row?.frontier) {
      throw new ApiError(404, "not_found", `no tree state for height ${height}`);
    }
    let size: number;
    try {
      // Parsing only (no hashing): the size is in the encoding's header.
      size = IncrementalTree.decode(fromHex(row.frontier) as Uint8Array).size;
    } catch (e) {
      // Our stored data, not the client's input: a 500, not a ProtocolError's 400.
      throw new Error(`the stored frontier of block ${height} does not decode`, { cause: e });
    }
    // A committed block never changes, so neither does the tree after it.
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.json({ height, anchor: row.anchor, size, frontier: row.frontier }, 200);
  });
}
