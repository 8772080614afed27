/**
 * What a deploy or call will do, decided before anything is paid
 * (PROTOCOL.md §10.1): which caller identity acts, what value it brings, its
 * gas limit (a call's from the node's dry run with the same caller and
 * value, refused when that run fails), its fee, and how many transactions
 * the account's notes need. Printed for the user, then carried out.
 */
import { bytesEqual, toHex } from "../codec/bytes.ts";
import { type AssetValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import type { AccountState } from "../wallet/account-state.ts";
import { callerOf, checkIdentity } from "../wallet/caller.ts";
import {
  type ContractFeeParams,
  type ContractRequest,
  type ContractTarget,
  contractFee,
  DEFAULT_DEPLOY_GAS,
  gasWithMargin,
} from "../wallet/contract-tx.ts";
import { WalletError } from "../wallet/errors.ts";
import type { NodeClient, NodeStatus } from "../wallet/node-client.ts";
import { planAll } from "../wallet/planner.ts";
import { publicValueOf } from "../wallet/public-value.ts";
import { plannerNotes } from "../wallet/send.ts";
import { revertReason } from "./abi.ts";
import { parseAmount } from "./amount.ts";
import type { AssetBook } from "./assets.ts";
import type { OptionValues } from "./command.ts";
import { parseHexBytes } from "./contract-input.ts";

/** Why this identity acts: the user chose it, it deployed the contract, or it was never used. */
export type IdentityChoice = { readonly identity: number; readonly why: "given" | "deployer" | "fresh" };

export type ContractPlan = {
  readonly request: ContractRequest;
  readonly why: IdentityChoice["why"];
  /** A call's dry-run gas; null for a deploy (nothing to run it against yet). */
  readonly gasUsed: bigint | null;
  readonly fee: bigint;
  /** Preparatory transactions (merges, a fee note) and the contract transaction, each paying `fee`. */
  readonly transactions: number;
};

/** `--identity N|fresh`; by default a call to a contract this account deployed acts as its deployer. */
export function identityOf(
  values: OptionValues,
  state: AccountState,
  contract: Uint8Array | undefined,
): IdentityChoice {
  const text = values.identity;
  if (text === "fresh" || (text === undefined && contract === undefined)) {
    return { identity: state.contracts.freshIdentity(), why: "fresh" };
  }
  if (typeof text === "string") {
    if (!/^\d{1,10}$/.test(text)) {
      throw new WalletError("bad_identity", "--identity is an index (0, 1, ...) or fresh");
    }
    return { identity: checkIdentity(Number(text)), why: "given" };
  }
  const deployer = contract === undefined ? undefined : state.contracts.deployerOf(toHex(contract));
  return deployer === undefined
    ? { identity: state.contracts.freshIdentity(), why: "fresh" }
    : { identity: deployer, why: "deployer" };
}

/** `--amount N [--asset SYMBOL]` (a token, SERO by default) or `--ticket ID` (one the account holds), or nothing. */
export function contractValueOf(values: OptionValues, book: AssetBook, state: AccountState): AssetValue | null {
  const amountText = typeof values.amount === "string" ? values.amount : undefined;
  const ticketText = typeof values.ticket === "string" ? values.ticket : undefined;
  if (amountText !== undefined && ticketText !== undefined) {
    throw new WalletError("bad_option", "a transaction brings one value: --amount or --ticket, not both");
  }
  if (ticketText !== undefined) {
    const id = parseHexBytes(ticketText, "--ticket");
    const held = state.spendable().find((n) => n.note.value.kind === "ticket" && bytesEqual(n.note.value.ticketId, id));
    if (!held) {
      throw new WalletError("unknown_ticket", "the account holds no spendable ticket with this id (see sero balance)");
    }
    return held.note.value;
  }
  if (amountText === undefined) {
    if (values.asset !== undefined) {
      throw new WalletError("missing_option", "--asset goes with --amount");
    }
    return null;
  }
  const token = book.token(typeof values.asset === "string" ? values.asset : "SERO");
  const amount = parseAmount(amountText, token.decimals, "--amount");
  if (amount === 0n) {
    throw new WalletError("bad_amount", "--amount must be more than 0");
  }
  return { kind: "token", asset: token.id, amount };
}

/** `--gas N`: 1 to the chain's maxTxGas. */
export function gasOption(values: OptionValues, params: ContractFeeParams): bigint | undefined {
  const text = values.gas;
  if (text === undefined) {
    return undefined;
  }
  if (typeof text !== "string" || !/^\d{1,20}$/.test(text) || BigInt(text) === 0n || BigInt(text) > params.maxTxGas) {
    throw new WalletError("bad_gas_limit", `--gas is 1 to the chain's maximum of ${params.maxTxGas}`);
  }
  return BigInt(text);
}

/** The node's gas parameters; a node without them runs no contracts. */
export function contractParamsOf(status: NodeStatus): ContractFeeParams {
  if (!status.contracts) {
    throw new WalletError("no_contracts", "this node does not run contracts (no contracts in GET /v1/status)");
  }
  return status.contracts;
}

export type PlanInputs = {
  readonly values: OptionValues;
  readonly state: AccountState;
  readonly keys: SpendingKeys;
  readonly status: NodeStatus;
  readonly client: NodeClient;
};

export async function planContractTx(
  inputs: PlanInputs,
  target: ContractTarget,
  value: AssetValue | null,
): Promise<ContractPlan> {
  const { values, state, keys, status, client } = inputs;
  const params = contractParamsOf(status);
  const given = gasOption(values, params);
  const { identity, why } = identityOf(values, state, target.kind === "call" ? target.contract : undefined);
  let gasUsed: bigint | null = null;
  if (target.kind === "call") {
    // The dry run takes the caller and value the transaction will carry, so msg.sender and callValue() match.
    const { outcome } = await client.callContract(target.contract, {
      calldata: target.calldata,
      gasLimit: params.maxTxGas,
      caller: callerOf(keys, identity),
      ...(value === null ? {} : { value: publicValueOf(value) }),
    });
    if (outcome.code !== "ok") {
      const reason = outcome.code === "revert" ? `: ${revertReason(outcome.returnData)}` : "";
      throw new WalletError(
        "call_would_fail",
        `the call fails at the chain's tip (${outcome.code}${reason}); nothing was sent or paid`,
      );
    }
    gasUsed = outcome.gasUsed;
    if (given !== undefined && given < gasUsed) {
      // It would run out of gas and still pay the whole fee (§10.1).
      throw new WalletError("gas_too_low", `--gas ${given} is below the ${gasUsed} the call's dry run used`);
    }
  }
  const gasLimit =
    given ?? (gasUsed === null ? min(DEFAULT_DEPLOY_GAS, params.maxTxGas) : gasWithMargin(gasUsed, params.maxTxGas));
  const fee = contractFee(status.minFee, params, gasLimit);
  const covered = value ?? { kind: "token", asset: SERO_ASSET_ID, amount: 0n };
  const transactions = planAll(plannerNotes(state), covered, fee).reduce((n, r) => n + r.txs.length, 0);
  return { request: { target, identity, gasLimit, value }, why, gasUsed, fee, transactions };
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
