/** sero send, sero ticket send: plan, show the fee, prove, submit (or write the transaction to a file). */
import { writeFile } from "node:fs/promises";
import { bytesEqual, fromHex, toHex, utf8 } from "../../codec/bytes.ts";
import { encodeOneTimeAddress, type OneTimeAddress } from "../../protocol/address.ts";
import { type AssetValue, SERO_DECIMALS } from "../../protocol/asset.ts";
import { MEMO_BYTES } from "../../protocol/encryption/plaintext.ts";
import type { SpendingKeys } from "../../protocol/keys.ts";
import { encodeText } from "../../protocol/text.ts";
import { committedArtifacts } from "../../prover/node-artifacts.ts";
import { WalletError } from "../../wallet/errors.ts";
import { InsufficientFunds, planAll } from "../../wallet/planner.ts";
import { parseRecipient } from "../../wallet/recipient.ts";
import { plannerNotes, type SendContext, type SendEvent, send, sendUnsubmitted } from "../../wallet/send.ts";
import { transactionFileText } from "../../wallet/tx-file.ts";
import { feeText, parseAmount } from "../amount.ts";
import { AssetBook } from "../assets.ts";
import { type Command, type OptionValues, optionalString, requireString } from "../command.ts";
import type { CliContext, Session } from "../context.ts";
import { feeJson } from "../json-values.ts";
import { plural } from "../progress.ts";

export const FEE_RULE =
  "Fees: every transaction pays one flat fee in SERO, at least the chain's minimum (minFee in\n" +
  "GET /v1/status); --fee auto pays exactly that. A transaction has at most 4 inputs and 2 outputs, so\n" +
  "a send may take more than one: merges (4 notes into 1) when the amount needs more notes than one\n" +
  "transaction holds, and for tokens and tickets a fee note (a SERO note of exactly the fee) first,\n" +
  "because their 2 outputs are the payment and the token's change. The plan and its total fee are\n" +
  "shown before anything is sent; each transaction is complete on its own.";

const OUT_RULE =
  "--out FILE proves the payment and writes it to FILE (never overwritten) in its JSON form, exactly what\n" +
  "POST /v1/tx accepts, without submitting it: submit it later with sero tx submit FILE, from any machine.\n" +
  "Its notes are locked as a pending send from then on (sero balance shows them as locked), so no other\n" +
  "send spends them; they unlock by themselves once the chain's anchor window (anchorWindow blocks in\n" +
  "GET /v1/status) passes without it. Only a send of one transaction can be written: one that needs\n" +
  "merges or a fee note first is refused, before anything is proved.";

/** A ticket id as balance and ticket issue write it: 64 hex digits. */
export function parseTicketId(text: string): Uint8Array {
  const id = /^[0-9a-fA-F]{64}$/.test(text) ? fromHex(text.toLowerCase()) : undefined;
  if (!id) {
    throw new WalletError("bad_ticket_id", "a ticket id is 64 hex digits, as sero balance shows it");
  }
  return id;
}

/** Writes a transaction file (--out), never over an existing file. */
export async function writeTransactionFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: "wx" });
  } catch (e) {
    const exists = (e as { code?: unknown }).code === "EEXIST";
    throw new WalletError(
      exists ? "file_exists" : "cannot_write",
      exists ? `${path} exists: choose another --out` : `cannot write ${path}: ${(e as Error).message}`,
    );
  }
}

async function feeOf(ctx: CliContext, values: OptionValues): Promise<bigint> {
  const { minFee } = await ctx.status();
  const text = typeof values.fee === "string" ? values.fee : "auto";
  if (text.toLowerCase() === "auto") {
    return minFee;
  }
  const fee = parseAmount(text, SERO_DECIMALS, "--fee");
  if (fee < minFee) {
    throw new WalletError("fee_too_low", `--fee is below the chain's minimum of ${feeText(minFee)}`);
  }
  return fee;
}

