/**
 * The first dapp end to end, exactly as users drive it: the `sero` CLI as
 * separate processes against a local testnet (`wrangler dev`, 4 replicas)
 * over HTTP. A token sale is deployed; two anonymous buyers pay SERO, find
 * the tokens the contract paid out in their wallets and spend them; two
 * buyers race for the last tokens and the loser's call reverts, its value
 * returned; the owner withdraws the proceeds. Balances are exact to the base
 * unit on both sides (PROTOCOL.md §10).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../scripts/local-testnet.ts";
import { CliTestnet } from "./cli-testnet.ts";

const SERO = 10n ** 18n;
const SALE = "contracts/build/TokenSale.json";
const net = new CliTestnet(38887, "contracts");
const ok = (wallet: string, ...args: string[]) => net.ok(wallet, ...args);

/** Spendable balances in base units: GOLD has 0 decimals, SERO 18. */
async function spendable(wallet: string): Promise<{ SERO: bigint; GOLD: bigint }> {
  const { balances } = (await ok(wallet, "balance")) as { balances: { symbol: string; spendable: string }[] };
  const of = (symbol: string) => BigInt(balances.find((b) => b.symbol === symbol)?.spendable ?? "0");
  return { SERO: of("SERO"), GOLD: of("GOLD") };
}

const buy = (wallet: string, contract: string, sero: string, ...more: string[]) =>
  ok(wallet, "contract", "call", "--to", contract, "--abi", SALE, "--fn", "buy", "--amount", sero, ...more);

beforeAll(() => net.start(), 240_000);
afterAll(() => net.stop());

describe("a token sale on the local testnet, driven by the sero CLI", () => {
  let sale = "";

  it("deploys the sale: the contract issues GOLD into its own balance", async () => {
    for (const wallet of ["owner", "ann", "ben"]) {
      await ok(wallet, "account", "new");
      await ok(wallet, "faucet");
    }
    // 300 GOLD (0 decimals) at 100 GOLD per SERO: buy() pays paid × rate / 10^18 base units.
    const deployed = await ok(
      "owner",
      "contract",
      "deploy",
      "--artifact",
      SALE,
      "--args",
      '["GOLD", 0, "300", "100"]',
      "--wait",
    );
    expect(deployed).toMatchObject({ status: "committed", kind: "deploy", outcome: { code: "ok" } });
    sale = deployed.contract as string;
    expect(sale.startsWith("seroc1")).toBe(true);
    const available = await ok("owner", "contract", "read", "--to", sale, "--abi", SALE, "--fn", "available");
    expect(available).toMatchObject({ code: "ok", result: "300" });
  });

  it("two anonymous buyers pay SERO, find the tokens in their wallets, and spend them", async () => {
    const before = await spendable("ann");
    const annBuy = await buy("ann", sale, "1", "--wait");
    expect(annBuy).toMatchObject({ status: "committed", outcome: { code: "ok" } });
    await buy("ben", sale, "1", "--wait");
    const ann = await spendable("ann");
    expect(ann.GOLD).toBe(100n);
    expect(ann.SERO).toBe(before.SERO - SERO - BigInt(annBuy.fee as string));
    expect((await spendable("ben")).GOLD).toBe(100n);

    const benAddress = (await ok("ben", "address", "--one-time")).address as string;
    await ok("ann", "send", "--to", benAddress, "--asset", "GOLD", "--amount", "30", "--wait");
    expect((await spendable("ann")).GOLD).toBe(70n);
    expect((await spendable("ben")).GOLD).toBe(130n);

    const info = (await ok("owner", "contract", "info", "--to", sale)) as {
      balances: { symbol: string; amount: string }[];
    };
    expect(Object.fromEntries(info.balances.map((b) => [b.symbol, b.amount]))).toEqual({
      GOLD: "100",
      SERO: (2n * SERO).toString(),
    });
  });

  it("two buyers race for the last 100 tokens: the later call reverts and its SERO comes back", async () => {
    const files = [join(net.root, "ann-buy.json"), join(net.root, "ben-buy.json")];
    const benBefore = await spendable("ben");
    // Both proved while 100 GOLD are left, so both dry runs pass; then submitted in order.
    const written = [
      await buy("ann", sale, "1", "--out", files[0] as string),
      await buy("ben", sale, "1", "--out", files[1] as string),
    ];
    for (const file of files) {
      await ok("owner", "tx", "submit", file);
    }
    const outcomes = [];
    for (const w of written) {
      const id = w.txId as string;
      const status = await waitUntil(
        async () => {
          const s = await ok("owner", "tx", "status", id);
          return s.status === "committed" ? s : undefined;
        },
        120_000,
        `${id} committed`,
      );
      outcomes.push((status.outcome as { code: string }).code);
    }
    expect(outcomes).toEqual(["ok", "revert"]);
    const ben = await spendable("ben");
    expect(ben.GOLD).toBe(130n);
    // Ben paid the fee; the SERO his call brought came back as a payout.
    expect(ben.SERO).toBe(benBefore.SERO - BigInt(written[1]?.fee as string));
    expect((await spendable("ann")).GOLD).toBe(170n);
    const available = await ok("owner", "contract", "read", "--to", sale, "--abi", SALE, "--fn", "available");
    expect(available).toMatchObject({ result: "0" });
  });

  it("the owner, and only the owner, withdraws the proceeds", async () => {
    const withdraw = (amount: bigint) => [
      "contract",
      "call",
      "--to",
      sale,
      "--abi",
      SALE,
      "--fn",
      "withdraw",
      "--args",
      `["${amount}"]`,
    ];
    const stranger = await net.run("ann", ...withdraw(1n));
    expect(stranger.code).toBe(1); // refused before paying: its dry run reverts
    expect(JSON.stringify(stranger.json)).toContain("TokenSale: not the owner");
    const before = await spendable("owner");
    const paid = await ok("owner", ...withdraw(3n * SERO), "--wait");
    expect(paid).toMatchObject({ outcome: { code: "ok" }, identityChoice: expect.any(String) });
    expect((await spendable("owner")).SERO).toBe(before.SERO + 3n * SERO - BigInt(paid.fee as string));
  });
});
