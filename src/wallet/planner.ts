/**
 * Which transactions a send takes. A transfer has at most 4 inputs and 2
 * outputs (the circuit shapes, PROTOCOL.md §8.2), and every transfer pays the
 * flat fee in SERO. So a send is one or more rounds: merges when the payment
 * needs more notes than one transaction holds, fee notes (a SERO note of
 * exactly the fee) when a token or ticket is paid (its 2 outputs are the
 * payment and the token's change, leaving none for SERO change), then the
 * payment. Each round's transactions are independent; the next round spends
 * their outputs once committed. Pure: planning never touches the network.
 */
import { type AssetId, type AssetValue, committedValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import { CIRCUITS } from "../prover/index.ts";
import { WalletError } from "./errors.ts";

const MAX_INPUTS = Math.max(...CIRCUITS.map((c) => c.nIn));

/** A note as the planner sees it: an id (a tree position, or a predicted note) and its value. */
export type PlannerNote = { readonly id: number; readonly value: AssetValue };

export type PlannedTx =
  | { readonly purpose: "payment"; readonly spends: readonly PlannerNote[] }
  | { readonly purpose: "merge"; readonly spends: readonly PlannerNote[] }
  /** Pays the sender exactly the fee, to pay a later token or ticket transfer. */
  | { readonly purpose: "fee_note"; readonly spends: readonly PlannerNote[] };

export type Round = { readonly final: boolean; readonly txs: readonly PlannedTx[] };

const amountOf = (n: PlannerNote) => committedValue(n.value).amount;
const assetOf = (v: AssetValue) => committedValue(v).asset;
const isSero = (n: PlannerNote) => assetOf(n.value) === SERO_ASSET_ID;
const largestFirst = (a: PlannerNote, b: PlannerNote) =>
  amountOf(b) > amountOf(a) ? 1 : amountOf(b) < amountOf(a) ? -1 : 0;
const sum = (notes: readonly PlannerNote[]) => notes.reduce((s, n) => s + amountOf(n), 0n);

/** The fewest largest notes reaching `target` (all of them if none do). */
function cover(notes: readonly PlannerNote[], target: bigint): PlannerNote[] {
  const chosen: PlannerNote[] = [];
  for (const n of [...notes].sort(largestFirst)) {
    if (sum(chosen) >= target) {
      break;
    }
    chosen.push(n);
  }
  return chosen;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
}

/** The next round of a send of `value` paying `fee` per transaction, from the spendable `notes`. */
export function planRound(notes: readonly PlannerNote[], value: AssetValue, fee: bigint): Round {
  if (assetOf(value) === SERO_ASSET_ID) {
    return planSero(notes, amountOf({ id: 0, value }), fee);
  }
  return planOther(notes, value, fee);
}

function planSero(notes: readonly PlannerNote[], amount: bigint, fee: bigint): Round {
  const sero = notes.filter(isSero);
  const chosen = cover(sero, amount + fee);
  if (sum(chosen) < amount + fee) {
    throw new InsufficientFunds(SERO_ASSET_ID, amount + fee, sum(sero));
  }
  if (chosen.length <= MAX_INPUTS) {
    return { final: true, txs: [{ purpose: "payment", spends: chosen }] };
  }
  // Merge the chosen notes 4 by 4; each merge pays its own fee, so cover that too.
  const merges = Math.ceil(chosen.length / MAX_INPUTS);
  const withFees = cover(sero, amount + fee + BigInt(merges) * fee);
  if (sum(withFees) < amount + fee + BigInt(merges) * fee) {
    throw new InsufficientFunds(SERO_ASSET_ID, amount + fee + BigInt(merges) * fee, sum(sero));
  }
  return {
    final: false,
    txs: chunk(withFees, MAX_INPUTS)
      .filter((group) => group.length > 1)
      .map((spends) => ({ purpose: "merge" as const, spends })),
  };
}

function planOther(notes: readonly PlannerNote[], value: AssetValue, fee: bigint): Round {
  const asset = assetOf(value);
  const own = notes.filter((n) => assetOf(n.value) === asset);
  const feeNotes = notes.filter((n) => isSero(n) && amountOf(n) === fee);
  const needed = amountOf({ id: 0, value });
  const chosen = cover(own, needed);
  if (sum(chosen) < needed) {
    throw new InsufficientFunds(asset, needed, sum(own));
  }
  const tokenInputs = MAX_INPUTS - 1; // one input is the fee note
  const merges = chosen.length > tokenInputs ? chunk(chosen, tokenInputs).filter((g) => g.length > 1) : [];
  const feeNotesNeeded = merges.length > 0 ? merges.length : 1;
  if (feeNotes.length >= feeNotesNeeded) {
    if (merges.length === 0) {
      return { final: true, txs: [{ purpose: "payment", spends: [...chosen, feeNotes[0] as PlannerNote] }] };
    }
    return {
      final: false,
      txs: merges.map((group, i) => ({ purpose: "merge" as const, spends: [...group, feeNotes[i] as PlannerNote] })),
    };
  }
  // Fee notes first: each from its own SERO note large enough to pay its fee too.
  const sources = notes.filter((n) => isSero(n) && amountOf(n) >= 2n * fee).sort(largestFirst);
  const missing = feeNotesNeeded - feeNotes.length;
  if (sources.length === 0) {
    throw new InsufficientFunds(SERO_ASSET_ID, 2n * fee, sum(notes.filter(isSero)));
  }
  return {
    final: false,
    txs: sources.slice(0, missing).map((n) => ({ purpose: "fee_note" as const, spends: [n] })),
  };
}

/** Too little of one asset; `needed` and `spendable` let a caller say it in the asset's units. */
export class InsufficientFunds extends WalletError {
  readonly asset: AssetId;
  readonly needed: bigint;
  readonly spendable: bigint;

  constructor(asset: AssetId, needed: bigint, spendable: bigint) {
    super(
      "insufficient_funds",
      `not enough funds: needs ${needed} base units, the account has ${spendable} spendable (sync, or wait for pending sends)`,
    );
    this.asset = asset;
    this.needed = needed;
    this.spendable = spendable;
  }
}

/**
 * Every round of a send, predicted by replaying the planner on the notes each
 * round would leave (for showing the transactions and fees before sending).
 */
export function planAll(notes: readonly PlannerNote[], value: AssetValue, fee: bigint): Round[] {
  const rounds: Round[] = [];
  let wallet = [...notes];
  let nextId = -1;
  for (let i = 0; i < 16; i++) {
    const round = planRound(wallet, value, fee);
    rounds.push(round);
    if (round.final) {
      return rounds;
    }
    const spent = new Set(round.txs.flatMap((t) => t.spends.map((s) => s.id)));
    wallet = wallet.filter((n) => !spent.has(n.id));
    for (const tx of round.txs) {
      for (const out of predictedOutputs(tx, fee)) {
        wallet.push({ id: nextId--, value: out });
      }
    }
  }
  throw new WalletError("send_too_fragmented", "this send would take more than 16 rounds of merges");
}

/** The notes a preparatory transaction gives back to the sender. */
export function predictedOutputs(tx: PlannedTx, fee: bigint): AssetValue[] {
  const sero = (amount: bigint): AssetValue => ({ kind: "token", asset: SERO_ASSET_ID, amount });
  const seroIn = sum(tx.spends.filter(isSero));
  switch (tx.purpose) {
    case "fee_note":
      return [sero(fee), ...(seroIn - 2n * fee > 0n ? [sero(seroIn - 2n * fee)] : [])];
    case "merge": {
      const other = tx.spends.find((s) => !isSero(s));
      if (!other) {
        return [sero(seroIn - fee)];
      }
      const amount = sum(tx.spends.filter((s) => !isSero(s)));
      return [other.value.kind === "token" ? { ...other.value, amount } : other.value];
    }
    case "payment":
      return [];
  }
}
