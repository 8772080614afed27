import { createRoute, z } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { EVM_HARDFORKS } from "../../contracts/params.ts";
import { blocks } from "../../db/schema.ts";
import { type App, database } from "../context.ts";
import { deploymentOf } from "../deployment.ts";
import { validatorStatuses } from "../replicas.ts";
import { Decimal, Hex32 } from "../schemas.ts";

const Projection = z
  .object({
    state: z.enum(["ok", "index_stalled"]).openapi({
      description: "index_stalled: D1 refused the same block several times in a row; the replica keeps retrying",
    }),
    pendingBlocks: z.number().int().openapi({ description: "committed blocks not yet written to D1" }),
    height: z.number().int().optional().openapi({ description: "the block D1 keeps refusing" }),
    attempts: z.number().int().optional(),
    reason: z.string().optional().openapi({ description: "D1's error for the last attempt" }),
  })
  .openapi("Projection");

const Divergence = z
  .object({
    height: z.number().int().openapi({ description: "the checkpoint where it differs from what 2f + 1 certified" }),
    field: z.enum(["stateRoot", "chainHash"]).openapi({ description: "what differs: its ledger, or its blocks" }),
    own: Hex32,
    certified: Hex32,
    recovery: z.string().openapi({ description: "where its rebuild from genesis stands, or why it cannot run" }),
  })
  .openapi("Divergence", {
    description: "The replica's ledger contradicts a stable checkpoint (docs/OPERATING.md, Diverged replica)",
  });

const HostedValidator = z
  .object({
    index: z.number().int(),
    hosted: z.literal(true).openapi({ description: "a replica of this deployment, answering for itself" }),
    height: z.number().int(),
    view: z.number().int(),
    primary: z.number().int().openapi({ description: "who proposes the next block, drawn by SE-Random" }),
    epoch: z
      .object({
        number: z.number().int(),
        firstHeight: z.number().int(),
        beacon: Hex32.openapi({
          description: "the beacon that drew this epoch's primaries (GET /v1/beacon/{epoch - 1})",
        }),
      })
      .nullable()
      .openapi({ description: "the SE-Random epoch of the next block (docs/CONSENSUS.md §8)" }),
    stateRoot: Hex32,
    mempool: z.number().int(),
    peers: z.array(z.number().int()).openapi({ description: "validators it has an open link to" }),
    projection: Projection,
    divergence: Divergence.nullable().openapi({
      description: "null while its ledger agrees with every stable checkpoint; otherwise it serves nothing",
    }),
    persistence: z
      .discriminatedUnion("state", [
        z.object({ state: z.literal("ok") }),
        z.object({ state: z.literal("halted"), reason: z.string() }),
      ])
      .openapi({ description: "halted: a storage write failed and the replica stopped (docs/CONSENSUS.md §3.7)" }),
  })
  .openapi("HostedValidator");

const ReportedValidator = z
  .object({
    index: z.number().int(),
    hosted: z
      .literal(false)
      .openapi({ description: "another deployment's validator, as its STATUS messages reported it" }),
    height: z.number().int().openapi({ description: "its last committed block, as last reported" }),
    view: z.number().int(),
    active: z.boolean().openapi({ description: "false while it was changing views" }),
    lastSeenMs: z.number().int().min(0).openapi({ description: "milliseconds since that report arrived" }),
  })
  .openapi("ReportedValidator");

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
            protocolVersion: z.literal(3),
            height: z.number().int().nullable().openapi({ description: "null before genesis is indexed" }),
            anchor: Hex32.nullable(),
            stateRoot: Hex32.nullable(),
            minFee: Decimal.openapi({
              description: "the least fee every transaction pays (consensus), in SERO base units",
            }),
            anchorWindow: z.number().int().openapi({ description: "a transfer's anchor must be this recent (blocks)" }),
            contracts: z
              .object({
                hardfork: z.enum(EVM_HARDFORKS),
                gasPrice: Decimal.openapi({ description: "SERO base units per unit of gas" }),
                maxTxGas: Decimal,
                blockGasLimit: Decimal,
              })
              .openapi({ description: "the chain's contract parameters (PROTOCOL.md §10.1)" }),
            validators: z
              .array(z.discriminatedUnion("hosted", [HostedValidator, ReportedValidator]).nullable())
              .openapi({
                description:
                  "one entry per validator, in genesis order; null for a hosted replica that did not answer, " +
                  "or for another deployment's validator never heard from",
              }),
          }),
        },
      },
    },
  },
});

export function registerStatusRoutes(app: App): void {
  app.openapi(route, async (c) => {
    // Replicas first: a replica that boots here indexes genesis before answering, so D1 is read after.
    const validators = await validatorStatuses(c.env);
    const { chain } = deploymentOf(c.env);
    const [tip] = await database(c.env).select().from(blocks).orderBy(desc(blocks.height)).limit(1);
    return c.json(
      {
        chainId: c.env.CHAIN_ID,
        protocolVersion: 3 as const,
        height: tip?.height ?? null,
        anchor: tip?.anchor ?? null,
        stateRoot: tip?.stateRoot ?? null,
        minFee: chain.minFee.toString(),
        anchorWindow: chain.anchorWindow,
        contracts: {
          hardfork: chain.contracts.hardfork,
          gasPrice: chain.contracts.gasPrice.toString(),
          maxTxGas: chain.contracts.maxTxGas.toString(),
          blockGasLimit: chain.contracts.blockGasLimit.toString(),
        },
        validators,
      },
      200,
    );
  });
}
