pragma circom 2.1.0;

include "poseidon.circom";

// H_tag(x1..xn) = Poseidon(tag, x1, ..., xn) with circomlib's Poseidon of
// n + 1 inputs, tag first (PROTOCOL.md §0). The tag is a compile-time
// constant, so the compiler folds the constant lane of the first round.
template TaggedPoseidon(n, tag) {
    signal input in[n];
    signal output out;

    component h = Poseidon(n + 1);
    h.inputs[0] <== tag;
    for (var i = 0; i < n; i++) {
        h.inputs[i + 1] <== in[i];
    }
    out <== h.out;
}
