/**
 * G1 arithmetic for the verifier: E(Fp): y² = x³ + 3, in Jacobian coordinates
 * (x = X/Z², y = Y/Z³; Z = 0 is the point at infinity) with the a = 0
 * formulas of the Explicit-Formulas Database: dbl-2009-l (2M + 5S),
 * madd-2007-bl (7M + 4S, one affine input) and add-2007-bl (11M + 5S).
 * Products are reduced once each (fp2.ts explains why that matters here),
 * and the cases the formulas cannot take (an input at infinity, P = ±Q) are
 * handled explicitly, so every input gives the right answer. Tests compare
 * with @noble/curves' bn254 G1.
 *
 * What the verifier needs, all with public scalars (nothing constant-time):
 *  - `g1Mul`: k·P for the batch randomizers (k ≤ 2^128): width-5 wNAF.
 *  - `fixedBaseTable` / `fixedBaseMsm`: Σ kⱼ·ICⱼ over the key's fixed points:
 *    per point a table of signed multiples d·2^(8i)·B (d = 1..128), so a
 *    254-bit scalar costs 33 mixed additions and no doublings (fixed-base
 *    windowing, Brickell-Gordon-McCurley-Wilson, with signed digits).
 *  - `msm`: Σ kᵢ·Pᵢ over variable points with short scalars (the batch's
 *    Σ rᵢ·Cᵢ): Pippenger's bucket method with signed digits, sized to the
 *    scalars' length.
 */
import { invP, modP } from "./fp2.ts";
import type { G1Affine } from "./points.ts";

/** A G1 point in Jacobian coordinates; Z = 0 is the point at infinity. */
export type G1Jacobian = { readonly X: bigint; readonly Y: bigint; readonly Z: bigint };

export const G1_INFINITY: G1Jacobian = { X: 1n, Y: 1n, Z: 0n };

export function g1FromAffine(p: G1Affine): G1Jacobian {
  return { X: p.x, Y: p.y, Z: 1n };
}

export function g1Negate(p: G1Jacobian): G1Jacobian {
  return { X: p.X, Y: modP(-p.Y), Z: p.Z };
}

export function g1Double(p: G1Jacobian): G1Jacobian {
  if (p.Z === 0n) {
    return p;
  }
  const a = modP(p.X * p.X);
  const b = modP(p.Y * p.Y);
  const c = modP(b * b);
  const d = 2n * (modP((p.X + b) * (p.X + b)) - a - c);
  const e = 3n * a;
  const x3 = modP(e * e - 2n * d);
  return { X: x3, Y: modP(e * (d - x3) - 8n * c), Z: modP(2n * p.Y * p.Z) };
}

/** P + Q for affine Q (never infinity). */
export function g1AddAffine(p: G1Jacobian, q: G1Affine): G1Jacobian {
  if (p.Z === 0n) {
    return g1FromAffine(q);
  }
  const z1z1 = modP(p.Z * p.Z);
  const h = modP(q.x * z1z1 - p.X);
  const rHalf = modP(q.y * modP(p.Z * z1z1) - p.Y);
  if (h === 0n) {
    return rHalf === 0n ? g1Double(p) : G1_INFINITY;
  }
  const hh = modP(h * h);
  const i = 4n * hh;
  const j = modP(h * i);
  const r = 2n * rHalf;
  const v = modP(p.X * i);
  const x3 = modP(r * r - j - 2n * v);
  return {
    X: x3,
    Y: modP(r * (v - x3) - 2n * p.Y * j),
    Z: modP((p.Z + h) * (p.Z + h) - z1z1 - hh),
  };
}

