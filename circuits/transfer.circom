pragma circom 2.1.0;

include "lib/balance.circom";
include "lib/note.circom";
include "lib/nullifier.circom";
include "lib/range.circom";
include "lib/spend.circom";

// The shielded transfer statement of PROTOCOL.md §8.2, for nIn inputs, nOut
// outputs and a commitment tree of the given depth.
//
// Public inputs, in this order (the declaration order below is the order of
// snarkjs' publicSignals; there are no public outputs):
//   anchor, nf[0..nIn), cm[0..nOut), fee, bind
// Private: the second asset B, and per note its opening and selector.
template Transfer(nIn, nOut, depth, seroAsset) {
    signal input anchor;
    signal input nf[nIn];
    signal input cm[nOut];
    signal input fee;
    signal input bind;

    signal input assetB;

    signal input inAsk[nIn];
    signal input inNk[nIn];
    signal input inAsset[nIn];
    signal input inAmount[nIn];
    signal input inSel[nIn];
    signal input inG[nIn][2];
    signal input inRcm[nIn];
    signal input inPosition[nIn];
    signal input inSiblings[nIn][depth];

    signal input outAsset[nOut];
    signal input outAmount[nOut];
    signal input outSel[nOut];
    signal input outG[nOut][2];
    signal input outPk[nOut][2];
    signal input outRcm[nOut];

    // Inputs: authority, membership, nullifier.
    component spend[nIn];
    component inRange[nIn];
    for (var i = 0; i < nIn; i++) {
        inRange[i] = RangeCheck(128);
        inRange[i].in <== inAmount[i];

        spend[i] = Spend(depth);
        spend[i].anchor <== anchor;
        spend[i].ask <== inAsk[i];
        spend[i].nk <== inNk[i];
        spend[i].asset <== inAsset[i];
        spend[i].amount <== inAmount[i];
        spend[i].g[0] <== inG[i][0];
        spend[i].g[1] <== inG[i][1];
        spend[i].rcm <== inRcm[i];
        spend[i].position <== inPosition[i];
        for (var k = 0; k < depth; k++) {
            spend[i].siblings[k] <== inSiblings[i][k];
        }
        spend[i].nf === nf[i];
    }
    component distinct = AllDistinct(nIn);
    for (var i = 0; i < nIn; i++) {
        distinct.in[i] <== nf[i];
    }

    // Outputs: well-formed commitments. The recipient's (g', pk') is not
    // checked here: a malformed one only makes the note unspendable, and
    // wallets refuse such notes (§3.3, §5.4).
    component outNote[nOut];
    component outRange[nOut];
    for (var j = 0; j < nOut; j++) {
        outRange[j] = RangeCheck(128);
        outRange[j].in <== outAmount[j];

        outNote[j] = NoteCommitment();
        outNote[j].asset <== outAsset[j];
        outNote[j].amount <== outAmount[j];
        outNote[j].g[0] <== outG[j][0];
        outNote[j].g[1] <== outG[j][1];
        outNote[j].pk[0] <== outPk[j][0];
        outNote[j].pk[1] <== outPk[j][1];
        outNote[j].rcm <== outRcm[j];
        outNote[j].cm === cm[j];
    }

    // Value: fee is a u128 in the encoding (§8.2); checked here too so that a
    // fee near r could never stand for a negative one.
    component feeRange = RangeCheck(128);
    feeRange.in <== fee;

    component balance = Balance(nIn, nOut, seroAsset);
    balance.assetB <== assetB;
    balance.fee <== fee;
    for (var i = 0; i < nIn; i++) {
        balance.inAsset[i] <== inAsset[i];
        balance.inAmount[i] <== inAmount[i];
        balance.inSel[i] <== inSel[i];
    }
    for (var j = 0; j < nOut; j++) {
        balance.outAsset[j] <== outAsset[j];
        balance.outAmount[j] <== outAmount[j];
        balance.outSel[j] <== outSel[j];
    }

    // The binding hash and the anchor enter a non-linear constraint of their
    // own, so they stay bound by the proof even when nothing else uses them
    // (the anchor is unused when every input is a dummy).
    signal bindSquare;
    bindSquare <== bind * bind;
    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}
