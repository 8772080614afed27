/**
 * Real shielded transfers through the whole chain inside workerd: proofs made
 * in Node against the local genesis (test/fixtures/chain/make.ts), verified by
 * the replicas, ordered by PBFT, executed, indexed in D1 and found by the
 * recipient through /v1/sync. Two transfers spending one note: exactly one commits.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromHex } from "../../src/codec/bytes.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };

const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);
const bytes = (hex: string) => fromHex(hex) as Uint8Array;
const BOB_SEED = new Uint8Array(32).fill(0xb0);

const submit = (hex: string) =>
  http("/v1/tx", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: bytes(hex) });

async function finalStatus(id: string): Promise<{ status: string; code: string | null; height: number | null }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await http(`/v1/tx/${id}`);
    if (res.status === 200) {
      const body = (await res.json()) as { status: string; code: string | null; height: number | null };
      if (body.status !== "pending") {
        return body;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`transaction ${id} did not settle`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("shielded transfers on the local chain", () => {
  it("two transfers spending the same note, sent concurrently to different replicas: exactly one commits", async () => {
    const [a, b] = await Promise.all([submit(fixtures.payBob), submit(fixtures.conflicting)]);
    const admitted = [] as string[];
    for (const res of [a, b]) {
      const body = (await res.json()) as { id?: string; error?: { code: string } };
      if (res.status === 202) {
        admitted.push(body.id as string);
      } else {
        expect([res.status, body.error?.code]).toEqual([409, expect.stringMatching(/^nullifier_(spent|pending)$/)]);
      }
    }
    const outcomes = await Promise.all(admitted.map(finalStatus));
    const committed = outcomes.filter((o) => o.status === "committed");
    expect(committed).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.status === "rejected")) {
      expect(o.code).toBe("nullifier_spent");
    }
    // Once settled, the loser is refused at the door.
    const again = await submit(fixtures.conflicting);
    expect([202, 409]).toContain(again.status);
  });

  it("a committed transfer is indexed, and its recipient finds the note and memo through /v1/sync", async () => {
    const res = await submit(fixtures.independent);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const settled = await finalStatus(id);
    expect(settled.status).toBe("committed");
    const page = (await (await http(`/v1/sync?from=0&to=${settled.height}`)).json()) as {
      blocks: {
        txs: {
          id: string;
          nullifiers: string[];
          epk: string;
          outputs: { commitment: string; viewTag: number; encCiphertext: string; outCiphertext: string }[];
        }[];
      }[];
    };
    const tx = page.blocks.flatMap((blk) => blk.txs).find((t) => t.id === id);
    expect(tx).toBeDefined();
    for (const nf of tx?.nullifiers ?? []) {
      expect(((await (await http(`/v1/nullifiers/${nf}`)).json()) as { spent: boolean }).spent).toBe(true);
    }
    const bob = await NoteScanner.create(deriveSpendingKeys(BOB_SEED));
    const outputs = (tx?.outputs ?? []).map((o) => ({
      commitment: BigInt(`0x${o.commitment}`) as Fr,
      viewTag: o.viewTag,
      encCiphertext: bytes(o.encCiphertext),
      outCiphertext: bytes(o.outCiphertext),
    }));
    const found = await bob.incoming(bytes(tx?.epk ?? ""), outputs);
    expect(
      found.map((f) => [f.note.value.kind === "token" ? f.note.value.amount : 0n, new TextDecoder().decode(f.memo)]),
    ).toEqual([[7n * 10n ** 18n, "one note and a dummy"]]);
  });

  it("a replayed transfer is refused: its nullifiers are spent", async () => {
    const res = await submit(fixtures.independent);
    expect(res.status).toBe(409);
  });
});
