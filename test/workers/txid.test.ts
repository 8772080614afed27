/**
 * PROTOCOL.md §8.8 on the local chain: a transfer re-proved by someone else
 * (A and B negated) keeps the original's id, so whichever copy commits, the
 * sender's id finds it: `GET /v1/tx/{id}` answers committed, and every other
 * inclusion under that id is a rejection (`nullifier_spent`).
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { replicaName, type Served } from "../../durable-objects/replica.ts";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import type { Admission } from "../../src/ledger/mempool.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { withNegatedProof } from "../fixtures/chain/negate-proof.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };

const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);
const REPLICA = (env as unknown as { REPLICA: DurableObjectNamespace }).REPLICA;
const replica = (i: number) =>
  REPLICA.get(REPLICA.idFromName(replicaName(i))) as unknown as {
    submit(bytes: Uint8Array, source: string): Promise<Served<Admission>>;
  };

const submit = (bytes: Uint8Array) =>
  http("/v1/tx", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: bytes });

async function committedAt(id: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await http(`/v1/tx/${id}`);
    const body = res.status === 200 ? ((await res.json()) as { status: string; height: number }) : undefined;
    if (body?.status === "committed") {
      return body.height;
    }
    if (body?.status === "rejected" || Date.now() > deadline) {
      throw new Error(`transaction ${id}: ${JSON.stringify(body)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every inclusion of `id` in blocks 1..`to` (after a short settle, so a later copy is indexed too). */
async function inclusions(id: string, to: number): Promise<{ status: string; code: string | null }[]> {
  await new Promise((r) => setTimeout(r, 500));
  const found: { status: string; code: string | null }[] = [];
  for (let h = 1; h <= to + 2; h++) {
    const res = await http(`/v1/blocks/${h}`);
    if (res.status === 200) {
      const { transactions } = (await res.json()) as {
        transactions: { id: string; status: string; code: string | null }[];
      };
      found.push(...transactions.filter((t) => t.id === id).map(({ status, code }) => ({ status, code })));
    }
  }
  return found;
}

function expectOneCommitted(found: { status: string; code: string | null }[]): void {
  expect(found.filter((t) => t.status === "committed")).toHaveLength(1);
  for (const t of found.filter((x) => x.status !== "committed")) {
    expect(t).toEqual({ status: "rejected", code: "nullifier_spent" });
  }
}

describe("a transfer re-proved by someone else keeps its id", () => {
  it("through the API: the copy is answered under the original's id, and that id is what commits", async () => {
    const original = fromHex(fixtures.payBob) as Uint8Array;
    const copy = withNegatedProof(original);
    const id = toHex(txIdOfBytes(original));
    const first = await submit(original);
    expect([first.status, await first.json()]).toEqual([202, { id, status: "pending" }]);
    // An idle primary proposes the original at once (CONSENSUS.md §3.1): the copy finds it pending or already committed.
    const second = await submit(copy);
    const answer = (await second.json()) as { id?: string; status?: string; error?: { code: string } };
    if (second.status === 202) {
      expect(answer).toEqual({ id, status: "pending" });
    } else {
      expect([second.status, answer.error?.code]).toEqual([409, "already_committed"]);
    }
    const height = await committedAt(id);
    expectOneCommitted(await inclusions(id, height));
  }, 60_000);

  it("sent to two replicas at once, both copies may reach blocks: one commits, and GET finds it", async () => {
    const original = fromHex(fixtures.independent) as Uint8Array;
    const copy = withNegatedProof(original);
    const id = toHex(txIdOfBytes(original));
    const admissions = await Promise.all([replica(0).submit(original, "sender"), replica(1).submit(copy, "copier")]);
    const answers = admissions.map((a) => (a.served ? a.answer : undefined));
    expect(answers.map((a) => [a?.ok, a && toHex(a.id)])).toEqual([
      [true, id],
      [true, id],
    ]);
    const height = await committedAt(id);
    expectOneCommitted(await inclusions(id, height));
  }, 60_000);
});
