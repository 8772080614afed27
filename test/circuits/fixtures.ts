/**
 * Shared fixtures of the circuit tests: deterministic accounts and notes built
 * with src/protocol (never re-implemented here), a commitment tree holding
 * them, and a witness calculator for the committed circuit wasm.
 *
 * Two ways to make a circuit input:
 * - `prepare` goes through the prover (src/prover/input.ts), which refuses
 *   anything the statement refuses: used for the valid cases.
 * - `raw` builds the input with no checks at all, from raw field values, so
 *   an expect-fail case can break exactly one rule of the statement while
 *   keeping every other one satisfied (recomputed commitments, nullifiers,
 *   anchor). The valid cases check that both agree.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { babyjubjub } from "@noble/curves/misc.js";
import { blake2b } from "@noble/hashes/blake2.js";
import { type WitnessCalculator, WitnessCalculatorBuilder } from "circom_runtime";
import type { CircuitShape } from "../../circuits/config.ts";
import { ARTIFACTS_DIR } from "../../circuits/scripts/paths.ts";
import { oneTimeAddressAt } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID, ticketAssetId, ticketCategoryId, tokenId } from "../../src/protocol/asset.ts";
import { affine, type BabyjubPoint, GENERATOR, multiply } from "../../src/protocol/babyjub.ts";
import { PoseidonTag } from "../../src/protocol/domains.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { deriveSpendingKeys, type SpendingKeys } from "../../src/protocol/keys.ts";
import { type AuthenticationPath, MarkedTree } from "../../src/protocol/merkle/marked-tree.ts";
import type { Note } from "../../src/protocol/note.ts";
import { noteCommitment as noteCommitmentOf, randomFr } from "../../src/protocol/note.ts";
import { hashTagged } from "../../src/protocol/poseidon.ts";
import {
  type CircuitInput,
  prepareTransfer,
  type RandomSource,
  type SpendInput,
  type TransferRequest,
} from "../../src/prover/input.ts";

export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const TWO128 = 1n << 128n;
export const GOLD = tokenId("GOLD");
export const SILVER = tokenId("SILVER");
export const TICKET = ticketAssetId(ticketCategoryId("ART"), new Uint8Array(32).fill(7));

/** Deterministic "random" bytes: BLAKE2b of a label and a counter. */
export function seededRandom(label: string): RandomSource {
  let counter = 0;
  return (length) => blake2b(new TextEncoder().encode(`${label}/${counter++}`), { dkLen: length });
}

export function account(n: number): SpendingKeys {
  return deriveSpendingKeys(new Uint8Array(32).fill(n));
}

/** A note owned by `keys` through its one-time address `index`. */
export function noteFor(keys: SpendingKeys, asset: Fr, amount: bigint, index = 0, rcmLabel = "rcm"): Note {
  const address = oneTimeAddressAt(keys, index);
  const rcm = randomFr(blake2b(new TextEncoder().encode(`${rcmLabel}/${index}/${amount}`), { dkLen: 32 }));
  return { value: { kind: "token", asset: asset as never, amount }, g: address.g, pk: address.pk, rcm };
}

/**
 * Appends `leaves` (after a few unrelated filler leaves, so positions are not
 * all zero) and returns the anchor and each leaf's authentication path.
 */
export function treeWith(leaves: readonly Fr[]): { anchor: Fr; paths: AuthenticationPath[] } {
  const tree = new MarkedTree();
  for (let i = 0; i < 3; i++) {
    tree.append(hashTagged(PoseidonTag.note, BigInt(1000 + i) as Fr));
  }
  const positions = leaves.map((leaf) => tree.append(leaf, true));
  tree.append(hashTagged(PoseidonTag.note, 2000n as Fr));
  return { anchor: tree.root(), paths: positions.map((p) => tree.path(p)) };
}

// ---- raw inputs (no checks) -------------------------------------------------

