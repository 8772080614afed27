/**
 * The replica's consensus storage in workerd's SQLite (CONSENSUS.md §3.7):
 * values larger than the 2 MB row limit go in parts, a snapshot and the
 * deletion of what it replaces are one transaction, and a height never holds
 * two different blocks. Local workerd does not enforce the deployed 2 MB
 * limit, so the tests check the size of every part instead.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BlockStore } from "../../durable-objects/block-store.ts";
import { ChunkedRows, PART_BYTES } from "../../durable-objects/chunked-rows.ts";
import { ConsensusLog } from "../../durable-objects/consensus-log.ts";
import { replicaName } from "../../durable-objects/replica.ts";
import { type CommittedBlock, LIMITS, type PersistRecord } from "../../src/consensus/index.ts";

const { REPLICA } = env as unknown as { REPLICA: DurableObjectNamespace };

/** Runs against replica 0's storage; nothing else drives the chain in this file. */
function inStorage<T>(run: (storage: DurableObjectStorage) => T): Promise<T> {
  return runInDurableObject(REPLICA.get(REPLICA.idFromName(replicaName(0))), (_instance, state) => run(state.storage));
}

function block(seq: number, fill: number, bytes: number): CommittedBlock {
  const request = new Uint8Array(LIMITS.maxRequestBytes).fill(fill);
  const batch = Array.from({ length: Math.ceil(bytes / request.length) }, () => request);
  return {
    seq,
    view: 0,
    digest: new Uint8Array(32).fill(fill),
    chainHash: new Uint8Array(32).fill(seq),
    checkpoint: false,
    batch,
    certificate: [],
  };
}

describe("consensus storage", () => {
  it("keeps values of any size in parts of at most PART_BYTES, replaced whole", async () => {
    await inStorage((s) => {
      const rows = new ChunkedRows(s.sql, "chunk_test");
      for (const size of [0, PART_BYTES - 16, PART_BYTES, 5 * PART_BYTES + 3]) {
        const value = { bytes: new Uint8Array(size).fill(size % 251) };
        rows.put(7, value);
        expect(rows.get(7)).toEqual(value);
        const longest = s.sql.exec("SELECT MAX(length(bytes)) AS n FROM chunk_test").one().n as number;
        expect(longest).toBeLessThanOrEqual(PART_BYTES);
      }
      rows.put(7, "small");
      expect(s.sql.exec("SELECT COUNT(*) AS n FROM chunk_test WHERE id = 7").one().n).toBe(1);
      expect(rows.range(0, 10)).toEqual([{ id: 7, value: "small" }]);
      expect(rows.last()).toBe(7);
    });
  });

  it("stores a block at the protocol's largest batch (8 MiB) and refuses another block at the same height", async () => {
    await inStorage((s) => {
      const blocks = new BlockStore(s.sql);
      const big = block(900, 1, LIMITS.maxBatchBytes);
      s.transactionSync(() => blocks.put([big]));
      expect(blocks.get(900)).toEqual(big);
      blocks.put([big]); // the same block again (re-delivered by state transfer) is fine
      expect(() => blocks.put([block(900, 2, 10)])).toThrow(/another digest/);
      expect(blocks.get(900)?.digest).toEqual(big.digest);
      expect(blocks.range(900, 905).map((b) => b.seq)).toEqual([900]);
    });
  });

  it("a snapshot whose write fails leaves the previous snapshot and every input after it", async () => {
    await inStorage((s) => {
      const log = new ConsensusLog(s);
      const before = log.load();
      const input: PersistRecord = { type: "input", input: { type: "request", request: new Uint8Array([1]) } };
      log.append([input]);
      const kept = log.load();
      expect(kept).toHaveLength(before.length + 1);
      // A snapshot too large for one row is fine in parts; then make the next snapshot's write fail.
      s.sql.exec(
        "CREATE TRIGGER fail_snapshot BEFORE INSERT ON consensus_log WHEN instr(NEW.bytes, CAST('snapshot' AS BLOB)) > 0 BEGIN SELECT RAISE(ABORT, 'injected'); END",
      );
      const snapshot = {
        type: "snapshot",
        state: { padding: new Uint8Array(3 * PART_BYTES) },
      } as unknown as PersistRecord;
      expect(() => log.append([input, snapshot])).toThrow(/injected/);
      expect(log.load()).toEqual(kept); // neither the input before it nor the deletion happened
      s.sql.exec("DROP TRIGGER fail_snapshot");
      log.append([input, snapshot]);
      expect(log.load()).toEqual([snapshot]);
    });
  });

  it("records keep their order across writes that fail, alone or rolled back with the caller's transaction", async () => {
    await inStorage((s) => {
      const log = new ConsensusLog(s);
      const before = log.load();
      const input = (n: number): PersistRecord => ({
        type: "input",
        input: { type: "request", request: new Uint8Array([n]) },
      });
      log.append([input(1), input(2)]);
      s.sql.exec(
        "CREATE TRIGGER fail_three BEFORE INSERT ON consensus_log WHEN instr(NEW.bytes, X'0103') > 0 BEGIN SELECT RAISE(ABORT, 'injected'); END",
      );
      expect(() => log.append([input(3)])).toThrow(/injected/);
      s.sql.exec("DROP TRIGGER fail_three");
      expect(() =>
        s.transactionSync(() => {
          log.append([input(4)]);
          throw new Error("the block write failed");
        }),
      ).toThrow(/block write/);
      log.append([input(5)]);
      log.append([input(6), input(7)]);
      expect(log.load()).toEqual([...before, input(1), input(2), input(5), input(6), input(7)]);
    });
  });
});
