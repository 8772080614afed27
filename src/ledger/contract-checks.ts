/**
 * The checks of a deploy or call that need no EVM (PROTOCOL.md §10.1,
 * §10.3): made by execution and, earlier, by admission, with the same codes.
 */
import { type ContractParams, contractMinFee } from "../contracts/params.ts";
import { openedCommitment, publicValueAsset } from "../protocol/contract-notes.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Fr } from "../protocol/field.ts";
import type { ContractTx } from "../protocol/tx/types.ts";
import type { AssetRecord } from "./store.ts";

export type AssetLookup = {
  asset(id: Fr): AssetRecord | undefined;
  hasTicket(asset: Fr): boolean;
};

/** Throws the ProtocolError that refuses `tx`: its gas, its fee, or its opened value. */
export function checkContractTx(tx: ContractTx, minFee: bigint, params: ContractParams, assets: AssetLookup): void {
  if (tx.gasLimit > params.maxTxGas) {
    throw new ProtocolError("bad_gas_limit", `a transaction declares at most ${params.maxTxGas} gas`);
  }
  const least = contractMinFee(minFee, params, tx.gasLimit);
  if (tx.payment.fee < least) {
    throw new ProtocolError("fee_too_low", `this gas limit needs a fee of at least ${least} base units of SERO`);
  }
  const v = tx.value;
  if (v === null) {
    return;
  }
  const record = assets.asset(v.assetRef);
  const known =
    record?.registration.assetKind === v.assetKind &&
    (v.assetKind === "token" || assets.hasTicket(publicValueAsset(v).asset));
  if (!known) {
    throw new ProtocolError("unknown_asset", "the opened value is of no known asset");
  }
  const output = tx.payment.outputs[v.output] as { readonly commitment: Fr };
  if (openedCommitment(v, v.rcm) !== output.commitment) {
    throw new ProtocolError("bad_opening", "the opening does not match the output's commitment");
  }
}
