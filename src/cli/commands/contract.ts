/** sero contract deploy | call | read | info: contract accounts (PROTOCOL.md §10) from the wallet. */
import { toHex } from "../../codec/bytes.ts";
import type { AssetId } from "../../protocol/asset.ts";
import { frFromBytes } from "../../protocol/field.ts";
import type { ContractTx } from "../../protocol/tx/types.ts";
import { sendContractTx } from "../../wallet/contract-send.ts";
import { DEFAULT_DEPLOY_GAS } from "../../wallet/contract-tx.ts";
import { WalletError } from "../../wallet/errors.ts";
import { transactionFileText } from "../../wallet/tx-file.ts";
import { decodeResult, jsonSafe, revertReason } from "../abi.ts";
import { AssetBook } from "../assets.ts";
import type { Command, CommandOutput, OptionValues } from "../command.ts";
import type { CliContext, Session } from "../context.ts";
import { calldataOf, contractText, initCodeOf, parseHexBytes, targetOf } from "../contract-input.ts";
import { contractTxAnswer, planLine } from "../contract-output.ts";
import { type ContractPlan, contractValueOf, planContractTx } from "../contract-plan.ts";
import { amounts } from "../json-values.ts";
import { explainShortfall, sendContextOf, writeTransactionFile } from "./send.ts";

const CONTRACT_NOTE =
  "Fees and gas: a deploy or call pays minFee + gasLimit x gasPrice in SERO (GET /v1/status: minFee,\n" +
  "contracts.gasPrice), all of it whatever the outcome. A call's gas limit is the node's dry run of\n" +
  "it at the tip (same caller, same value) plus a quarter and 10,000, unless --gas N; a call whose dry\n" +
  `run fails is refused before anything is paid, with its revert reason. A deploy cannot be dry-run:\n` +
  `its gas limit is --gas N, else ${DEFAULT_DEPLOY_GAS} (at most the chain's maxTxGas).\n\n` +
  "Value: --amount N [--asset SYMBOL] brings a token (SERO by default), --ticket ID one ticket, in an\n" +
  "opened output of the fee payment: public, credited to the contract. A token or ticket needs a fee\n" +
  "note first (one more transaction, paying the same fee), as sero send does; the plan shows it.\n\n" +
  "Identities: the contract sees msg.sender, an anonymous caller derived from this account's seed by an\n" +
  "index (PROTOCOL.md §10.1); payouts to it come back to this account. Each deploy and call uses a fresh\n" +
  "index, so calls are unlinkable, except that a call to a contract this account deployed acts as its\n" +
  "deployer (its owner, e.g. for withdraw). --identity N acts as index N; --identity fresh forces a new\n" +
  "one. sero history shows which identity each transaction used.";

const valueOptions = { amount: { type: "string" }, asset: { type: "string" }, ticket: { type: "string" } } as const;
const txOptions = {
  gas: { type: "string" },
  identity: { type: "string" },
  wait: { type: "boolean" },
  out: { type: "string" },
} as const;
const callDataOptions = {
  data: { type: "string" },
  abi: { type: "string" },
  fn: { type: "string" },
  args: { type: "string" },
} as const;

const txHelp = [
  ["--gas N", "the gas limit (default: see above); a call refuses less than its dry run used"],
  ["--identity N|fresh", "which caller identity acts (default: see above)"],
  ["--wait", "return once committed, with the outcome"],
  ["--out FILE", "write the proved transaction to FILE instead of submitting it (sero tx submit FILE sends it)"],
] as const;

const callDataHelp = [
  ["--data HEX", "the calldata, raw"],
  ["--abi FILE", "the contract's ABI: an artifact JSON with an abi field, or an ABI array"],
  ["--fn NAME|SIG", "the function, by name or signature such as 'buy()' (a signature needs no --abi)"],
  ["--args JSON", "its arguments, a JSON array; big integers as strings, e.g. '[\"1000\"]'"],
] as const;

function spendingKeys(session: Session) {
  const keys = session.keys.spending;
  if (!keys) {
    throw new WalletError("watch_only", `account ${session.record.name} is watch-only: it cannot pay`);
  }
  return keys;
}

/** Prints the plan, carries it out, and answers what was done. */
async function carryOut(ctx: CliContext, session: Session, book: AssetBook, plan: ContractPlan, values: OptionValues) {
  const keys = spendingKeys(session);
  ctx.progress.note(planLine(plan, book, values.gas !== undefined));
  const wait = values.wait === true;
  const out = typeof values.out === "string" ? values.out : undefined;
  if (out !== undefined) {
    if (wait) {
      throw new WalletError("bad_option", "--wait waits for a submitted transaction: --out submits nothing");
    }
    const keep = (tx: ContractTx) => writeTransactionFile(out, transactionFileText(tx));
    const sent = await sendContractTx(sendContextOf(ctx, session, keys), plan.request, plan.fee, {
      kind: "keep",
      keep,
    });
    return writtenAnswer(contractTxAnswer(book, plan, sent, undefined), out);
  }
  const sent = await sendContractTx(sendContextOf(ctx, session, keys), plan.request, plan.fee, {
    kind: "submit",
    wait,
  });
  return contractTxAnswer(book, plan, sent, wait ? await ctx.client().txStatus(sent.txId) : undefined);
}

/** A transaction written, not sent: said so, and how to send it. */
function writtenAnswer(answer: CommandOutput, file: string): CommandOutput {
  const { txId } = answer.json as { txId: string };
  return {
    json: { ...(answer.json as object), status: "written", file },
    lines: [`wrote ${txId} to ${file}: submit it with sero tx submit ${file}`],
  };
}