function memoOf(values: OptionValues): Uint8Array {
  const memo = utf8(typeof values.memo === "string" ? values.memo : "");
  if (memo.length > MEMO_BYTES) {
    throw new WalletError("memo_too_long", `--memo is at most ${MEMO_BYTES} bytes (UTF-8)`);
  }
  return memo;
}

/** A planning error, a shortfall said in the asset's own units. */
export function explainShortfall(book: AssetBook, e: unknown): unknown {
  if (!(e instanceof InsufficientFunds)) {
    return e;
  }
  const say = (amount: bigint) => book.describe({ kind: "token", asset: e.asset, amount });
  return new WalletError(
    e.code,
    `not enough: this needs ${say(e.needed)} (with fees), the account can spend ${say(e.spendable)}; ` +
      "sero sync, or wait for sends in flight",
  );
}

/** Plans, saying a shortfall in the asset's own units. */
function plan<T>(book: AssetBook, planning: () => T): T {
  try {
    return planning();
  } catch (e) {
    throw explainShortfall(book, e);
  }
}

const PURPOSE = { payment: "payment", merge: "merge", fee_note: "fee note" } as const;

/** What the wallet's send machinery needs from the CLI: the session, the prover, progress lines. */
export function sendContextOf(ctx: CliContext, session: Session, keys: SpendingKeys): SendContext {
  // The payment's own submission and commit are the command's last line; the steps before it are notes.
  const payments = new Set<string>();
  const onEvent = (e: SendEvent) => {
    if (e.kind === "proving") {
      ctx.progress.proof(`proving the ${PURPOSE[e.purpose]}`, e.progress);
    } else if (e.kind === "submitting") {
      ctx.submitted(e.txId);
    } else if (e.kind === "submitted" || e.kind === "kept") {
      if (e.purpose === "payment") {
        payments.add(e.txId);
      } else {
        ctx.progress.note(`${e.kind} the ${PURPOSE[e.purpose]} ${e.txId}`);
      }
    } else if (e.kind === "committed" && !payments.has(e.txId)) {
      ctx.progress.note(`committed ${e.txId} at block ${e.height}`);
    }
  };
  return {
    chainId: session.status.chainId,
    state: session.state,
    keys,
    client: ctx.client(),
    artifacts: committedArtifacts,
    anchorWindow: session.status.anchorWindow,
    save: session.save,
    sync: async () => {
      await ctx.sync(session);
    },
    onEvent,
  };
}

/** What a send was asked, all checked before the wallet is unlocked or synced. */
type SendOrder = {
  readonly to: OneTimeAddress;
  readonly memo: Uint8Array;
  readonly fee: bigint;
  readonly out: string | undefined;
  readonly wait: boolean;
};

/** Reads and checks a send's options (address checksum, memo, fee, --out with --wait): no passphrase, no sync. */
async function sendOrder(ctx: CliContext, values: OptionValues): Promise<SendOrder> {
  const to = parseRecipient(requireString(values, "to"));
  const memo = memoOf(values);
  const out = optionalString(values, "out");
  const wait = values.wait === true;
  if (out !== undefined && wait) {
    throw new WalletError("bad_option", "--wait waits for a submitted send: --out submits nothing");
  }
  return { to, memo, fee: await feeOf(ctx, values), out, wait };
}

