import { OpenAPIHono } from "@hono/zod-openapi";
import { ProtocolError } from "../protocol/errors.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, errorBody } from "./errors.ts";
import { registerAssetRoutes } from "./routes/assets.ts";
import { registerBlockRoutes } from "./routes/blocks.ts";
import { registerNullifierRoutes } from "./routes/nullifiers.ts";
import { registerStatusRoutes } from "./routes/status.ts";
import { registerSyncRoutes } from "./routes/sync.ts";
import { registerTransactionRoutes } from "./routes/transactions.ts";

/** The public HTTP API: every input validated at the boundary, every error in one JSON shape. */
export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.join(".") || result.target;
        return c.json(errorBody("bad_request", `${where}: ${issue?.message ?? "invalid"}`), 400);
      }
    },
  });

  registerStatusRoutes(app);
  registerBlockRoutes(app);
  registerTransactionRoutes(app);
  registerNullifierRoutes(app);
  registerAssetRoutes(app);
  registerSyncRoutes(app);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "SERO Edge API",
      version: "1",
      description: "Shielded multi-asset payments: explorer and wallet sync.",
    },
  });

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(errorBody(err.code, err.message), err.status);
    }
    if (err instanceof ProtocolError) {
      return c.json(errorBody(err.code, err.message), 400);
    }
    // Anything else is our bug, not the client's: report it without internals.
    console.error(err);
    return c.json(errorBody("internal", "internal error"), 500);
  });
  return app;
}
