/**
 * The ledger's proof check on the Groth16 verifier: one prepared key per
 * circuit shape, every block's proofs of a shape in one batch. A batch verdict
 * covers the batch, not a proof, so a failing batch is split in halves until
 * the bad proofs are isolated: k bad proofs among n cost about 2k·log2(n/k)
 * batch checks instead of n single ones, and each batch check yields between
 * chunks, so a flood of forgeries cannot hold the isolate.
 */
import {
  type BatchItem,
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
      for (const d of await validItems(pvk, decoded)) {
        verdicts[d.index] = true;
      }
    }
    return verdicts;
  }
}

/** The items whose proofs verify, by bisection of failing batches. */
async function validItems<T extends BatchItem>(pvk: PreparedVerifyingKey, items: readonly T[]): Promise<T[]> {
  if (items.length === 1) {
    const [only] = items as [T];
    return verify(pvk, only.proof, only.publicInputs) ? [only] : [];
  }
  if (await verifyBatch(pvk, items)) {
    return [...items];
  }
  const half = Math.ceil(items.length / 2);
  return [...(await validItems(pvk, items.slice(0, half))), ...(await validItems(pvk, items.slice(half)))];
}
