/** sero asset issue: register a token and issue its whole supply to this account. */
import { toHex } from "../../codec/bytes.ts";
import { checkSymbol, MAX_DECIMALS } from "../../protocol/asset.ts";
import { txId } from "../../protocol/tx/hashes.ts";
import { WalletError } from "../../wallet/errors.ts";
import { issueToken, registerToken } from "../../wallet/issue.ts";
import { waitForCommit } from "../../wallet/send.ts";
import { systemRandom } from "../../wallet/transfer.ts";
import { parseAmount } from "../amount.ts";
import { type Command, optionalInteger, requireString } from "../command.ts";

export const assetIssue: Command = {
  name: "asset issue",
  summary: "Register a token (capped at its supply) and issue the whole supply to this account",
  details:
    "Two transactions, signed with the account's issuer key (derived from its seed): the public\n" +
    "registration (symbol, decimals, cap), then the issuance. Amounts issued are public; who holds\n" +
    "them is not. Registration and issuance carry no fee.",
  options: { symbol: { type: "string" }, decimals: { type: "string" }, supply: { type: "string" } },
  optionHelp: [
    ["--symbol SYMBOL", "2 to 16 of A-Z and 0-9, unique on the chain"],
    ["--decimals N", `0 to ${MAX_DECIMALS}`],
    ["--supply N", "the whole supply, in the token's units (e.g. 1000000.5)"],
  ],
  async run(ctx, values) {
    const session = await ctx.session();
    const keys = session.keys.spending;
    if (!keys) {
      throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot issue`);
    }
    const symbol = checkSymbol(requireString(values, "symbol").toUpperCase());
    const decimals = optionalInteger(values, "decimals") ?? 0;
    if (decimals > MAX_DECIMALS) {
      throw new WalletError("bad_decimals", `--decimals is at most ${MAX_DECIMALS}`);
    }
    const supply = parseAmount(requireString(values, "supply"), decimals, "--supply");
    const { chainId } = session.status;
    const client = ctx.client();
    const onCommitted = (id: string, height: number) => ctx.progress.note(`committed ${id} at block ${height}`);
    const registration = registerToken(keys, { symbol, decimals, cap: supply }, chainId);
    ctx.progress.note(`registering ${symbol}`);
    await client.submit(registration);
    await waitForCommit(client, [toHex(txId(registration))], { onCommitted });
    const issuance = issueToken(keys, { symbol, nonce: 0n, amounts: [supply] }, chainId, systemRandom);
    ctx.progress.note(`issuing ${values.supply} ${symbol}`);
    await client.submit(issuance);
    const issuanceId = toHex(txId(issuance));
    await waitForCommit(client, [issuanceId], { onCommitted });
    await ctx.sync(session);
    return {
      json: {
        symbol,
        decimals,
        supply: supply.toString(),
        registration: toHex(txId(registration)),
        issuance: issuanceId,
      },
      lines: [`issued ${values.supply} ${symbol} to account ${session.record.name} (${issuanceId})`],
    };
  },
};
