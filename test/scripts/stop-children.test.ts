/**
 * Stopping local testnets (scripts/local-testnet.ts): the wrangler processes
 * live in their own process groups, so a closed terminal or Ctrl-C must be
 * passed on to them, and a group that ignores SIGTERM is killed after the
 * grace period. Checked with real process groups of `sleep`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { exited, stopAndWait, waitUntil } from "../../scripts/local-testnet.ts";

const FIXTURE = new URL("./fixtures/hold-children.ts", import.meta.url).pathname;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const leftovers: number[] = [];
afterEach(() => {
  for (const pgid of leftovers.splice(0)) {
    if (groupAlive(pgid)) {
      process.kill(-pgid, "SIGKILL");
    }
  }
});

async function startHolder(): Promise<{ holder: ChildProcess; groups: number[] }> {
  const holder = spawn(process.execPath, [FIXTURE], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await createInterface({ input: holder.stdout as NodeJS.ReadableStream })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  const groups = JSON.parse(line as string) as number[];
  leftovers.push(...groups);
  return { holder, groups };
}

describe("stopWithThisProcess", () => {
  it.each(["SIGHUP", "SIGINT", "SIGTERM"] as const)("on %s stops every child group, then exits 0", async (signal) => {
    const { holder, groups } = await startHolder();
    expect(groups.every(groupAlive)).toBe(true);
    holder.kill(signal);
    expect(await exited(holder)).toBe(0);
    // The holder exits only once the groups are gone.
    expect(groups.filter(groupAlive)).toEqual([]);
  });

  it("a second signal during the stop does not leave anything behind", async () => {
    const { holder, groups } = await startHolder();
    holder.kill("SIGHUP");
    holder.kill("SIGINT");
    await exited(holder);
    await waitUntil(async () => (groups.some(groupAlive) ? undefined : true), 5000, "the groups to go");
  });
});

describe("stopAndWait", () => {
  it("kills a group that ignores SIGTERM once the grace period is over", async () => {
    const stubborn = spawn("sh", ["-c", "trap '' TERM; sleep 600 & wait"], { detached: true, stdio: "ignore" });
    leftovers.push(stubborn.pid as number);
    await new Promise((r) => setTimeout(r, 200)); // let the trap be set
    const started = Date.now();
    await stopAndWait([stubborn], 500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(groupAlive(stubborn.pid as number)).toBe(false);
  });

  it("returns at once for children already gone", async () => {
    const quick = spawn("true", [], { detached: true, stdio: "ignore" });
    await exited(quick);
    const started = Date.now();
    await stopAndWait([quick], 5000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
