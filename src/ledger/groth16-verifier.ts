/**
 * The ledger's proof check on the Groth16 verifier: one prepared key per
 * circuit shape, every block's proofs of a shape in one batch, and a fallback
 * to single verification when a batch fails, to tell which proofs are bad
 * (a batch verdict covers the batch, not a proof).
 */
import {
  decodeProof,
  type PreparedVerifyingKey,
  type Proof,
  prepareVerifyingKey,
  type VerifyingKey,
  verify,
  verifyBatch,
} from "../protocol/groth16/index.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

export type ShapeKey = { readonly inputs: number; readonly outputs: number; readonly key: VerifyingKey };

const shapeName = (inputs: number, outputs: number) => `${inputs}x${outputs}`;

function decodeOrUndefined(bytes: Uint8Array): Proof | undefined {
  try {
    return decodeProof(bytes);
  } catch {
    return undefined; // a malformed proof is simply not a valid one
  }
}

export class Groth16ProofVerifier implements ProofVerifier {
  readonly #keys: Map<string, PreparedVerifyingKey>;

  /** Preparing a key costs tens of milliseconds: build one verifier per isolate, not per request. */
  constructor(keys: readonly ShapeKey[]) {
    this.#keys = new Map(keys.map((k) => [shapeName(k.inputs, k.outputs), prepareVerifyingKey(k.key)]));
  }

  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    const verdicts = new Array<boolean>(items.length).fill(false);
    const byShape = Map.groupBy(items.entries(), ([, item]) => shapeName(item.inputs, item.outputs));
    for (const [shape, group] of byShape) {
      const pvk = this.#keys.get(shape);
      if (!pvk) {
        continue; // no circuit for this shape: every proof of it is invalid
      }
      const decoded = group.flatMap(([index, item]) => {
        const proof = decodeOrUndefined(item.proof);
        const fits = proof !== undefined && item.publicInputs.length === pvk.publicInputCount;
        return fits ? [{ index, proof, publicInputs: item.publicInputs }] : [];
      });
      if (decoded.length === 0) {
        continue;
      }
      if (await verifyBatch(pvk, decoded)) {
        for (const d of decoded) {
          verdicts[d.index] = true;
        }
        continue;
      }
      for (const d of decoded) {
        verdicts[d.index] = verify(pvk, d.proof, d.publicInputs);
      }
    }
    return verdicts;
  }
}
