import { describe, expect, it } from "vitest";
import { CachingProofVerifier } from "../../src/ledger/verdict-cache.ts";
import type { ProofToVerify, ProofVerifier } from "../../src/ledger/verifier.ts";
import type { Fr } from "../../src/protocol/field.ts";

/** Valid iff the proof's first byte equals the first public input; counts what it is asked. */
class Counting implements ProofVerifier {
  asked = 0;
  async verify(items: readonly ProofToVerify[]): Promise<boolean[]> {
    this.asked += items.length;
    return items.map((i) => BigInt(i.proof[0] as number) === i.publicInputs[0]);
  }
}

const item = (proofByte: number, input: bigint): ProofToVerify => ({
  inputs: 2,
  outputs: 2,
  proof: new Uint8Array(256).fill(proofByte),
  publicInputs: [input as Fr],
});

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
});
