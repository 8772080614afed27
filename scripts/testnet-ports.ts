/**
 * Where the local testnet listens (`npm start`, `npm run start:validators`;
 * docs/OPERATING.md "Local testnet"): the ports laid out from PORT,
 * FAUCET_PORT and INSPECTOR_PORT so that none collide, and a check that they
 * are free before anything starts, so a second testnet fails loudly instead
 * of reporting the first one's validators as its own.
 */
import { createServer } from "node:net";

export type Listener = { readonly port: number; readonly what: string };

export type TestnetPorts = {
  /** The HTTP port of each `wrangler dev` process: validator i's at index i when there is one per validator. */
  readonly nodes: readonly number[];
  /** Each process's devtools inspector port. */
  readonly inspectors: readonly number[];
  readonly faucet: number;
  /** Every port above, named for error messages. */
  readonly listeners: readonly Listener[];
};

/** A port setting that cannot work; the message names the variable to change. */
export class PortLayoutError extends Error {}

const MAX_PORT = 65_535;

function portVar(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") {
    return fallback;
  }
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= MAX_PORT)) {
    throw new PortLayoutError(`${name}=${text} is not a port (1 to ${MAX_PORT})`);
  }
  return port;
}

/**
 * The layout for `processes` wrangler processes (1 for `npm start`, one per
 * validator otherwise): the node on PORT (8787) and the faucet on FAUCET_PORT
 * (PORT + 1, where `sero faucet` looks by default); further validators on the
 * next ports the faucet does not hold (8789, 8790, ...). Inspectors sit 1000
 * above each node port, or on INSPECTOR_PORT, INSPECTOR_PORT + 1, ...
 */
export function testnetPorts(env: Readonly<Record<string, string | undefined>>, processes: number): TestnetPorts {
  const base = portVar(env, "PORT", 8787);
  const faucet = portVar(env, "FAUCET_PORT", base + 1);
  if (faucet === base) {
    throw new PortLayoutError(`FAUCET_PORT=${faucet} is PORT too: give the faucet a port of its own`);
  }
  const inspectorBase = env.INSPECTOR_PORT ? portVar(env, "INSPECTOR_PORT", 0) : undefined;
  const nodes: number[] = [];
  for (let port = base; nodes.length < processes; port++) {
    if (port !== faucet) {
      nodes.push(port);
    }
  }
  const inspectors = nodes.map((port, i) => (inspectorBase === undefined ? port + 1000 : inspectorBase + i));
  const name = (i: number) => (processes === 1 ? "the node" : `validator ${i}`);
  const listeners: Listener[] = [
    ...nodes.map((port, i) => ({ port, what: name(i) })),
    { port: faucet, what: "the faucet" },
    ...inspectors.map((port, i) => ({ port, what: `${name(i)}'s inspector` })),
  ];
  const holder = new Map<number, string>();
  for (const { port, what } of listeners) {
    if (port > MAX_PORT) {
      throw new PortLayoutError(`${what} would need port ${port}: set PORT or INSPECTOR_PORT lower`);
    }
    const other = holder.get(port);
    if (other !== undefined) {
      throw new PortLayoutError(
        `${other} and ${what} would both use port ${port}: set PORT, FAUCET_PORT or INSPECTOR_PORT apart`,
      );
    }
    holder.set(port, what);
  }
  return { nodes, inspectors, faucet, listeners };
}

/** Whether `port` on 127.0.0.1 (where wrangler and the faucet bind) can be listened on now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** The listeners whose port something else already holds. */
export async function portsTaken(listeners: readonly Listener[]): Promise<Listener[]> {
  const free = await Promise.all(listeners.map(({ port }) => isFree(port)));
  return listeners.filter((_, i) => !free[i]);
}

/** The layout from this process's environment, or exit 2 with why not. */
export function testnetPortsOrExit(processes: number): TestnetPorts {
  try {
    return testnetPorts(process.env, processes);
  } catch (e) {
    if (e instanceof PortLayoutError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

/** Exit 1, naming each taken port, unless every listener's port is free: before anything starts. */
export async function exitUnlessFree(listeners: readonly Listener[]): Promise<void> {
  const taken = await portsTaken(listeners);
  if (taken.length > 0) {
    for (const { port, what } of taken) {
      console.error(`port ${port} (${what}) is in use: is a testnet already running? (ss -ltnp 'sport = :${port}')`);
    }
    console.error(
      "nothing was started: stop what holds those ports, or choose others with PORT, FAUCET_PORT, INSPECTOR_PORT",
    );
    process.exit(1);
  }
}
