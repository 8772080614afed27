/**
 * GET /v1/beacon/{epoch}: a sealed SE-Random epoch with everything needed to
 * check its beacon offline (CONSENSUS.md §8.2): alpha, every share with its
 * validator's genesis key, proof and output, the previous beacon, and the
 * primaries the beacon draws for the next epoch.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { toHex } from "../../codec/bytes.ts";
import { type BeaconShare, beaconAlpha, committeeFromGenesis, drawOrder } from "../../consensus/index.ts";
import { vrfProofToHash } from "../../consensus/vrf.ts";
import type { App } from "../context.ts";
import { deploymentOf } from "../deployment.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { sealedEpoch } from "../replicas.ts";
import { Decimal, Height, Hex, Hex32 } from "../schemas.ts";

const Share = z
  .object({
    validator: z.number().int(),
    publicKey: Hex32.openapi({ description: "the validator's genesis ed25519 key, also its VRF key" }),
    proof: Hex.openapi({ description: "80-byte ECVRF-EDWARDS25519-SHA512-TAI proof on alpha (RFC 9381)" }),
    output: Hex.openapi({ description: "its 64-byte VRF output (beta)" }),
  })
  .openapi("BeaconShare");

const route = createRoute({
  method: "get",
  path: "/v1/beacon/{epoch}",
  summary: "A sealed epoch's random beacon with its VRF proofs, checkable offline",
  description:
    "Check: alpha = varText('sero-edge/beacon/v1') || varText(chainId) || u64(epoch) || previous; every proof " +
    "verifies under its key; at least 2f + 1 shares; beacon = SHA-256 tagged 'beacon' over u64(epoch) || previous || " +
    "the lowest output (docs/CONSENSUS.md §8.2). `previous` is the beacon of epoch - 1, or for epoch 0 the genesis beacon.",
  request: { params: z.object({ epoch: Height }) },
  responses: {
    200: {
      description: "Beacon",
      content: {
        "application/json": {
          schema: z.object({
            chainId: z.string(),
            epoch: z.number().int(),
            height: z.number().int().openapi({ description: "the sealing block" }),
            previous: Hex32,
            alpha: Hex,
            shares: z.array(Share),
            winner: z.number().int().openapi({ description: "the validator whose output was the lowest" }),
            beacon: Hex32,
            stakes: z.array(Decimal).openapi({ description: "genesis stakes, which weight the draw" }),
            primaries: z.array(z.number().int()).openapi({
              description: "the next epoch's drawn order: view v is led by primaries[v mod n] (§8.4)",
            }),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

export function registerBeaconRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { epoch } = c.req.valid("param");
    const sealed = await sealedEpoch(c.env, epoch);
    if (sealed === null) {
      throw new ApiError(404, "not_sealed", `epoch ${epoch} is not sealed yet`);
    }
    const genesis = deploymentOf(c.env).chain.consensus;
    const committee = committeeFromGenesis(genesis);
    const b = sealed.beacon;
    return c.json(
      {
        chainId: genesis.chainId,
        epoch: b.epoch,
        height: sealed.height,
        previous: toHex(b.previous),
        alpha: toHex(beaconAlpha(genesis.chainId, b.epoch, b.previous)),
        shares: b.shares.map((s: BeaconShare) => ({
          validator: s.validator,
          publicKey: toHex(committee.validators[s.validator] as Uint8Array),
          proof: toHex(s.proof),
          output: toHex(vrfProofToHash(s.proof) as Uint8Array),
        })),
        winner: b.winner,
        beacon: toHex(b.value),
        stakes: committee.stakes.map(String),
        primaries: drawOrder(b.value, committee.stakes),
      },
      200,
    );
  });
}
