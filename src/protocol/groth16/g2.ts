/**
 * G2 of BN254: the order-r subgroup of the sextic twist E'(Fp2): y² = x³ + 3/ξ
 * (EIP-197; ξ = 9 + u). E'(Fp2) has r·h points with a 254-bit cofactor
 * h = 10069 · 5864401 · 1875725156269 · (a 178-bit prime), so an on-curve point
 * is NOT enough: a proof's B outside G2 breaks the bilinearity that Groth16's
 * soundness argument rests on, and small-order components are exactly what
 * small-subgroup attacks feed in. Every untrusted G2 point must pass `isInG2`.
 *
 * The membership test is Dai, Lin, Zhao and Zhou, "Fast subgroup membership
 * testing for G1, G2 and GT on pairing-friendly curves" (Des. Codes Cryptogr.
 * 2023, ePrint 2022/348), §5 for BN curves: for x ≢ 4 (mod 13) and
 * x ≢ 92 (mod 97) (BN254's x satisfies both; a test checks it),
 *
 *   Q ∈ G2  ⇔  [x + 1]Q + ψ([x]Q) + ψ²([x]Q) = ψ³([2x]Q),
 *
 * with ψ the untwist-Frobenius-twist endomorphism (Galbraith-Scott). Cost: one
 * 63-bit scalar multiplication, against 127 bits for noble's ψ(Q) = [6x²]Q
 * (El Housni-Guillevic-Piellard, ePrint 2022/352) and 254 bits for [r]Q = O.
 * The same test is used by gnark-crypto and in Sanso-Liang's EIP-197 note.
 *
 * Arithmetic is in Jacobian coordinates (x = X/Z², y = Y/Z³) with the a = 0
 * formulas from the Explicit-Formulas Database (dbl-2009-l, madd-2007-bl,
 * add-2007-bl); exceptional inputs (equal or opposite points, infinity) are
 * handled explicitly, so results are right for every point on the twist,
 * including the small-order ones an attacker would pick.
 */
import { BN_X } from "./bn254.ts";
import {
  FP2_ONE,
  FP2_ZERO,
  type Fp2,
  fp2,
  fp2Add,
  fp2AddWide,
  fp2Conj,
  fp2Eq,
  fp2Inv,
  fp2IsZero,
  fp2Mul,
  fp2MulFp,
  fp2MulWide,
  fp2Neg,
  fp2Reduce,
  fp2ScaleWide,
  fp2Sqr,
  fp2SqrWide,
  fp2Sub,
  fp2SubWide,
} from "./fp2.ts";
import { psiCoefficients } from "./fp12.ts";

/** An affine point of E'(Fp2), never the point at infinity. */
export type G2Affine = { readonly x: Fp2; readonly y: Fp2 };

/** The twist coefficient b' = 3/ξ. */
export const TWIST_B: Fp2 = fp2MulFp(fp2Inv(fp2(9n, 1n)), 3n);

/** y² = x³ + b' for canonical coordinates. */
export function isOnTwist(p: G2Affine): boolean {
  return fp2Eq(fp2Sqr(p.y), fp2Add(fp2Mul(fp2Sqr(p.x), p.x), TWIST_B));
}

export function g2Negate(p: G2Affine): G2Affine {
  return { x: p.x, y: fp2Neg(p.y) };
}

/** ψ(x, y) = (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)) on affine points (used by the Miller loop too). */
export function psi(p: G2Affine): G2Affine {
  const c = psiCoefficients();
  return { x: fp2Mul(fp2Conj(p.x), c.x), y: fp2Mul(fp2Conj(p.y), c.y) };
}

type Jacobian = { readonly X: Fp2; readonly Y: Fp2; readonly Z: Fp2 };

const INFINITY: Jacobian = { X: FP2_ONE, Y: FP2_ONE, Z: FP2_ZERO };

/** ψ on Jacobian coordinates: conjugation is a field automorphism, so it commutes with X/Z², Y/Z³. */
function psiJacobian(p: Jacobian): Jacobian {
  const c = psiCoefficients();
  return { X: fp2Mul(fp2Conj(p.X), c.x), Y: fp2Mul(fp2Conj(p.Y), c.y), Z: fp2Conj(p.Z) };
}

// Unreduced helpers (fp2.ts): one reduction per value that feeds a product.
const addW = fp2AddWide;
const subW = fp2SubWide;
const mulW = fp2MulWide;
const sqrW = fp2SqrWide;
const scaleW = fp2ScaleWide;
const red = fp2Reduce;

/** dbl-2009-l: 2M + 5S. Also right for infinity (Z stays 0); E'(Fp2) has odd order, so no 2-torsion. */
function double(p: Jacobian): Jacobian {
  const a = red(sqrW(p.X));
  const b = red(sqrW(p.Y));
  const c = red(sqrW(b));
  const d = red(scaleW(subW(subW(sqrW(addW(p.X, b)), a), c), 2n));
  const e = scaleW(a, 3n);
  const x3 = red(subW(sqrW(e), scaleW(d, 2n)));
  return {
    X: x3,
    Y: red(subW(mulW(e, subW(d, x3)), scaleW(c, 8n))),
    Z: red(scaleW(mulW(p.Y, p.Z), 2n)),
  };
}