export function g1Add(p: G1Jacobian, q: G1Jacobian): G1Jacobian {
  if (p.Z === 0n) {
    return q;
  }
  if (q.Z === 0n) {
    return p;
  }
  const z1z1 = modP(p.Z * p.Z);
  const z2z2 = modP(q.Z * q.Z);
  const u1 = modP(p.X * z2z2);
  const s1 = modP(p.Y * modP(q.Z * z2z2));
  const h = modP(q.X * z1z1 - u1);
  const rHalf = modP(q.Y * modP(p.Z * z1z1) - s1);
  if (h === 0n) {
    return rHalf === 0n ? g1Double(p) : G1_INFINITY;
  }
  const i = modP(4n * h * h);
  const j = modP(h * i);
  const r = 2n * rHalf;
  const v = modP(u1 * i);
  const x3 = modP(r * r - j - 2n * v);
  return {
    X: x3,
    Y: modP(r * (v - x3) - 2n * s1 * j),
    Z: modP(((p.Z + q.Z) * (p.Z + q.Z) - z1z1 - z2z2) * h),
  };
}

/** Affine coordinates, or undefined for the point at infinity. */
export function g1ToAffine(p: G1Jacobian): G1Affine | undefined {
  return g1ToAffineBatch([p])[0];
}

/** Many points to affine with one field inversion (Montgomery's trick). */
export function g1ToAffineBatch(points: readonly G1Jacobian[]): (G1Affine | undefined)[] {
  // prefix[i] = product of the non-zero Z's before i.
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const p of points) {
    prefix.push(acc);
    if (p.Z !== 0n) {
      acc = modP(acc * p.Z);
    }
  }
  let inv = invP(acc);
  const out: (G1Affine | undefined)[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i] as G1Jacobian;
    if (p.Z === 0n) {
      continue;
    }
    const zInv = modP(inv * (prefix[i] as bigint));
    inv = modP(inv * p.Z);
    const zInv2 = modP(zInv * zInv);
    out[i] = { x: modP(p.X * zInv2), y: modP(p.Y * modP(zInv2 * zInv)) };
  }
  return out;
}

/**
 * Signed base-2^w digits of 0 ≤ k < 2^bits: k = Σ dᵢ·2^(w·i), dᵢ in
 * [−2^(w−1) + 1, 2^(w−1)]; one digit more than unsigned recoding, for the carry.
 */
function signedDigits(k: bigint, w: number, bits: number): Int32Array {
  if (k < 0n || k >> BigInt(bits) !== 0n) {
    throw new RangeError(`scalar not in [0, 2^${bits})`);
  }
  const count = Math.ceil(bits / w) + 1;
  const digits = new Int32Array(count);
  const mask = (1n << BigInt(w)) - 1n;
  const half = 1 << (w - 1);
  let rest = k;
  for (let i = 0; i < count; i++) {
    let d = Number(rest & mask);
    rest >>= BigInt(w);
    if (d > half) {
      d -= 1 << w;
      rest += 1n;
    }
    digits[i] = d;
  }
  return digits;
}

function negateAffine(p: G1Affine): G1Affine {
  return { x: p.x, y: modP(-p.y) };
}

/** k·P for 0 ≤ k < 2^254 by width-5 wNAF over the odd multiples P, 3P, …, 15P (made affine). */
export function g1Mul(p: G1Affine, k: bigint): G1Jacobian {
  if (k < 0n || k >> 254n !== 0n) {
    throw new RangeError("scalar not in [0, 2^254)");
  }
  const twice = g1Double(g1FromAffine(p));
  const odd: G1Jacobian[] = [g1FromAffine(p)];
  for (let i = 1; i < 8; i++) {
    odd.push(g1Add(odd[i - 1] as G1Jacobian, twice));
  }
  const table = g1ToAffineBatch(odd);
  // wNAF digits, least significant first: odd digits in (−16, 16), each followed by ≥ 4 zeros.
  const naf: number[] = [];
  for (let rest = k; rest > 0n; rest >>= 1n) {
    let d = 0;
    if (rest & 1n) {
      d = Number(rest & 31n);
      if (d > 16) {
        d -= 32;
      }
      rest -= BigInt(d);
    }
    naf.push(d);
  }
  let acc = G1_INFINITY;
  for (let i = naf.length - 1; i >= 0; i--) {
    acc = g1Double(acc);
    const d = naf[i] as number;
    // A multiple of P is never the identity here unless P's order divides it: P ≠ O has order r > k.
    if (d > 0) {
      acc = g1AddAffine(acc, table[(d - 1) >> 1] as G1Affine);
    } else if (d < 0) {
      acc = g1AddAffine(acc, negateAffine(table[(-d - 1) >> 1] as G1Affine));
    }
  }
  return acc;
}

