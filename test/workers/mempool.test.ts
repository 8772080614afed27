/**
 * The transaction pool under attack, on the local chain inside workerd:
 * replays of committed transactions and issuances that cannot commit are
 * refused at the door and leave nothing in any pool; a transaction waiting in
 * a pool is `pending` at GET /v1/tx/{id}; one accepted with 202 always ends
 * committed, rejected or dropped with a reason, never unknown.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { framesOf } from "../../durable-objects/peer-frames.ts";
import { type Replica, replicaName } from "../../durable-objects/replica.ts";
import { localChainConfig } from "../../src/chain/config.ts";
import { devValidatorSecret } from "../../src/chain/dev-keys.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { committeeFromGenesis, ed25519Signer, seal } from "../../src/consensus/index.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { contestedRegistrations, fillRegistration, http, issuance, registration, until } from "./chain-client.ts";
import { openLink, peerHeaders } from "./peer-client.ts";

const CHAIN = "sero-local-1";
const REPLICA = (env as unknown as { REPLICA: DurableObjectNamespace<Replica> }).REPLICA;
const replica = (i: number) => REPLICA.get(REPLICA.idFromName(replicaName(i)));

const post = (bytes: Uint8Array) =>
  http("/v1/tx", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: bytes });

type TxStatus = { status: string; height: number | null; code: string | null };

const status = async (id: string) => {
  const res = await http(`/v1/tx/${id}`);
  return { http: res.status, ...((await res.json()) as TxStatus) };
};

/** Waits for a final status; every answer on the way must be a known state, never 404. */
const settled = (id: string) =>
  until(async () => {
    const s = await status(id);
    expect(s.http).toBe(200);
    return s.status === "pending" ? undefined : s;
  });

async function commit(bytes: Uint8Array): Promise<number> {
  const res = await post(bytes);
  expect(res.status).toBe(202);
  const final = await settled(toHex(txIdOfBytes(bytes)));
  expect(final.status).toBe("committed");
  return final.height as number;
}

/** Every validator's pool size, once all are at `height` at least. */
const poolsAt = (height: number) =>
  until(async () => {
    const s = (await (await http("/v1/status")).json()) as { validators: { height: number; mempool: number }[] };
    return s.validators.every((v) => v.height >= height) ? s.validators.map((v) => v.mempool) : undefined;
  });

describe("transaction pool", () => {
  it("a transaction waiting in a pool is pending at GET /v1/tx/{id}, then committed", async () => {
    const bytes = encodeTransaction(registration("WAITS"));
    const id = toHex(txIdOfBytes(bytes));
    // Inside the replica, nothing can commit between the admission and the question: no peer message runs in between.
    const seen = await runInDurableObject(replica(1), async (instance: Replica) => {
      const admission = await instance.submit(bytes, "test");
      return { admitted: admission.served && admission.answer.ok, presence: instance.txPresence(id) };
    });
    expect(seen).toEqual({ admitted: true, presence: { served: true, answer: { status: "pending" } } });
    const s = await status(id);
    expect([s.http, s.status === "pending" || s.status === "committed"]).toEqual([200, true]);
    expect((await settled(id)).status).toBe("committed");
  }, 30_000); // the first test wakes the replicas: each runs genesis

  it("refuses a replayed committed registration with 409 and its height, from the index and from every replica, and no pool grows", async () => {
    const bytes = encodeTransaction(registration("REPLAY"));
    const height = await commit(bytes);
    for (let i = 0; i < 3; i++) {
      const res = await post(bytes);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "already_committed", height } });
    }
    expect(await poolsAt(height)).toEqual([0, 0, 0, 0]);
    // Past the index, straight at the replicas: each answers from its own record.
    for (let i = 0; i < 4; i++) {
      expect(await replica(i).submit(bytes, "test")).toMatchObject({
        served: true,
        answer: { ok: false, code: "already_committed", height },
      });
    }
    expect(await poolsAt(height)).toEqual([0, 0, 0, 0]);
  });

  it("refuses issuances that could not commit (future nonce, over the cap) and keeps nothing of them", async () => {
    const height = await commit(encodeTransaction(registration("CAPPED"))); // a cap of 100
    const refusals = [];
    for (const bytes of [issuance("CAPPED_FUTURE_NONCE"), issuance("CAPPED_OVER_CAP")].map(encodeTransaction)) {
      const res = await post(bytes);
      refusals.push([res.status, ((await res.json()) as { error: { code: string } }).error.code]);
      expect((await status(toHex(txIdOfBytes(bytes)))).http).toBe(404);
    }
    expect(refusals).toEqual([
      [422, "bad_nonce"],
      [422, "supply_exceeded"],
    ]);
    expect(await poolsAt(height)).toEqual([0, 0, 0, 0]);
    expect(await commit(encodeTransaction(issuance("CAPPED_WHOLE_CAP")))).toBeGreaterThan(height);
  });

  it("every registration accepted with 202 ends committed, rejected or dropped with a reason; exactly one of a contested name commits", async () => {
    const contenders = contestedRegistrations().map(encodeTransaction);
    const answers = await Promise.all(contenders.map(post));
    const admitted: string[] = [];
    for (const [i, res] of answers.entries()) {
      const body = (await res.json()) as { error?: { code: string } };
      if (res.status === 202) {
        admitted.push(toHex(txIdOfBytes(contenders[i] as Uint8Array)));
      } else {
        expect([res.status, body.error?.code]).toEqual([409, expect.stringMatching(/^asset_(pending|exists)$/)]);
      }
    }
    const finals = await Promise.all(admitted.map(settled));
    expect(finals.filter((f) => f.status === "committed")).toHaveLength(1);
    for (const f of finals.filter((x) => x.status !== "committed")) {
      expect([f.status, f.code]).toEqual([expect.stringMatching(/^(rejected|dropped)$/), "asset_exists"]);
    }
  });

  it("a transaction a peer relayed that can never commit is dropped after the next block, and GET /v1/tx says why", async () => {
    // Validator 1 (its dev key) relays bytes no admission would take straight into replica 2's pool.
    const committee = committeeFromGenesis(localChainConfig(CHAIN).consensus);
    const signer = ed25519Signer(1, devValidatorSecret(1));
    const link = await openLink(replica(2), await peerHeaders(replica(2), 2, 1));
    const ws = link.webSocket as WebSocket;
    ws.accept();
    const junk = new TextEncoder().encode("not a transaction, relayed by a peer");
    const id = toHex(txIdOfBytes(junk));
    const first = post(encodeTransaction(registration("CARRIER")));
    for (const frame of framesOf(seal({ type: "request", request: junk }, [], signer, committee).bytes)) {
      ws.send(frame);
    }
    expect((await first).status).toBe(202);
    const dropped = await until(async () => {
      const s = await status(id);
      if (s.status === "dropped") {
        return s;
      }
      await commit(encodeTransaction(fillRegistration())); // a block after the relay arrived
      return undefined;
    });
    expect(dropped).toMatchObject({ http: 200, status: "dropped", code: "malformed" });
    ws.close();
  });
});