export type RawPoint = readonly [bigint, bigint];
export type RawSpend = {
  ask: bigint;
  nk: bigint;
  asset: bigint;
  amount: bigint;
  g: RawPoint;
  /** pk' = ivk·g' unless given (for off-subgroup g'). */
  pk?: RawPoint;
  rcm: bigint;
  /** Put the note in the tree (default); false: a dummy with an all-zero path at position 0. */
  inTree?: boolean;
};
export type RawOutput = { asset: bigint; amount: bigint; g: RawPoint; pk: RawPoint; rcm: bigint };
export type RawTransfer = {
  spends: RawSpend[];
  outputs: RawOutput[];
  fee: bigint;
  bind?: bigint;
  assetB?: bigint;
};

const P = (p: BabyjubPoint): RawPoint => {
  const a = affine(p);
  return [a.x, a.y];
};
export const point = P;

export function ivkOf(ask: bigint, nk: bigint): bigint {
  return hashTagged(PoseidonTag.ivk, hashTagged(PoseidonTag.ak, ask as Fr), nk as Fr);
}

export function rawCommitment(asset: bigint, amount: bigint, g: RawPoint, pk: RawPoint, rcm: bigint): bigint {
  const f = (x: bigint): Fr => (((x % R) + R) % R) as Fr;
  const seal = hashTagged(PoseidonTag.seal, f(g[0]), f(g[1]), f(pk[0]), f(pk[1]), f(rcm));
  return hashTagged(PoseidonTag.note, f(asset), f(amount), seal);
}

export function rawNullifier(nk: bigint, cm: bigint, position: bigint): bigint {
  return hashTagged(PoseidonTag.nullifier, nk as Fr, cm as Fr, position as Fr);
}

export function rawSpendOf(keys: SpendingKeys, note: Note): RawSpend {
  const value = note.value.kind === "token" ? note.value : undefined;
  if (!value) {
    throw new Error("token notes only");
  }
  return { ask: keys.ask, nk: keys.nk, asset: value.asset, amount: value.amount, g: P(note.g), rcm: note.rcm };
}

export function rawOutputOf(note: Note): RawOutput {
  const value = note.value.kind === "token" ? note.value : undefined;
  if (!value) {
    throw new Error("token notes only");
  }
  return { asset: value.asset, amount: value.amount, g: P(note.g), pk: P(note.pk), rcm: note.rcm };
}

const mod = (x: bigint): bigint => ((x % R) + R) % R;
const s = (x: bigint): string => mod(x).toString();

export type Built = { input: CircuitInput; publicSignals: bigint[] };

/** Affine coordinates to a noble point (checks only that it is on the curve). */
export function curvePoint(p: RawPoint): BabyjubPoint {
  return babyjubjub.Point.fromAffine({ x: p[0], y: p[1] });
}

/** k·P for any k ≥ 0 and any curve point, subgroup or not (what EscalarMulAny computes). */
export function mulAny(p: RawPoint, k: bigint): RawPoint {
  let acc = babyjubjub.Point.ZERO;
  let dbl = curvePoint(p);
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) {
      acc = acc.add(dbl);
    }
    dbl = dbl.double();
  }
  return acc.is0() ? [0n, 1n] : P(acc);
}

