/** Drives the local chain over the API as a client would: asset registrations, waiting for commits. */
import { exports } from "cloudflare:workers";
import { ed25519 } from "@noble/curves/ed25519.js";
import { expect } from "vitest";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { RegisterTx } from "../../src/protocol/tx/types.ts";
import { bytes32 } from "../protocol/fixtures.ts";

export const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);

/** A signed registration of token `name` on the local chain. */
export function registration(name: string): RegisterTx {
  const secret = bytes32(`issuer ${name}`);
  const unsigned: RegisterTx = {
    kind: "register",
    registration: {
      assetKind: "token",
      name,
      decimals: 2,
      issuer: ed25519.getPublicKey(secret),
      supply: { kind: "unlimited" },
    },
    signature: new Uint8Array(64),
  };
  return signTransaction(unsigned, "sero-local-1", secret);
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
export async function submit(tx: RegisterTx): Promise<string> {
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
export async function submitAndWait(tx: RegisterTx): Promise<{ height: number }> {
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

/** Commits registrations `<prefix>0`, `<prefix>1`, ... one block each until the chain reaches `height`. */
export async function commitUntil(height: number, prefix: string): Promise<void> {
  for (let n = 0; ; n++) {
    if ((await submitAndWait(registration(`${prefix}${n}`))).height >= height) {
      return;
    }
  }
}
