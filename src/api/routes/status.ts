import { createRoute, z } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { localChainConfig } from "../../chain/config.ts";
import { blocks } from "../../db/schema.ts";
import { type App, database } from "../context.ts";
import { replicaStatuses } from "../replicas.ts";
import { Decimal, Hex32 } from "../schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/status",
  summary: "Chain id, height, latest anchor and state root, and every validator's view of the chain",
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
            minFee: Decimal.openapi({ description: "the least fee a transfer pays, in SERO base units" }),
            anchorWindow: z.number().int().openapi({ description: "a transfer's anchor must be this recent (blocks)" }),
            validators: z.array(
              z
                .object({
                  index: z.number().int(),
                  height: z.number().int(),
                  view: z.number().int(),
                  primary: z.number().int(),
                  stateRoot: Hex32,
                  mempool: z.number().int(),
                  peers: z.array(z.number().int()),
                })
                .nullable(),
            ),
          }),
        },
      },
    },
  },
});

export function registerStatusRoutes(app: App): void {
  app.openapi(route, async (c) => {
    // Replicas first: a replica that boots here indexes genesis before answering, so D1 is read after.
    const validators = await replicaStatuses(c.env);
    const config = localChainConfig(c.env.CHAIN_ID);
    const [tip] = await database(c.env).select().from(blocks).orderBy(desc(blocks.height)).limit(1);
    return c.json(
      {
        chainId: c.env.CHAIN_ID,
        protocolVersion: 1 as const,
        height: tip?.height ?? null,
        anchor: tip?.anchor ?? null,
        stateRoot: tip?.stateRoot ?? null,
        minFee: config.minFee.toString(),
        anchorWindow: config.anchorWindow,
        validators: validators.map((v) => (v ? { ...v, peers: [...v.peers] } : null)),
      },
      200,
    );
  });
}
