/**
 * Remembers proofs this replica already found valid, so a transaction it
 * verified at admission is not verified again when its block executes. Only
 * positive verdicts are kept, keyed by the proof and its public inputs
 * together (a proof valid for other inputs is not valid for these), and the
 * cache is bounded: an evicted entry is simply verified again.
 *
 * Every verdict stays with the key it was computed for (docs/ARCHITECTURE.md
 * §2.6): duplicates within one call are verified once, and a key another call
 * is verifying right now is awaited rather than verified again, so nothing is
 * ever matched to an answer by position across an `await`. One cache may
 * serve every replica of a deployment in an isolate (src/chain/proof-verifier.ts,
 * PROTOCOL.md §8.10): concurrent calls of different replicas are just overlapping calls.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

/** The proof and its inputs, each length-prefixed: no tail of a proof can pass for a public input. */
function key(item: ProofToVerify): string {
  const w = new ByteWriter()
    .u8(item.inputs)
    .u8(item.outputs)
    .uint(BigInt(item.proof.length), 4)
    .bytes(item.proof)
    .uint(BigInt(item.publicInputs.length), 2);
  for (const x of item.publicInputs) {
    w.uint(x, 32);
  }
  return toHex(sha256(w.finish()));
}

export class CachingProofVerifier implements ProofVerifier {
  readonly #inner: ProofVerifier;
  readonly #capacity: number;
  /** Insertion-ordered: the first key is the least recently used. */
  readonly #valid = new Set<string>();
  /** Keys being verified by some call, with the verdict they will get. */
  readonly #inFlight = new Map<string, Promise<boolean>>();

  constructor(inner: ProofVerifier, capacity = 20_000) {
    this.#inner = inner;
    this.#capacity = capacity;
  }

  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    const keys = items.map(key);
    const verdicts = new Map<string, Promise<boolean>>();
    const fresh = new Map<string, ProofToVerify>();
    for (const [i, k] of keys.entries()) {
      if (verdicts.has(k) || fresh.has(k)) {
        continue;
      }
      if (this.#valid.has(k)) {
        this.#touch(k);
        verdicts.set(k, Promise.resolve(true));
        continue;
      }
      const pending = this.#inFlight.get(k);
      if (pending) {
        verdicts.set(k, pending);
        continue;
      }
      fresh.set(k, items[i] as ProofToVerify);
    }
    if (fresh.size > 0) {
      this.#start(fresh, verdicts);
    }
    return Promise.all(keys.map((k) => verdicts.get(k) as Promise<boolean>));
  }

  /**
   * Registers the fresh keys as in flight, then releases them once their batch settles. The release
   * is chained after the registration, never inside the batch: an inner verifier that throws before
   * its first `await` would otherwise release the keys before they were registered and leave a
   * failed verdict in flight for good.
   */
  #start(fresh: ReadonlyMap<string, ProofToVerify>, verdicts: Map<string, Promise<boolean>>): void {
    const batch = this.#verifyFresh(fresh);
    for (const k of fresh.keys()) {
      const verdict = batch.then((byKey) => byKey.get(k) === true);
      this.#inFlight.set(k, verdict);
      verdicts.set(k, verdict);
    }
    const release = () => {
      for (const k of fresh.keys()) {
        if (this.#inFlight.get(k) === verdicts.get(k)) {
          this.#inFlight.delete(k);
        }
      }
    };
    batch.then(release, release);
  }

  /** Verifies keys no call has a verdict for and remembers the valid ones. */
  async #verifyFresh(fresh: ReadonlyMap<string, ProofToVerify>): Promise<Map<string, boolean>> {
    const keys = [...fresh.keys()];
    const answers = await this.#inner.verify([...fresh.values()]);
    if (answers.length !== keys.length) {
      throw new Error(`proof verifier answered ${answers.length} verdicts for ${keys.length} proofs`);
    }
    const byKey = new Map(keys.map((k, i) => [k, answers[i] === true]));
    for (const [k, valid] of byKey) {
      if (valid) {
        this.#remember(k);
      }
    }
    return byKey;
  }

  #touch(k: string): void {
    this.#valid.delete(k);
    this.#valid.add(k);
  }

  #remember(k: string): void {
    this.#valid.add(k);
    if (this.#valid.size > this.#capacity) {
      this.#valid.delete(this.#valid.values().next().value as string);
    }
  }
}
