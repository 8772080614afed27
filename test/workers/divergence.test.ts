/**
 * A replica whose ledger storage was tampered with computes another state
 * root than the others; at the next checkpoint it is flagged diverged
 * (CONSENSUS.md §3.9): /v1/status says so, it stops executing and projecting,
 * and the API answers from the others only. The tampering here survives the
 * rebuild from genesis (a trigger re-inserts it), so recovery must fail and
 * say why (OPERATING.md "Diverged replica").
 */
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Served } from "../../durable-objects/replica.ts";
import { createApp } from "../../src/api/app.ts";
import type { Admission } from "../../src/ledger/mempool.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { commitUntil, http, issuance, registration, submitAndWait, until, validators } from "./chain-client.ts";
import { forgeAsset, replica } from "./forge.ts";

const K = 16; // checkpointInterval of the local chain

async function outboxRows(i: number): Promise<number> {
  return runInDurableObject(replica(i), async (_instance, state) => {
    return state.storage.sql.exec("SELECT count(*) AS n FROM projection_outbox").one().n as number;
  });
}

describe("a diverged replica", () => {
  it("is flagged at the next checkpoint, stops executing and projecting, and the API routes around it", async () => {
    await validators(); // starts the replicas (genesis) before one is tampered with
    await forgeAsset("FORGED", { survivesRebuild: true });
    // Sent to replica 0: replica 1 would refuse it at admission already.
    const forged = encodeTransaction(registration("FORGED"));
    const admitted = (await replica(0).submit(forged, "test")) as Served<Admission>;
    expect(admitted).toMatchObject({ served: true, answer: { ok: true } });

    await commitUntil(K);
    const diverged = await until(async () => {
      const v = (await validators())[1];
      return v?.divergence?.recovery.includes("again") ? v : undefined;
    });
    const others = (await validators()).filter((v) => v.index !== 1);
    expect(others.map((v) => v.divergence)).toEqual([null, null, null]);
    const { block } = (await (await http(`/v1/blocks/${K}`)).json()) as { block: { stateRoot: string } };
    expect(diverged.divergence).toMatchObject({ height: K, field: "stateRoot", certified: block.stateRoot });
    expect(diverged.divergence?.own).not.toBe(block.stateRoot);
    expect(diverged.divergence?.recovery).toMatch(
      /^rebuilt from genesis, block 16 gives state root [0-9a-f]{64} again/,
    );
    // The rebuild reached the divergence and stopped there.
    expect(diverged.height).toBe(K);

    // The divergence is part of the replica's persisted state: a restart keeps it, and rebuilds once more.
    await abortAllDurableObjects();
    const restarted = await until(async () => {
      const v = (await validators())[1];
      return v?.divergence?.recovery.includes("again") ? v : undefined;
    });
    expect(restarted).toMatchObject({ height: K, divergence: { ...diverged.divergence } });

    // The chain goes on without it; it executes and projects nothing more.
    const late = registration("LATE");
    const { height: lateHeight } = await submitAndWait(late);
    expect(lateHeight).toBeGreaterThan(K);
    const after = await until(async () => {
      const all = await validators();
      return all.every((v) => v.index === 1 || v.height >= lateHeight) ? all : undefined;
    });
    expect(after[1]?.height).toBe(K);
    expect(await outboxRows(1)).toBe(0);

    // Issuing LATE needs LATE registered: replica 1's ledger (at K) would refuse it as unknown_asset; every
    // answer comes from the others.
    const issue = encodeTransaction(issuance("LATE"));
    const post = (path: string, body: Uint8Array) =>
      http(path, { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body });
    for (let i = 0; i < 8; i++) {
      expect(await (await post("/v1/verify", issue)).json()).toMatchObject({ valid: true });
    }
    expect((await post("/v1/tx", issue)).status).toBe(202);
    const lateBytes = encodeTransaction(late);
    expect(await replica(1).check(lateBytes, "test")).toEqual({ served: false });
    expect(await replica(1).submit(lateBytes, "test")).toEqual({ served: false });
    expect(await replica(1).txPresence("00".repeat(32))).toEqual({ served: false });
    const nowhere = new Uint8Array(64);
    const read = { contract: nowhere, calldata: new Uint8Array(), gasLimit: 1n, caller: null, value: null };
    expect(await replica(1).callContract(read)).toEqual({ served: false });
    expect(await replica(1).contractState(nowhere)).toEqual({ served: false });

    // A deployment hosting only the diverged replica says so with a stable code.
    const app = createApp();
    const peers = JSON.stringify([0, 1, 2, 3].map((i) => `http://v${i}.sero.test`));
    const alone = await app.fetch(
      new Request("http://sero.test/v1/verify", {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: issue,
      }),
      { ...env, VALIDATOR_INDEX: "1", PEER_URLS: peers },
    );
    expect(alone.status).toBe(503);
    expect(await alone.json()).toMatchObject({ error: { code: "replica_diverged" } });
    const contract = await app.fetch(
      new Request(`http://sero.test/v1/contracts/${encodeText("contractAddress", nowhere)}`),
      {
        ...env,
        VALIDATOR_INDEX: "1",
        PEER_URLS: peers,
      },
    );
    expect([contract.status, await contract.json()]).toMatchObject([503, { error: { code: "replica_diverged" } }]);
  }, 120_000);
});
