/** Commands that read: address, view-key export, sync, balance, history. */
import { SERO_ASSET_ID } from "../../protocol/asset.ts";
import { encodeText } from "../../protocol/text.ts";
import { oneTimeAddressText, publicAddressText, viewingKeyText } from "../../wallet/account.ts";
import type { ContractRecord } from "../../wallet/contract-records.ts";
import { fileHex, valueToJson } from "../../wallet/value-json.ts";
import { formatAmount } from "../amount.ts";
import { AssetBook } from "../assets.ts";
import { type Command, optionalInteger } from "../command.ts";

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
    const wallet = await ctx.wallet();
    const { record, keys } = wallet.account(ctx.options.account);
    if (!values["one-time"]) {
      const text = publicAddressText(keys);
      return { json: { account: record.name, address: text }, lines: [text] };
    }
    const index = optionalInteger(values, "index") ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const text = oneTimeAddressText(keys, index);
    return { json: { account: record.name, index, address: text }, lines: [text] };
  },
};

export const viewKeyExport: Command = {
  name: "view-key export",
  summary: "Print the account's viewing key: it reveals every note and payment of the account, never spends",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const { record, keys } = (await ctx.wallet()).account(ctx.options.account);
    const text = viewingKeyText(keys);
    return { json: { account: record.name, viewKey: text }, lines: [text] };
  },
};

export const sync: Command = {
  name: "sync",
  summary: "Scan new blocks for the account's notes and spends (resumable: stop any time)",
  details:
    "Every command that reads the account's state first checks that the node serves the chain the wallet\n" +
    "synced (its block 0 and the last block synced). If not, it stops with chain_changed and shows nothing\n" +
    "from the old chain: the chain was reset, or the node is of another chain. sero sync --rescan then drops\n" +
    "the account's synced state and reads the node's chain again (from block 0 after such a change, else from\n" +
    "where the state started); keys and other accounts stay.",
  options: { rescan: { type: "boolean" } },
  optionHelp: [["--rescan", "forget the synced state and read the chain again (after chain_changed)"]],
  async run(ctx, values) {
    const session = await ctx.session(false, values.rescan === true);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      const result = await ctx.sync(session, controller.signal);
      const how = result.complete ? "synced" : "stopped (run sero sync to continue)";
      return { json: result, lines: [`${how} at block ${result.height} of ${result.tip}`] };
    } finally {
      process.off("SIGINT", stop);
    }
  },
};

export const balance: Command = {
  name: "balance",
  summary: "Balances per asset: spendable now, locked by sends in flight, and change on its way",
  details:
    "With --json, per asset: spendable, locked and incoming are totals in base units (decimal strings),\n" +
    "display holds the same in the asset's decimals, notes counts the spendable notes.",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const session = await ctx.session();
    const book = await AssetBook.load(ctx.client());
    const rows = [...session.state.balances()].map(([asset, b]) => {
      const { symbol, decimals } =
        b.value.kind === "token" ? book.nameOf(b.value.asset) : { symbol: book.describe(b.value), decimals: 0 };
      const f = (x: bigint) => formatAmount(x, decimals);
      return {
        asset,
        kind: b.value.kind,
        symbol,
        decimals,
        // A ticket's own identity; a token's is `asset` and its amounts are the totals below.
        ...(b.value.kind === "ticket" ? { ticket: valueToJson(b.value) } : {}),
        spendable: b.spendable.toString(),
        locked: b.locked.toString(),
        incoming: b.incoming.toString(),
        display: { spendable: f(b.spendable), locked: f(b.locked), incoming: f(b.incoming) },
        notes: b.notes,
      };
    });
    const lines = rows.length === 0 ? ["no notes yet"] : rows.map((r) => balanceLine({ ...r, ...r.display }));
    return { json: { account: session.record.name, height: session.state.syncedHeight, balances: rows }, lines };
  },
};

function balanceLine(r: { kind: string; symbol: string; spendable: string; locked: string; incoming: string }): string {
  const extra = [r.locked !== "0" ? `${r.locked} locked` : "", r.incoming !== "0" ? `${r.incoming} incoming` : ""]
    .filter(Boolean)
    .join(", ");
  const main = r.kind === "token" ? `${r.spendable.padStart(28)} ${r.symbol}` : `${r.symbol}`;
  return extra ? `${main}  (${extra})` : main;
}

export const history: Command = {
  name: "history",
  summary: "Incoming and outgoing transfers with memos, contract calls and their payouts, from the viewing key",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const session = await ctx.session();
    const book = await AssetBook.load(ctx.client());
    const contractOf = (txId: string) => {
      const r = session.state.contracts.byTx(txId);
      return r && { ...r, contract: encodeText("contractAddress", fileHex(r.contract)) };
    };
    const entries = session.state.history.map((h) => ({
      txId: h.txId,
      height: h.height,
      kind: h.kind,
      fee: h.fee.toString(),
      received: h.received.map((r) => ({ value: valueToJson(r.value), memo: memoText(r.memo) })),
      change: h.change.map((c) => ({ value: valueToJson(c.value) })),
      sent: h.sent.map((s) => ({ value: valueToJson(s.value), memo: memoText(s.memo), recipient: s.recipient })),
      spent: h.spent.map((s) => ({ value: valueToJson(s.value) })),
      payouts: h.payouts.map((p) => ({ value: valueToJson(p.value) })),
      contract: contractJson(contractOf(h.txId)),
    }));
    const lines = session.state.history.flatMap((h) => {
      const fee = h.fee > 0n ? `  fee ${book.describe({ kind: "token", asset: SERO_ASSET_ID, amount: h.fee })}` : "";
      const head = `block ${h.height}  ${h.txId.slice(0, 16)}  ${h.kind ?? ""}${fee}`;
      const own = contractOf(h.txId);
      const brought = own?.value ? `, bringing ${book.describe(own.value)}` : "";
      const from = own ? `contract ${own.contract}` : "a contract";
      return [
        head,
        ...(own
          ? [`  ${own.kind === "deploy" ? "deployed" : "called"} ${own.contract} as identity ${own.identity}${brought}`]
          : []),
        ...h.received.map((r) => `  + ${book.describe(r.value)}${r.memo.length ? `  "${memoText(r.memo)}"` : ""}`),
        ...h.sent.map((s) => `  - ${book.describe(s.value)}${s.memo.length ? `  "${memoText(s.memo)}"` : ""}`),
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
function contractJson(r: (ContractRecord & { contract: string }) | undefined) {
  return r
    ? {
        kind: r.kind,
        contract: r.contract,
        identity: r.identity,
        gasLimit: r.gasLimit.toString(),
        value: r.value ? valueToJson(r.value) : null,
      }
    : null;
}
