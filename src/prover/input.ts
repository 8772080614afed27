/**
 * Wallet data → the private and public inputs of the transfer circuit
 * (circuits/transfer.circom; PROTOCOL.md §8.2). Everything the circuit will
 * check is checked here first, so a wallet bug is reported as a clear
 * `ProverInputError` instead of a failed witness deep inside snarkjs.
 *
 * Public inputs, in the circuit's order: anchor, nf[0..nIn), cm[0..nOut), fee, bind.
 */

import { SERO_ASSET_ID as CIRCUIT_SERO_ASSET_ID, type CircuitShape, TREE_DEPTH } from "../../circuits/config.ts";
import { AMOUNT_LIMIT, committedValue, SERO_ASSET_ID } from "../protocol/asset.ts";
import { affine, type BabyjubPoint, GENERATOR, multiply, SUBGROUP_ORDER } from "../protocol/babyjub.ts";
import { PoseidonTag } from "../protocol/domains.ts";
import { type Fr, isFr } from "../protocol/field.ts";
import { deriveSpendingKeys } from "../protocol/keys.ts";
import { emptyRoot } from "../protocol/merkle/hash.ts";
import { type AuthenticationPath, rootFromPath } from "../protocol/merkle/marked-tree.ts";
import { type Commitment, type Note, noteCommitment, randomFr } from "../protocol/note.ts";
import { type Nullifier, nullifier } from "../protocol/nullifier.ts";
import { hashTagged } from "../protocol/poseidon.ts";

/** The keys a spend needs: `SpendingKeys` of src/protocol/keys.ts fits. */
export type SpendKeys = { readonly ask: Fr; readonly nk: Fr };

/** One input: the note, the keys that own it, and its authentication path. */
export type SpendInput = {
  readonly keys: SpendKeys;
  readonly note: Note;
  readonly path: AuthenticationPath;
};

export type TransferRequest = {
  readonly anchor: Fr;
  /** Exactly `shape.nIn` inputs (pad with `dummySpend`). */
  readonly spends: readonly SpendInput[];
  /** Exactly `shape.nOut` outputs (pad with `dummyOutput`). */
  readonly outputs: readonly Note[];
  /** Public fee in SERO base units, a u128. */
  readonly fee: bigint;
  /** The binding hash of PROTOCOL.md §8.2 (BlakeFr over the transaction without its proof). */
  readonly bind: Fr;
};

/** A value of the witness input JSON: decimal strings, nested like the circuit's signal arrays. */
export type SignalValue = string | SignalValue[];
export type CircuitInput = Record<string, SignalValue>;

export type PreparedTransfer = {
  readonly input: CircuitInput;
  /** The public signals the proof will carry, in circuit order. */
  readonly publicSignals: readonly bigint[];
  readonly nullifiers: readonly Nullifier[];
  readonly commitments: readonly Commitment[];
};

export class ProverInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ProverInputError";
    this.code = code;
  }
}

if (SERO_ASSET_ID !== CIRCUIT_SERO_ASSET_ID) {
  throw new Error("circuits/config.ts SERO_ASSET_ID differs from src/protocol/asset.ts: rebuild the circuits");
}

const dec = (v: bigint): string => v.toString(10);
const point = (p: BabyjubPoint): string[] => {
  const a = affine(p);
  return [dec(a.x), dec(a.y)];
};

/**
 * The second asset of a transaction: the one non-SERO asset among its
 * non-dummy notes, or SERO itself when every note is SERO. Dummies (amount 0)
 * are re-labelled to SERO by `noteAsset`, so they never count as an asset.
 */
function secondAsset(assets: readonly Fr[]): Fr {
  const others = new Set(assets.filter((a) => a !== SERO_ASSET_ID));
  if (others.size > 1) {
    throw new ProverInputError("too_many_assets", "a transfer moves SERO and at most one other asset");
  }
  const [b] = others;
  return b ?? SERO_ASSET_ID;
}

function checkShape(shape: CircuitShape, request: TransferRequest): void {
  if (request.spends.length !== shape.nIn || request.outputs.length !== shape.nOut) {
    throw new ProverInputError(
      "wrong_shape",
      `circuit ${shape.name} takes ${shape.nIn} inputs and ${shape.nOut} outputs, got ${request.spends.length} and ${request.outputs.length}`,
    );
  }
  if (request.fee < 0n || request.fee >= AMOUNT_LIMIT) {
    throw new ProverInputError("fee_out_of_range", "fee must be a u128");
  }
  if (!isFr(request.anchor) || !isFr(request.bind)) {
    throw new ProverInputError("field_out_of_range", "anchor or bind ≥ r");
  }
}

