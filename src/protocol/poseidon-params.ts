/**
 * The optimized form of Poseidon's round constants and matrices (Grassi et al.,
 * "Poseidon", USENIX'21, Appendix B), derived from circomlib's standard
 * constants. It computes the same permutation with fewer multiplications:
 *
 * - Round constants pushed forward: in a partial round only element 0 passes
 *   the S-box, so the constants of the other elements pass it unchanged and
 *   move through the matrix into the next round's constants. Each partial
 *   round then adds one scalar, and what is left lands in the first of the
 *   last full rounds.
 * - Sparse matrices: a partial round's matrix factors as S·M̂ with
 *   M̂ = diag(1, B) and S = [[m00, vᵀ], [w, I]]. M̂ leaves element 0 alone, so it
 *   commutes with the partial S-box and the scalar constant and moves into the
 *   matrix before it. Going backwards, every partial round keeps a sparse S
 *   (2t - 1 multiplications instead of t²), and the last M̂ merges into the
 *   matrix of the last first-half full round.
 *
 * With B_r the block M̂ of partial round r (of R), B_r = M_rrᴿ⁻ʳ, where M_rr is
 * M without its first row and column, and B_r⁻¹ = M_rr⁻¹·B_(r+1)⁻¹; then
 * w_r = B_(r+1)·M[1..,0] and v_rᵀ = M[0,1..]·B_r⁻¹.
 */
import { FR_MODULUS as P } from "./field.ts";
import { POSEIDON_CONSTANTS } from "./poseidon-constants.ts";

export const FULL_ROUNDS_HALF = 4;

export interface PoseidonParams {
  readonly width: number;
  readonly partialRounds: number;
  /** Constants of the first-half full rounds, t per round. */
  readonly firstConstants: readonly bigint[];
  /** The MDS matrix, row by row (every full round but the last of the first half). */
  readonly mds: readonly bigint[];
  /** The matrix of the last first-half full round: M̂ of the first partial round times M. */
  readonly preSparse: readonly bigint[];
  /** One scalar constant per partial round, added to element 0 before its S-box. */
  readonly partialConstants: readonly bigint[];
  /** Per partial round the t - 1 entries of vᵀ (first row of S after m00), then of w (first column). */
  readonly sparseV: readonly bigint[];
  readonly sparseW: readonly bigint[];
  /** Constants of the last-half full rounds, t per round, the pushed constants included. */
  readonly lastConstants: readonly bigint[];
}

type Matrix = bigint[][];

const mod = (x: bigint): bigint => {
  const r = x % P;
  return r < 0n ? r + P : r;
};

function invert(x: bigint): bigint {
  // Extended Euclid; x is non-zero modulo P.
  let [a, b, u, v] = [mod(x), P, 1n, 0n];
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  return mod(v);
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    (b[0] as bigint[]).map((_, j) => mod(row.reduce((s, x, k) => s + x * ((b[k] as bigint[])[j] as bigint), 0n))),
  );
}

function apply(a: Matrix, x: readonly bigint[]): bigint[] {
  return a.map((row) => mod(row.reduce((s, m, j) => s + m * (x[j] as bigint), 0n)));
}

function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1n : 0n)));
}

/** Gauss-Jordan inverse; circomlib's matrices are Cauchy, so every square block is invertible. */
function inverse(m: Matrix): Matrix {
  const n = m.length;
  const rows = m.map((row, i) => [...row, ...(identity(n)[i] as bigint[])]);
  for (let col = 0; col < n; col++) {
    const pivot = rows.findIndex((row, i) => i >= col && row[col] !== 0n);
    if (pivot < 0) {
      throw new Error("Poseidon matrix block is singular");
    }
    [rows[col], rows[pivot]] = [rows[pivot] as bigint[], rows[col] as bigint[]];
    const lead = rows[col] as bigint[];
    const scale = invert(lead[col] as bigint);
    for (let j = 0; j < 2 * n; j++) {
      lead[j] = mod((lead[j] as bigint) * scale);
    }
    for (const [i, row] of rows.entries()) {
      const factor = row[col] as bigint;
      if (i !== col && factor !== 0n) {
        for (let j = 0; j < 2 * n; j++) {
          row[j] = mod((row[j] as bigint) - factor * (lead[j] as bigint));
        }
      }
    }
  }
  return rows.map((row) => row.slice(n));
}

function unpack(hex: string): bigint[] {
  return Array.from({ length: hex.length / 64 }, (_, i) => BigInt(`0x${hex.slice(i * 64, i * 64 + 64)}`));
}

export function deriveParams(width: number): PoseidonParams {
  const entry = POSEIDON_CONSTANTS[width - 2];
  if (!entry) {
    throw new RangeError(`no Poseidon constants for width ${width}`);
  }
  const t = width;
  const c = unpack(entry.c);
  const mds = unpack(entry.m);
  const m: Matrix = Array.from({ length: t }, (_, i) => mds.slice(i * t, i * t + t));
  const partialRounds = c.length / t - 2 * FULL_ROUNDS_HALF;
  const roundConstants = (round: number) => c.slice(round * t, round * t + t);

  // Constants pushed forward through the partial rounds (in the original network).
  const partialConstants: bigint[] = [];
  let carry = new Array<bigint>(t).fill(0n);
  for (let r = 0; r < partialRounds; r++) {
    const k = roundConstants(FULL_ROUNDS_HALF + r).map((x, i) => mod(x + (carry[i] as bigint)));
    partialConstants.push(k[0] as bigint);
    carry = apply(m, [0n, ...k.slice(1)]);
  }
  const lastConstants = Array.from({ length: FULL_ROUNDS_HALF }, (_, r) =>
    roundConstants(FULL_ROUNDS_HALF + partialRounds + r),
  );
  lastConstants[0] = (lastConstants[0] as bigint[]).map((x, i) => mod(x + (carry[i] as bigint)));

  // Sparse factors, from the last partial round backwards.
  const mrr = m.slice(1).map((row) => row.slice(1));
  const mrrInverse = inverse(mrr);
  const firstRow = (m[0] as bigint[]).slice(1);
  const firstColumn = m.slice(1).map((row) => row[0] as bigint);
  const sparseV: bigint[][] = [];
  const sparseW: bigint[][] = [];
  let next = identity(t - 1); // B_(r+1)
  let nextInverse = identity(t - 1);
  for (let r = partialRounds - 1; r >= 0; r--) {
    const b = multiply(next, mrr);
    const bInverse = multiply(mrrInverse, nextInverse);
    sparseW[r] = apply(next, firstColumn);
    sparseV[r] = apply(
      bInverse.map((_, j) => bInverse.map((row) => row[j] as bigint)),
      firstRow,
    );
    next = b;
    nextInverse = bInverse;
  }
  const preSparse = multiply([[1n, ...new Array<bigint>(t - 1).fill(0n)], ...next.map((row) => [0n, ...row])], m);

  return {
    width: t,
    partialRounds,
    firstConstants: c.slice(0, FULL_ROUNDS_HALF * t),
    mds,
    preSparse: preSparse.flat(),
    partialConstants,
    sparseV: sparseV.flat(),
    sparseW: sparseW.flat(),
    lastConstants: lastConstants.flat(),
  };
}
