import { createRoute, z } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { blocks } from "../../db/schema.ts";
import { type App, database } from "../context.ts";
import { Hex32 } from "../schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/status",
  summary: "Chain id, height, latest anchor and state root",
  responses: {
    200: {
      description: "Status",
      content: {
        "application/json": {
          schema: z.object({
            chainId: z.string(),
            protocolVersion: z.literal(1),
            height: z.number().int().nullable().openapi({ description: "null before genesis is indexed" }),
            anchor: Hex32.nullable(),
            stateRoot: Hex32.nullable(),
          }),
        },
      },
    },
  },
});

export function registerStatusRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const [tip] = await database(c.env).select().from(blocks).orderBy(desc(blocks.height)).limit(1);
    return c.json(
      {
        chainId: c.env.CHAIN_ID,
        protocolVersion: 1 as const,
        height: tip?.height ?? null,
        anchor: tip?.anchor ?? null,
        stateRoot: tip?.stateRoot ?? null,
      },
      200,
    );
  });
}
