/** Typed bindings of the API Worker and the app type every route registers on. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import type { Replica } from "../../durable-objects/replica.ts";
import type { ChainEnv } from "../chain/from-env.ts";
import type { TopologyEnv } from "../chain/topology.ts";
import * as schema from "../db/schema.ts";

export type Bindings = TopologyEnv &
  ChainEnv & {
    DB: D1Database;
    SUBMIT_LIMITER: RateLimit;
    REPLICA: DurableObjectNamespace<Replica>;
    /** The faucet service beside a test chain (./routes/faucet.ts); absent elsewhere. */
    FAUCET_URL?: string;
  };

export type AppEnv = { Bindings: Bindings };
export type App = OpenAPIHono<AppEnv>;

export function database(env: Bindings) {
  return drizzle(env.DB, { schema });
}
