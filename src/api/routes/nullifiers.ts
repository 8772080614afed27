import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { nullifiers } from "../../db/schema.ts";
import { type App, type Bindings, database } from "../context.ts";
import { errorResponses } from "../errors.ts";
import { Hex32 } from "../schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/nullifiers/{nf}",
  summary: "Whether a nullifier is spent, and at which height",
  request: { params: z.object({ nf: Hex32 }) },
  responses: {
    200: {
      description: "Spend status",
      content: {
        "application/json": {
          schema: z.object({ nullifier: Hex32, spent: z.boolean(), height: z.number().int().nullable() }),
        },
      },
    },
    400: errorResponses[400],
  },
});

/** The height a nullifier was spent at, and by which transaction; undefined while unspent. */
export async function nullifierSpend(env: Bindings, nf: string) {
  const [row] = await database(env).select().from(nullifiers).where(eq(nullifiers.nullifier, nf));
  return row;
}

export function registerNullifierRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { nf } = c.req.valid("param");
    const row = await nullifierSpend(c.env, nf);
    return c.json({ nullifier: nf, spent: row !== undefined, height: row?.height ?? null }, 200);
  });
}