/** Plans, saying a shortfall in the asset's own units (as sero send does). */
async function planned(book: AssetBook, build: () => Promise<ContractPlan>) {
  try {
    return await build();
  } catch (e) {
    throw explainShortfall(book, e);
  }
}

export const contractDeploy: Command = {
  name: "contract deploy",
  summary: "Deploy a contract (EVM bytecode) from this account, paying gas in SERO",
  details: CONTRACT_NOTE,
  options: {
    bin: { type: "string" },
    artifact: { type: "string" },
    abi: { type: "string" },
    args: { type: "string" },
    ...txOptions,
  },
  optionHelp: [
    ["--artifact FILE", "a compiled artifact JSON with abi and bytecode (e.g. contracts/build/TokenSale.json)"],
    ["--bin FILE", "or the init bytecode as hex"],
    ["--abi FILE", "with --bin, the ABI its constructor --args are encoded by"],
    ["--args JSON", "constructor arguments, a JSON array; big integers as strings"],
    ...txHelp,
  ],
  async run(ctx, values): Promise<CommandOutput> {
    const initCode = await initCodeOf(values);
    const session = await ctx.session();
    const book = await AssetBook.load(ctx.client());
    const inputs = {
      values,
      state: session.state,
      keys: spendingKeys(session),
      status: session.status,
      client: ctx.client(),
    };
    const plan = await planned(book, () => planContractTx(inputs, { kind: "deploy", initCode }, null));
    return carryOut(ctx, session, book, plan, values);
  },
};

export const contractCall: Command = {
  name: "contract call",
  summary: "Call a contract in a transaction, optionally bringing a token or ticket; payouts come back to this account",
  details: CONTRACT_NOTE,
  options: { to: { type: "string" }, ...callDataOptions, ...valueOptions, ...txOptions },
  optionHelp: [
    ["--to seroc1...", "the contract"],
    ...callDataHelp,
    ["--amount N", "bring N of --asset (SERO by default), in its units"],
    ["--asset SYMBOL", "the token brought"],
    ["--ticket ID", "or bring this ticket (64 hex digits, see sero balance)"],
    ...txHelp,
  ],
  async run(ctx, values): Promise<CommandOutput> {
    const contract = targetOf(values);
    const { calldata } = await calldataOf(values);
    const session = await ctx.session();
    const book = await AssetBook.load(ctx.client());
    const value = contractValueOf(values, book, session.state);
    const inputs = {
      values,
      state: session.state,
      keys: spendingKeys(session),
      status: session.status,
      client: ctx.client(),
    };
    const plan = await planned(book, () => planContractTx(inputs, { kind: "call", contract, calldata }, value));
    return carryOut(ctx, session, book, plan, values);
  },
};

export const contractRead: Command = {
  name: "contract read",
  summary: "Run a call at the node's tip without a transaction (nothing kept, nothing paid) and show its result",
  details:
    "The node runs the call as a transaction would, with no caller and no value, and discards its\n" +
    "changes (POST /v1/contracts/{address}/call). With --abi (or --fn as a signature) the result is\n" +
    "decoded; a revert shows its reason.",
  options: { to: { type: "string" }, ...callDataOptions },
  optionHelp: [["--to seroc1...", "the contract"], ...callDataHelp],
  async run(ctx, values): Promise<CommandOutput> {
    const contract = targetOf(values);
    const { calldata, fn } = await calldataOf(values);
    const { height, outcome } = await ctx.client().callContract(contract, { calldata });
    const ok = outcome.code === "ok";
    const result = ok && fn && fn.outputs.length > 0 ? jsonSafe(decodeResult(fn, outcome.returnData)) : null;
    const reason = outcome.code === "revert" ? revertReason(outcome.returnData) : null;
    const returnData = toHex(outcome.returnData);
    const json = {
      contract: contractText(contract),
      height,
      code: outcome.code,
      gasUsed: outcome.gasUsed.toString(),
      returnData,
      result,
      reason,
    };
    const shown = result !== null ? JSON.stringify(result) : returnData ? `0x${returnData}` : "(no data)";
    const lines = ok ? [shown] : [`${outcome.code}${reason ? `: ${reason}` : ""} (at block ${height})`];
    return { json, lines };
  },
};

export const contractInfo: Command = {
  name: "contract info",
  summary: "A contract's public record: EVM address, code hash, creation height, what it holds",
  options: { to: { type: "string" } },
  optionHelp: [["--to seroc1...", "the contract"]],
  async run(ctx, values): Promise<CommandOutput> {
    const contract = targetOf(values);
    const info = await ctx.client().contractInfo(contract);
    const book = await AssetBook.load(ctx.client());
    const balances = info.balances.map((b) => {
      const { symbol, decimals } = book.nameOf(frFromBytes(parseHexBytes(b.asset, "asset")) as AssetId);
      return { asset: b.asset, symbol, ...amounts({ amount: BigInt(b.amount) }, decimals) };
    });
    const tickets = info.tickets.map((t) => ({ category: t.name, ticketId: t.ticketId }));
    const lines = [
      `contract ${info.address}`,
      `EVM address ${info.evmAddress}, code hash ${info.codeHash}, created at block ${info.createdAt}`,
      ...(balances.length === 0 ? ["holds no tokens"] : balances.map((b) => `  ${b.display.amount} ${b.symbol}`)),
      ...tickets.map((t) => `  ${t.category} ticket ${t.ticketId}`),
    ];
    return { json: { ...info, balances, tickets }, lines };
  },
};
