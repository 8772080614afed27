/** Tampering with replica 1's ledger storage, to make it diverge from the others (Workers tests). */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Replica, replicaName } from "../../durable-objects/replica.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { tokenId } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";

const { REPLICA } = env as unknown as { REPLICA: DurableObjectNamespace<Replica> };

export const replica = (i: number) => REPLICA.get(REPLICA.idFromName(replicaName(i)));

export const FORGED_ISSUER = "00".repeat(32);

/**
 * Makes replica 1 believe token `name` is already registered, so it refuses the registration the others
 * commit. With `survivesRebuild`, a trigger puts the row back whenever the ledger is created anew (a
 * rebuild from genesis), as a fault in the replica's own code or configuration would.
 */
export async function forgeAsset(name: string, options: { survivesRebuild: boolean }): Promise<void> {
  const id = toHex(frToBytes(tokenId(name)));
  const record = JSON.stringify({
    assetKind: "token",
    name,
    decimals: 0,
    issuer: FORGED_ISSUER,
    cap: null,
    issued: "0",
    fees: "0",
    nonce: "0",
  });
  await runInDurableObject(replica(1), async (_instance, state) => {
    const sql = state.storage.sql;
    sql.exec("INSERT INTO assets (id, record) VALUES (?, ?)", id, record);
    if (options.survivesRebuild) {
      sql.exec(
        `CREATE TRIGGER forge_${name} AFTER INSERT ON ledger_meta BEGIN
           INSERT OR IGNORE INTO assets (id, record) VALUES ('${id}', '${record}');
         END`,
      );
    }
  });
}

/** The issuer replica 1's ledger records for token `name`. */
export async function issuerOf(name: string): Promise<string | undefined> {
  const id = toHex(frToBytes(tokenId(name)));
  return runInDurableObject(replica(1), async (_instance, state) => {
    const row = state.storage.sql.exec("SELECT record FROM assets WHERE id = ?", id).toArray()[0];
    return row === undefined ? undefined : (JSON.parse(row.record as string) as { issuer: string }).issuer;
  });
}
