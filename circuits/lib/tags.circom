pragma circom 2.1.0;

// Poseidon domain tags of PROTOCOL.md §0.1: the ASCII tag string read as a
// big-endian integer. test/circuits/tags.test.ts re-derives every value below
// from the string in its comment, so a typo cannot survive.

function TAG_AK() { return 0x7365726f2e616b; }                       // "sero.ak"
function TAG_IVK() { return 0x7365726f2e69766b; }                    // "sero.ivk"
function TAG_SEAL() { return 0x7365726f2e6e6f74652e7365616c; }       // "sero.note.seal"
function TAG_NOTE() { return 0x7365726f2e6e6f74652e636d; }           // "sero.note.cm"
function TAG_NF() { return 0x7365726f2e6e66; }                       // "sero.nf"
function TAG_NODE() { return 0x7365726f2e6d65726b6c652e6e6f6465; }   // "sero.merkle.node"
