/**
 * Remembers proofs this replica already found valid, so a transaction it
 * verified at admission is not verified again when its block executes. Only
 * positive verdicts are kept, keyed by the proof and its public inputs
 * together (a proof valid for other inputs is not valid for these), and the
 * cache is bounded: an evicted entry is simply verified again.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

function key(item: ProofToVerify): string {
  const w = new ByteWriter().u8(item.inputs).u8(item.outputs).bytes(item.proof);
  for (const x of item.publicInputs) {
    w.uint(x, 32);
  }
  return toHex(sha256(w.finish()));
}

export class CachingProofVerifier implements ProofVerifier {
  readonly #inner: ProofVerifier;
  readonly #capacity: number;
  /** Insertion-ordered: the first key is the oldest. */
  readonly #valid = new Set<string>();

  constructor(inner: ProofVerifier, capacity = 20_000) {
    this.#inner = inner;
    this.#capacity = capacity;
  }

  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    const keys = items.map(key);
    const unknown = items.filter((_, i) => !this.#valid.has(keys[i] as string));
    const fresh = unknown.length > 0 ? await this.#inner.verify(unknown) : [];
    let next = 0;
    return keys.map((k) => {
      if (this.#valid.has(k)) {
        return true;
      }
      const valid = fresh[next++] === true;
      if (valid) {
        this.#remember(k);
      }
      return valid;
    });
  }

  #remember(k: string): void {
    this.#valid.add(k);
    if (this.#valid.size > this.#capacity) {
      this.#valid.delete(this.#valid.values().next().value as string);
    }
  }
}
