/**
 * verifyBatch's contract beyond its verdicts (oracle.test.ts has those):
 * options, input checks, the randomizers, and that it yields between chunks.
 */
import { describe, expect, it } from "vitest";
import {
  type BatchItem,
  Groth16Error,
  prepareVerifyingKey,
  proofFromSnarkjs,
  publicSignalsFromSnarkjs,
  verifyBatch,
  verifyingKeyFromSnarkjs,
} from "../../src/protocol/groth16/index.ts";
import { fixture, vkeyJson } from "./fixture.ts";

const pvk = prepareVerifyingKey(verifyingKeyFromSnarkjs(vkeyJson));
const items: BatchItem[] = [0, 1, 2, 3, 4].map((i) => {
  const f = fixture(i);
  return { proof: proofFromSnarkjs(f.proof), publicInputs: publicSignalsFromSnarkjs(f.publicSignals) };
});

/** A byte source that counts its calls and returns a fixed pattern. */
function countingRandom(fill: number) {
  const calls: number[] = [];
  return {
    calls,
    random: (length: number) => {
      calls.push(length);
      return new Uint8Array(length).fill(fill);
    },
  };
}

describe("verifyBatch", () => {
  it("accepts an empty batch without drawing randomness", async () => {
    const { calls, random } = countingRandom(1);
    expect(await verifyBatch(pvk, [], { random })).toBe(true);
    expect(calls).toEqual([]);
  });

  it("draws one 16-byte randomizer per proof from the injected source", async () => {
    const { calls, random } = countingRandom(0xa5);
    expect(await verifyBatch(pvk, items, { random, chunkSize: 2 })).toBe(true);
    expect(calls).toEqual([16, 16, 16, 16, 16]);
  });

  it("stays sound when the randomizers are all-zero bytes (rᵢ = 1, never 0)", async () => {
    const { random } = countingRandom(0);
    expect(await verifyBatch(pvk, items, { random })).toBe(true);
    const swapped = [...items];
    swapped[1] = { proof: items[1]?.proof as BatchItem["proof"], publicInputs: items[2]?.publicInputs ?? [] };
    expect(await verifyBatch(pvk, swapped, { random })).toBe(false);
  });

  it("refuses bad options and a random source that returns the wrong length", async () => {
    await expect(verifyBatch(pvk, items, { chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(verifyBatch(pvk, items, { chunkSize: 1.5 })).rejects.toThrow(RangeError);
    await expect(verifyBatch(pvk, items, { random: () => new Uint8Array(8) })).rejects.toThrow(TypeError);
  });

  it("checks every item's public inputs before any pairing work", async () => {
    const { calls, random } = countingRandom(1);
    const bad = [...items, { proof: items[0]?.proof as BatchItem["proof"], publicInputs: [1n, 2n, 3n] }];
    const err = await verifyBatch(pvk, bad, { random }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groth16Error);
    expect((err as Groth16Error).code).toBe("wrong_public_input_count");
    expect((err as Groth16Error).message).toContain("batch item 5");
    expect(calls).toEqual([]);
  });

  it("lets other macrotasks run between chunks", async () => {
    const events: string[] = [];
    const done = verifyBatch(pvk, items, { chunkSize: 1 }).then((ok) => events.push(`done ${ok}`));
    setTimeout(() => events.push("timer"), 0);
    await done;
    expect(events).toEqual(["timer", "done true"]);
  });

  it("runs to completion in one go when the batch fits one chunk", async () => {
    const events: string[] = [];
    const done = verifyBatch(pvk, items, { chunkSize: 16 }).then((ok) => events.push(`done ${ok}`));
    setTimeout(() => events.push("timer"), 0);
    await done;
    expect(events).toEqual(["done true"]);
  });
});
