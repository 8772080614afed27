pragma circom 2.1.0;

include "tagged_poseidon.circom";
include "tags.circom";

// nf = H_nf(nk, cm, position) (PROTOCOL.md §6).
template Nullifier() {
    signal input nk;
    signal input cm;
    signal input position;
    signal output nf;

    component h = TaggedPoseidon(3, TAG_NF());
    h.in[0] <== nk;
    h.in[1] <== cm;
    h.in[2] <== position;
    nf <== h.out;
}

// Pairwise distinct values: in[i] - in[j] has an inverse for every i < j
// (one constraint per pair). PROTOCOL.md §8.2 asks for distinct nullifiers;
// the ledger refuses duplicates too, this makes a proof with two equal
// nullifiers impossible to produce at all.
template AllDistinct(n) {
    signal input in[n];

    signal inv[n * (n - 1) \ 2];
    var k = 0;
    for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
            inv[k] <-- 1 / (in[i] - in[j]);
            inv[k] * (in[i] - in[j]) === 1;
            k++;
        }
    }
}
