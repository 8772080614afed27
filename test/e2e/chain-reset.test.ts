/**
 * A wallet synced on a chain that is then reset under it (issue [wallet-ux],
 * "Wrong answers"): the CLI must notice, show nothing from the old chain and
 * send nothing, and `sero sync --rescan` must start over on the new one.
 * Both ways a reset shows are driven: the new chain still below the block the
 * wallet synced, and grown past it with other blocks there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliTestnet } from "./cli-testnet.ts";

const net = new CliTestnet(61887, "reset");

type Balance = { symbol: string; display: { spendable: string } };

async function balances(wallet: string): Promise<Record<string, string>> {
  const json = await net.ok(wallet, "balance");
  return Object.fromEntries((json.balances as Balance[]).map((b) => [b.symbol, b.display.spendable]));
}

beforeAll(() => net.start(), 240_000);
afterAll(() => net.stop());

describe("a chain reset under a synced wallet", () => {
  let syncedHeight = 0;

  it("funds Alice on the first chain", async () => {
    await net.ok("alice", "account", "new");
    await net.ok("bob", "account", "new");
    await net.ok("alice", "faucet");
    expect(await balances("alice")).toEqual({ SERO: "1000" });
    syncedHeight = Number((await net.ok("alice", "sync")).height);
    expect(syncedHeight).toBeGreaterThan(0);
  });

  it("refuses every answer from the old chain while the new one is still below it", async () => {
    await net.resetChain();
    await net.refused("alice", "chain_changed", "balance");
    await net.refused("alice", "chain_changed", "sync");
    await net.refused("alice", "chain_changed", "history");
    const bobAddress = (await net.ok("bob", "address")).address as string;
    await net.refused("alice", "chain_changed", "send", "--to", bobAddress, "--amount", "1");
  }, 300_000);

  it("refuses it too once the new chain has other blocks at that height", async () => {
    // Bob's faucet payments grow the new chain past the height Alice synced on the old one.
    while (Number((await net.ok("bob", "sync")).height) < syncedHeight) {
      await net.ok("bob", "faucet");
    }
    await net.refused("alice", "chain_changed", "balance");
  }, 600_000);

  it("starts over with sync --rescan, keeping the keys", async () => {
    const before = (await net.ok("alice", "address")).address;
    await net.ok("alice", "sync", "--rescan");
    expect(await balances("alice")).toEqual({ SERO: "0" });
    await net.ok("alice", "faucet");
    expect(await balances("alice")).toEqual({ SERO: "1000" });
    expect((await net.ok("alice", "address")).address).toBe(before);
  }, 300_000);
});
