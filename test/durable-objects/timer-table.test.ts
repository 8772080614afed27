/**
 * The timer table on the one alarm (docs/ARCHITECTURE.md §2.2): a step that
 * changes no timer leaves the alarm alone; any change, and `rearm` after the
 * alarm fired, sets it to the earliest timer left.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimerTable } from "../../durable-objects/timer-table.ts";
import type { TimerCommand } from "../../src/consensus/index.ts";

/** The part of DurableObjectStorage the table uses, counting alarm writes. */
function fakeStorage() {
  const kv = new Map<string, unknown>();
  const alarm = { at: null as number | null, writes: 0 };
  const storage = {
    kv: {
      put: (k: string, v: unknown) => void kv.set(k, structuredClone(v)),
      delete: (k: string) => kv.delete(k),
      list: ({ prefix }: { prefix: string }) => [...kv].filter(([k]) => k.startsWith(prefix)).values(),
    },
    setAlarm: async (at: number) => {
      alarm.at = at;
      alarm.writes++;
    },
    deleteAlarm: async () => {
      alarm.at = null;
      alarm.writes++;
    },
  };
  return { table: new TimerTable(storage as unknown as DurableObjectStorage), alarm };
}

const set = (kind: "batch" | "view" | "status", after: number): TimerCommand => ({
  op: "set",
  timer: { kind, view: 0, seq: 1, after },
});

describe("TimerTable", () => {
  it("leaves the alarm alone when a step changes no timer", async () => {
    const { table, alarm } = fakeStorage();
    await table.apply([set("status", 500)], 1000);
    expect(alarm).toEqual({ at: 1500, writes: 1 });
    await table.apply([], 1200);
    expect(alarm).toEqual({ at: 1500, writes: 1 });
  });

  it("re-arms to the earliest timer on any change, a cancel included", async () => {
    const { table, alarm } = fakeStorage();
    await table.apply([set("status", 500), set("batch", 20)], 1000);
    expect(alarm.at).toBe(1020);
    await table.apply([{ op: "cancel", kind: "batch" }], 1010);
    expect(alarm.at).toBe(1500);
    await table.apply([{ op: "cancel", kind: "status" }], 1010);
    expect(alarm.at).toBeNull();
  });

  it("after the alarm fired, rearm sets it to the earliest timer not yet due", async () => {
    const { table, alarm } = fakeStorage();
    await table.apply([set("status", 500), set("batch", 20), set("view", 100)], 1000);
    expect(table.takeDue(1050).map((t) => t.kind)).toEqual(["batch"]);
    await table.rearm();
    expect(alarm.at).toBe(1100);
    expect(table.takeDue(2000).map((t) => t.kind)).toEqual(["view", "status"]);
    await table.rearm();
    expect(alarm.at).toBeNull();
  });

  it("the alarm is always the earliest armed timer, whatever the commands", async () => {
    const kinds = ["batch", "view", "status"] as const;
    const command = fc.oneof(
      fc
        .record({ kind: fc.constantFrom(...kinds), after: fc.integer({ min: 0, max: 10_000 }) })
        .map((c) => set(c.kind, c.after)),
      fc.constantFrom(...kinds).map((kind): TimerCommand => ({ op: "cancel", kind })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(command, { maxLength: 3 }), { maxLength: 12 }), async (steps) => {
        const { table, alarm } = fakeStorage();
        const due = new Map<string, number>();
        for (const [i, commands] of steps.entries()) {
          for (const c of commands) {
            if (c.op === "set") {
              due.set(c.timer.kind, i + c.timer.after);
            } else {
              due.delete(c.kind);
            }
          }
          await table.apply(commands, i);
          expect(alarm.at).toBe(due.size > 0 ? Math.min(...due.values()) : null);
        }
      }),
    );
  });
});
