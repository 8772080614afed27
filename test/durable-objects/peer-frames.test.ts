import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameAssembler, framesOf, PART_BYTES, PLATFORM_FRAME_LIMIT } from "../../durable-objects/peer-frames.ts";

const MAX_MESSAGE = 3 * PART_BYTES + 10;

function message(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function deliver(assembler: FrameAssembler, frames: readonly Uint8Array[]) {
  return frames.map((f) => assembler.push(f));
}

describe("peer link frames", () => {
  it("carries any message up to the largest, in frames the platform accepts, and back", () => {
    const sizes = [0, 1, PART_BYTES - 2, PART_BYTES - 1, PART_BYTES, PART_BYTES + 1, 2 * PART_BYTES, MAX_MESSAGE];
    const assembler = new FrameAssembler(MAX_MESSAGE);
    for (const size of sizes) {
      const m = message(size, size);
      const frames = framesOf(m);
      expect(frames.every((f) => f.length <= PLATFORM_FRAME_LIMIT)).toBe(true);
      const results = deliver(assembler, frames);
      expect(results.slice(0, -1).every((r) => r.kind === "partial")).toBe(true);
      expect(results.at(-1)).toEqual({ kind: "message", message: m });
    }
  });

  it("refuses parts out of order, overlapping, interleaved or oversized, and anything it cannot read", () => {
    const frames = framesOf(message(2 * PART_BYTES + 5));
    const cases: Uint8Array[][] = [
      [frames[1] as Uint8Array], // a part with no start
      [frames[0] as Uint8Array, frames[2] as Uint8Array], // a part skipped
      [frames[0] as Uint8Array, frames[0] as Uint8Array], // a restart inside a message
      [frames[0] as Uint8Array, framesOf(message(3))[0] as Uint8Array], // a whole message inside one in parts
      [Uint8Array.of(7, 1, 2, 3)],
      [new Uint8Array(0)],
      [new Uint8Array(PLATFORM_FRAME_LIMIT + 1)],
      framesOf(message(MAX_MESSAGE + 1)).slice(0, 1),
    ];
    for (const sequence of cases) {
      expect(deliver(new FrameAssembler(MAX_MESSAGE), sequence).at(-1)?.kind).toBe("refused");
    }
    // A small message dressed as parts (it would hold a buffer for nothing) is refused too.
    const small = Uint8Array.of(1, 0, 0, 0, 4, 0, 0, 0, 0, 9, 9, 9, 9);
    expect(new FrameAssembler(MAX_MESSAGE).push(small).kind).toBe("refused");
  });

  it("never yields a message the sender did not send, whatever frames arrive", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (frames) => {
        const assembler = new FrameAssembler(64);
        for (const f of frames) {
          const r = assembler.push(f);
          if (r.kind === "message") {
            expect(framesOf(r.message)).toEqual([f]);
          }
        }
      }),
    );
  });
});
