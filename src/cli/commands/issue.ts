/** sero asset issue (a token) and sero ticket issue (tickets of a category): register, then issue to this account. */
import { toHex } from "../../codec/bytes.ts";
import {
  type AssetValue,
  checkCategoryName,
  checkSymbol,
  MAX_DECIMALS,
  TICKET_ID_BYTES,
  ticketCategoryId,
  tokenId,
} from "../../protocol/asset.ts";
import { txId } from "../../protocol/tx/hashes.ts";
import { MAX_ISSUED_OUTPUTS, type Transaction } from "../../protocol/tx/types.ts";
import { committedArtifacts } from "../../prover/node-artifacts.ts";
import { WalletError } from "../../wallet/errors.ts";
import { feePaymentLock, planFeePayment } from "../../wallet/fee-payment.ts";
import { type Issuer, issueToSelf, type NewAsset, registerAsset } from "../../wallet/issue.ts";
import type { FeePaymentPlan } from "../../wallet/paid-tx.ts";
import { type SendEvent, waitForRound } from "../../wallet/send.ts";
import { systemRandom } from "../../wallet/transfer.ts";
import { feeText, formatAmount, parseAmount } from "../amount.ts";
import { type Command, optionalInteger, requireString } from "../command.ts";
import type { CliContext, Session } from "../context.ts";
import { amounts, bothAmounts, feeJson } from "../json-values.ts";
import { plural } from "../progress.ts";

const ISSUANCE_NOTE =
  "Two transactions, signed with the account's issuer key (derived from its seed): the public\n" +
  "registration, then the issuance. What is issued is public; who holds it is not. Each pays the\n" +
  "chain's minimum fee (minFee in GET /v1/status) in SERO from this account's notes, with a proved\n" +
  "payment inside the transaction; the plan and the fee are shown before anything is sent.";

/** Registers `asset`, issues `values` to the account, each paying the fee; waits for both and syncs. */
async function registerAndIssue(ctx: CliContext, session: Session, asset: NewAsset, values: AssetValue[]) {
  const keys = session.keys.spending;
  if (!keys) {
    throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot issue`);
  }
  const { chainId, minFee, anchorWindow } = session.status;
  // Both fees are planned now, so a shortfall shows before anything is sent (not after the registration).
  planFeePayment(session.state, keys, 2n * minFee);
  ctx.progress.note(
    `2 transactions (registration, then issuance), fee ${feeText(minFee)} each, ${feeText(2n * minFee)} in all`,
  );
  const issuer: Issuer = {
    keys,
    chainId,
    random: systemRandom,
    artifacts: committedArtifacts,
    options: { onProgress: (p) => ctx.progress.proof("proving the fee payment", p) },
  };
  const waiting = {
    client: ctx.client(),
    state: session.state,
    save: session.save,
    sync: async () => {
      await ctx.sync(session);
    },
    onEvent: (e: SendEvent) => {
      if (e.kind === "committed") {
        ctx.progress.note(`committed ${e.txId} at block ${e.height}`);
      }
    },
  };
  /** Pays from the notes synced so far, locks them until the transaction commits, then syncs (send.ts). */
  const paid = async (what: string, build: (fee: FeePaymentPlan) => Promise<Transaction>) => {
    const fee = planFeePayment(session.state, keys, minFee);
    ctx.progress.note(what);
    const tx = await build(fee);
    const id = toHex(txId(tx));
    ctx.submitted(id);
    await ctx.client().submit(tx);
    session.state.lock(feePaymentLock(id, fee, session.state, anchorWindow));
    await session.save();
    await waitForRound(waiting, [id]);
    return id;
  };
  const registration = await paid(`registering ${asset.name}`, (fee) => registerAsset(issuer, asset, fee));
  const issuance = await paid(`issuing ${asset.name} to account ${session.record.name}`, (fee) =>
    issueToSelf(issuer, { asset, nonce: 0n, values }, fee),
  );
  return { registrationTxId: registration, issuanceTxId: issuance, fee: 2n * minFee };
}

export const assetIssue: Command = {
  name: "asset issue",
  summary: "Register a token (capped at its supply) and issue the whole supply to this account",
  details: ISSUANCE_NOTE,
  options: { symbol: { type: "string" }, decimals: { type: "string" }, supply: { type: "string" } },
  optionHelp: [
    ["--symbol SYMBOL", "1 to 16 of A-Z and 0-9, starting with a letter, unique on the chain"],
    ["--decimals N", `0 to ${MAX_DECIMALS}`],
    ["--supply N", "the whole supply, in the token's units (e.g. 1000000.5)"],
  ],
  async run(ctx, values) {
    const symbol = checkSymbol(requireString(values, "symbol").toUpperCase());
    const decimals = optionalInteger(values, "decimals") ?? 0;
    if (decimals > MAX_DECIMALS) {
      throw new WalletError("bad_decimals", `--decimals is at most ${MAX_DECIMALS}`);
    }
    const supply = parseAmount(requireString(values, "supply"), decimals, "--supply");
    const asset: NewAsset = { assetKind: "token", name: symbol, decimals, supply: { kind: "capped", cap: supply } };
    const session = await ctx.session();
    const { fee, ...ids } = await registerAndIssue(ctx, session, asset, [
      { kind: "token", asset: tokenId(symbol), amount: supply },
    ]);
    return {
      json: { symbol, decimals, ...ids, ...bothAmounts(amounts({ supply }, decimals), feeJson(fee)) },
      lines: [
        `issued ${formatAmount(supply, decimals)} ${symbol} to account ${session.record.name} (${ids.issuanceTxId})`,
      ],
    };
  },
};

export const ticketIssue: Command = {
  name: "ticket issue",
  summary: "Register a ticket category and issue tickets of it (random 32-byte ids) to this account",
  details: ISSUANCE_NOTE,
  options: { category: { type: "string" }, count: { type: "string" } },
  optionHelp: [
    ["--category NAME", "1 to 32 of A-Z, 0-9 and _, starting with a letter, unique on the chain"],
    ["--count N", `how many tickets, 1 to ${MAX_ISSUED_OUTPUTS}`],
  ],
  async run(ctx, values) {
    const name = checkCategoryName(requireString(values, "category").toUpperCase());
    const count = optionalInteger(values, "count") ?? 1;
    if (count < 1 || count > MAX_ISSUED_OUTPUTS) {
      throw new WalletError("bad_amount", `--count is 1 to ${MAX_ISSUED_OUTPUTS}`);
    }
    const session = await ctx.session();
    const category = ticketCategoryId(name);
    const tickets = Array.from({ length: count }, () => systemRandom(TICKET_ID_BYTES));
    const asset: NewAsset = { assetKind: "ticket", name, decimals: 0, supply: { kind: "unlimited" } };
    const { fee, ...ids } = await registerAndIssue(
      ctx,
      session,
      asset,
      tickets.map((ticketId) => ({ kind: "ticket", category, ticketId })),
    );
    const ticketIds = tickets.map(toHex);
    return {
      json: { category: name, ticketIds, ...ids, ...feeJson(fee) },
      lines: [`issued ${plural(count, `${name} ticket`)}:`, ...ticketIds],
    };
  },
};
