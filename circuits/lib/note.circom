pragma circom 2.1.0;

include "tagged_poseidon.circom";
include "tags.circom";

// PROTOCOL.md §5.1:
//   seal = H_seal(g'.x, g'.y, pk'.x, pk'.y, rcm)
//   cm   = H_note(asset, amount, seal)
template NoteCommitment() {
    signal input asset;
    signal input amount;
    signal input g[2];
    signal input pk[2];
    signal input rcm;
    signal output cm;

    component seal = TaggedPoseidon(5, TAG_SEAL());
    seal.in[0] <== g[0];
    seal.in[1] <== g[1];
    seal.in[2] <== pk[0];
    seal.in[3] <== pk[1];
    seal.in[4] <== rcm;

    component note = TaggedPoseidon(3, TAG_NOTE());
    note.in[0] <== asset;
    note.in[1] <== amount;
    note.in[2] <== seal.out;
    cm <== note.out;
}
