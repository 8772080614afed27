import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { assets } from "../../db/schema.ts";
import { type App, type Bindings, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { Decimal, Hex32 } from "../schemas.ts";

const Asset = z
  .object({
    id: Hex32,
    kind: z.enum(["token", "ticket"]),
    name: z.string(),
    decimals: z.number().int(),
    issuer: Hex32,
    supplyRule: z.enum(["capped", "unlimited"]),
    cap: Decimal.nullable(),
    issued: Decimal,
    fees: Decimal,
    supply: Decimal.openapi({ description: "value in the shielded pool: issued − fees (PROTOCOL.md §7)" }),
  })
  .openapi("Asset");

type AssetRow = typeof assets.$inferSelect;

export function toAsset(row: AssetRow): z.infer<typeof Asset> {
  const { nonce: _nonce, ...rest } = row;
  return { ...rest, supply: (BigInt(row.issued) - BigInt(row.fees)).toString() };
}

const list = createRoute({
  method: "get",
  path: "/v1/assets",
  summary: "Registered assets and their public supply",
  responses: {
    200: { description: "Assets", content: { "application/json": { schema: z.object({ assets: z.array(Asset) }) } } },
  },
});

const one = createRoute({
  method: "get",
  path: "/v1/assets/{id}",
  summary: "One asset by id",
  request: { params: z.object({ id: Hex32 }) },
  responses: { 200: { description: "Asset", content: { "application/json": { schema: Asset } } }, ...errorResponses },
});

/** One registered asset by id, or undefined. */
export async function indexedAsset(env: Bindings, id: string) {
  const [row] = await database(env).select().from(assets).where(eq(assets.id, id));
  return row && toAsset(row);
}

export function registerAssetRoutes(app: App): void {
  app.openapi(list, async (c) => {
    const rows = await database(c.env).select().from(assets).orderBy(asc(assets.name));
    return c.json({ assets: rows.map(toAsset) }, 200);
  });

  app.openapi(one, async (c) => {
    const { id } = c.req.valid("param");
    const asset = await indexedAsset(c.env, id);
    if (!asset) {
      throw new ApiError(404, "not_found", "no such asset");
    }
    return c.json(asset, 200);
  });
}