/** Everything recomputed honestly from the raw values; the caller then breaks one thing. */
export function raw(t: RawTransfer): Built {
  const spends = t.spends.map((sp) => {
    const pk = sp.pk ?? mulAny(sp.g, ivkOf(sp.ask, sp.nk));
    const cm = rawCommitment(sp.asset, sp.amount, sp.g, pk, sp.rcm);
    return { sp, cm };
  });
  const inTree = spends.filter((x) => x.sp.inTree !== false);
  const { anchor, paths } = treeWith(inTree.map((x) => mod(x.cm) as Fr));
  const located = spends.map((x) => {
    const k = inTree.indexOf(x);
    const path = k >= 0 ? paths[k] : undefined;
    const position = BigInt(path?.position ?? 0);
    const siblings = path ? path.siblings.map((v) => BigInt(v)) : new Array<bigint>(32).fill(0n);
    return { ...x, position, siblings, nf: rawNullifier(x.sp.nk, mod(x.cm), position) };
  });
  const outputs = t.outputs.map((o) => ({ o, cm: rawCommitment(o.asset, o.amount, o.g, o.pk, o.rcm) }));
  const seroOrB = (a: bigint): string => (mod(a) === SERO_ASSET_ID ? "0" : "1");
  const assetB =
    t.assetB ?? [...t.spends, ...t.outputs].map((n) => mod(n.asset)).find((a) => a !== SERO_ASSET_ID) ?? SERO_ASSET_ID;
  const bind = t.bind ?? 0x5e70n;
  const input: CircuitInput = {
    anchor: s(anchor),
    nf: located.map((x) => s(x.nf)),
    cm: outputs.map((x) => s(x.cm)),
    fee: s(t.fee),
    bind: s(bind),
    assetB: s(assetB),
    inAsk: located.map((x) => s(x.sp.ask)),
    inNk: located.map((x) => s(x.sp.nk)),
    inAsset: located.map((x) => s(x.sp.asset)),
    inAmount: located.map((x) => s(x.sp.amount)),
    inSel: located.map((x) => seroOrB(x.sp.asset)),
    inG: located.map((x) => [s(x.sp.g[0]), s(x.sp.g[1])]),
    inRcm: located.map((x) => s(x.sp.rcm)),
    inPosition: located.map((x) => s(x.position)),
    inSiblings: located.map((x) => x.siblings.map(s)),
    outAsset: outputs.map((x) => s(x.o.asset)),
    outAmount: outputs.map((x) => s(x.o.amount)),
    outSel: outputs.map((x) => seroOrB(x.o.asset)),
    outG: outputs.map((x) => [s(x.o.g[0]), s(x.o.g[1])]),
    outPk: outputs.map((x) => [s(x.o.pk[0]), s(x.o.pk[1])]),
    outRcm: outputs.map((x) => s(x.o.rcm)),
  };
  const publicSignals = [anchor, ...located.map((x) => x.nf), ...outputs.map((x) => x.cm), t.fee, bind].map(mod);
  return { input, publicSignals };
}

// ---- scenarios ---------------------------------------------------------------

export const alice = account(1);
export const bob = account(2);

/** Bob's one-time address as a raw (g', pk'). */
export function bobOwner(index = 0): { g: RawPoint; pk: RawPoint } {
  const a = oneTimeAddressAt(bob, index);
  return { g: P(a.g), pk: P(a.pk) };
}

export function aliceOwner(index = 0): { g: RawPoint; pk: RawPoint } {
  const a = oneTimeAddressAt(alice, index);
  return { g: P(a.g), pk: P(a.pk) };
}

let rcmCounter = 0;
export function freshRcm(): bigint {
  return randomFr(blake2b(new TextEncoder().encode(`fixture-rcm/${rcmCounter++}`), { dkLen: 32 }));
}

/** A spend by Alice of a note she owns (one-time address `index`). */
export function aliceSpend(asset: bigint, amount: bigint, index = 0, extra: Partial<RawSpend> = {}): RawSpend {
  const { g } = aliceOwner(index);
  return { ask: alice.ask, nk: alice.nk, asset, amount, g, rcm: freshRcm(), ...extra };
}

/** A dummy input: amount 0, a throw-away key, no tree position. */
export function dummyRawSpend(label: string): RawSpend {
  const keys = deriveSpendingKeys(blake2b(new TextEncoder().encode(`dummy/${label}`), { dkLen: 32 }));
  const g = P(multiply(GENERATOR, 12345n + BigInt(label.length)));
  return { ask: keys.ask, nk: keys.nk, asset: SERO_ASSET_ID, amount: 0n, g, rcm: freshRcm(), inTree: false };
}

export function toBob(asset: bigint, amount: bigint, index = 0): RawOutput {
  return { asset, amount, ...bobOwner(index), rcm: freshRcm() };
}

export function toAlice(asset: bigint, amount: bigint, index = 1): RawOutput {
  return { asset, amount, ...aliceOwner(index), rcm: freshRcm() };
}

// ---- the prover path ----------------------------------------------------------

