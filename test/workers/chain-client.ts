/**
 * Drives the local chain over the API as a client would, with the paid
 * registrations and issuances proved in Node (test/fixtures/chain/make.ts;
 * workerd cannot prove): the one source of the Workers tests' transactions.
 * Each test file runs its own chain from the local genesis, so each may use
 * every fixture once.
 */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { fromHex } from "../../src/codec/bytes.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { IssueTx, RegisterTx } from "../../src/protocol/tx/types.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };

export const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);

const decode = (hex: string) => decodeTransaction(fromHex(hex) as Uint8Array);

/** The registration of token `name` by the dev faucet's issuer key, its fee paid from a genesis note. */
export function registration(name: keyof typeof fixtures.registrations): RegisterTx {
  return decode(fixtures.registrations[name]) as RegisterTx;
}

/** Four registrations of token CONTESTED, each paid from its own note: at most one can commit. */
export function contestedRegistrations(): RegisterTx[] {
  return fixtures.contested.map((hex) => decode(hex) as RegisterTx);
}

/** A paid issuance by the faucet's issuer key (see the fixture script for the asset, nonce and amount of each). */
export function issuance(name: keyof typeof fixtures.issuances): IssueTx {
  return decode(fixtures.issuances[name]) as IssueTx;
}

let filled = 0;

/** The next registration (FILL0, FILL1, ...) for a test that only needs a block. */
export function fillRegistration(): RegisterTx {
  const hex = fixtures.fill[filled++];
  if (hex === undefined) {
    throw new Error("out of fill registrations: make more in test/fixtures/chain/make.ts");
  }
  return decode(hex) as RegisterTx;
}

export async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error("timed out");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts a transaction; its id once a replica accepted it (202). */
export async function submit(tx: RegisterTx | IssueTx): Promise<string> {
  const res = await http("/v1/tx", {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: encodeTransaction(tx),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

export function committed(id: string, ms?: number): Promise<{ height: number }> {
  return until(async () => {
    const status = (await (await http(`/v1/tx/${id}`)).json()) as { status?: string; height?: number };
    return status.status === "committed" ? { height: status.height as number } : undefined;
  }, ms);
}

/** Submits through the API and waits until the transaction is committed and indexed. */
export async function submitAndWait(tx: RegisterTx | IssueTx): Promise<{ height: number }> {
  return committed(await submit(tx));
}

export type HostedValidator = {
  readonly index: number;
  readonly height: number;
  readonly stateRoot: string;
  readonly divergence: { height: number; field: string; own: string; certified: string; recovery: string } | null;
};

/** The validators of GET /v1/status, every one hosted in the one-deployment topology. */
export async function validators(): Promise<HostedValidator[]> {
  const body = (await (await http("/v1/status")).json()) as { validators: HostedValidator[] };
  return body.validators;
}

/** Commits fill registrations, one block each, until the chain reaches `height`. */
export async function commitUntil(height: number): Promise<void> {
  let top = 0;
  while (top < height) {
    top = (await submitAndWait(fillRegistration())).height;
  }
}
