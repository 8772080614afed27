import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CachingProofVerifier } from "../../src/ledger/verdict-cache.ts";
import type { ProofToVerify, ProofVerifier } from "../../src/ledger/verifier.ts";
import type { Fr } from "../../src/protocol/field.ts";

/** Valid iff the proof's first byte equals the first public input; counts what it is asked. */
class Counting implements ProofVerifier {
  asked = 0;
  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    this.asked += items.length;
    return items.map(isValid);
  }
}

const isValid = (i: ProofToVerify) => BigInt(i.proof[0] as number) === i.publicInputs[0];

const item = (proofByte: number, input: bigint): ProofToVerify => ({
  inputs: 2,
  outputs: 2,
  proof: new Uint8Array(256).fill(proofByte),
  publicInputs: [input as Fr],
});

/** The plain verifier, answering only when fast-check's scheduler lets it (any interleaving). */
class Scheduled implements ProofVerifier {
  readonly #s: fc.Scheduler;
  constructor(s: fc.Scheduler) {
    this.#s = s;
  }
  verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    return this.#s.schedule(Promise.resolve(items.map(isValid)), `verify ${items.length}`);
  }
}

/** A small universe of proofs, half valid, so calls repeat and overlap in what they ask. */
const universe = Array.from({ length: 8 }, (_, i) => item(i, BigInt(i % 2 === 0 ? i : i + 1)));
const call = fc.array(fc.nat({ max: universe.length - 1 }), { minLength: 1, maxLength: 10 });

