/** sero faucet: ask a testnet faucet for SERO, wait for it and sync. */
import { z } from "zod";
import { SERO_ASSET_ID, SERO_DECIMALS } from "../../protocol/asset.ts";
import { oneTimeAddressText } from "../../wallet/account.ts";
import { WalletError } from "../../wallet/errors.ts";
import { waitForCommit } from "../../wallet/send.ts";
import { AssetBook } from "../assets.ts";
import type { Command } from "../command.ts";
import { amounts } from "../json-values.ts";

export const DEFAULT_FAUCET = "http://127.0.0.1:8788";

const Answer = z.object({ txId: z.string().regex(/^[0-9a-f]{64}$/), amount: z.string().regex(/^\d+$/) });
const Refusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const faucet: Command = {
  name: "faucet",
  summary: "Get testnet SERO from the faucet (npm start runs one beside the local testnet)",
  options: { faucet: { type: "string" } },
  optionHelp: [["--faucet URL", `the faucet (default $SERO_FAUCET or ${DEFAULT_FAUCET})`]],
  async run(ctx, values) {
    const session = await ctx.session();
    const url = typeof values.faucet === "string" ? values.faucet : (process.env.SERO_FAUCET ?? DEFAULT_FAUCET);
    // A fresh one-time address: the faucet cannot link this request to the account's other payments.
    const index = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    let response: Response;
    try {
      response = await fetch(`${url}/v1/faucet`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ to: oneTimeAddressText(session.keys, index) }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch {
      throw new WalletError("faucet_unreachable", `no faucet at ${url}: is npm start running? (--faucet URL)`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    const refusal = Refusal.safeParse(body);
    if (!response.ok || refusal.success) {
      throw refusal.success
        ? new WalletError(refusal.data.error.code, `the faucet refused: ${refusal.data.error.message}`)
        : new WalletError("bad_faucet_response", `the faucet answered ${response.status}`);
    }
    const answer = Answer.safeParse(body);
    if (!answer.success) {
      throw new WalletError("bad_faucet_response", "the faucet's answer is not understood");
    }
    ctx.progress.note(`faucet paid in ${answer.data.txId}; waiting for it to commit`);
    await waitForCommit(ctx.client(), [answer.data.txId]);
    await ctx.sync(session);
    const book = await AssetBook.load(ctx.client());
    const amount = book.describe({ kind: "token", asset: SERO_ASSET_ID, amount: BigInt(answer.data.amount) });
    const json = { txId: answer.data.txId, ...amounts({ amount: BigInt(answer.data.amount) }, SERO_DECIMALS) };
    return { json, lines: [`received ${amount} (${answer.data.txId})`] };
  },
};
