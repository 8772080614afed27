/** Commands that read: address, view-key export, sync, balance, history. */
import { toHex } from "../../codec/bytes.ts";
import { type AssetValue, SERO_ASSET_ID } from "../../protocol/asset.ts";
import { frToBytes } from "../../protocol/field.ts";
import { encodeText } from "../../protocol/text.ts";
import { oneTimeAddressText, viewingKeyText } from "../../wallet/account.ts";
import type { ContractRecord } from "../../wallet/contract-records.ts";
import { WalletError } from "../../wallet/errors.ts";
import { fileHex } from "../../wallet/value-json.ts";
import { AssetBook } from "../assets.ts";
import { type Command, optionalInteger } from "../command.ts";
import { amounts, categoryName, feeJson, valueJson } from "../json-values.ts";

const memoText = (memo: Uint8Array) => new TextDecoder().decode(memo);

export const address: Command = {
  name: "address",
  summary: "Show the account's public address, or a one-time address (PKr) for one payer",
  details:
    "A public address (sero1...) is for publishing: payers derive a fresh one-time address from it, so\n" +
    "their payments are unlinkable. A one-time address (seror1...) is for handing to one payer.",
  options: { "one-time": { type: "boolean" }, index: { type: "string" } },
  optionHelp: [
    ["--one-time", "a one-time address instead of the public one"],
    ["--index N", "which one-time address (the same N always gives the same address); default: random"],
  ],
  async run(ctx, values) {
    const index = optionalInteger(values, "index");
    if (!values["one-time"]) {
      if (index !== undefined) {
        throw new WalletError("bad_option", "--index picks a one-time address: give --one-time too");
      }
      // The public address is in the wallet's public part: no passphrase.
      const accounts = await ctx.publicAccounts();
      const name = ctx.options.account;
      const account = name === undefined ? accounts[0] : accounts.find((a) => a.name === name);
      if (!account) {
        throw new WalletError(
          "unknown_account",
          name === undefined ? "the wallet has no account: run sero account new" : `no account named ${name}`,
        );
      }
      return { json: { account: account.name, address: account.address }, lines: [account.address] };
    }
    // A one-time address at an index comes from the viewing key, sealed in the wallet.
    const { record, keys } = (await ctx.readableWallet()).account(ctx.options.account);
    const at = index ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const text = oneTimeAddressText(keys, at);
    return { json: { account: record.name, index: at, address: text }, lines: [text] };
  },
};

export const viewKeyExport: Command = {
  name: "view-key export",
  summary: "Print the account's viewing key: it reveals every note and payment of the account, never spends",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const { record, keys } = (await ctx.readableWallet()).account(ctx.options.account);
    const text = viewingKeyText(keys);
    return { json: { account: record.name, viewKey: text }, lines: [text] };
  },
};

export const sync: Command = {
  name: "sync",
  summary: "Scan new blocks for the account's notes and spends (resumable: Ctrl-C saves and stops)",
  details:
    "Every command that reads the account's state first checks that the node serves the chain the wallet\n" +
    "synced (its block 0 and the last block synced). If not, it stops with chain_changed and shows nothing\n" +
    "from the old chain: the chain was reset, or the node is of another chain. sero sync --rescan then drops\n" +
    "the account's synced state and reads the node's chain again (from block 0 after such a change, else from\n" +
    "where the state started); keys and other accounts stay.",
  options: { rescan: { type: "boolean" } },
  optionHelp: [["--rescan", "forget the synced state and read the chain again (after chain_changed)"]],
  async run(ctx, values) {
    const session = await ctx.session({ sync: false, rescan: values.rescan === true });
    const result = await ctx.sync(session);
    return { json: result, lines: [`synced at block ${result.height} of ${result.tip}`] };
  },
};

export const balance: Command = {
  name: "balance",
  summary: "Balances per asset: spendable now, locked by sends in flight, and change on its way",
  details:
    "SERO first (0 when the account holds none), then tokens by symbol, then tickets. With --json, per\n" +
    "asset: spendable, locked and incoming are totals in base units, display holds them in the asset's\n" +
    "decimals (sero help json), notes counts the spendable notes. While another sero process holds the\n" +
    "wallet (a send proving), the balance it last saved is shown, unsynced.",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const session = await ctx.session({ read: true });
    const book = await AssetBook.load(ctx.client());
    const held = [...session.state.balances().values()];
    if (!held.some((b) => b.value.kind === "token" && b.value.asset === SERO_ASSET_ID)) {
      held.push({
        value: { kind: "token", asset: SERO_ASSET_ID, amount: 0n },
        spendable: 0n,
        locked: 0n,
        incoming: 0n,
        notes: 0,
      });
    }
    const rows = held.map((b): BalanceRow => {
      const totals = { spendable: b.spendable, locked: b.locked, incoming: b.incoming };
      if (b.value.kind === "ticket") {
        const category = categoryName(book, b.value);
        const ticketId = toHex(b.value.ticketId);
        return { kind: "ticket", symbol: category, category, ticketId, ...amounts(totals, 0), notes: b.notes };
      }
      const { symbol, decimals } = book.nameOf(b.value.asset);
      const asset = toHex(frToBytes(b.value.asset));
      return { kind: "token", asset, symbol, decimals, ...amounts(totals, decimals), notes: b.notes };
    });
    rows.sort((a, b) => rank(a) - rank(b) || a.symbol.localeCompare(b.symbol) || order(a, b));
    const lines = rows.map((r) => balanceLine(r));
    return { json: { account: session.record.name, height: session.state.syncedHeight, balances: rows }, lines };
  },
};