describe("proof verdict cache", () => {
  it("verifies a valid proof once, never caches a refusal, and binds the public inputs", async () => {
    const inner = new Counting();
    const cached = new CachingProofVerifier(inner, 2);
    expect(await cached.verify([item(1, 1n), item(2, 3n)])).toEqual([true, false]);
    expect(await cached.verify([item(1, 1n), item(2, 3n), item(1, 2n)])).toEqual([true, false, false]);
    expect(inner.asked).toBe(4); // the valid one was not asked again
    await cached.verify([item(3, 3n), item(4, 4n)]); // capacity 2: evicts (1, 1)
    await cached.verify([item(1, 1n)]);
    expect(inner.asked).toBe(7);
  });

  // The attack that committed a forged transfer: eight copies of a valid proof, then four of an invalid one.
  it("gives each duplicate its own verdict, in one call and in concurrent calls", async () => {
    const valid = item(1, 1n);
    const forged = item(1, 2n);
    const cached = new CachingProofVerifier(new Counting());
    const batch = [...Array(8).fill(valid), ...Array(4).fill(forged)];
    const expected = batch.map(isValid);
    const [a, b, c] = await Promise.all([cached.verify(batch), cached.verify(batch), cached.verify([forged, valid])]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    expect(c).toEqual([false, true]);
    expect(await cached.verify(batch)).toEqual(expected);
  });

  it("agrees with the plain verifier on any mix of valid, invalid and duplicated proofs in overlapping calls", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(call, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 6 }),
        async (s, calls, capacity) => {
          const cached = new CachingProofVerifier(new Scheduled(s), capacity);
          const runs = calls.map((indices) =>
            s
              .schedule(Promise.resolve(), "start")
              .then(() => cached.verify(indices.map((i) => universe[i] as ProofToVerify))),
          );
          await s.waitFor(Promise.all(runs));
          for (const [n, run] of runs.entries()) {
            const expected = (calls[n] as number[]).map((i) => isValid(universe[i] as ProofToVerify));
            expect(await run).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("verifies a proof asked by overlapping calls once", async () => {
    const inner = new Counting();
    const cached = new CachingProofVerifier(inner);
    await Promise.all([cached.verify([item(1, 1n), item(1, 1n)]), cached.verify([item(1, 1n)])]);
    expect(inner.asked).toBe(1);
  });

  it("fails every waiting call when the verifier fails, and forgets nothing wrongly", async () => {
    let fail = true;
    const flaky: ProofVerifier = {
      async verify(items) {
        if (fail) {
          throw new Error("verifier down");
        }
        return items.map(isValid);
      },
    };
    const cached = new CachingProofVerifier(flaky);
    const calls = [cached.verify([item(1, 1n)]), cached.verify([item(1, 1n), item(2, 2n)])];
    await expect(calls[0]).rejects.toThrow("verifier down");
    await expect(calls[1]).rejects.toThrow("verifier down");
    fail = false;
    expect(await cached.verify([item(1, 1n), item(2, 3n)])).toEqual([true, false]);
  });

  it("forgets a batch whose verifier threw before its first await", async () => {
    let fail = true;
    const abrupt: ProofVerifier = {
      verify(items) {
        if (fail) {
          throw new Error("verifier down");
        }
        return Promise.resolve(items.map(isValid));
      },
    };
    const cached = new CachingProofVerifier(abrupt);
    await expect(cached.verify([item(1, 1n)])).rejects.toThrow("verifier down");
    fail = false;
    expect(await cached.verify([item(1, 1n), item(2, 3n)])).toEqual([true, false]);
  });

  it("never lets a proof's tail pass for a public input", async () => {
    // Valid only with one public input, as a one-input circuit would be.
    const oneInput: ProofVerifier = { verify: async (items) => items.map((i) => i.publicInputs.length === 1) };
    const cached = new CachingProofVerifier(oneInput);
    const tail = new Uint8Array(32).fill(7);
    const honest = { ...item(1, 1n), publicInputs: [BigInt(`0x${"07".repeat(32)}`) as Fr] };
    const shifted = { ...item(1, 1n), proof: new Uint8Array([...item(1, 1n).proof.subarray(0, 224), ...tail]) };
    const stretched = {
      ...honest,
      proof: honest.proof.subarray(0, 224),
      publicInputs: [...honest.publicInputs, 1n as Fr],
    };
    expect(await cached.verify([honest])).toEqual([true]);
    expect(await cached.verify([stretched, shifted])).toEqual([false, true]);
  });

  it("refuses a verifier that answers the wrong number of verdicts", async () => {
    const short: ProofVerifier = { verify: async () => [true] };
    await expect(new CachingProofVerifier(short).verify([item(1, 1n), item(2, 2n)])).rejects.toThrow(/1 verdicts/);
  });

  describe("shared by the four replicas of one deployment", () => {
    const replicas = 4;

    it("gives the same proof with different public inputs, at every replica at once, each its own verdict", async () => {
      const inner = new Gated();
      const shared = new CachingProofVerifier(inner);
      // Replica r is asked for the proof with input r (only input 1 fits) and for the valid one.
      const calls = Array.from({ length: replicas }, (_, r) => shared.verify([item(1, BigInt(r)), item(1, 1n)]));
      inner.releaseAll();
      const verdicts = await Promise.all(calls);
      expect(verdicts).toEqual([
        [false, true],
        [true, true],
        [false, true],
        [false, true],
      ]);
      expect(inner.asked).toBe(replicas); // item(1, 1n) once, the three forgeries once each
    });

    it("keeps interleaved valid and invalid proofs apart while batches of different replicas overlap", async () => {
      const inner = new Gated();
      const shared = new CachingProofVerifier(inner);
      const [v1, v2, v3] = [item(1, 1n), item(2, 2n), item(3, 3n)];
      const [i1, i2, i3] = [item(1, 2n), item(2, 3n), item(3, 4n)];
      const first = shared.verify([v1, i1, v2, i2]);
      const second = shared.verify([i3, v3, i2, v1]); // asks for i3 and v3, awaits the first batch for the rest
      inner.release(1); // the later batch settles first
      inner.release(0);
      expect(await first).toEqual([true, false, true, false]);
      expect(await second).toEqual([false, true, false, true]);
      const again = shared.verify([v1, i1, v2, i2, v3, i3]);
      inner.release(2);
      expect(await again).toEqual([true, false, true, false, true, false]);
      expect(inner.asked).toBe(4 + 2 + 3); // the refusals are asked again, the valid ones are not
    });

    it("keeps a verdict in flight while the cache evicts around it", async () => {
      const inner = new Gated();
      const shared = new CachingProofVerifier(inner, 1);
      const slow = shared.verify([item(1, 1n)]);
      const joined = shared.verify([item(1, 1n), item(2, 9n)]); // awaits the slow one, asks for the forgery
      inner.release(1);
      for (const [n, call] of [3, 4, 5].entries()) {
        const churn = shared.verify([item(call, BigInt(call))]); // each evicts the one before
        inner.release(2 + n);
        expect(await churn).toEqual([true]);
      }
      inner.release(0);
      expect(await slow).toEqual([true]);
      expect(await joined).toEqual([true, false]);
      expect(inner.asked).toBe(5);
      const afterwards = shared.verify([item(5, 5n), item(1, 1n)]);
      inner.release(5);
      expect(await afterwards).toEqual([true, true]);
      expect(inner.asked).toBe(6); // item(5, 5n) was evicted when the slow verdict arrived
    });
  });
});

/** Answers each call only when the test releases it, so calls can be made to overlap in any order. */
class Gated implements ProofVerifier {
  asked = 0;
  readonly #answers: (() => void)[] = [];

  verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    this.asked += items.length;
    return new Promise((answer) => this.#answers.push(() => answer(items.map(isValid))));
  }

  /** Answers the call made `index`-th (0-based, counting every call). */
  release(index: number): void {
    const answer = this.#answers[index];
    if (answer === undefined) {
      throw new Error(`no call ${index}`);
    }
    answer();
  }

  releaseAll(): void {
    for (const answer of this.#answers) {
      answer();
    }
  }
}
