/**
 * Starting local testnets from Node: the D1 migrations and `wrangler dev`,
 * offline and without touching the home folder, and stopping them with the
 * process that started them. Used by `npm start`, `npm run start:validators`,
 * the benchmarks and the end-to-end tests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, createWriteStream, mkdirSync, openSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";

export type WranglerDev = {
  readonly port: number;
  /** The devtools inspector's port; `port + 1000` by default, so several testnets never race for 9229. */
  readonly inspectorPort?: number;
  /** Folder of this process's local state (Durable Objects, D1). */
  readonly state: string;
  /** Extra `[vars]`, e.g. the validator topology. */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * `quiet`: wrangler's output without its line per HTTP request (see
   * isRequestLogLine); `{ append }`: the same, appended to that file.
   */
  readonly stdio?: "inherit" | "ignore" | "quiet" | { readonly append: string };
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
  // wrangler phones home for metrics and updates, and fetches a sample `request.cf` (which nothing here
  // reads, and which offline fails with a stack trace on every start): all useless locally.
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    XDG_CONFIG_HOME: configHome,
  };
}

/**
 * Whether `line` is wrangler dev's log of one HTTP request
 * (`[wrangler:info] GET /v1/status 200 OK (3ms)`): wallets and the explorer
 * poll, and these lines would bury everything else.
 */
export function isRequestLogLine(line: string): boolean {
  return /^\[wrangler:info\] [A-Z]+ \/\S* \d{3} .*\(\d+ms\)/.test(stripVTControlCharacters(line));
}

function forwardQuietly(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void {
  if (from) {
    createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      if (!isRequestLogLine(line)) {
        to.write(`${line}\n`);
      }
    });
  }
}

export function startWranglerDev(options: WranglerDev): ChildProcess {
  const env = wranglerEnv(options.state);
  const stdio = options.stdio ?? "ignore";
  const file = typeof stdio === "object" ? openSync(stdio.append, "a") : undefined;
  try {
    const direct = typeof stdio === "object" ? file : stdio === "quiet" ? "inherit" : stdio;
    const migrate = spawnSync(
      "npx",
      ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", options.state],
      // stdin ignored: on a terminal, wrangler would otherwise stop to ask whether to apply them.
      { env, stdio: ["ignore", direct, direct] },
    );
    if (migrate.status !== 0) {
      throw new Error(`D1 migrations failed for ${options.state}`);
    }
  } finally {
    if (file !== undefined) {
      closeSync(file);
    }
  }
  // LOCAL_DEV: the marker without which a local chain refuses to run (src/chain/from-env.ts).
  const vars = Object.entries({ LOCAL_DEV: "1", ...options.vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(options.port), "--persist-to", options.state];
  const inspectorPort = options.inspectorPort ?? options.port + 1000;
  args.push("--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false", ...vars);
  const filtered = stdio === "quiet" || typeof stdio === "object";
  const output = filtered ? "pipe" : stdio;
  // detached: its own process group (npx, wrangler, workerd), which stopProcess signals as one.
  const child = spawn("npx", args, { env, stdio: ["ignore", output, output], detached: true });
  if (filtered) {
    const log = typeof stdio === "object" ? createWriteStream(stdio.append, { flags: "a" }) : undefined;
    forwardQuietly(child.stdout, log ?? process.stdout);
    forwardQuietly(child.stderr, log ?? process.stderr);
  }
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (!child.pid) {
    return false;
  }
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // the whole group is gone
  }
}

export function stopProcess(child: ChildProcess): void {
  // wrangler runs workerd as a child: signal the whole process group.
  signalGroup(child, "SIGTERM");
}

/** Resolves with the exit code (null if killed by a signal) once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return new Promise((done) => child.once("exit", (code) => done(code)));
}

/** Stops the children's process groups and waits until none is left, killing what outlives `graceMs`. */
export async function stopAndWait(children: readonly ChildProcess[], graceMs = 10_000): Promise<void> {
  const gone = async () => (children.some((c) => signalGroup(c, 0)) ? undefined : true);
  for (const child of children) {
    stopProcess(child);
  }
  if (await waitUntil(gone, graceMs, "the testnet to stop").catch(() => false)) {
    return;
  }
  for (const child of children) {
    signalGroup(child, "SIGKILL");
  }
  await waitUntil(gone, 2000, "the testnet to die").catch(() => undefined);
}

/**
 * Ties the children to this process. The children run in their own process
 * groups, so neither Ctrl-C nor a closed terminal (SIGHUP) reaches them: on
 * SIGINT, SIGTERM or SIGHUP this stops them all, waits, and exits (a second
 * signal kills them at once); if this process ends any other way, their
 * groups are still sent SIGTERM. The answer tells whether a stop is under
 * way, so a child's exit during it is not mistaken for a crash.
 */
export function stopWithThisProcess(children: readonly ChildProcess[]): { readonly stopping: () => boolean } {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: do not wait any longer.
      for (const child of children) {
        signalGroup(child, "SIGKILL");
      }
      process.exit(1);
    }
    stopping = true;
    // After SIGHUP the terminal is gone, and writing to it would fail.
    if (signal !== "SIGHUP") {
      console.log("\nstopping the local testnet...");
    }
    void stopAndWait(children).then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => stop(signal));
  }
  // A closed terminal fails writes (EIO) before or after its SIGHUP arrives; the stop must go on regardless.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => undefined);
  }
  process.on("exit", () => {
    for (const child of children) {
      stopProcess(child);
    }
  });
  return { stopping: () => stopping };
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

type Status = { height: number | null; validators: ({ height: number } | null)[] };

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
