/** What `sero contract deploy` and `call` print: the plan before paying, then one JSON object with stable names. */
import { fromHex } from "../codec/bytes.ts";
import type { ContractSent } from "../wallet/contract-send.ts";
import type { TxStatus } from "../wallet/node-client.ts";
import { revertReason } from "./abi.ts";
import { feeText } from "./amount.ts";
import type { AssetBook } from "./assets.ts";
import type { CommandOutput } from "./command.ts";
import { contractText } from "./contract-input.ts";
import type { ContractPlan } from "./contract-plan.ts";
import { feeJson, valueJson } from "./json-values.ts";
import { plural } from "./progress.ts";

/** The plan in one line: what, as which identity, bringing what, the gas and why, the fee and transactions. */
export function planLine(plan: ContractPlan, book: AssetBook, gasGiven: boolean): string {
  const { request, fee, transactions } = plan;
  const what =
    request.target.kind === "deploy"
      ? `deploying ${request.target.initCode.length} bytes of init code`
      : `calling ${contractText(request.target.contract)}`;
  const estimated = plan.gasUsed === null ? "" : `dry run used ${plan.gasUsed}`;
  const gasWhy = gasGiven
    ? `--gas${estimated ? `; ${estimated}` : ""}`
    : estimated
      ? `${estimated}, plus a quarter and 10,000`
      : "the default: a deploy cannot be dry-run";
  const brought = request.value ? `, bringing ${book.describe(request.value)}` : "";
  return (
    `${what} as identity ${request.identity} (${plan.why})${brought}: gas limit ${request.gasLimit} (${gasWhy}), ` +
    `fee ${feeText(fee)}; ${plural(transactions, "transaction")}, ${feeText(fee * BigInt(transactions))} in all`
  );
}

/** The outcome of a committed deploy or call (GET /v1/tx/{id}, PROTOCOL.md §10.6), a revert's reason decoded. */
function outcomeJson(status: TxStatus | undefined) {
  const o = status?.outcome;
  if (!o) {
    return null;
  }
  const reason = o.code === "revert" ? revertReason(fromHex(o.returnData) ?? new Uint8Array()) : null;
  return { code: o.code, gasUsed: o.gasUsed, returnData: o.returnData, contract: o.contract, reason };
}

/** What was done; `committed` is the node's status once --wait saw it commit, undefined without --wait. */
export function contractTxAnswer(
  book: AssetBook,
  plan: ContractPlan,
  sent: ContractSent,
  committed: TxStatus | undefined,
): CommandOutput {
  const { request } = plan;
  const outcome = outcomeJson(committed);
  const contract = contractText(sent.contract);
  const json = {
    txId: sent.txId,
    status: committed ? "committed" : "submitted",
    kind: request.target.kind,
    contract,
    identity: request.identity,
    identityChoice: plan.why,
    value: request.value ? valueJson(book, request.value) : null,
    gasLimit: request.gasLimit.toString(),
    gasEstimate: plan.gasUsed?.toString() ?? null,
    ...feeJson(plan.fee),
    transactions: plan.transactions,
    outcome,
  };
  const lines = [
    `${json.status} ${sent.txId}${request.target.kind === "deploy" ? `: contract ${contract}` : ""}`,
    ...(outcome
      ? [`outcome ${outcome.code}, gas used ${outcome.gasUsed}${outcome.reason ? `: ${outcome.reason}` : ""}`]
      : []),
    ...(request.target.kind === "deploy"
      ? [`identity ${request.identity} deployed it: sero contract call --to ${contract} acts as it by default`]
      : []),
  ];
  return { json, lines };
}
