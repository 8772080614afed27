pragma circom 2.1.0;

include "bitify.circom";
include "escalarmulany.circom";
include "subgroup.circom";
include "tagged_poseidon.circom";
include "tags.circom";

// Spend authority (PROTOCOL.md §2, §3.3): from (ask, nk) and the note's g',
//   ak  = H_ak(ask),  ivk = H_ivk(ak, nk),  pk' = ivk·g'
// with g' checked to be a non-identity point of the prime-order subgroup.
// Outputs pk' (the caller commits to it) and nk is passed through by the
// caller to the nullifier.
//
// ivk is decomposed with Num2Bits_strict (254 bits, the unique canonical
// decomposition < r), and multiplied with circomlib's EscalarMulAny. For g'
// of order l, ivk·g' = (ivk mod l)·g', the wallet's relation in §3.3.
// EscalarMulAny's Montgomery adder is incomplete: its exceptional cases need
// two partial sums k1·g', k2·g' with k1 ≡ ±k2 (mod l), a condition on the
// bits of ivk only. ivk is a Poseidon output the prover cannot steer, so
// reaching one has negligible probability (Sapling argues the same way).
template Ownership() {
    signal input ask;
    signal input nk;
    signal input g[2];
    signal output pk[2];

    component ak = TaggedPoseidon(1, TAG_AK());
    ak.in[0] <== ask;

    component ivk = TaggedPoseidon(2, TAG_IVK());
    ivk.in[0] <== ak.out;
    ivk.in[1] <== nk;

    component gCheck = SubgroupPoint();
    gCheck.p[0] <== g[0];
    gCheck.p[1] <== g[1];

    component bits = Num2Bits_strict();
    bits.in <== ivk.out;

    component mul = EscalarMulAny(254);
    for (var i = 0; i < 254; i++) {
        mul.e[i] <== bits.out[i];
    }
    mul.p[0] <== g[0];
    mul.p[1] <== g[1];

    pk[0] <== mul.out[0];
    pk[1] <== mul.out[1];
}
