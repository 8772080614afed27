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
import { WalletError } from "../../wallet/errors.ts";
import { issueToSelf, type NewAsset, registerAsset } from "../../wallet/issue.ts";
import { waitForCommit } from "../../wallet/send.ts";
import { systemRandom } from "../../wallet/transfer.ts";
import { parseAmount } from "../amount.ts";
import { type Command, optionalInteger, requireString } from "../command.ts";
import type { CliContext, Session } from "../context.ts";

const ISSUANCE_NOTE =
  "Two transactions, signed with the account's issuer key (derived from its seed): the public\n" +
  "registration, then the issuance. What is issued is public; who holds it is not. Registration\n" +
  "and issuance carry no fee.";

/** Registers `asset`, issues `values` to the account, waits for both and syncs. */
async function registerAndIssue(ctx: CliContext, session: Session, asset: NewAsset, values: AssetValue[]) {
  const keys = session.keys.spending;
  if (!keys) {
    throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot issue`);
  }
  const { chainId } = session.status;
  const submit = async (tx: Transaction, what: string) => {
    ctx.progress.note(what);
    await ctx.client().submit(tx);
    const id = toHex(txId(tx));
    await waitForCommit(ctx.client(), [id], {
      onCommitted: (committed, height) => ctx.progress.note(`committed ${committed} at block ${height}`),
    });
    return id;
  };
  const registration = await submit(registerAsset(keys, asset, chainId), `registering ${asset.name}`);
  const issuance = await submit(
    issueToSelf(keys, { asset, nonce: 0n, values }, chainId, systemRandom),
    `issuing ${asset.name} to account ${session.record.name}`,
  );
  await ctx.sync(session);
  return { registration, issuance };
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
    const session = await ctx.session();
    const symbol = checkSymbol(requireString(values, "symbol").toUpperCase());
    const decimals = optionalInteger(values, "decimals") ?? 0;
    if (decimals > MAX_DECIMALS) {
      throw new WalletError("bad_decimals", `--decimals is at most ${MAX_DECIMALS}`);
    }
    const supply = parseAmount(requireString(values, "supply"), decimals, "--supply");
    const asset: NewAsset = { assetKind: "token", name: symbol, decimals, supply: { kind: "capped", cap: supply } };
    const ids = await registerAndIssue(ctx, session, asset, [
      { kind: "token", asset: tokenId(symbol), amount: supply },
    ]);
    return {
      json: { symbol, decimals, supply: supply.toString(), ...ids },
      lines: [`issued ${values.supply} ${symbol} to account ${session.record.name} (${ids.issuance})`],
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
    const session = await ctx.session();
    const name = checkCategoryName(requireString(values, "category").toUpperCase());
    const count = optionalInteger(values, "count") ?? 1;
    if (count < 1 || count > MAX_ISSUED_OUTPUTS) {
      throw new WalletError("bad_amount", `--count is 1 to ${MAX_ISSUED_OUTPUTS}`);
    }
    const category = ticketCategoryId(name);
    const tickets = Array.from({ length: count }, () => systemRandom(TICKET_ID_BYTES));
    const asset: NewAsset = { assetKind: "ticket", name, decimals: 0, supply: { kind: "unlimited" } };
    const ids = await registerAndIssue(
      ctx,
      session,
      asset,
      tickets.map((ticketId) => ({ kind: "ticket", category, ticketId })),
    );
    const hex = tickets.map(toHex);
    return { json: { category: name, tickets: hex, ...ids }, lines: [`issued ${name} tickets:`, ...hex] };
  },
};
