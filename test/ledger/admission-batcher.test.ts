import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdmissionBatcher, type Submission } from "../../src/ledger/admission-batcher.ts";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** A batcher whose batches close when the test says so, recording every batch `admit` received. */
function harness(admit: (batch: readonly Submission<string, string>[]) => Promise<void>) {
  const gates: ReturnType<typeof deferred<void>>[] = [];
  const batches: string[][] = [];
  const batcher = new AdmissionBatcher<string, string>(
    (batch) => {
      batches.push(batch.map((s) => s.item));
      return admit(batch);
    },
    () => {
      const gate = deferred<void>();
      gates.push(gate);
      return gate.promise;
    },
  );
  const close = async () => {
    (gates.shift() as ReturnType<typeof deferred<void>>).resolve();
    await tick();
  };
  return { batcher, batches, close };
}

describe("admission batcher", () => {
  it("admits what arrived together as one batch and gives each submission its own verdict", async () => {
    const { batcher, batches, close } = harness(async (batch) => {
      for (const s of [...batch].reverse()) {
        s.settle(`verdict:${s.item}`);
      }
    });
    const answers = Promise.all(["a", "b", "c"].map((x) => batcher.submit(x)));
    await close();
    expect(await answers).toEqual(["verdict:a", "verdict:b", "verdict:c"]);
    expect(batches).toEqual([["a", "b", "c"]]);
  });

  it("keeps duplicates in one batch apart: each is settled on its own", async () => {
    const { batcher, close } = harness(async (batch) => {
      let first = true;
      for (const s of batch) {
        s.settle(first ? "admitted" : "duplicate");
        first = false;
      }
    });
    const answers = Promise.all([batcher.submit("x"), batcher.submit("x")]);
    await close();
    expect(await answers).toEqual(["admitted", "duplicate"]);
  });

  it("starts a new batch for submissions arriving while one is being admitted, and the batches may finish in any order", async () => {
    const slow = deferred<void>();
    const { batcher, batches, close } = harness(async (batch) => {
      if (batch.some((s) => s.item === "early")) {
        await slow.promise; // e.g. the proof check
      }
      for (const s of batch) {
        s.settle(`done:${s.item}`);
      }
    });
    const early = batcher.submit("early");
    await close();
    const late = batcher.submit("late");
    await close();
    expect(await late).toBe("done:late");
    slow.resolve();
    expect(await early).toBe("done:early");
    expect(batches).toEqual([["early"], ["late"]]);
  });

  it("rejects every unsettled submission when admission fails, and keeps verdicts already given", async () => {
    const { batcher, close } = harness(async (batch) => {
      (batch[0] as Submission<string, string>).settle("given");
      throw new Error("verifier crashed");
    });
    const first = batcher.submit("one");
    const second = expect(batcher.submit("two")).rejects.toThrow("verifier crashed");
    await close();
    expect(await first).toBe("given");
    await second;
  });

  it("recovers after a failed batch", async () => {
    let fail = true;
    const { batcher, close } = harness(async (batch) => {
      if (fail) {
        fail = false;
        throw new Error("once");
      }
      for (const s of batch) {
        s.settle("ok");
      }
    });
    const first = expect(batcher.submit("a")).rejects.toThrow("once");
    await close();
    await first;
    const second = batcher.submit("b");
    await close();
    expect(await second).toBe("ok");
  });

  it("rejects a submission admission forgot, and ignores a second verdict", async () => {
    const { batcher, close } = harness(async (batch) => {
      const [a] = batch as [Submission<string, string>];
      a.settle("first");
      a.settle("second");
    });
    const a = batcher.submit("a");
    const forgotten = expect(batcher.submit("b")).rejects.toThrow(/without a verdict/);
    await close();
    expect(await a).toBe("first");
    await forgotten;
  });

  it("property: every submission gets the verdict computed for its own item, whatever the arrival and settle order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(5), fc.boolean()), { minLength: 1, maxLength: 30 }),
        async (plan) => {
          const batcher = new AdmissionBatcher<number, string>(
            async (batch) => {
              const order = [...batch].sort((x, y) => ((x.item * 7) % 5) - ((y.item * 7) % 5));
              for (const s of order) {
                await tick();
                s.settle(`v${s.item}`);
              }
            },
            () => tick(),
          );
          const answers: Promise<string>[] = [];
          for (const [i, [waitTicks, value, pause]] of plan.entries()) {
            answers.push(batcher.submit(value * 100 + i));
            for (let t = 0; pause && t < waitTicks; t++) {
              await tick();
            }
          }
          const got = await Promise.all(answers);
          expect(got).toEqual(plan.map(([, value], i) => `v${value * 100 + i}`));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("admission batcher bound", () => {
  it("refuses at once past the byte bound, holds nothing for it, and takes submissions again once earlier ones settle", async () => {
    let open = deferred<void>();
    const batcher = new AdmissionBatcher<string, string>(
      async (batch) => {
        await open.promise;
        for (const s of batch) {
          s.settle(`ok:${s.item}`);
        }
      },
      tick,
      { maxBytes: 5, sizeOf: (item) => item.length, refuse: (item) => `busy:${item}` },
    );
    const first = batcher.submit("abc");
    expect(await batcher.submit("xyz")).toBe("busy:xyz"); // 3 + 3 > 5
    const second = batcher.submit("de");
    expect(batcher.heldBytes).toBe(5);
    open.resolve();
    expect([await first, await second]).toEqual(["ok:abc", "ok:de"]);
    await tick();
    expect(batcher.heldBytes).toBe(0);
    open = deferred<void>();
    const third = batcher.submit("xyz");
    open.resolve();
    expect(await third).toBe("ok:xyz");
  });

  it("releases what a failing admission held", async () => {
    const batcher = new AdmissionBatcher<string, string>(
      async () => {
        throw new Error("verifier down");
      },
      tick,
      { maxBytes: 3, sizeOf: (item) => item.length, refuse: () => "busy" },
    );
    await expect(batcher.submit("abc")).rejects.toThrow("verifier down");
    await tick();
    expect(batcher.heldBytes).toBe(0);
  });
});
