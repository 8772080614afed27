/**
 * A replica whose ledger storage was tampered with once diverges at the next
 * checkpoint and recovers on its own: it rebuilds its ledger from genesis out
 * of the certified blocks, agrees with the quorum again, and serves again
 * (OPERATING.md "Diverged replica").
 */
import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Served } from "../../durable-objects/replica.ts";
import type { Admission } from "../../src/ledger/mempool.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { commitUntil, registration, submitAndWait, until, validators } from "./chain-client.ts";
import { FORGED_ISSUER, forgeAsset, issuerOf, replica } from "./forge.ts";

describe("a diverged replica whose ledger was damaged once", () => {
  it("rebuilds its ledger from genesis, agrees with the quorum again and serves again", async () => {
    await validators(); // starts the replicas (genesis) before one is tampered with
    await forgeAsset("FORGED", { survivesRebuild: false });
    const forged = registration("FORGED");
    expect(await replica(0).submit(encodeTransaction(forged), "test")).toMatchObject({ served: true });
    await commitUntil(16);
    // A crash around the divergence or in the middle of the rebuild: the next start rebuilds again.
    await abortAllDurableObjects();
    await validators();
    // Only a ledger rebuilt from genesis replaces the forged row with the registration everyone committed.
    await until(async () => ((await issuerOf("FORGED")) === FORGED_ISSUER ? undefined : true), 30_000);
    expect(await issuerOf("FORGED")).toBe(Buffer.from(forged.registration.issuer).toString("hex"));

    // It executes again: after one more block every replica is at the same height with the same root.
    const { height } = await submitAndWait(registration("AFTER"));
    const all = await until(async () => {
      const v = await validators();
      return v.every((x) => x.height === height) ? v : undefined;
    });
    expect(all.map((v) => v.divergence)).toEqual([null, null, null, null]);
    expect(new Set(all.map((v) => v.stateRoot)).size).toBe(1);
    const check = (await replica(1).check(encodeTransaction(registration("NEXT")), "test")) as Served<Admission>;
    expect(check).toMatchObject({ served: true, answer: { ok: true } });
  }, 120_000);
});
