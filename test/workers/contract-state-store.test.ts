/**
 * Contract state in the replica's SQLite (PROTOCOL.md §10.8): the same
 * blocks give the same state roots and entries there as in memory, a store
 * reopened mid-chain (a restarted replica) resumes exactly, and storage from
 * before contracts gains its column with the empty digest.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SqliteLedgerStore } from "../../durable-objects/ledger-store.ts";
import { replicaName } from "../../durable-objects/replica.ts";
import { localChainConfig } from "../../src/chain/config.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { EMPTY_DIGEST } from "../../src/ledger/state-root.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { ContractChain, calldata, SERO, testCaller, tokenValue } from "../contracts/ledger-chain.ts";
import { TOKEN_SALE } from "./contract-history.ts";

const { REPLICA } = env as unknown as { REPLICA: DurableObjectNamespace };
const CHAIN = "sero-local-1";

async function localGenesis(): Promise<MemoryLedgerStore> {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const chain = new ContractChain({ chainId: CHAIN });
  const result = await executeBlock(
    store,
    { height: 0, transactions: localChainConfig(CHAIN).genesisBlock },
    chain.config,
  );
  store.commit(result.changes);
  return store;
}

describe("contract state in the replica's SQLite", () => {
  it("matches memory block by block, and a reopened store resumes exactly", async () => {
    const memory = new ContractChain({ chainId: CHAIN }, await localGenesis());
    await runInDurableObject(REPLICA.get(REPLICA.idFromName(replicaName(3))), async (_replica, state) => {
      const sqlite = new ContractChain({ chainId: CHAIN }, new SqliteLedgerStore(state.storage));
      expect(sqlite.store.meta().height).toBe(0); // the replica applied genesis; no request, so no block since
      expect(toHex(sqlite.store.meta().stateRoot)).toBe(toHex(memory.store.meta().stateRoot));
      const owner = testCaller("owner");
      const deploys = await Promise.all(
        [memory, sqlite].map((c) => c.deploy(owner, TOKEN_SALE, ["TKN", 18, SERO, 3n])),
      );
      expect(deploys[0]?.address).toEqual(deploys[1]?.address);
      const address = deploys[0]?.address as Uint8Array;
      const buy = (chain: ContractChain, who: string) =>
        encodeTransaction(
          chain.contractTx(
            testCaller(who),
            { kind: "call", contract: address, calldata: calldata(TOKEN_SALE.abi, "buy") },
            { value: tokenValue(SERO_ASSET_ID, SERO) },
          ),
        );
      for (const who of ["a", "b"]) {
        const [m, s] = await Promise.all([memory.apply([buy(memory, who)]), sqlite.apply([buy(sqlite, who)])]);
        expect(toHex(s.changes.meta.stateRoot)).toBe(toHex(m.changes.meta.stateRoot));
      }
      expect(sqlite.store.contractEntries("")).toEqual(memory.store.contractEntries(""));

      // A restart: a new store over the same storage reads back what was committed.
      const reopened = new SqliteLedgerStore(state.storage);
      expect(reopened.meta()).toEqual(sqlite.store.meta());
      expect(reopened.contractEntries("")).toEqual(memory.store.contractEntries(""));
      const resumed = new ContractChain({ chainId: CHAIN }, reopened);
      const next = buy(memory, "c"); // one transaction for both: the new chain's builder starts its counters afresh
      const [m, s] = await Promise.all([memory.apply([next]), resumed.apply([next])]);
      expect(toHex(s.changes.meta.stateRoot)).toBe(toHex(m.changes.meta.stateRoot));
    });
  });

  it("storage from before contracts gains contract_digest, read as the empty digest", async () => {
    await runInDurableObject(REPLICA.get(REPLICA.idFromName(replicaName(2))), async (_replica, state) => {
      const sql = state.storage.sql;
      const before = new SqliteLedgerStore(state.storage).meta();
      sql.exec("UPDATE ledger_meta SET contract_digest = NULL");
      expect(toHex(new SqliteLedgerStore(state.storage).meta().contractDigest)).toBe(toHex(EMPTY_DIGEST));
      sql.exec("ALTER TABLE ledger_meta DROP COLUMN contract_digest");
      const migrated = new SqliteLedgerStore(state.storage);
      expect(migrated.meta()).toEqual({ ...before, contractDigest: EMPTY_DIGEST });
      expect(
        sql
          .exec("PRAGMA table_info(ledger_meta)")
          .toArray()
          .map((c) => c.name),
      ).toContain("contract_digest");
    });
  });
});
