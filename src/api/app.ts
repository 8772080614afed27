import { Hono } from "hono";
import { errorBody } from "./errors.ts";

export type Bindings = {
  CHAIN_ID: string;
};

/** The public HTTP API. Routes are added per domain; every error has one JSON shape. */
export function createApp(): Hono<{ Bindings: Bindings }> {
  const app = new Hono<{ Bindings: Bindings }>();

  app.get("/v1/status", (c) =>
    c.json({
      chainId: c.env.CHAIN_ID,
      protocolVersion: 1,
    }),
  );

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  // Anything thrown here is our bug, not the client's: report it without internals.
  app.onError((_err, c) => c.json(errorBody("internal", "internal error"), 500));
  return app;
}
