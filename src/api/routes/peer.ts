/**
 * GET /v1/peer: in the validator topology, another validator opens its
 * WebSocket link to this deployment's replica here. The replica checks the
 * signed handshake; this route only forwards. Hidden from the OpenAPI
 * document: it is not for clients.
 */

import type { App } from "../context.ts";
import { deploymentOf } from "../deployment.ts";
import { errorBody } from "../errors.ts";
import { replicaStub } from "../replicas.ts";

export function registerPeerRoute(app: App): void {
  app.get("/v1/peer", async (c) => {
    const { topology } = deploymentOf(c.env);
    if (topology.kind !== "validator") {
      return c.json(errorBody("not_found", "peers link inside this deployment"), 404);
    }
    if (c.req.header("Upgrade") !== "websocket") {
      return c.json(errorBody("upgrade_required", "a WebSocket upgrade"), 426);
    }
    return replicaStub(c.env, topology.index).fetch(c.req.raw);
  });
}