async function carryOut(ctx: CliContext, session: Session, book: AssetBook, value: AssetValue, order: SendOrder) {
  const keys = session.keys.spending;
  if (!keys) {
    throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot send`);
  }
  const { to, memo, fee, out, wait } = order;
  const rounds = plan(book, () => planAll(plannerNotes(session.state), value, fee));
  const count = rounds.reduce((n, r) => n + r.txs.length, 0);
  ctx.progress.note(
    `sending ${book.describe(value)}: ${plural(count, "transaction")} ` +
      `(${rounds.map((r) => r.txs.map((t) => PURPOSE[t.purpose]).join(" + ")).join(", then ")}), ` +
      `fee ${feeText(fee)} each${count > 1 ? `, ${feeText(fee * BigInt(count))} in all` : ""}`,
  );
  const recipient = encodeText("oneTimeAddress", encodeOneTimeAddress(to));
  session.state.rememberPayee(toHex(to.x), recipient);
  const status = await ctx.status();
  const sendContext = sendContextOf(ctx, session, keys);
  if (out !== undefined) {
    const txId = await sendUnsubmitted(sendContext, { to, value, memo, fee }, (tx) =>
      writeTransactionFile(out, transactionFileText(tx)),
    );
    return {
      json: { txId, status: "written", file: out, recipient, transactions: 1, ...feeJson(fee) },
      lines: [
        `wrote ${txId} to ${out}: submit it with sero tx submit ${out}`,
        `its notes stay locked until it commits, or until ${status.anchorWindow} blocks pass without it`,
      ],
    };
  }
  const txId = await send(sendContext, { to, value, memo, fee }, wait);
  const state = wait ? "committed" : "submitted";
  return {
    json: { txId, status: state, recipient, transactions: count, ...feeJson(fee * BigInt(count)) },
    lines: [`${state} ${txId}${wait ? "" : ` (sero tx status ${txId.slice(0, 16)} follows it)`}`],
  };
}

const sendOptions = {
  to: { type: "string" },
  memo: { type: "string" },
  fee: { type: "string" },
  wait: { type: "boolean" },
  out: { type: "string" },
} as const;

const sendHelp = [
  ["--to ADDRESS", "a public address (sero1...) or a one-time address (seror1...)"],
  ["--memo TEXT", `a private note to the recipient, at most ${MEMO_BYTES} bytes`],
  ["--fee auto|N", "SERO per transaction; auto (default) = the chain's minimum"],
  ["--wait", "return once the payment is committed"],
  ["--out FILE", "write the proved transaction to FILE instead of submitting it; its notes stay locked (above)"],
] as const;

export const sendCommand: Command = {
  name: "send",
  summary: "Send SERO or a token: selects and merges notes, proves on this machine, submits over HTTPS",
  details: `${FEE_RULE}\n\n${OUT_RULE}`,
  options: { ...sendOptions, asset: { type: "string" }, amount: { type: "string" } },
  optionHelp: [
    ...sendHelp.slice(0, 1),
    ["--asset SYMBOL|ID", "SERO (default), a token symbol, or its 64-hex id"],
    ["--amount N", "in the asset's units, e.g. 1.5"],
    ...sendHelp.slice(1),
  ],
  async run(ctx, values) {
    const amountText = requireString(values, "amount");
    const order = await sendOrder(ctx, values);
    const book = await AssetBook.load(ctx.client());
    const token = book.token(optionalString(values, "asset") ?? "SERO");
    const amount = parseAmount(amountText, token.decimals, "--amount");
    if (amount === 0n) {
      throw new WalletError("bad_amount", "--amount must be more than 0");
    }
    const session = await ctx.session();
    return carryOut(ctx, session, book, { kind: "token", asset: token.id, amount }, order);
  },
};

export const ticketSend: Command = {
  name: "ticket send",
  summary: "Send one ticket the account holds",
  details: `${FEE_RULE}\n\n${OUT_RULE}`,
  options: { ...sendOptions, ticket: { type: "string" } },
  optionHelp: [sendHelp[0], ["--ticket ID", "the ticket's id, 64 hex digits (see sero balance)"], ...sendHelp.slice(1)],
  async run(ctx, values) {
    const id = parseTicketId(requireString(values, "ticket"));
    const order = await sendOrder(ctx, values);
    const book = await AssetBook.load(ctx.client());
    const session = await ctx.session();
    const held = session.state
      .spendable()
      .find((n) => n.note.value.kind === "ticket" && bytesEqual(n.note.value.ticketId, id));
    if (!held) {
      throw new WalletError("unknown_ticket", "the account holds no spendable ticket with this id (see sero balance)");
    }
    return carryOut(ctx, session, book, held.note.value, order);
  },
};
