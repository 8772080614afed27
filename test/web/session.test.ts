/**
 * The browser wallet's engine (src/web/wallet/session.ts) in Node, over a
 * synthetic chain served as node pages, a byte store in memory and a fake
 * cache: what the wallet worker runs, without a browser.
 */
import { describe, expect, it } from "vitest";
import { formatAmount } from "../../src/cli/amount.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { seedToMnemonic } from "../../src/protocol/mnemonic.ts";
import { oneTimeAddressText, viewingKeyText } from "../../src/wallet/account.ts";
import { BrowserSession, type SessionDeps } from "../../src/web/wallet/session.ts";
import type { ByteStore } from "../../src/web/wallet/vault.ts";
import { fakeNode, type SeenRequest, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";
import { memoryStore } from "./memory-store.ts";

const seed = new Uint8Array(32).fill(0x42);
const keys = deriveSpendingKeys(seed);
const chain = syntheticChain(
  { blocks: 350, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 7, spendAfter: 20, seed: "web-session" },
  keys,
);

function depsOver(store: ByteStore, seen: SeenRequest[] = []): SessionDeps {
  const node = fakeNode(chain, 100, seen);
  const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.pathname === "/v1/assets") {
      return new Response(JSON.stringify({ assets: [] }));
    }
    return node(input, init);
  }) as typeof fetch;
  return {
    store,
    origin: "http://node.test",
    fetch: fetcher,
    cache: { get: async () => undefined, put: async () => {} },
    kdf: { log2N: 4, r: 8, p: 1 },
  };
}

const SERO = (amount: bigint) => formatAmount(amount, 18);

describe("BrowserSession", () => {
  it("imports 24 words, syncs the chain, and shows the exact balance and history with memos", async () => {
    const { session, mnemonic } = await BrowserSession.create(depsOver(memoryStore()), "pass", {
      kind: "mnemonic",
      words: seedToMnemonic(seed),
    });
    expect(mnemonic).toBeUndefined();
    const result = await session.sync(() => {});
    expect(result).toMatchObject({ height: 349, complete: true });
    const view = await session.view();
    expect(view.balances).toEqual([
      expect.objectContaining({ label: "SERO", kind: "token", spendable: SERO(chain.walletBalance), locked: "0" }),
    ]);
    expect(view.history.some((h) => h.memos.some((m) => m.startsWith("payment ")))).toBe(true);
    expect(view.address).toMatch(/^sero1/);
    expect(session.oneTimeAddress()).not.toBe(session.oneTimeAddress());
  });

  it("a sync stopped after any page resumes from the saved state to the same result", async () => {
    for (const stopAfter of [1, 2, 3]) {
      const store = memoryStore();
      const seen: SeenRequest[] = [];
      const first = (
        await BrowserSession.create(depsOver(store, seen), "pass", { kind: "mnemonic", words: seedToMnemonic(seed) })
      ).session;
      const stop = new AbortController();
      let pages = 0;
      await first.sync(() => {
        if (++pages === stopAfter) {
          stop.abort();
        }
      }, stop.signal);
      const saved = first.syncedHeight;
      expect(saved).toBe(stopAfter * 100 - 1);
      // A reload: the worker is gone, the sealed record is all that is left.
      const seenAfter: SeenRequest[] = [];
      const second = await BrowserSession.unlock(depsOver(store, seenAfter), "pass");
      expect(second.syncedHeight).toBe(saved);
      await second.sync(() => {});
      const syncs = seenAfter.filter((r) => r.path.startsWith("/v1/sync"));
      expect(syncs[0]?.path).toBe(`/v1/sync?from=${saved + 1}&to=${saved + 100}`);
      expect((await second.view()).balances[0]?.spendable).toBe(SERO(chain.walletBalance));
    }
  });

  it("a new account answers its 24 words, a wrong passphrase is refused, a watch-only account sees but cannot send", async () => {
    const store = memoryStore();
    const created = await BrowserSession.create(depsOver(store), "right", { kind: "new" });
    expect(created.mnemonic?.split(" ")).toHaveLength(24);
    await expect(BrowserSession.unlock(depsOver(store), "wrong")).rejects.toMatchObject({ code: "wrong_passphrase" });

    const watch = (
      await BrowserSession.create(depsOver(memoryStore()), "pass", {
        kind: "viewing_key",
        text: viewingKeyText({ viewing: keys, spending: undefined }),
      })
    ).session;
    await watch.sync(() => {});
    const view = await watch.view();
    expect(view.watchOnly).toBe(true);
    expect(view.balances[0]?.spendable).toBe(SERO(chain.walletBalance));
    const form = {
      to: oneTimeAddressText({ viewing: keys, spending: undefined }, 1),
      asset: "SERO",
      amount: "0.001",
      memo: "",
    };
    await expect(
      watch.send(
        form,
        () => {},
        () => {},
      ),
    ).rejects.toMatchObject({ code: "watch_only" });
  });

  it("plans before proving: transactions, merges and the total fee; refuses what it cannot pay", async () => {
    const { session } = await BrowserSession.create(depsOver(memoryStore()), "pass", {
      kind: "mnemonic",
      words: seedToMnemonic(seed),
    });
    await session.sync(() => {});
    const to = oneTimeAddressText({ viewing: deriveSpendingKeys(new Uint8Array(32).fill(9)), spending: undefined }, 0);
    const plan = await session.plan({ to, asset: "SERO", amount: "0.001", memo: "hi" });
    expect(plan).toMatchObject({ transactions: 1, merges: 0, rounds: [["payment"]] });
    expect(plan.totalFee).toBe(`${SERO(1000n)} SERO`);
    await expect(session.plan({ to, asset: "SERO", amount: "1000000", memo: "" })).rejects.toMatchObject({
      code: "insufficient_funds",
    });
    await expect(session.plan({ to, asset: "SERO", amount: "1", memo: "x".repeat(600) })).rejects.toMatchObject({
      code: "memo_too_long",
    });
    await expect(session.plan({ to: "serovk1abc", asset: "SERO", amount: "1", memo: "" })).rejects.toBeDefined();
  });
});
