/**
 * A local testnet driven over HTTP as a client (or an attacker) would: either
 * topology, processes that can be stopped, SIGKILLed and restarted on their
 * state, and a client that remembers every answer it got, so the suite can
 * check whole-system invariants afterwards (docs/ARCHITECTURE.md §2.12).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev, stopProcess, waitForValidators, waitUntil } from "../../scripts/local-testnet.ts";

export type Topology = "one-deployment" | "validators";

export type Answer = { readonly status: number; readonly body: Record<string, unknown> };

type HostedStatus = {
  hosted: true;
  index: number;
  height: number;
  stateRoot: string;
  mempool: number;
  projection: { state: string };
  divergence: unknown;
  [field: string]: unknown;
};
type Status = {
  height: number | null;
  stateRoot: string | null;
  validators: (HostedStatus | { hosted: false } | null)[];
};

export class Testnet {
  readonly topology: Topology;
  readonly urls: readonly string[];
  readonly #root = mkdtempSync(join(tmpdir(), "sero-attack-"));
  readonly #processes: (ChildProcess | undefined)[] = [];
  /** Every id a submission was answered 202 for. */
  readonly accepted = new Set<string>();
  /** Every answer of 500 or above, with what was asked. */
  readonly serverErrors: string[] = [];

  constructor(topology: Topology, basePort: number) {
    this.topology = topology;
    const count = topology === "validators" ? 4 : 1;
    this.urls = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${basePort + 10 * i}`);
  }

  async start(): Promise<void> {
    for (const i of this.urls.keys()) {
      this.startProcess(i);
    }
    await this.waitUp();
  }

  startProcess(i: number): void {
    const port = Number(new URL(this.urls[i] as string).port);
    const vars =
      this.topology === "validators" ? { VALIDATOR_INDEX: String(i), PEER_URLS: JSON.stringify(this.urls) } : undefined;
    this.#processes[i] = startWranglerDev({ port, state: join(this.#root, `process-${i}`), ...(vars ? { vars } : {}) });
  }

  waitUp(): Promise<unknown> {
    return Promise.all(
      this.urls.map((url, i) => waitForValidators(url, this.topology === "validators" ? [i] : "all", 240_000)),
    );
  }

  /** Ends process i (its whole group: wrangler and workerd) and waits until its port is closed. */
  async stopProcess(i: number, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const child = this.#processes[i];
    if (child?.pid) {
      if (signal === "SIGTERM") {
        stopProcess(child);
      } else {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    this.#processes[i] = undefined;
    await waitUntil(
      async () => ((await fetch(`${this.urls[i]}/v1/status`).catch(() => undefined)) ? undefined : true),
      30_000,
      `process ${i} down`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.urls.map((_, i) => (this.#processes[i] ? this.stopProcess(i, "SIGTERM") : undefined)));
    rmSync(this.#root, { recursive: true, force: true });
  }

  /** One HTTP exchange; 5xx answers are recorded, 202s remembered by id. */
  async call(url: string, path: string, init?: RequestInit): Promise<Answer> {
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    if (res.status >= 500) {
      this.serverErrors.push(`${init?.method ?? "GET"} ${path} -> ${res.status} ${text.slice(0, 200)}`);
    }
    if (res.status === 202 && typeof body.id === "string") {
      this.accepted.add(body.id);
    }
    return { status: res.status, body };
  }

  submit(bytes: Uint8Array, url = this.urls[0] as string): Promise<Answer> {
    return this.call(url, "/v1/tx", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
  }

  verify(bytes: Uint8Array, url = this.urls[0] as string): Promise<Answer> {
    return this.call(url, "/v1/verify", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
  }

  async status(url: string): Promise<Status> {
    return (await this.call(url, "/v1/status")).body as unknown as Status;
  }

  /** Waits until every transaction answered 202 has committed or been refused with a reason, and returns their answers. */
  settled(timeoutMs = 120_000): Promise<Map<string, Record<string, unknown>>> {
    return waitUntil(
      async () => {
        const outcomes = new Map<string, Record<string, unknown>>();
        for (const id of this.accepted) {
          const { status, body } = await this.call(this.urls[0] as string, `/v1/tx/${id}`);
          if (status !== 200 || body.status === "pending") {
            return undefined;
          }
          outcomes.set(id, body);
        }
        return outcomes;
      },
      timeoutMs,
      "every accepted transaction settled",
    );
  }

  /**
   * Waits until the chain is quiet and consistent: every hosted replica of
   * every process at the same height with the same state root and a healthy
   * index, each process's D1 at that height and root, and every block's state
   * root the same in every process's D1. Returns the height.
   */
  async consistent(timeoutMs = 60_000): Promise<number> {
    const tip = await waitUntil(
      async () => {
        const statuses = await Promise.all(this.urls.map((url) => this.status(url)));
        const hosted = statuses.flatMap((s) => s.validators.filter((v): v is HostedStatus => v?.hosted === true));
        const expected = this.topology === "validators" ? this.urls.length : 4;
        const heights = new Set([...hosted.map((v) => v.height), ...statuses.map((s) => s.height)]);
        const roots = new Set([...hosted.map((v) => v.stateRoot), ...statuses.map((s) => s.stateRoot)]);
        const healthy = hosted.every((v) => v.projection.state === "ok" && v.divergence === null && v.mempool === 0);
        return hosted.length === expected && heights.size === 1 && roots.size === 1 && healthy
          ? (statuses[0]?.height as number)
          : undefined;
      },
      timeoutMs,
      "every replica and index at one height and state root",
    );
    for (let height = 0; height <= tip; height++) {
      const roots = await Promise.all(
        this.urls.map(async (url) => {
          const { block } = (await this.call(url, `/v1/blocks/${height}`)).body as { block?: { stateRoot: string } };
          return block?.stateRoot;
        }),
      );
      if (new Set(roots).size !== 1 || roots[0] === undefined) {
        throw new Error(`state roots differ at height ${height}: ${roots.join(" ")}`);
      }
    }
    return tip;
  }
}
