/**
 * The `sero` wallet end to end, exactly as a user drives it: the CLI as a
 * separate process against a local testnet (`wrangler dev`, 4 replicas) and
 * its faucet, over HTTP. Two accounts in two wallets; amounts, fees and
 * histories are checked to the base unit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliTestnet } from "./cli-testnet.ts";

const SERO = 10n ** 18n;
/** The local testnet's minimum fee (src/chain/config.ts), in base units. */
const FEE = 1_000n;
const net = new CliTestnet(18887, "wallet");
const sero = (wallet: string, ...args: string[]) => net.run(wallet, ...args);
const ok = (wallet: string, ...args: string[]) => net.ok(wallet, ...args);
const refused = (wallet: string, code: string, ...args: string[]) => net.refused(wallet, code, ...args);

/** `sero balance --json`: `display` holds the totals in the asset's decimals. */
type Balance = { symbol: string; ticketId?: string; display: { spendable: string }; notes: number };

/** Spendable per token symbol, and per ticket as "CATEGORY ticket ID" (the form balance prints). */
async function balances(wallet: string): Promise<Record<string, string>> {
  const json = await ok(wallet, "balance");
  const name = (b: Balance) => (b.ticketId ? `${b.symbol} ticket ${b.ticketId}` : b.symbol);
  return Object.fromEntries((json.balances as Balance[]).map((b) => [name(b), b.display.spendable]));
}

type HistoryJson = {
  txId: string;
  fee: string;
  received: { value: { amount?: string }; memo: string }[];
  sent: { value: { amount?: string }; memo: string; recipient: string | null }[];
}[];

const history = async (wallet: string) => (await ok(wallet, "history")).history as HistoryJson;

/** Base units as the CLI prints them (decimals trimmed). */
function units(value: bigint, decimals = 18): string {
  const digits = value.toString().padStart(decimals + 1, "0");
  const fraction = digits.slice(-decimals).replace(/0+$/, "");
  return `${digits.slice(0, -decimals)}${fraction ? `.${fraction}` : ""}`;
}

beforeAll(() => net.start(), 240_000);
afterAll(() => net.stop());

