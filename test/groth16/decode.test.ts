/**
 * Strict decoding of keys, proofs and public inputs, from snarkjs JSON and
 * from the canonical binary form: every refusal has its stable code, and
 * whatever decodes re-encodes to the same bytes.
 */
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  decodeProof,
  decodePublicInputs,
  decodeVerifyingKey,
  encodeProof,
  encodePublicInputs,
  encodeVerifyingKey,
  Groth16Error,
  type Groth16ErrorCode,
  PROOF_BYTES,
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verify,
  verifyingKeyBytesLength,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";
import { fixture, G1, g1FromJson, g2ToJson, twistPoint, vkeyJson } from "./fixture.ts";
import { loadSnarkjs, releaseSnarkjs } from "./snarkjs.ts";

const P = bn254.fields.Fp.ORDER;
const R = bn254.fields.Fr.ORDER;

function codeOf(f: () => unknown): Groth16ErrorCode | "no error" {
  try {
    f();
  } catch (e) {
    if (e instanceof Groth16Error) {
      return e.code;
    }
    throw e;
  }
  return "no error";
}

const vk = verifyingKeyFromSnarkjs(vkeyJson);
const pvk = prepareVerifyingKey(vk);
const valid = fixture(0);
const validProof = proofFromSnarkjs(valid.proof);
const validInputs = publicSignalsFromSnarkjs(valid.publicSignals);
/** On the twist, not in G2. */
const outsider = twistPoint(12345n);

afterAll(releaseSnarkjs);

describe("snarkjs JSON: proofs", () => {
  const withA = (a: unknown) => ({ ...valid.proof, pi_a: a });
  const withB = (b: unknown) => ({ ...valid.proof, pi_b: b });

  it("decodes the fixture and verifies it", () => {
    expect(verify(pvk, validProof, validInputs)).toBe(true);
  });

  it("refuses a coordinate ≥ p, which snarkjs silently reduces and accepts", async () => {
    const [x, y] = valid.proof.pi_a;
    const aliased = withA([(BigInt(x as string) + P).toString(), y, "1"]);
    expect(codeOf(() => proofFromSnarkjs(aliased))).toBe("proof_coordinate_out_of_range");
    const snarkjs = await loadSnarkjs();
    expect(await snarkjs.verify(vkeyJson, valid.publicSignals, aliased)).toBe(true);
    const b = structuredClone(valid.proof.pi_b);
    (b[1] as string[])[0] = (BigInt((b[1] as string[])[0] as string) + P).toString();
    expect(codeOf(() => proofFromSnarkjs(withB(b)))).toBe("proof_coordinate_out_of_range");
  });

  it("refuses points off the curve", () => {
    const [x, y] = valid.proof.pi_a;
    expect(codeOf(() => proofFromSnarkjs(withA([x, (BigInt(y as string) + 1n).toString(), "1"])))).toBe(
      "proof_point_not_on_curve",
    );
    const b = structuredClone(valid.proof.pi_b);
    (b[0] as string[])[1] = "7";
    expect(codeOf(() => proofFromSnarkjs(withB(b)))).toBe("proof_point_not_on_curve");
  });

  it("refuses a B on the twist but outside G2", () => {
    expect(outsider.isTorsionFree()).toBe(false);
    expect(codeOf(() => proofFromSnarkjs(withB(g2ToJson(outsider))))).toBe("proof_point_not_in_subgroup");
  });

  it("refuses points at infinity", () => {
    expect(codeOf(() => proofFromSnarkjs(withA(["0", "1", "0"])))).toBe("proof_point_at_infinity");
    expect(codeOf(() => proofFromSnarkjs({ ...valid.proof, pi_c: ["0", "1", "0"] }))).toBe("proof_point_at_infinity");
    expect(
      codeOf(() =>
        proofFromSnarkjs(
          withB([
            ["0", "0"],
            ["1", "0"],
            ["0", "0"],
          ]),
        ),
      ),
    ).toBe("proof_point_at_infinity");
  });

  it("refuses non-canonical numbers, projective points and wrong shapes", () => {
    const [x, y] = valid.proof.pi_a as [string, string];
    const spellings = [`0${x}`, `+${x}`, `-${x}`, `0x${BigInt(x).toString(16)}`, ` ${x}`, `${x}.0`, "", "1".repeat(79)];
    for (const bad of spellings) {
      expect(codeOf(() => proofFromSnarkjs(withA([bad, y, "1"])))).toBe("proof_malformed");
    }
    expect(codeOf(() => proofFromSnarkjs(withA([Number(x), y, "1"])))).toBe("proof_malformed");
    // The same point in projective coordinates (X, Y, Z) = (4x, 8y, 2): valid math, not the canonical spelling.
    const projective = [((4n * BigInt(x)) % P).toString(), ((8n * BigInt(y)) % P).toString(), "2"];
    expect(codeOf(() => proofFromSnarkjs(withA(projective)))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs(withA([x, y])))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs(withA([x, y, "1", "1"])))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs(withB(valid.proof.pi_a)))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs({ ...valid.proof, protocol: "plonk" }))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs({ ...valid.proof, curve: "bls12381" }))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs([valid.proof]))).toBe("proof_malformed");
    expect(codeOf(() => proofFromSnarkjs(null))).toBe("proof_malformed");
  });
});

