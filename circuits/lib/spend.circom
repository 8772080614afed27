pragma circom 2.1.0;

include "merkle.circom";
include "note.circom";
include "nullifier.circom";
include "ownership.circom";

// One input of a transfer (PROTOCOL.md §8.2): the prover knows (ask, nk), a
// note (asset, amount, g', rcm) with pk' = H_ivk(H_ak(ask), nk)·g', whose
// commitment is a leaf under `anchor` at `position`, and nf is its nullifier.
// Amount-0 inputs are dummies: their Merkle root is not compared with the
// anchor (Sapling's rule), everything else is still checked.
// The caller range-checks amount (so amount ≠ 0 in Fr iff ≠ 0 as an integer).
template Spend(depth) {
    signal input anchor;
    signal input ask;
    signal input nk;
    signal input asset;
    signal input amount;
    signal input g[2];
    signal input rcm;
    signal input position;
    signal input siblings[depth];
    signal output nf;

    component owner = Ownership();
    owner.ask <== ask;
    owner.nk <== nk;
    owner.g[0] <== g[0];
    owner.g[1] <== g[1];

    component note = NoteCommitment();
    note.asset <== asset;
    note.amount <== amount;
    note.g[0] <== g[0];
    note.g[1] <== g[1];
    note.pk[0] <== owner.pk[0];
    note.pk[1] <== owner.pk[1];
    note.rcm <== rcm;

    component path = MerkleRoot(depth);
    path.leaf <== note.cm;
    path.position <== position;
    for (var k = 0; k < depth; k++) {
        path.siblings[k] <== siblings[k];
    }
    // amount ≠ 0 ⇒ root = anchor.
    (path.root - anchor) * amount === 0;

    component nullifier = Nullifier();
    nullifier.nk <== nk;
    nullifier.cm <== note.cm;
    nullifier.position <== position;
    nf <== nullifier.nf;
}