/** Builds the circuit input and the expected public signals, checking the statement on the way. */
export function prepareTransfer(shape: CircuitShape, request: TransferRequest): PreparedTransfer {
  checkShape(shape, request);

  const spends = request.spends.map((spend, i) => {
    const { asset, amount } = committedValue(spend.note.value);
    const cm = noteCommitment(spend.note);
    if (!multiply(spend.note.g, ivkOf(spend.keys)).equals(spend.note.pk)) {
      throw new ProverInputError("not_owner", `input ${i}: these keys do not own the note`);
    }
    if (spend.path.siblings.length !== shape.depth) {
      throw new ProverInputError("bad_path", `input ${i}: the path must have ${shape.depth} siblings`);
    }
    if (amount !== 0n) {
      if (spend.path.leaf !== cm) {
        throw new ProverInputError("bad_path", `input ${i}: the path is for another leaf`);
      }
      if (rootFromPath({ ...spend.path, leaf: cm }) !== request.anchor) {
        throw new ProverInputError("bad_path", `input ${i}: the path does not lead to the anchor`);
      }
    }
    const nf = nullifier(spend.keys.nk, cm, spend.path.position);
    return { spend, asset, amount, cm, nf };
  });
  const outputs = request.outputs.map((note) => ({ note, ...committedValue(note.value), cm: noteCommitment(note) }));

  const nullifiers = spends.map((s) => s.nf);
  if (new Set(nullifiers).size !== nullifiers.length) {
    throw new ProverInputError("duplicate_nullifier", "two inputs spend the same note");
  }

  const assetB = secondAsset([...spends, ...outputs].filter((n) => n.amount !== 0n).map((n) => n.asset));
  // A dummy's asset is committed like any other, so it must be SERO or B too.
  for (const n of [...spends, ...outputs]) {
    if (n.asset !== SERO_ASSET_ID && n.asset !== assetB) {
      throw new ProverInputError("too_many_assets", "a dummy note must hold SERO or the transaction's other asset");
    }
  }

  let seroIn = 0n;
  let bIn = 0n;
  for (const s of spends) {
    if (s.asset === SERO_ASSET_ID) {
      seroIn += s.amount;
    } else {
      bIn += s.amount;
    }
  }
  let seroOut = request.fee;
  let bOut = 0n;
  for (const o of outputs) {
    if (o.asset === SERO_ASSET_ID) {
      seroOut += o.amount;
    } else {
      bOut += o.amount;
    }
  }
  if (seroIn !== seroOut || bIn !== bOut) {
    throw new ProverInputError("unbalanced", "inputs must equal outputs plus the fee, per asset");
  }

  const sel = (asset: Fr): string => (asset === SERO_ASSET_ID ? "0" : "1");
  const input: CircuitInput = {
    anchor: dec(request.anchor),
    nf: nullifiers.map(dec),
    cm: outputs.map((o) => dec(o.cm)),
    fee: dec(request.fee),
    bind: dec(request.bind),
    assetB: dec(assetB),
    inAsk: spends.map((s) => dec(s.spend.keys.ask)),
    inNk: spends.map((s) => dec(s.spend.keys.nk)),
    inAsset: spends.map((s) => dec(s.asset)),
    inAmount: spends.map((s) => dec(s.amount)),
    inSel: spends.map((s) => sel(s.asset)),
    inG: spends.map((s) => point(s.spend.note.g)),
    inRcm: spends.map((s) => dec(s.spend.note.rcm)),
    inPosition: spends.map((s) => dec(BigInt(s.spend.path.position))),
    inSiblings: spends.map((s) => s.spend.path.siblings.map(dec)),
    outAsset: outputs.map((o) => dec(o.asset)),
    outAmount: outputs.map((o) => dec(o.amount)),
    outSel: outputs.map((o) => sel(o.asset)),
    outG: outputs.map((o) => point(o.note.g)),
    outPk: outputs.map((o) => point(o.note.pk)),
    outRcm: outputs.map((o) => dec(o.note.rcm)),
  };
  const commitments = outputs.map((o) => o.cm);
  return {
    input,
    publicSignals: [request.anchor, ...nullifiers, ...commitments, request.fee, request.bind],
    nullifiers,
    commitments,
  };
}

/** ivk = H_ivk(H_ak(ask), nk) (PROTOCOL.md §2). */
function ivkOf(keys: SpendKeys): Fr {
  return hashTagged(PoseidonTag.ivk, hashTagged(PoseidonTag.ak, keys.ask), keys.nk);
}

/** A source of fresh random bytes; `crypto.getRandomValues` by default. Tests pass a seeded one. */
export type RandomSource = (length: number) => Uint8Array;

const systemRandom: RandomSource = (length) => crypto.getRandomValues(new Uint8Array(length));

/** A uniformly random non-zero scalar mod l (bias below 2^-250, as in §3.2). */
function randomScalar(random: RandomSource): bigint {
  return (randomFr(random(32)) % (SUBGROUP_ORDER - 1n)) + 1n;
}

/**
 * A dummy input (amount 0, SERO) owned by a throw-away key: its nullifier is
 * random-looking and its path is never compared with the anchor (§8.2), so
 * it hides how many real notes a transaction spends.
 */
export function dummySpend(random: RandomSource = systemRandom, depth = TREE_DEPTH): SpendInput {
  const keys = deriveSpendingKeys(random(32));
  const g = multiply(GENERATOR, randomScalar(random));
  const note: Note = {
    value: { kind: "token", asset: SERO_ASSET_ID, amount: 0n },
    g,
    pk: multiply(g, keys.ivk),
    rcm: randomFr(random(32)),
  };
  const siblings = Array.from({ length: depth }, (_, h) => emptyRoot(h));
  return { keys, note, path: { position: 0, leaf: noteCommitment(note), siblings } };
}

/** A dummy output (amount 0, SERO) to a random owner nobody will ever look for. */
export function dummyOutput(random: RandomSource = systemRandom): Note {
  const g = multiply(GENERATOR, randomScalar(random));
  return {
    value: { kind: "token", asset: SERO_ASSET_ID, amount: 0n },
    g,
    pk: multiply(g, randomScalar(random)),
    rcm: randomFr(random(32)),
  };
}
