/**
 * A CPU profile of the one-deployment testnet's Worker isolate, where all four
 * replicas run, over the Chrome DevTools protocol of `wrangler dev
 * --inspector-port`. `--profile FILE` writes it (open it in DevTools) and
 * prints the functions with the most self time.
 */
import { writeFileSync } from "node:fs";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Microseconds between samples: fine enough for short functions, coarse enough to cost little. */
const SAMPLING_US = 500;

export type Profiler = { stop(file: string): Promise<void> };

export async function startProfiler(inspectorPort: number): Promise<Profiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0];
  if (!target) {
    throw new Error(`no inspector target on port ${inspectorPort}`);
  }
  // wrangler's inspector proxy admits local tools by their Origin (Node's WebSocket takes headers, as undici's does).
  const init = { headers: { Origin: "http://localhost" } } as unknown as string[];
  const socket = new WebSocket(target.webSocketDebuggerUrl, init);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  let nextId = 1;
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: SAMPLING_US });
  await send("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
      socket.close();
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile written to ${file}; top self time:`);
      for (const row of topSelfTime(profile, 20)) {
        console.log(`  ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
      }
    },
  };
}

/** Self time per function (name, file, line), as a share of all samples, the largest first. */
export function topSelfTime(profile: CpuProfile, rows: number): { name: string; percent: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byNode.get(id)?.callFrame;
    const file = frame?.url.split("/").slice(-2).join("/") ?? "";
    const name = frame ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}` : "?";
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, samples]) => ({ name, percent: (100 * samples) / profile.samples.length }));
}
