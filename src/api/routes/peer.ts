/**
 * The peer link endpoints of the validator topology (docs/OPERATING.md,
 * "Peer links"): another validator first fetches a fresh challenge
 * (GET /v1/peer/challenge), then opens its WebSocket link to this
 * deployment's replica with the signed answer (GET /v1/peer, Upgrade). The
 * replica issues and checks both; these routes only forward. Hidden from the
 * OpenAPI document: they are not for clients.
 */

import type { Context } from "hono";
import type { App, AppEnv } from "../context.ts";
import { deploymentOf } from "../deployment.ts";
import { errorBody } from "../errors.ts";
import { replicaStub } from "../replicas.ts";

function hostedReplica(c: Context<AppEnv>): number | Response {
  const { topology } = deploymentOf(c.env);
  if (topology.kind !== "validator") {
    return c.json(errorBody("not_found", "peers link inside this deployment"), 404);
  }
  return topology.index;
}

export function registerPeerRoute(app: App): void {
  app.get("/v1/peer/challenge", async (c) => {
    const index = hostedReplica(c);
    return typeof index === "number" ? replicaStub(c.env, index).fetch(c.req.raw) : index;
  });
  app.get("/v1/peer", async (c) => {
    const index = hostedReplica(c);
    if (typeof index !== "number") {
      return index;
    }
    if (c.req.header("Upgrade") !== "websocket") {
      return c.json(errorBody("upgrade_required", "a WebSocket upgrade"), 426);
    }
    return replicaStub(c.env, index).fetch(c.req.raw);
  });
}
