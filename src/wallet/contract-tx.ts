/**
 * Deploys and calls (PROTOCOL.md §10.1) as the wallet builds them: the caller
 * is one of the account's identities (./caller.ts), the fee is paid by a
 * proved payment from its notes whose proof binds the whole transaction
 * (§8.9), a value rides in an opened output of that payment (§10.3), and the
 * caller key signs.
 */

import { deployedContractAddress } from "../contracts/addresses.ts";
import type { ContractParams } from "../contracts/params.ts";
import type { AssetValue } from "../protocol/asset.ts";
import { txId } from "../protocol/tx/hashes.ts";
import { type ContractTx, SIGNATURE_BYTES } from "../protocol/tx/types.ts";
import { callerOf, callerSecret } from "./caller.ts";
import { WalletError } from "./errors.ts";
import { buildPaidTx, type FeePaymentPlan, type PaidTxBuilder } from "./paid-tx.ts";
import { publicValueOf } from "./public-value.ts";

/** The chain's gas parameters as GET /v1/status tells them (its `contracts`). */
export type ContractFeeParams = Pick<ContractParams, "gasPrice" | "maxTxGas">;

export type ContractTarget =
  | { readonly kind: "deploy"; readonly initCode: Uint8Array }
  | { readonly kind: "call"; readonly contract: Uint8Array; readonly calldata: Uint8Array };

export type ContractRequest = {
  readonly target: ContractTarget;
  /** Which of the account's caller identities acts (§10.1). */
  readonly identity: number;
  readonly gasLimit: bigint;
  /** What the transaction brings to the contract: a token amount or one ticket, or nothing. */
  readonly value: AssetValue | null;
};

export async function buildContractTx(
  builder: PaidTxBuilder,
  request: ContractRequest,
  fee: FeePaymentPlan,
): Promise<ContractTx> {
  const caller = callerOf(builder.keys, request.identity);
  const spec = { opened: request.value, signer: callerSecret(builder.keys, request.identity) };
  return buildPaidTx(builder, fee, spec, ({ epk, payment, opened }) => {
    const value =
      opened && request.value ? { output: opened.output, ...publicValueOf(request.value), rcm: opened.rcm } : null;
    const body = {
      caller,
      gasLimit: request.gasLimit,
      value,
      epk,
      payment,
      signature: new Uint8Array(SIGNATURE_BYTES),
    };
    const target = request.target;
    return target.kind === "deploy"
      ? { kind: "deploy", initCode: target.initCode, ...body }
      : { kind: "call", contract: target.contract, calldata: target.calldata, ...body };
  });
}

/** The contract a transaction calls, or the one a deploy creates (§10.2: from its id and first nullifier). */
export function contractOf(tx: ContractTx): Uint8Array {
  if (tx.kind === "call") {
    return tx.contract;
  }
  const [first] = tx.payment.nullifiers;
  if (first === undefined) {
    throw new WalletError("bad_transaction", "a deploy's payment spends at least one note");
  }
  return deployedContractAddress(txId(tx), first);
}

/** Gas for a deploy when the caller gives none: estimating needs the contract to exist (§10.7). */
export const DEFAULT_DEPLOY_GAS = 3_000_000n;

/**
 * The gas limit to declare for a call the node's dry run used `gasUsed` for: a quarter more and 10,000,
 * since state may change before the call runs; never above the chain's maximum.
 */
export function gasWithMargin(gasUsed: bigint, maxTxGas: bigint): bigint {
  const limit = (gasUsed * 5n + 3n) / 4n + 10_000n;
  return limit < maxTxGas ? limit : maxTxGas;
}

/** The fee a contract transaction declaring `gasLimit` pays: the least the chain takes, `minFee + gasLimit × gasPrice` (§10.1). */
export function contractFee(minFee: bigint, params: ContractFeeParams, gasLimit: bigint): bigint {
  if (gasLimit <= 0n || gasLimit > params.maxTxGas) {
    throw new WalletError("bad_gas_limit", `the gas limit is 1 to the chain's maximum of ${params.maxTxGas}`);
  }
  return minFee + gasLimit * params.gasPrice;
}
