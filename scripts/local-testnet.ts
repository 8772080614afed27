/**
 * Starting local testnets from Node: the D1 migrations and `wrangler dev`,
 * offline and without touching the home folder. Used by `npm start`,
 * `npm run start:validators` and the benchmarks.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export type WranglerDev = {
  readonly port: number;
  /** Folder of this process's local state (Durable Objects, D1). */
  readonly state: string;
  /** Extra `[vars]`, e.g. the validator topology. */
  readonly vars?: Readonly<Record<string, string>>;
  readonly stdio?: "inherit" | "ignore";
  /** The V8 inspector's port (CPU profiles); port + 1000 unless given, e.g. to keep a benchmark inside its own port range. */
  readonly inspectorPort?: number;
};

/**
 * The options of `npm start` and `npm run start:validators`: `--fresh` wipes
 * the given state folders (Durable Objects, D1) first, for a new chain.
 * Anything else is refused rather than silently ignored.
 */
export function prepareLocalState(argv: readonly string[], folders: readonly string[]): void {
  const unknown = argv.filter((a) => a !== "--fresh");
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown[0]}: the only option is --fresh (start from an empty chain)`);
    process.exit(2);
  }
  if (argv.includes("--fresh")) {
    for (const folder of folders) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

function wranglerEnv(state: string): NodeJS.ProcessEnv {
  const configHome = resolve(join(state, "xdg"));
  mkdirSync(configHome, { recursive: true });
  // wrangler phones home for metrics and updates; both are useless offline.
  return { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: configHome };
}

export function startWranglerDev(options: WranglerDev): ChildProcess {
  const env = wranglerEnv(options.state);
  const stdio = options.stdio ?? "ignore";
  const migrate = spawnSync(
    "npx",
    ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", options.state],
    {
      env,
      stdio,
    },
  );
  if (migrate.status !== 0) {
    throw new Error(`D1 migrations failed for ${options.state}`);
  }
  // LOCAL_DEV: the marker without which a local chain refuses to run (src/chain/from-env.ts).
  const vars = Object.entries({ LOCAL_DEV: "1", ...options.vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(options.port), "--persist-to", options.state];
  args.push(
    "--inspector-port",
    String(options.inspectorPort ?? options.port + 1000),
    "--show-interactive-dev-session=false",
    ...vars,
  );
  return spawn("npx", args, { env, stdio: ["ignore", stdio, stdio], detached: true });
}

export function stopProcess(child: ChildProcess): void {
  // wrangler runs workerd as a child: signal the whole process group.
  if (child.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

/** Polls `probe` until it returns a value, or throws after `ms`. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Status = { validators: ({ height: number } | null)[] };

/** Waits until `url` answers /v1/status with the given validators up (all by default). */
export function waitForValidators(url: string, validators: readonly number[] | "all", ms = 180_000): Promise<Status> {
  return waitUntil(
    async () => {
      const status = (await (await fetch(`${url}/v1/status`)).json()) as Status;
      const wanted = validators === "all" ? status.validators.map((_, i) => i) : validators;
      return wanted.every((i) => status.validators[i] != null) ? status : undefined;
    },
    ms,
    `${url}/v1/status`,
  );
}
