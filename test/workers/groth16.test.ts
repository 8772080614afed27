/**
 * The Groth16 verifier inside workerd, where WebAssembly compilation (and so
 * snarkjs) is refused: a real fixture proof verifies, tampered ones do not,
 * singly and in a batch that yields between chunks.
 */
import { describe, expect, it } from "vitest";
import {
  Groth16Error,
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verify,
  verifyBatch,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";

type FixtureProof = { proof: { pi_a: string[]; pi_b: string[][]; pi_c: string[] }; publicSignals: string[] };

// A computed specifier keeps TypeScript out of JSON module resolution (the
// project does not enable resolveJsonModule); Vite bundles the files as usual.
const FIXTURES = "../fixtures/groth16";
const vkeyJson: unknown = (await import(`${FIXTURES}/vkey.json`)).default;
const proofs = (await import(`${FIXTURES}/proofs.json`)).default as FixtureProof[];

describe("Groth16 verification in workerd", () => {
  it("cannot compile WebAssembly here (so this really is the pure-TypeScript path)", async () => {
    // workers-types leaves `compile` out for this very reason; the runtime still has the function.
    const wasm = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<unknown> };
    const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(wasm.compile(emptyModule)).rejects.toThrow(/disallowed/);
  });

  const pvk = prepareVerifyingKey(verifyingKeyFromSnarkjs(vkeyJson));
  const items = proofs.slice(0, 4).map((f) => ({
    proof: proofFromSnarkjs(f.proof),
    publicInputs: publicSignalsFromSnarkjs(f.publicSignals),
  }));

  it("verifies a real proof and refuses it for a tampered public input", () => {
    const [first] = items;
    if (first === undefined) {
      throw new Error("fixture missing");
    }
    expect(verify(pvk, first.proof, first.publicInputs)).toBe(true);
    const tampered = first.publicInputs.map((x, i) => (i === 1 ? x + 1n : x));
    expect(verify(pvk, first.proof, tampered)).toBe(false);
  });

  it("refuses a tampered proof at decoding when a point leaves the curve", () => {
    const f = proofs[0] as FixtureProof;
    const bad = { ...f.proof, pi_c: [f.proof.pi_c[0], "1", "1"] };
    expect(() => proofFromSnarkjs(bad)).toThrow(Groth16Error);
  });

  it("verifies a batch, and refuses it with one proof swapped to another statement", async () => {
    expect(await verifyBatch(pvk, items, { chunkSize: 2 })).toBe(true);
    const swapped = items.map((it, i) => (i === 2 ? { ...it, publicInputs: items[3]?.publicInputs ?? [] } : it));
    expect(await verifyBatch(pvk, swapped, { chunkSize: 2 })).toBe(false);
  });
});
