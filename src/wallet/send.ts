/**
 * Carries out a send: plans its rounds (./planner.ts), builds and proves each
 * transaction, submits it over HTTPS and locks the notes it spends, waits
 * for a round to commit before planning the next from the notes it left.
 * Every transaction is whole on its own: a send stopped between rounds has
 * moved value only between the account's own notes.
 */
import { toHex } from "../codec/bytes.ts";
import { deriveOneTimeAddress, type OneTimeAddress, publicAddressOf } from "../protocol/address.ts";
import { type AssetValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { txId } from "../protocol/tx/hashes.ts";
import type { TransferTx } from "../protocol/tx/types.ts";
import type { CircuitShape, ProofProgress, ProvingArtifacts } from "../prover/index.ts";
import type { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";
import type { NodeClient } from "./node-client.ts";
import { type PlannedTx, type PlannerNote, planRound, type Round } from "./planner.ts";
import { spendInputs, syncedAnchor } from "./spend-inputs.ts";
import { buildTransfer, changeOf, type Payment, systemRandom } from "./transfer.ts";

export type SendRequest = {
  readonly to: OneTimeAddress;
  readonly value: AssetValue;
  readonly memo: Uint8Array;
  readonly fee: bigint;
};

export type SendEvent =
  | { readonly kind: "round"; readonly round: number; readonly txs: readonly PlannedTx["purpose"][] }
  | { readonly kind: "proving"; readonly purpose: PlannedTx["purpose"]; readonly progress: ProofProgress }
  /** `submitting` comes before the transaction leaves for the node, so an interrupt cannot claim it was not sent. */
  | {
      readonly kind: "submitting" | "submitted" | "kept";
      readonly purpose: PlannedTx["purpose"];
      readonly txId: string;
    }
  | { readonly kind: "committed"; readonly txId: string; readonly height: number };

/** What becomes of a proved transaction: submitted to the node, or handed to `keep` unsubmitted. */
type Delivery =
  | { readonly kind: "submitted" }
  | { readonly kind: "kept"; readonly keep: (tx: TransferTx, id: string) => Promise<void> };

/** What a send needs from its surroundings (the CLI or a browser wallet). */
export type SendContext = {
  readonly chainId: string;
  readonly state: AccountState;
  readonly keys: SpendingKeys;
  readonly client: NodeClient;
  readonly artifacts: (shape: CircuitShape) => ProvingArtifacts;
  /** Blocks after which a transaction's anchor is too old (the node's anchor window). */
  readonly anchorWindow: number;
  /** Persists the account (called after every submission, so a lock survives a crash). */
  readonly save: () => Promise<void>;
  /** Brings the account up to the chain's tip. */
  readonly sync: () => Promise<void>;
  readonly onEvent?: (event: SendEvent) => void;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
};

export const plannerNotes = (state: AccountState): PlannerNote[] =>
  state.spendable().map((n) => ({ id: n.position, value: n.note.value }));

/** Sends `request`; with `wait`, returns once the payment is committed. Returns the payment's id. */
export async function send(ctx: SendContext, request: SendRequest, wait: boolean): Promise<string> {
  const last = await prepareRounds(ctx, request.value, request.fee);
  const ids = await deliverRound(ctx, last, request.fee, paymentsOf(ctx, request), { kind: "submitted" });
  if (wait) {
    await waitForRound(ctx, ids);
  }
  return ids[0] as string;
}

/**
 * Submits the rounds before the last (merges, fee notes), each committed
 * before the next is planned from the notes it left; answers the last round,
 * whose one transaction spends notes covering `value` and `fee`: a payment,
 * or a contract transaction's fee payment (./contract-send.ts).
 */
export async function prepareRounds(ctx: SendContext, value: AssetValue, fee: bigint): Promise<Round> {
  for (let round = 1; ; round++) {
    const planned = planRound(plannerNotes(ctx.state), value, fee);
    ctx.onEvent?.({ kind: "round", round, txs: planned.txs.map((t) => t.purpose) });
    if (planned.final) {
      return planned;
    }
    await waitForRound(
      ctx,
      await deliverRound(ctx, planned, fee, preparatoryPayments(ctx, fee), { kind: "submitted" }),
    );
  }
}

/**
 * Proves a send of one transaction and hands it to `keep` (e.g. a file for
 * `sero tx submit`) without submitting it. Its notes are then locked as a
 * pending send, like a submitted one: they free themselves when the anchor
 * window passes without the transaction on chain. A send that needs more
 * than one transaction (merges, a fee note) is refused before proving: each
 * round must commit before the next can be built.
 */
export async function sendUnsubmitted(
  ctx: SendContext,
  request: SendRequest,
  keep: (tx: TransferTx, id: string) => Promise<void>,
): Promise<string> {
  const planned = planRound(plannerNotes(ctx.state), request.value, request.fee);
  if (!planned.final || planned.txs.length !== 1) {
    const steps = planned.txs.map((t) => t.purpose).join(" + ");
    throw new WalletError(
      "needs_several_transactions",
      `this send first needs ${steps}, committed before the payment can be proved; ` +
        "a file holds one transaction: send without --out, or once that is done",
    );
  }
  ctx.onEvent?.({ kind: "round", round: 1, txs: planned.txs.map((t) => t.purpose) });
  const [id] = await deliverRound(ctx, planned, request.fee, paymentsOf(ctx, request), { kind: "kept", keep });
  return id as string;
}

async function deliverRound(
  ctx: SendContext,
  round: Round,
  fee: bigint,
  paymentsFor: (planned: PlannedTx) => Payment[],
  delivery: Delivery,
) {
  const ids: string[] = [];
  for (const planned of round.txs) {
    const payments = paymentsFor(planned);
    const built = await build(ctx, planned, payments, fee);
    const id = toHex(txId(built));
    if (delivery.kind === "submitted") {
      ctx.onEvent?.({ kind: "submitting", purpose: planned.purpose, txId: id });
      await ctx.client.submit(built);
    } else {
      await delivery.keep(built, id);
    }
    ctx.state.lock({
      txId: id,
      positions: planned.spends.map((s) => s.id),
      change: changeOf(
        planned.spends.map((s) => ({ note: { value: s.value } })),
        payments,
        fee,
      ),
      expiresAfter: ctx.state.syncedHeight + ctx.anchorWindow,
    });
    await ctx.save();
    ctx.onEvent?.({ kind: delivery.kind, purpose: planned.purpose, txId: id });
    ids.push(id);
  }
  return ids;
}

/** What a preparatory transaction pays: a fee note of exactly `fee` to the account itself, or nothing (a merge). */
const preparatoryPayments =
  (ctx: SendContext, fee: bigint) =>
  (planned: PlannedTx): Payment[] => {
    switch (planned.purpose) {
      case "fee_note": {
        const self = deriveOneTimeAddress(publicAddressOf(ctx.keys), systemRandom(32));
        return [{ to: self, value: { kind: "token", asset: SERO_ASSET_ID, amount: fee }, memo: new Uint8Array() }];
      }
      case "merge":
        return [];
      case "payment":
        throw new WalletError("internal", "a payment is a send's last transaction, never a preparatory one");
    }
  };

/** What each planned transaction of a send pays: `request` in its payment. */
const paymentsOf = (ctx: SendContext, request: SendRequest) => (planned: PlannedTx) =>
  planned.purpose === "payment"
    ? [{ to: request.to, value: request.value, memo: request.memo }]
    : preparatoryPayments(ctx, request.fee)(planned);

async function build(ctx: SendContext, planned: PlannedTx, payments: Payment[], fee: bigint): Promise<TransferTx> {
  const spends = spendInputs(
    ctx.state,
    ctx.keys,
    planned.spends.map((s) => s.id),
  );
  const anchor = syncedAnchor(ctx.state);
  return buildTransfer(
    { chainId: ctx.chainId, anchor, spends, payments, sender: ctx.keys, fee, random: systemRandom },
    ctx.artifacts,
    { onProgress: (progress) => ctx.onEvent?.({ kind: "proving", purpose: planned.purpose, progress }) },
  );
}

/** Waits for a round; a rejected transaction frees its notes and fails the send. */
export async function waitForRound(
  ctx: Pick<SendContext, "client" | "state" | "save" | "sync" | "onEvent" | "pollMs" | "timeoutMs">,
  ids: readonly string[],
): Promise<void> {
  try {
    await waitForCommit(ctx.client, ids, {
      onCommitted: (txId, height) => ctx.onEvent?.({ kind: "committed", txId, height }),
      ...(ctx.pollMs === undefined ? {} : { pollMs: ctx.pollMs }),
      ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    });
  } catch (e) {
    if (e instanceof WalletError && e.code === "tx_rejected") {
      for (const id of ids) {
        ctx.state.release(id);
      }
      await ctx.save();
    }
    throw e;
  }
  await ctx.sync();
}

export type WaitOptions = {
  readonly onCommitted?: (txId: string, height: number) => void;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
};

/** Polls the node until every transaction is committed; fails on the first rejected one. */
export async function waitForCommit(
  client: NodeClient,
  ids: readonly string[],
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const open = new Set(ids);
  while (open.size > 0) {
    for (const id of [...open]) {
      const status = await client.txStatus(id);
      if (status?.status === "committed") {
        open.delete(id);
        options.onCommitted?.(id, status.height ?? -1);
      } else if (status?.status === "rejected") {
        throw new WalletError("tx_rejected", `the chain rejected ${id} (${status.code})`);
      }
    }
    if (open.size === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new WalletError("commit_timeout", `not committed in time: ${[...open].join(", ")} (see sero tx status)`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
