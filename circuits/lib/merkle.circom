pragma circom 2.1.0;

include "bitify.circom";
include "tagged_poseidon.circom";
include "tags.circom";

// Root of the path from `leaf` at leaf index `position` (PROTOCOL.md §7):
// node = H_node(left, right). The path bits come from Num2Bits(depth) of the
// position, so they are boolean and the position is < 2^depth: one leaf has
// exactly one position (the nullifier of §6 depends on it).
template MerkleRoot(depth) {
    signal input leaf;
    signal input position;
    signal input siblings[depth];
    signal output root;

    component bits = Num2Bits(depth);
    bits.in <== position;

    component node[depth];
    signal cur[depth + 1];
    signal left[depth];
    cur[0] <== leaf;
    for (var k = 0; k < depth; k++) {
        // bit 0: cur is the left child; bit 1: cur is the right child.
        left[k] <== cur[k] + bits.out[k] * (siblings[k] - cur[k]);
        node[k] = TaggedPoseidon(2, TAG_NODE());
        node[k].in[0] <== left[k];
        node[k].in[1] <== cur[k] + siblings[k] - left[k];
        cur[k + 1] <== node[k].out;
    }
    root <== cur[depth];
}
