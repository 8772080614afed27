pragma circom 2.1.0;

include "bitify.circom";

// in ∈ [0, 2^n). n ≤ 252 so that the bit decomposition is unique in Fr
// (2^n < r): a value ≥ 2^n (including any "negative" field element r - k)
// has no n-bit decomposition and is refused. PROTOCOL.md §4, §7: n = 128.
template RangeCheck(n) {
    assert(n <= 252);
    signal input in;

    component bits = Num2Bits(n);
    bits.in <== in;
}
