/**
 * The numbers that define BN254 (alt_bn128 of EIP-196/197; circom's and
 * snarkjs's "bn128"). Barreto-Naehrig curves are polynomials in one integer x:
 *
 *   p = 36x⁴ + 36x³ + 24x² + 6x + 1   base field Fp, E: y² = x³ + 3 over Fp
 *   r = 36x⁴ + 36x³ + 18x² + 6x + 1   order of E(Fp) = G1 (cofactor 1), of G2 and of GT
 *
 * A test recomputes p and r from x.
 */

/** The BN parameter x (a.k.a. u or the seed). */
export const BN_X = 4965661367192848881n;

/** The base-field modulus p. */
export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** The group order r: the scalar field of the circuits; public inputs live in [0, r). */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