// Each step proves and waits for commits: minutes on a machine shared with other suites.
describe("sero wallet against the local testnet", { timeout: 300_000 }, () => {
  let bobOneTime = "";
  let alicePublic = "";

  it("creates two accounts and funds Alice from the faucet", async () => {
    alicePublic = (await ok("alice", "account", "new")).address as string;
    const bob = await ok("bob", "account", "new");
    expect(String(bob.mnemonic).split(" ")).toHaveLength(24);
    bobOneTime = (await ok("bob", "address", "--one-time", "--index", "3")).address as string;
    expect(bobOneTime.startsWith("seror1")).toBe(true);
    await ok("alice", "faucet");
    expect(await balances("alice")).toEqual({ SERO: "1000" });
  });

  it("Alice issues a token and pays Bob SERO and the token with memos; Bob sees both", async () => {
    // Registration and issuance each pay the fee (PROTOCOL.md §8.9).
    const issued = await ok("alice", "asset", "issue", "--symbol", "USDX", "--decimals", "6", "--supply", "1000000");
    expect(issued).toMatchObject({ symbol: "USDX", fee: (2n * FEE).toString() });
    const sero = await ok("alice", "send", "--to", bobOneTime, "--amount", "12.5", "--memo", "lunch", "--wait");
    expect(sero).toMatchObject({ status: "committed", transactions: 1, fee: FEE.toString() });
    const usdx = await ok(
      "alice",
      "send",
      "--to",
      bobOneTime,
      "--asset",
      "USDX",
      "--amount",
      "250.75",
      "--memo",
      "invoice 42",
      "--wait",
    );
    // A token payment takes a fee note first: its two outputs are the payment and the token change.
    expect(usdx).toMatchObject({ status: "committed", transactions: 2, fee: (2n * FEE).toString() });

    expect(await balances("bob")).toEqual({ SERO: "12.5", USDX: "250.75" });
    expect(await balances("alice")).toEqual({
      SERO: units(1000n * SERO - 12n * SERO - SERO / 2n - 5n * FEE),
      USDX: "999749.25",
    });
    const bobHistory = await history("bob");
    expect(bobHistory.flatMap((h) => h.received.map((r) => [r.value.amount, r.memo]))).toEqual([
      [(12n * SERO + SERO / 2n).toString(), "lunch"],
      ["250750000", "invoice 42"],
    ]);
    const aliceSent = (await history("alice")).flatMap((h) => h.sent.map((s) => [s.value.amount, s.memo, s.recipient]));
    // The recipient is the address Alice typed.
    expect(aliceSent).toEqual([
      [(12n * SERO + SERO / 2n).toString(), "lunch", bobOneTime],
      ["250750000", "invoice 42", bobOneTime],
    ]);
  });

  it("Bob pays back to Alice's public address; both sides are exact", async () => {
    await ok("bob", "send", "--to", alicePublic, "--amount", "2.5", "--wait");
    expect(await balances("bob")).toEqual({ SERO: units(10n * SERO - FEE), USDX: "250.75" });
    expect(await balances("alice")).toEqual({ SERO: units(990n * SERO - 5n * FEE), USDX: "999749.25" });
    const last = (await history("bob")).at(-1);
    expect(last).toMatchObject({
      fee: FEE.toString(),
      sent: [{ value: { amount: (2n * SERO + SERO / 2n).toString() } }],
    });
  });

  it("tx status takes the short id history prints", async () => {
    const last = (await history("bob")).at(-1)?.txId as string;
    expect(await ok("bob", "tx", "status", last.slice(0, 16))).toMatchObject({ txId: last, status: "committed" });
  });

  it("a watch-only account from Bob's viewing key sees his history and cannot send", async () => {
    const viewKey = (await ok("bob", "view-key", "export")).viewKey as string;
    await ok("watcher", "account", "watch", "--view-key", viewKey);
    // The same history, except the addresses Bob paid: only the wallet that sent keeps them.
    const unknownRecipients = (await history("bob")).map((h) => ({
      ...h,
      sent: h.sent.map((s) => ({ ...s, recipient: null })),
    }));
    expect(await history("watcher")).toEqual(unknownRecipients);
    expect(await balances("watcher")).toEqual(await balances("bob"));
    await refused("watcher", "watch_only", "send", "--to", alicePublic, "--amount", "1");
  });

  it("refuses bad input with a code and changes nothing", async () => {
    const before = await balances("alice");
    const viewKey = (await ok("bob", "view-key", "export")).viewKey as string;
    await refused("alice", "wrong_kind", "send", "--to", viewKey, "--amount", "1");
    await refused("alice", "wrong_kind", "send", "--to", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "--amount", "1");
    await refused("alice", "bad_amount", "send", "--to", bobOneTime, "--amount", "0.0000000000000000001");
    await refused("alice", "bad_amount", "send", "--to", bobOneTime, "--amount", "1e3");
    await refused("alice", "bad_amount", "send", "--to", bobOneTime, "--amount", "999999999999999999999999");
    await refused("alice", "insufficient_funds", "send", "--to", bobOneTime, "--amount", "5000");
    await refused("alice", "unknown_asset", "send", "--to", bobOneTime, "--asset", "NOPE", "--amount", "1");
    const down = await sero("alice", "balance", "--node", "http://127.0.0.1:9");
    expect(down.json).toMatchObject({ error: { code: "node_unreachable" } });
    expect(await balances("alice")).toEqual(before);
  });

  it("merges automatically when a payment needs more notes than one transaction holds", async () => {
    for (let i = 0; i < 4; i++) {
      await ok("alice", "send", "--to", bobOneTime, "--amount", "1", "--wait");
    }
    // Bob holds 5 SERO notes (10 - fee, and 1 four times): 13 SERO needs all of them, and a transfer takes 4.
    const paid = await ok("bob", "send", "--to", alicePublic, "--amount", "13", "--wait");
    expect(paid).toMatchObject({ status: "committed", transactions: 2, fee: (2n * FEE).toString() });
    expect(await balances("bob")).toEqual({ SERO: units(SERO - 3n * FEE), USDX: "250.75" });
    expect((await balances("alice")).SERO).toBe(units(990n * SERO - 4n * SERO + 13n * SERO - 9n * FEE));
  });

  it("issues tickets and sends one: the payee holds it, the issuer keeps the other", async () => {
    const issued = await ok("alice", "ticket", "issue", "--category", "CONCERT", "--count", "2");
    const [first, second] = issued.ticketIds as string[];
    const sent = await ok("alice", "ticket", "send", "--to", bobOneTime, "--ticket", first as string, "--wait");
    // Alice holds no note of exactly the fee any more: a fee note first, then the ticket.
    expect(sent).toMatchObject({ status: "committed", transactions: 2 });
    expect(await balances("bob")).toMatchObject({ [`CONCERT ticket ${first}`]: "1" });
    const alice = await balances("alice");
    expect(alice[`CONCERT ticket ${second}`]).toBe("1");
    expect(alice[`CONCERT ticket ${first}`]).toBeUndefined();
    await refused("alice", "unknown_ticket", "ticket", "send", "--to", bobOneTime, "--ticket", first as string);
  });
});