const FIXED_WINDOW = 8;
const SCALAR_BITS = 254;

/** rows[i][d − 1] = d·2^(8i)·B for d = 1..128, affine. */
export type FixedBaseTable = readonly (readonly G1Affine[])[];

export function fixedBaseTable(base: G1Affine): FixedBaseTable {
  const rowCount = Math.ceil(SCALAR_BITS / FIXED_WINDOW) + 1;
  const half = 1 << (FIXED_WINDOW - 1);
  const rows: G1Affine[][] = [];
  let b = base;
  for (let i = 0; i < rowCount; i++) {
    const multiples: G1Jacobian[] = [g1FromAffine(b)];
    for (let d = 2; d <= half; d++) {
      multiples.push(g1AddAffine(multiples[d - 2] as G1Jacobian, b));
    }
    // 2^8·b = 2·(128·b). B ≠ O has order r, so no multiple below r is the identity.
    multiples.push(g1Double(multiples[half - 1] as G1Jacobian));
    const affine = g1ToAffineBatch(multiples) as G1Affine[];
    b = affine.pop() as G1Affine;
    rows.push(affine);
  }
  return rows;
}

/** Σ kⱼ·Bⱼ over fixed bases, 0 ≤ kⱼ < 2^254: additions only. */
export function fixedBaseMsm(tables: readonly FixedBaseTable[], scalars: readonly bigint[]): G1Jacobian {
  if (tables.length !== scalars.length) {
    throw new RangeError("fixedBaseMsm: tables and scalars differ in length");
  }
  let acc = G1_INFINITY;
  scalars.forEach((k, j) => {
    const rows = tables[j] as FixedBaseTable;
    const digits = signedDigits(k, FIXED_WINDOW, SCALAR_BITS);
    digits.forEach((d, i) => {
      const row = rows[i] as readonly G1Affine[];
      if (d > 0) {
        acc = g1AddAffine(acc, row[d - 1] as G1Affine);
      } else if (d < 0) {
        acc = g1AddAffine(acc, negateAffine(row[-d - 1] as G1Affine));
      }
    });
  });
  return acc;
}

/** Σ kᵢ·Pᵢ for 0 ≤ kᵢ < 2^bits by Pippenger's bucket method. */
export function msm(points: readonly G1Affine[], scalars: readonly bigint[], bits: number): G1Jacobian {
  if (points.length !== scalars.length) {
    throw new RangeError("msm: points and scalars differ in length");
  }
  if (points.length === 0) {
    return G1_INFINITY;
  }
  // ~log2(n) bits per window balances n bucket additions against the 2^(w−1) bucket sums.
  const w = Math.max(2, Math.floor(Math.log2(points.length)));
  const digits = scalars.map((k) => signedDigits(k, w, bits));
  const windows = (digits[0] as Int32Array).length;
  const negated = points.map(negateAffine);
  let acc = G1_INFINITY;
  for (let i = windows - 1; i >= 0; i--) {
    for (let j = 0; j < w; j++) {
      acc = g1Double(acc);
    }
    const buckets: G1Jacobian[] = new Array(1 << (w - 1)).fill(G1_INFINITY);
    digits.forEach((ds, n) => {
      const d = ds[i] as number;
      if (d > 0) {
        buckets[d - 1] = g1AddAffine(buckets[d - 1] as G1Jacobian, points[n] as G1Affine);
      } else if (d < 0) {
        buckets[-d - 1] = g1AddAffine(buckets[-d - 1] as G1Jacobian, negated[n] as G1Affine);
      }
    });
    // Σ d·bucket[d], as running sums from the top bucket down.
    let running = G1_INFINITY;
    let windowSum = G1_INFINITY;
    for (let d = buckets.length - 1; d >= 0; d--) {
      running = g1Add(running, buckets[d] as G1Jacobian);
      windowSum = g1Add(windowSum, running);
    }
    acc = g1Add(acc, windowSum);
  }
  return acc;
}