describe("public inputs", () => {
  it("refuses inputs ≥ r and non-canonical spellings", () => {
    expect(codeOf(() => publicSignalsFromSnarkjs([R.toString()]))).toBe("public_input_out_of_range");
    expect(publicSignalsFromSnarkjs([(R - 1n).toString(), "0"])).toEqual([R - 1n, 0n]);
    for (const bad of ["01", "-1", "0x1", 1, null]) {
      expect(codeOf(() => publicSignalsFromSnarkjs([bad]))).toBe("public_input_malformed");
    }
    expect(codeOf(() => publicSignalsFromSnarkjs("1"))).toBe("public_input_malformed");
    const tooBig = [...validInputs];
    tooBig[1] = (tooBig[1] as bigint) + R;
    expect(codeOf(() => verify(pvk, validProof, tooBig))).toBe("public_input_out_of_range");
    expect(codeOf(() => verify(pvk, validProof, [...validInputs.slice(0, 3), -1n]))).toBe("public_input_out_of_range");
  });

  it("refuses a wrong count, short or long (snarkjs does not compare it with nPublic)", () => {
    expect(codeOf(() => verify(pvk, validProof, validInputs.slice(0, 3)))).toBe("wrong_public_input_count");
    expect(codeOf(() => verify(pvk, validProof, [...validInputs, 0n]))).toBe("wrong_public_input_count");
  });

  it("round-trips the binary form and refuses wrong lengths and values ≥ r", () => {
    const bytes = encodePublicInputs(validInputs);
    expect(bytes.length).toBe(32 * validInputs.length);
    expect(decodePublicInputs(bytes, validInputs.length)).toEqual(validInputs);
    expect(codeOf(() => decodePublicInputs(bytes.subarray(1), validInputs.length))).toBe("wrong_public_input_count");
    expect(codeOf(() => decodePublicInputs(bytes, validInputs.length + 1))).toBe("wrong_public_input_count");
    expect(codeOf(() => decodePublicInputs(new Uint8Array(32).fill(0xff), 1))).toBe("public_input_out_of_range");
  });
});

describe("snarkjs JSON: verification keys", () => {
  it("refuses other protocols and curves, and a count that does not match", () => {
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, protocol: "plonk" }))).toBe("vk_unsupported");
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, curve: "bls12381" }))).toBe("vk_unsupported");
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, nPublic: 3 }))).toBe("vk_malformed");
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, IC: [] }))).toBe("vk_malformed");
  });

  it("refuses an IC point at infinity (its input would be unbound) and a γ outside G2", () => {
    const ic = structuredClone(vkeyJson.IC) as string[][];
    ic[2] = ["0", "1", "0"];
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, IC: ic }))).toBe("vk_point_at_infinity");
    expect(codeOf(() => verifyingKeyFromSnarkjs({ ...vkeyJson, vk_gamma_2: g2ToJson(outsider) }))).toBe(
      "vk_point_not_in_subgroup",
    );
  });
});

