/** A block whose D1 write fails stays in the replica's outbox and lands, in order, once D1 answers again. */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ProjectionOutbox, STALL_AFTER_ATTEMPTS } from "../../durable-objects/projection-outbox.ts";
import { replicaName } from "../../durable-objects/replica.ts";
import { localChainConfig } from "../../src/chain/config.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { blockRows } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";

const { DB, REPLICA } = env as unknown as { DB: D1Database; REPLICA: DurableObjectNamespace };

/** D1 whose batches fail while it is down. */
function flakyD1() {
  let down = true;
  const db = new Proxy(DB, {
    get(target, prop) {
      if (prop === "batch" && down) {
        return () => Promise.reject(new Error("D1 unavailable"));
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, up: () => (down = false) };
}

async function heights(): Promise<number[]> {
  return (await DB.prepare("SELECT height FROM blocks ORDER BY height").all()).results.map((r) => r.height as number);
}

describe("projection outbox", () => {
  it("keeps the blocks D1 refused and writes them in height order once it answers", async () => {
    const stub = REPLICA.get(REPLICA.idFromName(replicaName(0)));
    await runInDurableObject(stub, async (_instance, state) => {
      // The replica has indexed its genesis (height 0); build heights 1 and 2 on the same chain.
      const config = localChainConfig("sero-local-1");
      const ledger = new MemoryLedgerStore(emptyLedgerMeta());
      const run = {
        chainId: "sero-local-1",
        anchorWindow: config.anchorWindow,
        minFee: config.minFee,
        contracts: DEFAULT_CONTRACT_PARAMS,
        verifier: { verify: async () => [] },
      };
      ledger.commit((await executeBlock(ledger, { height: 0, transactions: config.genesisBlock }, run)).changes);
      expect(await heights()).toEqual([0]);

      const outbox = new ProjectionOutbox(state.storage.sql);
      const d1 = flakyD1();
      for (const height of [1, 2]) {
        const result = await executeBlock(ledger, { height, transactions: [] }, run);
        ledger.commit(result.changes);
        outbox.add(blockRows({ height, transactions: [], result }));
        await outbox.drain(d1.db);
      }
      expect(await heights()).toEqual([0]);
      expect(outbox.health()).toEqual({ state: "ok", pendingBlocks: 2 }); // two failures: maybe a blip
      await outbox.drain(d1.db);
      expect(outbox.health()).toEqual({
        state: "index_stalled",
        pendingBlocks: 2,
        height: 1,
        attempts: STALL_AFTER_ATTEMPTS,
        reason: "D1 unavailable",
      });
      d1.up();
      await outbox.drain(d1.db);
      expect(await heights()).toEqual([0, 1, 2]);
      expect(outbox.health()).toEqual({ state: "ok", pendingBlocks: 0 });
    });
  });
});