/** madd-2007-bl (7M + 4S): P + Q for affine Q, with the cases the formula cannot take handled first. */
function addAffine(p: Jacobian, q: G2Affine): Jacobian {
  if (fp2IsZero(p.Z)) {
    return fromAffine(q);
  }
  const z1z1 = red(sqrW(p.Z));
  const h = red(subW(mulW(q.x, z1z1), p.X));
  const rHalf = red(subW(mulW(q.y, red(mulW(p.Z, z1z1))), p.Y));
  if (fp2IsZero(h)) {
    return fp2IsZero(rHalf) ? double(p) : INFINITY;
  }
  const hh = red(sqrW(h));
  const i = scaleW(hh, 4n);
  const j = red(mulW(h, i));
  const r = scaleW(rHalf, 2n);
  const v = red(mulW(p.X, i));
  const x3 = red(subW(subW(sqrW(r), j), scaleW(v, 2n)));
  return {
    X: x3,
    Y: red(subW(mulW(r, subW(v, x3)), scaleW(mulW(p.Y, j), 2n))),
    Z: red(subW(subW(sqrW(addW(p.Z, h)), z1z1), hh)),
  };
}

/** add-2007-bl (11M + 5S), with the cases the formula cannot take handled first. */
function add(p: Jacobian, q: Jacobian): Jacobian {
  if (fp2IsZero(p.Z)) {
    return q;
  }
  if (fp2IsZero(q.Z)) {
    return p;
  }
  const z1z1 = fp2Sqr(p.Z);
  const z2z2 = fp2Sqr(q.Z);
  const u1 = fp2Mul(p.X, z2z2);
  const u2 = fp2Mul(q.X, z1z1);
  const s1 = fp2Mul(fp2Mul(p.Y, q.Z), z2z2);
  const s2 = fp2Mul(fp2Mul(q.Y, p.Z), z1z1);
  const h = fp2Sub(u2, u1);
  const rHalf = fp2Sub(s2, s1);
  if (fp2IsZero(h)) {
    return fp2IsZero(rHalf) ? double(p) : INFINITY;
  }
  const h2 = fp2Add(h, h);
  const i = fp2Sqr(h2);
  const j = fp2Mul(h, i);
  const r = fp2Add(rHalf, rHalf);
  const v = fp2Mul(u1, i);
  const x3 = fp2Sub(fp2Sub(fp2Sqr(r), j), fp2Add(v, v));
  const s1j = fp2Mul(s1, j);
  const y3 = fp2Sub(fp2Mul(r, fp2Sub(v, x3)), fp2Add(s1j, s1j));
  const z3 = fp2Mul(fp2Sub(fp2Sub(fp2Sqr(fp2Add(p.Z, q.Z)), z1z1), z2z2), h);
  return { X: x3, Y: y3, Z: z3 };
}

function fromAffine(p: G2Affine): Jacobian {
  return { X: p.x, Y: p.y, Z: FP2_ONE };
}

function equal(p: Jacobian, q: Jacobian): boolean {
  const pInf = fp2IsZero(p.Z);
  const qInf = fp2IsZero(q.Z);
  if (pInf || qInf) {
    return pInf && qInf;
  }
  const z1z1 = fp2Sqr(p.Z);
  const z2z2 = fp2Sqr(q.Z);
  return (
    fp2Eq(fp2Mul(p.X, z2z2), fp2Mul(q.X, z1z1)) && fp2Eq(fp2Mul(p.Y, fp2Mul(q.Z, z2z2)), fp2Mul(q.Y, fp2Mul(p.Z, z1z1)))
  );
}

/** Non-adjacent form of BN_X, most significant digit first (24 non-zero digits instead of 28 bits). */
const X_NAF: readonly number[] = (() => {
  const digits: number[] = [];
  for (let k = BN_X; k > 0n; k >>= 1n) {
    if ((k & 1n) === 0n) {
      digits.push(0);
    } else {
      const d = (k & 3n) === 3n ? -1 : 1;
      digits.push(d);
      k -= BigInt(d);
    }
  }
  return digits.reverse();
})();

/** [x]Q by signed double-and-add over NAF(x). */
function mulByX(q: G2Affine): Jacobian {
  const minus = g2Negate(q);
  let acc = INFINITY;
  for (const d of X_NAF) {
    acc = double(acc);
    if (d === 1) {
      acc = addAffine(acc, q);
    } else if (d === -1) {
      acc = addAffine(acc, minus);
    }
  }
  return acc;
}

/** Subgroup membership for a point already known to be on the twist (see the header for the theorem). */
export function isInG2(q: G2Affine): boolean {
  const xq = mulByX(q);
  const psiXq = psiJacobian(xq);
  const lhs = add(add(add(xq, fromAffine(q)), psiXq), psiJacobian(psiXq));
  const rhs = psiJacobian(psiJacobian(psiJacobian(double(xq))));
  return equal(lhs, rhs);
}
