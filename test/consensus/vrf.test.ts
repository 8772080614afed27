import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { ed25519PublicKey } from "../../src/consensus/signing.ts";
import { VRF_PROOF_BYTES, vrfProofToHash, vrfProve, vrfVerify } from "../../src/consensus/vrf.ts";

const hex = (s: string): Uint8Array => fromHex(s) as Uint8Array;

// RFC 9381 Appendix B.3, ECVRF-EDWARDS25519-SHA512-TAI, Examples 16, 17 and 18.
const RFC_9381_B3 = [
  {
    example: 16,
    sk: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    pk: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    alpha: "",
    pi: "8657106690b5526245a92b003bb079ccd1a92130477671f6fc01ad16f26f723f26f8a57ccaed74ee1b190bed1f479d9727d2d0f9b005a6e456a35d4fb0daab1268a1b0db10836d9826a528ca76567805",
    beta: "90cf1df3b703cce59e2a35b925d411164068269d7b2d29f3301c03dd757876ff66b71dda49d2de59d03450451af026798e8f81cd2e333de5cdf4f3e140fdd8ae",
  },
  {
    example: 17,
    sk: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    pk: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    alpha: "72",
    pi: "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed5933bf0864a62558b3ed7f2fea45c92a465301b3bbf5e3e54ddf2d935be3b67926da3ef39226bbc355bdc9850112c8f4b02",
    beta: "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb5e33821bc613efb94db5e5b54c70a848a0bef4553a41befc57663b56373a5031",
  },
  {
    example: 18,
    sk: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    pk: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    alpha: "af82",
    pi: "9bc0f79119cc5604bf02d23b4caede71393cedfbb191434dd016d30177ccbf8096bb474e53895c362d8628ee9f9ea3c0e52c7a5c691b6c18c9979866568add7a2d41b00b05081ed0f58ee5e31b3a970e",
    beta: "645427e5d00c62a23fb703732fa5d892940935942101e456ecca7bb217c61c452118fec1219202a0edcf038bb6373241578be7217ba85a2687f7a0310b2df19f",
  },
];

const L = ed25519.Point.Fn.ORDER;
/** An ed25519 point of order 2, (0, -1): small order (RFC 9381 §5.4.5 validate_key refuses it). */
const ORDER_2 = "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

describe("ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381)", () => {
  for (const v of RFC_9381_B3) {
    it(`reproduces RFC 9381 B.3 example ${v.example}`, () => {
      expect(toHex(ed25519PublicKey(hex(v.sk)))).toBe(v.pk);
      const pi = vrfProve(hex(v.sk), hex(v.alpha));
      expect(toHex(pi)).toBe(v.pi);
      expect(toHex(vrfProofToHash(pi) as Uint8Array)).toBe(v.beta);
      expect(toHex(vrfVerify(hex(v.pk), hex(v.alpha), hex(v.pi)) as Uint8Array)).toBe(v.beta);
    });
  }

  const [ex16, ex17] = RFC_9381_B3 as [(typeof RFC_9381_B3)[0], (typeof RFC_9381_B3)[0]];
  const pk = hex(ex16.pk);
  const pi = hex(ex16.pi);
  const alpha = hex(ex16.alpha);

  it("refuses every single-bit change of a valid proof", () => {
    for (let bit = 0; bit < VRF_PROOF_BYTES * 8; bit++) {
      const bad = pi.slice();
      bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(vrfVerify(pk, alpha, bad), `bit ${bit}`).toBeUndefined();
    }
  });

  it("refuses a proof under another key or for another alpha", () => {
    expect(vrfVerify(hex(ex17.pk), alpha, pi)).toBeUndefined();
    expect(vrfVerify(pk, hex("00"), pi)).toBeUndefined();
  });

  it("refuses proofs of the wrong length", () => {
    expect(vrfVerify(pk, alpha, pi.subarray(0, 79))).toBeUndefined();
    expect(vrfVerify(pk, alpha, new Uint8Array([...pi, 0]))).toBeUndefined();
    expect(vrfProofToHash(pi.subarray(0, 79))).toBeUndefined();
  });

  it("refuses a non-canonical s (s + L encodes the same scalar mod L)", () => {
    const s = bytesToNumberLE(pi.subarray(48));
    const bad = pi.slice();
    bad.set(numberToBytesLE(s + L, 32), 48);
    expect(vrfVerify(pk, alpha, bad)).toBeUndefined();
    expect(vrfProofToHash(bad)).toBeUndefined();
  });

  it("refuses a small-order public key and a small-order or torsioned Gamma", () => {
    expect(vrfVerify(hex(ORDER_2), alpha, pi)).toBeUndefined();
    const smallGamma = pi.slice();
    smallGamma.set(hex(ORDER_2), 0);
    expect(vrfProofToHash(smallGamma)).toBeUndefined();
    // Gamma + T2 has the same cofactor-cleared value, so without the subgroup check beta would not change.
    const torsioned = pi.slice();
    const gamma = ed25519.Point.fromBytes(pi.subarray(0, 32));
    torsioned.set(gamma.add(ed25519.Point.fromBytes(hex(ORDER_2))).toBytes(), 0);
    expect(vrfProofToHash(torsioned)).toBeUndefined();
    expect(vrfVerify(pk, alpha, torsioned)).toBeUndefined();
  });

  it("proves and verifies for random keys and inputs; outputs are unique per key and input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 64 }), (sk, input) => {
        const key = ed25519PublicKey(sk);
        const proof = vrfProve(sk, input);
        const beta = vrfVerify(key, input, proof);
        expect(beta).toEqual(vrfProofToHash(proof));
        expect(vrfVerify(key, new Uint8Array([...input, 1]), proof)).toBeUndefined();
      }),
      { numRuns: 20 },
    );
  });
});
