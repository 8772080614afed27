/**
 * A CPU profile of the one-deployment testnet's Worker isolate, where all four
 * replicas run, over the Chrome DevTools protocol of `wrangler dev
 * --inspector-port`. `--profile FILE` writes it (open it in DevTools) and
 * prints the functions and the source modules with the most self time, and
 * the project functions (src/, durable-objects/) whose calls into libraries
 * and the runtime cost the most: the bundle wrangler runs marks each module's
 * start (`// src/ledger/x.ts`), which names the module of every sampled line.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[] };

/** Microseconds between samples: fine enough for short functions, coarse enough to cost little. */
const SAMPLING_US = 500;
const ROWS = 20;

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
      const modules = bundleModules();
      const table = (title: string, rows: { name: string; percent: number }[]) => {
        console.log(title);
        for (const row of rows) {
          console.log(`  ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
        }
      };
      console.log(`CPU profile (${profile.samples.length} samples) written to ${file}`);
      table(
        "self time by function:",
        selfTime(profile, (f) => `${f.functionName || "(anonymous)"} ${modules(f)}`),
      );
      table("self time by module:", selfTime(profile, modules));
      table(
        "time by innermost project function (its own, and its calls into libraries and the runtime):",
        selfTime(
          profile,
          (f) => `${f.functionName || "(anonymous)"} ${modules(f)}`,
          (f) => isProject(modules(f)),
        ),
      );
    },
  };
}

/** The module of a frame: the last `// path` marker at or above its line in the running bundle. */
function bundleModules(): (frame: CallFrame) => string {
  const root = ".wrangler/tmp";
  const bundles = readdirSync(root)
    .map((dir) => join(root, dir, "worker.js"))
    .filter((path) => statSync(path, { throwIfNoEntry: false }))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const markers: { line: number; module: string }[] = [];
  for (const [i, text] of (bundles[0] ? readFileSync(bundles[0], "utf8").split("\n") : []).entries()) {
    const m = /^\/\/ ((?:src|durable-objects|node_modules)\/\S+)$/.exec(text);
    if (m) {
      markers.push({ line: i, module: (m[1] as string).replace(/^node_modules\//, "") });
    }
  }
  return (frame) => {
    if (frame.url !== "worker.js") {
      return frame.url || "(native)";
    }
    let module = "worker.js";
    for (const marker of markers) {
      if (marker.line > frame.lineNumber) {
        break;
      }
      module = marker.module;
    }
    return module;
  };
}

const isProject = (module: string) => module.startsWith("src/") || module.startsWith("durable-objects/");

/**
 * Samples per key of the sampled frame, or of its innermost caller that is
 * `attributed` if given (samples with none are "(other)"), as a share of all
 * samples, the largest first.
 */
export function selfTime(
  profile: CpuProfile,
  key: (frame: CallFrame) => string,
  attributed: (frame: CallFrame) => boolean = () => true,
): { name: string; percent: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c): [number, number] => [c, n.id])));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    let node = byNode.get(id);
    while (node && !attributed(node.callFrame)) {
      node = byNode.get(parent.get(node.id) ?? -1);
    }
    const name = node ? key(node.callFrame) : "(other)";
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, ROWS)
    .map(([name, samples]) => ({ name, percent: (100 * samples) / profile.samples.length }));
}
