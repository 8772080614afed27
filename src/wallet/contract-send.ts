/**
 * Carries out a deploy or call (PROTOCOL.md §10.1) as a send is carried out
 * (./send.ts): preparatory rounds first when the value is a token or ticket
 * (a fee note, since the payment's two outputs are the opened value and the
 * token's change) or the notes need merging; then the contract transaction,
 * its notes locked until it commits. Which identity acted, on which contract,
 * is recorded and saved before the transaction leaves, so a crash never
 * loses which identity owns a deployed contract.
 */
import { toHex } from "../codec/bytes.ts";
import { type AssetValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import { txId } from "../protocol/tx/hashes.ts";
import type { ContractTx } from "../protocol/tx/types.ts";
import { buildContractTx, type ContractRequest, contractOf } from "./contract-tx.ts";
import { WalletError } from "./errors.ts";
import { planRound } from "./planner.ts";
import { plannerNotes, prepareRounds, type SendContext, waitForRound } from "./send.ts";
import { spendInputs, syncedAnchor } from "./spend-inputs.ts";
import { changeOf, systemRandom } from "./transfer.ts";

export type ContractSent = {
  readonly txId: string;
  /** The contract called, or the one the deploy creates (64 bytes). */
  readonly contract: Uint8Array;
};

/**
 * What becomes of the proved transaction: submitted (and with `wait`, followed
 * until committed, whatever its outcome, §10.6), or kept by `keep` (a file,
 * `sero contract call --out`) for `sero tx submit` later, its notes locked alike.
 */
export type ContractDelivery =
  | { readonly kind: "submit"; readonly wait: boolean }
  | { readonly kind: "keep"; readonly keep: (tx: ContractTx) => Promise<void> };

/** Proves `request` paying `fee` and delivers it. */
export async function sendContractTx(
  ctx: SendContext,
  request: ContractRequest,
  fee: bigint,
  delivery: ContractDelivery,
): Promise<ContractSent> {
  // Nothing brought: the planner covers exactly the fee, as for a registration's payment.
  const covered: AssetValue = request.value ?? { kind: "token", asset: SERO_ASSET_ID, amount: 0n };
  if (delivery.kind === "keep") {
    refuseRounds(ctx, covered, fee);
  }
  const [planned] = (await prepareRounds(ctx, covered, fee)).txs;
  if (!planned) {
    throw new WalletError("internal", "the planner's last round holds the payment");
  }
  const positions = planned.spends.map((s) => s.id);
  const spends = spendInputs(ctx.state, ctx.keys, positions);
  const tx = await buildContractTx(
    {
      keys: ctx.keys,
      chainId: ctx.chainId,
      random: systemRandom,
      artifacts: ctx.artifacts,
      options: { onProgress: (progress) => ctx.onEvent?.({ kind: "proving", purpose: "payment", progress }) },
    },
    request,
    { anchor: syncedAnchor(ctx.state), spends, fee },
  );
  const id = toHex(txId(tx));
  const contract = contractOf(tx);
  const { target, identity, gasLimit, value } = request;
  ctx.state.contracts.add({ txId: id, kind: target.kind, identity, contract: toHex(contract), gasLimit, value });
  await ctx.save();
  try {
    if (delivery.kind === "submit") {
      ctx.onEvent?.({ kind: "submitting", purpose: "payment", txId: id });
      await ctx.client.submit(tx);
    } else {
      await delivery.keep(tx);
    }
  } catch (e) {
    // Refused by the node, or not written: it never reaches the chain, so neither does the identity's use.
    if (e instanceof WalletError && (e.status !== undefined || delivery.kind === "keep")) {
      ctx.state.contracts.remove(id);
      await ctx.save();
    }
    throw e;
  }
  ctx.state.lock({
    txId: id,
    positions,
    change: changeOf(spends, value ? [{ value }] : [], fee),
    expiresAfter: ctx.state.syncedHeight + ctx.anchorWindow,
  });
  await ctx.save();
  if (delivery.kind === "submit") {
    ctx.onEvent?.({ kind: "submitted", purpose: "payment", txId: id });
    if (delivery.wait) {
      await waitForRound(ctx, [id]);
    }
  }
  return { txId: id, contract };
}

/** A file holds one transaction: merges or a fee note would have to commit first. */
function refuseRounds(ctx: SendContext, covered: AssetValue, fee: bigint): void {
  const planned = planRound(plannerNotes(ctx.state), covered, fee);
  if (!planned.final || planned.txs.length !== 1) {
    const steps = planned.txs.map((t) => t.purpose).join(" + ");
    throw new WalletError(
      "needs_several_transactions",
      `this transaction first needs ${steps}, committed before it can be proved; ` +
        "a file holds one transaction: go without --out, or once that is done",
    );
  }
}