/** A request the prover accepts: Alice spends `notes` (put in a fresh tree), pays `outputs`; `dummies` pad the inputs. */
export function requestFor(
  notes: readonly Note[],
  outputs: readonly Note[],
  fee: bigint,
  bind: Fr,
  dummies: readonly SpendInput[] = [],
): TransferRequest {
  const { anchor, paths } = treeWith(notes.map((n) => noteCommitmentOf(n)));
  const spends: SpendInput[] = notes.map((note, i) => ({ keys: alice, note, path: paths[i] as AuthenticationPath }));
  spends.push(...dummies);
  return { anchor, spends, outputs, fee, bind };
}

export function prepare(
  shape: CircuitShape,
  notes: readonly Note[],
  outputs: readonly Note[],
  fee: bigint,
  bind: Fr,
  dummies: readonly SpendInput[] = [],
) {
  return prepareTransfer(shape, requestFor(notes, outputs, fee, bind, dummies));
}

// ---- witness calculation ------------------------------------------------------

const calculators = new Map<string, Promise<WitnessCalculator>>();
const wasms = new Map<string, Uint8Array>();

/**
 * The committed wasm, or `<dir>/<name>.wasm` when CIRCUITS_TEST_WASM_DIR is set
 * (mutation testing: run these tests against a circuit with a constraint removed).
 */
function wasmBytes(shape: Pick<CircuitShape, "name">): Uint8Array {
  let w = wasms.get(shape.name);
  if (!w) {
    const override = process.env.CIRCUITS_TEST_WASM_DIR;
    w = readFileSync(override ? join(override, `${shape.name}.wasm`) : artifactPath(shape, "wasm"));
    wasms.set(shape.name, w);
  }
  return w;
}

export function artifactPath(shape: Pick<CircuitShape, "name">, ext: "wasm" | "zkey" | "vkey.json"): string {
  return join(ARTIFACTS_DIR, shape.name, ext === "vkey.json" ? "vkey.json" : `${shape.name}.${ext}`);
}

export function calculator(shape: Pick<CircuitShape, "name">): Promise<WitnessCalculator> {
  let c = calculators.get(shape.name);
  if (!c) {
    c = WitnessCalculatorBuilder(wasmBytes(shape));
    calculators.set(shape.name, c);
  }
  return c;
}

/** The full witness, or the error the circuit's constraints raise. */
export async function witness(shape: Pick<CircuitShape, "name">, input: CircuitInput): Promise<bigint[]> {
  const wc = await calculator(shape);
  return wc.calculateWitness(input, true);
}

/** Witness calculation succeeds and the public signals are the expected ones, in order. */
export async function expectAccepted(shape: Pick<CircuitShape, "name">, built: Built): Promise<void> {
  const w = await witness(shape, built.input);
  const got = w.slice(1, 1 + built.publicSignals.length);
  if (got.length !== built.publicSignals.length || got.some((v, i) => v !== built.publicSignals[i])) {
    throw new Error(`public signals differ: ${got.join(",")} vs ${built.publicSignals.join(",")}`);
  }
}

/**
 * Witness calculation fails at a constraint of `template` (the innermost circom
 * template, e.g. "RangeCheck", "Balance", "AllDistinct"; "A<B" for an A inside a B): the input is refused,
 * and for the reason the test means. A fresh calculator per call, because
 * circom_runtime accumulates error text across calls on one instance.
 */
export async function expectRefused(
  shape: Pick<CircuitShape, "name">,
  input: CircuitInput,
  template: string,
): Promise<void> {
  const wc = await WitnessCalculatorBuilder(wasmBytes(shape));
  const quiet = console.error;
  console.error = () => {};
  let message: string | undefined;
  try {
    await wc.calculateWitness(input, true);
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  } finally {
    console.error = quiet;
  }
  if (message === undefined) {
    throw new Error(`the circuit accepted an input it must refuse (in ${template})`);
  }
  // Innermost template first: "Num2Bits<MerkleRoot" = a Num2Bits inside a MerkleRoot.
  const chain = [...message.matchAll(/Error in template (\w+?)_\d+ line/g)].map((m) => m[1]);
  const want = template.split("<");
  if (want.some((t, i) => chain[i] !== t)) {
    throw new Error(`refused, but in ${chain.join("<")}, not ${template}:\n${message}`);
  }
}
