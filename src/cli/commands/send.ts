/** sero send, sero ticket send: plan, show the fee, prove, submit (or write the transaction to a file). */
import { writeFile } from "node:fs/promises";
import { bytesEqual, fromHex, utf8 } from "../../codec/bytes.ts";
import { type AssetValue, SERO_ASSET_ID, SERO_DECIMALS } from "../../protocol/asset.ts";
import { MEMO_BYTES } from "../../protocol/encryption/plaintext.ts";
import type { SpendingKeys } from "../../protocol/keys.ts";
import { committedArtifacts } from "../../prover/node-artifacts.ts";
import { WalletError } from "../../wallet/errors.ts";
import { InsufficientFunds, planAll } from "../../wallet/planner.ts";
import { parseRecipient } from "../../wallet/recipient.ts";
import { plannerNotes, type SendContext, type SendEvent, send, sendUnsubmitted } from "../../wallet/send.ts";
import { transactionFileText } from "../../wallet/tx-file.ts";
import { formatAmount, parseAmount } from "../amount.ts";
import { AssetBook } from "../assets.ts";
import { type Command, type OptionValues, requireString } from "../command.ts";
import type { CliContext, Session } from "../context.ts";

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
    throw new WalletError(
      "fee_too_low",
      `--fee is below the chain's minimum of ${formatAmount(minFee, SERO_DECIMALS)} SERO`,
    );
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

/** What the wallet's send machinery needs from the CLI: the session, the prover, progress lines. */
export function sendContextOf(ctx: CliContext, session: Session, keys: SpendingKeys): SendContext {
  const onEvent = (e: SendEvent) => {
    if (e.kind === "proving") {
      ctx.progress.proof(`proving ${e.purpose}`, e.progress);
    } else if (e.kind === "submitted" || e.kind === "kept") {
      ctx.progress.note(`${e.kind} ${e.purpose} ${e.txId}`);
    } else if (e.kind === "committed") {
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

async function carryOut(ctx: CliContext, session: Session, value: AssetValue, values: OptionValues) {
  const keys = session.keys.spending;
  if (!keys) {
    throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot send`);
  }
  const book = await AssetBook.load(ctx.client());
  const to = parseRecipient(requireString(values, "to"));
  const memo = memoOf(values);
  const fee = await feeOf(ctx, values);
  const rounds = plan(book, () => planAll(plannerNotes(session.state), value, fee));
  const count = rounds.reduce((n, r) => n + r.txs.length, 0);
  const feeText = (x: bigint) => book.describe({ kind: "token", asset: SERO_ASSET_ID, amount: x });
  ctx.progress.note(
    `sending ${book.describe(value)}: ${count} transaction${count > 1 ? "s" : ""} ` +
      `(${rounds.map((r) => r.txs.map((t) => t.purpose).join(" + ")).join(", then ")}), ` +
      `fee ${feeText(fee)} each, ${feeText(fee * BigInt(count))} in all`,
  );
  const status = await ctx.status();
  const sendContext = sendContextOf(ctx, session, keys);
  const out = typeof values.out === "string" ? values.out : undefined;
  if (out !== undefined) {
    if (values.wait === true) {
      throw new WalletError("bad_option", "--wait waits for a submitted send: --out submits nothing");
    }
    const txId = await sendUnsubmitted(sendContext, { to, value, memo, fee }, (tx) =>
      writeTransactionFile(out, transactionFileText(tx)),
    );
    return {
      json: { txId, status: "written", file: out, transactions: 1, fee: fee.toString() },
      lines: [
        `wrote ${txId} to ${out}: submit it with sero tx submit ${out}`,
        `its notes stay locked until it commits, or until ${status.anchorWindow} blocks pass without it`,
      ],
    };
  }
  const txId = await send(sendContext, { to, value, memo, fee }, values.wait === true);
  const state = values.wait === true ? "committed" : "submitted";
  return {
    json: { txId, status: state, transactions: count, fee: (fee * BigInt(count)).toString() },
    lines: [`${state} ${txId}`],
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
    const session = await ctx.session();
    const token = (await AssetBook.load(ctx.client())).token(typeof values.asset === "string" ? values.asset : "SERO");
    const amount = parseAmount(requireString(values, "amount"), token.decimals, "--amount");
    if (amount === 0n) {
      throw new WalletError("bad_amount", "--amount must be more than 0");
    }
    return carryOut(ctx, session, { kind: "token", asset: token.id, amount }, values);
  },
};

export const ticketSend: Command = {
  name: "ticket send",
  summary: "Send one ticket the account holds",
  details: `${FEE_RULE}\n\n${OUT_RULE}`,
  options: { ...sendOptions, ticket: { type: "string" } },
  optionHelp: [sendHelp[0], ["--ticket ID", "the ticket's id, 64 hex digits (see sero balance)"], ...sendHelp.slice(1)],
  async run(ctx, values) {
    const session = await ctx.session();
    const id = fromHex(requireString(values, "ticket").toLowerCase());
    const held = session.state
      .spendable()
      .find((n) => n.note.value.kind === "ticket" && id !== undefined && bytesEqual(n.note.value.ticketId, id));
    if (!held) {
      throw new WalletError("unknown_ticket", "the account holds no spendable ticket with this id (see sero balance)");
    }
    return carryOut(ctx, session, held.note.value, values);
  },
};
