pragma circom 2.1.0;

// One note's asset is either SERO (sel = 0) or the transaction's second,
// privately chosen asset B (sel = 1). sel is constrained to {0, 1}
// explicitly: with sel = 2 a prover could pick B = (asset + SERO)/2 and count
// one note with weight -1 and +2 in the two balances.
// Outputs weightB = sel·amount, the note's contribution to asset B (its
// contribution to SERO is amount - weightB).
template AssetSelect(seroAsset) {
    signal input asset;
    signal input amount;
    signal input assetB;
    signal input sel;
    signal output weightB;

    sel * (sel - 1) === 0;
    sel * (assetB - seroAsset) === asset - seroAsset;
    weightB <== sel * amount;
}

// PROTOCOL.md §7 with at most two assets, one of them SERO, fee in SERO:
//   Σ_in  [asset = SERO]·amount = Σ_out [asset = SERO]·amount + fee
//   Σ_in  [asset = B]·amount    = Σ_out [asset = B]·amount
// Every amount and the fee must be range-checked to 128 bits by the caller:
// then no side reaches 2^133 < r and the field equations are the integer ones.
template Balance(nIn, nOut, seroAsset) {
    signal input assetB;
    signal input inAsset[nIn];
    signal input inAmount[nIn];
    signal input inSel[nIn];
    signal input outAsset[nOut];
    signal input outAmount[nOut];
    signal input outSel[nOut];
    signal input fee;

    component inSelect[nIn];
    component outSelect[nOut];
    var inTotal = 0;
    var inB = 0;
    var outTotal = 0;
    var outB = 0;
    for (var i = 0; i < nIn; i++) {
        inSelect[i] = AssetSelect(seroAsset);
        inSelect[i].asset <== inAsset[i];
        inSelect[i].amount <== inAmount[i];
        inSelect[i].assetB <== assetB;
        inSelect[i].sel <== inSel[i];
        inTotal += inAmount[i];
        inB += inSelect[i].weightB;
    }
    for (var j = 0; j < nOut; j++) {
        outSelect[j] = AssetSelect(seroAsset);
        outSelect[j].asset <== outAsset[j];
        outSelect[j].amount <== outAmount[j];
        outSelect[j].assetB <== assetB;
        outSelect[j].sel <== outSel[j];
        outTotal += outAmount[j];
        outB += outSelect[j].weightB;
    }
    inB === outB;
    inTotal - inB === outTotal - outB + fee;
}
