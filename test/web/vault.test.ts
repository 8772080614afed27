/** The browser wallet's sealed record: the CLI's sealed format over a byte store (IndexedDB in the browser). */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/codec/bytes.ts";
import { unlock } from "../../src/wallet/keystore/sealed.ts";
import { SealedRecord, WALLET_KEY } from "../../src/web/wallet/vault.ts";
import { memoryStore } from "./memory-store.ts";

/** Fast scrypt for tests; the browser uses the CLI's default. */
const KDF = { log2N: 4, r: 8, p: 1 };

describe("SealedRecord", () => {
  it("stores exactly what the CLI's keystore reads, and reopens with the passphrase", async () => {
    const store = memoryStore();
    const record = await SealedRecord.create(store, "correct horse", utf8("first"), KDF);
    await record.save(utf8("second"));
    const sealed = store.map.get(WALLET_KEY) as Uint8Array;
    expect(new TextDecoder().decode((await unlock(sealed, "correct horse")).payload)).toBe("second");
    const reopened = await SealedRecord.open(store, "correct horse");
    expect(new TextDecoder().decode(reopened.payload)).toBe("second");
  });

  it("refuses a wrong passphrase and leaves the stored bytes as they were", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), async (right, wrong) => {
        fc.pre(right.normalize("NFKC") !== wrong.normalize("NFKC"));
        const store = memoryStore();
        await SealedRecord.create(store, right, utf8("payload"), KDF);
        const before = store.map.get(WALLET_KEY);
        await expect(SealedRecord.open(store, wrong)).rejects.toMatchObject({ code: "wrong_passphrase" });
        expect(store.map.get(WALLET_KEY)).toEqual(before);
      }),
      { numRuns: 10 },
    );
  });

  it("never replaces a stored wallet, even when two creations race through the KDF", async () => {
    const store = memoryStore();
    await SealedRecord.create(store, "one", utf8("kept"), KDF);
    await expect(SealedRecord.create(store, "two", utf8("lost"), KDF)).rejects.toMatchObject({ code: "wallet_exists" });
    expect(new TextDecoder().decode((await SealedRecord.open(store, "one")).payload)).toBe("kept");

    const fresh = memoryStore();
    const raced = await Promise.allSettled([
      SealedRecord.create(fresh, "first", utf8("a"), KDF),
      SealedRecord.create(fresh, "second", utf8("b"), KDF),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(raced.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "wallet_exists" } });
    const winner = raced[0]?.status === "fulfilled" ? "first" : "second";
    expect((await SealedRecord.open(fresh, winner)).payload).toEqual(utf8(winner === "first" ? "a" : "b"));
  });

  it("refuses an empty passphrase, a missing wallet, and saves after lock", async () => {
    const store = memoryStore();
    await expect(SealedRecord.create(store, "", utf8("x"), KDF)).rejects.toMatchObject({ code: "empty_passphrase" });
    await expect(SealedRecord.open(store, "any")).rejects.toMatchObject({ code: "wallet_not_found" });
    const record = await SealedRecord.create(store, "pass", utf8("x"), KDF);
    record.lock();
    await expect(record.save(utf8("y"))).rejects.toMatchObject({ code: "wallet_locked" });
    expect(new TextDecoder().decode((await SealedRecord.open(store, "pass")).payload)).toBe("x");
  });

  it("detects a flipped bit anywhere in the stored bytes", async () => {
    const store = memoryStore();
    await SealedRecord.create(store, "pass", utf8("payload"), KDF);
    const sealed = store.map.get(WALLET_KEY) as Uint8Array;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length * 8 - 1 }), async (bit) => {
        const damaged = sealed.slice();
        damaged[bit >> 3] = (damaged[bit >> 3] as number) ^ (1 << (bit & 7));
        store.map.set(WALLET_KEY, damaged);
        await expect(SealedRecord.open(store, "pass")).rejects.toBeDefined();
      }),
      { numRuns: 40 },
    );
  });
});