describe("binary form", () => {
  const proofBytes = encodeProof(validProof);

  it("round-trips proofs and keys", () => {
    expect(proofBytes.length).toBe(PROOF_BYTES);
    const again = decodeProof(proofBytes);
    expect(again).toEqual(validProof);
    expect(verify(pvk, again, validInputs)).toBe(true);
    const vkBytes = encodeVerifyingKey(vk);
    expect(vkBytes.length).toBe(verifyingKeyBytesLength(4));
    expect(decodeVerifyingKey(vkBytes)).toEqual(vk);
  });

  it("lays G2 out as x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0 (EIP-197 order)", () => {
    const b = valid.proof.pi_b as string[][];
    const field = (i: number) =>
      BigInt(`0x${Buffer.from(proofBytes.subarray(64 + 32 * i, 96 + 32 * i)).toString("hex")}`);
    expect([field(0), field(1), field(2), field(3)]).toEqual(
      [b[0]?.[1], b[0]?.[0], b[1]?.[1], b[1]?.[0]].map((v) => BigInt(v as string)),
    );
  });

  it("refuses wrong lengths and trailing bytes", () => {
    expect(codeOf(() => decodeProof(proofBytes.subarray(0, 255)))).toBe("proof_wrong_length");
    expect(codeOf(() => decodeProof(new Uint8Array([...proofBytes, 0])))).toBe("proof_wrong_length");
    const vkBytes = encodeVerifyingKey(vk);
    expect(codeOf(() => decodeVerifyingKey(new Uint8Array([...vkBytes, 0])))).toBe("vk_wrong_length");
    expect(codeOf(() => decodeVerifyingKey(vkBytes.subarray(0, vkBytes.length - 64)))).toBe("vk_wrong_length");
    expect(codeOf(() => decodeVerifyingKey(vkBytes.subarray(0, 10)))).toBe("vk_wrong_length");
    const huge = new Uint8Array(vkBytes);
    huge.set([0xff, 0xff, 0xff, 0xff], 0);
    expect(codeOf(() => decodeVerifyingKey(huge))).toBe("vk_malformed");
  });

  it("refuses the all-zero spelling of infinity, coordinates ≥ p and G2 points outside the subgroup", () => {
    const zeroA = new Uint8Array(proofBytes);
    zeroA.fill(0, 0, 64);
    expect(codeOf(() => decodeProof(zeroA))).toBe("proof_point_at_infinity");
    const zeroB = new Uint8Array(proofBytes);
    zeroB.fill(0, 64, 192);
    expect(codeOf(() => decodeProof(zeroB))).toBe("proof_point_at_infinity");
    const bigC = new Uint8Array(proofBytes);
    bigC.fill(0xff, 192, 224);
    expect(codeOf(() => decodeProof(bigC))).toBe("proof_coordinate_out_of_range");
    const outsiderProof = new Uint8Array(proofBytes);
    const { x, y } = outsider.toAffine();
    [x.c1, x.c0, y.c1, y.c0].forEach((v, i) => {
      outsiderProof.set(Buffer.from(v.toString(16).padStart(64, "0"), "hex"), 64 + 32 * i);
    });
    expect(codeOf(() => decodeProof(outsiderProof))).toBe("proof_point_not_in_subgroup");
  });

  it("never throws anything but Groth16Error, and what decodes is canonical", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        const code = codeOf(() => decodeProof(bytes));
        if (code === "no error") {
          expect(encodeProof(decodeProof(bytes))).toEqual(bytes);
        }
      }),
    );
  });

  it("a flipped bit is refused at decoding or fails to verify", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 * PROOF_BYTES - 1 }), (bit) => {
        const bytes = new Uint8Array(proofBytes);
        bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
        try {
          const proof = decodeProof(bytes);
          expect(encodeProof(proof)).toEqual(bytes);
          expect(verify(pvk, proof, validInputs)).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(Groth16Error);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("decodes a proof whose A is another valid point, which then fails to verify", () => {
    const a = g1FromJson(valid.proof.pi_a).add(G1.BASE);
    const bytes = new Uint8Array(proofBytes);
    const { x, y } = a.toAffine();
    bytes.set(Buffer.from(x.toString(16).padStart(64, "0") + y.toString(16).padStart(64, "0"), "hex"), 0);
    expect(verify(pvk, decodeProof(bytes), validInputs)).toBe(false);
  });
});
