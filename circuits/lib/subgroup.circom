pragma circom 2.1.0;

include "babyjub.circom";

// BabyJubjub twisted Edwards addition, as a witness-time function (no
// constraints). Complete for on-curve inputs (a square, d non-square).
function babyAddVar(x1, y1, x2, y2) {
    var a = 168700;
    var d = 168696;
    var tau = d * x1 * x2 * y1 * y2;
    var out[2];
    out[0] = (x1 * y2 + y1 * x2) / (1 + tau);
    out[1] = (y1 * y2 - a * x1 * x2) / (1 - tau);
    return out;
}

// k·P by double-and-add over the bits of k < 2^253, witness-time only.
function babyMulVar(k, x, y) {
    var acc[2] = [0, 1];
    var dbl[2] = [x, y];
    var rest = k;
    for (var i = 0; i < 253; i++) {
        if ((rest & 1) == 1) {
            acc = babyAddVar(acc[0], acc[1], dbl[0], dbl[1]);
        }
        dbl = babyAddVar(dbl[0], dbl[1], dbl[0], dbl[1]);
        rest = rest >> 1;
    }
    return acc;
}

// p is a BabyJubjub point of the prime-order subgroup (order l) and not the
// identity (PROTOCOL.md §3.3: a g' of small order or with a small-order
// component is refused).
//
// Why this is sound: BabyJubjub's group has order 8·l, so 8·Q lies in the
// order-l subgroup for every curve point Q; conversely every subgroup point
// P equals 8·Q for Q = (8⁻¹ mod l)·P. So "∃ on-curve Q with 8·Q = P" holds
// exactly for the subgroup. The prover supplies Q as a hint (computed below
// at witness time); the constraints check Q on the curve (BabyCheck) and
// three complete doublings (BabyDbl). P ≠ identity: the subgroup points with
// x = 0 are only the identity (0, 1), so x must be invertible.
// Cost: about 20 constraints instead of a full scalar multiplication by l.
template SubgroupPoint() {
    signal input p[2];

    // 8⁻¹ mod l
    var INV8 = 2394026564107420727433200628387514462817212225638746351800188703329891451411;
    var q[2] = babyMulVar(INV8, p[0], p[1]);
    signal hint[2];
    hint[0] <-- q[0];
    hint[1] <-- q[1];

    component onCurve = BabyCheck();
    onCurve.x <== hint[0];
    onCurve.y <== hint[1];

    component dbl[3];
    for (var i = 0; i < 3; i++) {
        dbl[i] = BabyDbl();
        if (i == 0) {
            dbl[i].x <== hint[0];
            dbl[i].y <== hint[1];
        } else {
            dbl[i].x <== dbl[i - 1].xout;
            dbl[i].y <== dbl[i - 1].yout;
        }
    }
    dbl[2].xout === p[0];
    dbl[2].yout === p[1];

    signal xInv;
    xInv <-- p[0] != 0 ? 1 / p[0] : 0;
    xInv * p[0] === 1;
}