const rank = (r: { kind: string; symbol: string }) => (r.kind === "ticket" ? 2 : r.symbol === "SERO" ? 0 : 1);
const order = (a: BalanceRow, b: BalanceRow) => (a.ticketId ?? "").localeCompare(b.ticketId ?? "");

type BalanceRow = {
  readonly kind: string;
  readonly symbol: string;
  readonly ticketId?: string;
  readonly display: { spendable: string; locked: string; incoming: string };
  readonly [field: string]: unknown;
};

function balanceLine(r: BalanceRow): string {
  const d = r.display;
  const extra = [d.locked !== "0" ? `${d.locked} locked` : "", d.incoming !== "0" ? `${d.incoming} incoming` : ""]
    .filter(Boolean)
    .join(", ");
  const main = r.kind === "token" ? `${d.spendable.padStart(28)} ${r.symbol}` : `${r.symbol} ticket ${r.ticketId}`;
  return extra ? `${main}  (${extra})` : main;
}

export const history: Command = {
  name: "history",
  summary: "Incoming and outgoing transfers with memos, contract calls and their payouts, from the viewing key",
  details:
    "Each entry is one transaction; its id is printed short (the first 16 hex digits), which sero tx status\n" +
    "takes. A payment's recipient is the one-time address paid (seror1...), when this wallet sent it.",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const session = await ctx.session({ read: true });
    const book = await AssetBook.load(ctx.client());
    const value = (v: AssetValue) => valueJson(book, v);
    const contractOf = (txId: string) => {
      const r = session.state.contracts.byTx(txId);
      return r && { ...r, contract: encodeText("contractAddress", fileHex(r.contract)) };
    };
    const entries = session.state.history.map((h) => ({
      txId: h.txId,
      height: h.height,
      kind: h.kind,
      ...feeJson(h.fee),
      received: h.received.map((r) => ({ value: value(r.value), memo: memoText(r.memo) })),
      change: h.change.map((c) => ({ value: value(c.value) })),
      sent: h.sent.map((s) => ({
        value: value(s.value),
        memo: memoText(s.memo),
        recipient: session.state.payee(s.recipient) ?? null,
        recipientKey: s.recipient,
      })),
      spent: h.spent.map((s) => ({ value: value(s.value) })),
      payouts: h.payouts.map((p) => ({ value: value(p.value) })),
      contract: contractJson(contractOf(h.txId), value),
    }));
    const lines = session.state.history.flatMap((h) => {
      const fee = h.fee > 0n ? `  fee ${book.describe({ kind: "token", asset: SERO_ASSET_ID, amount: h.fee })}` : "";
      const head = `block ${h.height}  ${h.txId.slice(0, 16)}  ${h.kind ?? ""}${fee}`;
      const own = contractOf(h.txId);
      const brought = own?.value ? `, bringing ${book.describe(own.value)}` : "";
      const from = own ? `contract ${own.contract}` : "a contract";
      const to = (key: string) => {
        const paid = session.state.payee(key);
        return paid ? `  to ${paid}` : "";
      };
      return [
        head,
        ...(own
          ? [`  ${own.kind === "deploy" ? "deployed" : "called"} ${own.contract} as identity ${own.identity}${brought}`]
          : []),
        ...h.received.map((r) => `  + ${book.describe(r.value)}${r.memo.length ? `  "${memoText(r.memo)}"` : ""}`),
        ...h.sent.map(
          (s) => `  - ${book.describe(s.value)}${to(s.recipient)}${s.memo.length ? `  "${memoText(s.memo)}"` : ""}`,
        ),
        ...h.payouts.map((p) => `  + ${book.describe(p.value)}  (received from ${from})`),
        ...(h.sent.length === 0 && h.spent.length > 0 && !own ? ["  (between the account's own notes)"] : []),
      ];
    });
    return {
      json: { account: session.record.name, history: entries },
      lines: lines.length ? lines : ["no history yet"],
    };
  },
};

/** The account's own deploy or call in a history entry (PROTOCOL.md §10.1): which identity, which contract. */
function contractJson(r: (ContractRecord & { contract: string }) | undefined, value: (v: AssetValue) => unknown) {
  return r
    ? {
        kind: r.kind,
        contract: r.contract,
        identity: r.identity,
        gasLimit: r.gasLimit.toString(),
        value: r.value ? value(r.value) : null,
      }
    : null;
}
