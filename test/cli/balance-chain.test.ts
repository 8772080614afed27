/**
 * `sero balance`, `sync` and `history` against fake nodes, with a real
 * (encrypted) wallet directory: per-asset totals in --json, and a chain reset
 * under a synced wallet refused with chain_changed, nothing shown from the
 * old chain, until `sero sync --rescan`.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatAmount } from "../../src/cli/amount.ts";
import type { Command } from "../../src/cli/command.ts";
import { accountImport } from "../../src/cli/commands/account.ts";
import { sendCommand } from "../../src/cli/commands/send.ts";
import { balance, history, sync } from "../../src/cli/commands/view.ts";
import { CliContext } from "../../src/cli/context.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { publicAddressText } from "../../src/wallet/account.ts";
import { WalletFile } from "../../src/wallet/keystore/index.ts";
import { Wallet } from "../../src/wallet/wallet.ts";
import { blockSummary, fakeNode, type SyntheticChain, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const seed = new Uint8Array(32).fill(0x42);
const keys = deriveSpendingKeys(seed);
const COOKIE = tokenId("COOKIE");
const cookieHex = toHex(frToBytes(COOKIE));
const shape = { blocks: 30, txsPerBlock: 2, outputsPerTx: 2, walletEvery: 4, spendAfter: 0, asset: COOKIE };
const chain = syntheticChain({ ...shape, seed: "cli balance: first chain" }, keys);
/** The same chain after a reset (the same seed makes the same blocks: same genesis, fewer blocks), and one of another genesis. */
const reset = syntheticChain({ ...shape, blocks: 9, seed: "cli balance: first chain" }, keys);
const other = syntheticChain({ ...shape, blocks: 12, seed: "cli balance: another chain" }, keys);

const ASSETS = JSON.stringify({
  assets: [{ id: cookieHex, kind: "token", name: "COOKIE", decimals: 2, supply: "100000000" }],
});

/** The fake node of `c`, plus the asset registry balance reads; `failSync` answers every page with a 500. */
function node(c: SyntheticChain, failSync = false): typeof fetch {
  const serve = fakeNode(c, 10);
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    if (path === "/v1/sync" && failSync) {
      return new Response("down", { status: 500 });
    }
    return path === "/v1/assets" ? new Response(ASSETS) : serve(input, init);
  }) as typeof fetch;
}

let dir = "";

const opened: CliContext[] = [];

async function run(
  c: SyntheticChain,
  command: Command,
  values: Record<string, string | boolean> = {},
  failSync = false,
) {
  const ctx = new CliContext(
    { node: "http://node.test", walletDir: dir, passphraseFile: join(dir, "pass"), account: undefined, json: true },
    node(c, failSync),
  );
  opened.push(ctx);
  try {
    return await command.run(ctx, values, []);
  } finally {
    await ctx.close();
  }
}

type BalanceJson = {
  height: number;
  balances: {
    asset: string;
    symbol: string;
    decimals: number;
    spendable: string;
    locked: string;
    incoming: string;
    display: { spendable: string; locked: string; incoming: string };
    notes: number;
  }[];
};
const balanceOn = async (c: SyntheticChain) => (await run(c, balance)).json as BalanceJson;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sero-balance-cli-"));
  await writeFile(join(dir, "pass"), "a test passphrase\n");
  await writeFile(join(dir, "seed"), `${toHex(seed)}\n`);
  await run(chain, accountImport, { "mnemonic-file": join(dir, "seed"), birthday: "0" });
}, 60_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

describe("sero balance --json", () => {
  it("totals every note of a token in base units, with the display form beside", async () => {
    expect(chain.walletNotes).toBeGreaterThan(2);
    const answer = await balanceOn(chain);
    expect(answer.height).toBe(shape.blocks - 1);
    const none = { spendable: "0", locked: "0", incoming: "0" };
    expect(answer.balances).toEqual([
      {
        asset: toHex(frToBytes(SERO_ASSET_ID)),
        kind: "token",
        symbol: "SERO",
        decimals: 18,
        ...none,
        display: none,
        notes: 0,
      },
      {
        asset: cookieHex,
        kind: "token",
        symbol: "COOKIE",
        decimals: 2,
        spendable: chain.walletBalance.toString(),
        locked: "0",
        incoming: "0",
        display: { spendable: formatAmount(chain.walletBalance, 2), locked: "0", incoming: "0" },
        notes: chain.walletNotes,
      },
    ]);
  }, 60_000);
});

describe("a chain reset under a synced wallet", () => {
  it("is refused with chain_changed by balance, history, sync and send, showing nothing; sync --rescan recovers", async () => {
    await balanceOn(chain);
    const payment = { to: publicAddressText({ viewing: keys, spending: keys }), amount: "1", asset: "COOKIE" };
    for (const [command, values] of [[balance], [history], [sync], [sendCommand, payment]] as const) {
      await expect(run(reset, command, values)).rejects.toMatchObject({ code: "chain_changed" });
      await expect(run(other, command, values)).rejects.toMatchObject({ code: "chain_changed" });
    }
    // The refusals saved nothing: the old chain is still the wallet's.
    expect((await balanceOn(chain)).height).toBe(shape.blocks - 1);

    expect((await run(reset, sync, { rescan: true })).json).toMatchObject({ height: 8, tip: 8, complete: true });
    const after = await balanceOn(reset);
    expect(after.height).toBe(8);
    expect(reset.walletBalance).toBeLessThan(chain.walletBalance);
    expect(after.balances.map((b) => [b.symbol, b.spendable, b.notes])).toEqual([
      ["SERO", "0", 0],
      ["COOKIE", reset.walletBalance.toString(), reset.walletNotes],
    ]);
    // The reset chain's blocks are the first chain's first ones, so that chain continues it: no refusal.
    expect((await balanceOn(chain)).balances[1]?.spendable).toBe(chain.walletBalance.toString());
  }, 120_000);

  // Runs after the test above: the wallet now holds the reset chain's state.
  it("a rescan on another genesis starts at block 0 and finds that chain's notes", async () => {
    expect((await run(other, sync, { rescan: true })).json).toMatchObject({ height: 11, complete: true });
    const answer = await balanceOn(other);
    expect(answer.balances[1]?.spendable).toBe(other.walletBalance.toString());
  }, 120_000);

  it("a rescan that fails before its first page leaves the synced state as it was", async () => {
    await expect(run(other, sync, { rescan: true }, true)).rejects.toMatchObject({ code: "bad_node_response" });
    const file = await WalletFile.open(dir, "sero", "a test passphrase");
    try {
      const state = Wallet.load(file).state("main", "sero-synthetic-1");
      expect([state?.syncedHeight, state?.genesis]).toEqual([11, blockSummary(other.blocks[0] as never).stateRoot]);
    } finally {
      await file.close();
    }
  }, 60_000);
});
