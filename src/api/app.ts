import { OpenAPIHono } from "@hono/zod-openapi";
import type { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { explorerRoutes, notFoundPage, wantsPage } from "../explorer/routes.tsx";
import { ProtocolError } from "../protocol/errors.ts";
import type { AppEnv } from "./context.ts";
import { deploymentOf, isMisconfiguration } from "./deployment.ts";
import { ApiError, errorBody } from "./errors.ts";
import { registerAssetRoutes } from "./routes/assets.ts";
import { registerBeaconRoutes } from "./routes/beacon.ts";
import { registerBlockRoutes } from "./routes/blocks.ts";
import { registerContractRoutes } from "./routes/contracts.ts";
import { registerFaucetRoutes } from "./routes/faucet.ts";
import { registerNullifierRoutes } from "./routes/nullifiers.ts";
import { registerPeerRoute } from "./routes/peer.ts";
import { registerStatusRoutes } from "./routes/status.ts";
import { registerSubmitRoutes } from "./routes/submit.ts";
import { registerSyncRoutes } from "./routes/sync.ts";
import { registerTransactionRoutes } from "./routes/transactions.ts";
import { registerTreeRoutes } from "./routes/tree.ts";

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

  // A misconfigured deployment refuses every request, loudly, rather than serve some other chain.
  app.use(async (c, next) => {
    deploymentOf(c.env);
    await next();
  });

  registerStatusRoutes(app);
  registerBeaconRoutes(app);
  registerSubmitRoutes(app);
  registerBlockRoutes(app);
  registerTransactionRoutes(app);
  registerNullifierRoutes(app);
  registerAssetRoutes(app);
  registerSyncRoutes(app);
  registerTreeRoutes(app);
  registerContractRoutes(app);
  registerPeerRoute(app);
  registerFaucetRoutes(app);
  // The explorer's HTML pages at `/` (docs/OPERATING.md, Explorer): public data only, as the API serves it.
  app.route("/", explorerRoutes());

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "SERO Edge API",
      version: "1",
      description: "Shielded multi-asset payments: explorer and wallet sync.",
    },
  });

  app.notFound((c) =>
    wantsPage(c) ? notFoundPage(c) : c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(errorBody(err.code, err.message), err.status);
    }
    if (isMisconfiguration(err)) {
      console.error(`misconfigured deployment: ${err.message}`);
      return c.json(errorBody("misconfigured", err.message), 503);
    }
    if (err instanceof ProtocolError) {
      return c.json(errorBody(err.code, err.message), 400);
    }
    // Hono's own refusals (a body that is not JSON, for one) are the client's, with their status.
    // Matched by shape: bundling can give the validator its own copy of the HTTPException class.
    const status = (err as Partial<HTTPException>).status;
    if ("getResponse" in err && typeof status === "number" && status >= 400 && status < 500) {
      return c.json(errorBody("bad_request", err.message), status as ContentfulStatusCode);
    }
    // Anything else is our bug, not the client's: report it without internals.
    console.error(err);
    return c.json(errorBody("internal", "internal error"), 500);
  });
  return app;
}
