/**
 * End to end over HTTP, one validator per process (`npm run start:validators`
 * topology): four `wrangler dev` processes, each with its own replica, D1 and
 * state folder, linked by URL. A validator process is killed: the others keep
 * committing; restarted from its state folder, it catches up and its D1
 * matches the others'. Each process's /v1/status shows the validators it does
 * not host at the height their STATUS messages last reported.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWranglerDev, stopProcess, waitForValidators, waitUntil } from "../../scripts/local-testnet.ts";

const BASE = 18787;
const urls = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${BASE + i}`);
const fixtures = JSON.parse(readFileSync("test/fixtures/chain/transfers.json", "utf8")) as Record<string, string>;
const root = mkdtempSync(join(tmpdir(), "sero-validators-"));
const processes: (ChildProcess | undefined)[] = [];

function start(i: number): ChildProcess {
  const child = startWranglerDev({
    port: BASE + i,
    state: join(root, `validator-${i}`),
    vars: { VALIDATOR_INDEX: String(i), PEER_URLS: JSON.stringify(urls) },
  });
  processes[i] = child;
  return child;
}

async function submit(url: string, hex: string): Promise<string> {
  const res = await fetch(`${url}/v1/tx`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: Buffer.from(hex, "hex"),
  });
  const body = (await res.json()) as { id: string };
  expect(res.status).toBe(202);
  return body.id;
}

type TxStatus = { status: string; height: number | null };

function committedAt(url: string, id: string): Promise<TxStatus> {
  return waitUntil(
    async () => {
      const s = (await (await fetch(`${url}/v1/tx/${id}`)).json()) as TxStatus;
      return s.status === "committed" ? s : undefined;
    },
    60_000,
    `${id} at ${url}`,
  );
}

type Validator = { hosted: boolean; height: number; lastSeenMs?: number } | null;

async function validatorsSeenFrom(url: string): Promise<Validator[]> {
  return ((await (await fetch(`${url}/v1/status`)).json()) as { validators: Validator[] }).validators;
}

/** Validator 0's view once it has heard every other validator at `height` or above (`except` aside). */
function heardAtLeast(height: number, except?: number): Promise<Validator[]> {
  return waitUntil(
    async () => {
      const seen = await validatorsSeenFrom(urls[0] as string);
      const ok = seen.every((v, i) =>
        i === 0 ? v?.hosted === true : i === except || (v?.hosted === false && v.height >= height),
      );
      return ok ? seen : undefined;
    },
    10_000,
    `validator 0 hearing its peers at ${height}`,
  );
}

beforeAll(async () => {
  for (const i of [0, 1, 2, 3]) {
    start(i);
  }
  await Promise.all(urls.map((url, i) => waitForValidators(url, [i])));
}, 240_000);

afterAll(() => {
  for (const p of processes) {
    if (p) {
      stopProcess(p);
    }
  }
  rmSync(root, { recursive: true, force: true });
});

describe("one validator per process", () => {
  it("commits across processes, survives a killed validator, and the validator catches up", async () => {
    const first = await submit(urls[1] as string, fixtures.independent as string);
    const heights = await Promise.all(urls.map((url) => committedAt(url, first)));
    expect(new Set(heights.map((h) => h.height)).size).toBe(1);
    await heardAtLeast(heights[0]?.height as number);

    stopProcess(processes[3] as ChildProcess);
    await waitUntil(
      async () => ((await fetch(`${urls[3]}/v1/status`).catch(() => undefined)) ? undefined : true),
      30_000,
      "validator 3 down",
    );
    const second = await submit(urls[0] as string, fixtures.payBob as string);
    const whileDown = await Promise.all(urls.slice(0, 3).map((url) => committedAt(url, second)));
    // The stopped validator stays at what it last reported; the live ones move on.
    const seen = await heardAtLeast(whileDown[0]?.height as number, 3);
    expect(seen[3]?.hosted).toBe(false);
    expect(seen[3]?.height).toBeLessThan(whileDown[0]?.height as number);

    start(3);
    await waitForValidators(urls[3] as string, [3]);
    const caughtUp = await committedAt(urls[3] as string, second);
    expect(caughtUp.height).toBe(whileDown[0]?.height);
    const roots = await Promise.all(
      urls.map(async (url) => ((await (await fetch(`${url}/v1/status`)).json()) as { stateRoot: string }).stateRoot),
    );
    expect(new Set(roots).size).toBe(1);
  }, 240_000);
});
