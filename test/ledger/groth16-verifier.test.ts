import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Groth16ProofVerifier } from "../../src/ledger/groth16-verifier.ts";
import type { Fr } from "../../src/protocol/field.ts";
import {
  encodeProof,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";
import { fixture, vkeyJson } from "../groth16/fixture.ts";

// The fixture circuit has 4 public inputs; any shape name works for the mapping under test.
const verifier = new Groth16ProofVerifier([{ inputs: 2, outputs: 2, key: verifyingKeyFromSnarkjs(vkeyJson) }]);

function item(i: number, tamper = false) {
  const f = fixture(i);
  const publicInputs = publicSignalsFromSnarkjs(f.publicSignals) as Fr[];
  if (tamper) {
    publicInputs[0] = ((publicInputs[0] as bigint) + 1n) as Fr;
  }
  return { inputs: 2, outputs: 2, proof: encodeProof(proofFromSnarkjs(f.proof)), publicInputs };
}

describe("Groth16 proof verifier for the ledger", () => {
  it("accepts a batch of valid proofs", async () => {
    expect(await verifier.verify([item(0), item(1), item(2)])).toEqual([true, true, true]);
  });

  it("names exactly the bad proofs in a failing batch", async () => {
    const garbage = { ...item(3), proof: new Uint8Array(256).fill(0xff) };
    const unknownShape = { ...item(4), inputs: 4 };
    const wrongCount = { ...item(5), publicInputs: [1n as Fr] };
    expect(await verifier.verify([item(0), item(1, true), garbage, unknownShape, wrongCount, item(6)])).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe("bisection of a failing batch", () => {
  it("finds every bad proof wherever it stands, as single verification would", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: 11 }), { maxLength: 12 }), async (bad) => {
        const items = Array.from({ length: 12 }, (_, i) => item(i, bad.includes(i)));
        expect(await verifier.verify(items)).toEqual(items.map((_, i) => !bad.includes(i)));
      }),
      { numRuns: 12 },
    );
  });
});
