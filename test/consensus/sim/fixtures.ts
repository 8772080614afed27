/** Helpers for unit tests that drive one replica core by hand. */
import {
  type Batch,
  batchDigest,
  createReplica,
  type Message,
  openEnvelope,
  type ReplicaCore,
  type ReplicaState,
  type StepResult,
  seal,
  type Verified,
} from "../../../src/consensus/index.ts";
import { type Keyring, makeKeyring, type SignatureScheme } from "./keys.ts";
import { SIM_PARAMS } from "./scenario.ts";

export interface Fixture {
  readonly keyring: Keyring;
  readonly cores: ReplicaCore[];
  /** A message signed by replica `from`, as it arrives after the boundary. */
  msg<M extends Message>(from: number, message: M, batches?: readonly Batch[]): Verified<M>;
  /** Wire bytes of a message signed by `from`. */
  bytes(from: number, message: Message, batches?: readonly Batch[]): Uint8Array;
  open(bytes: Uint8Array): Verified;
}

export function fixture(n = 4, scheme: SignatureScheme = "mac"): Fixture {
  const keyring = makeKeyring(n, scheme, SIM_PARAMS, 99);
  const cores = keyring.signers.map((signer) => createReplica({ committee: keyring.committee, signer }));
  return {
    keyring,
    cores,
    msg: (from, message, batches = []) =>
      seal(message, batches, keyring.signers[from] as never, keyring.committee).envelope,
    bytes: (from, message, batches = []) =>
      seal(message, batches, keyring.signers[from] as never, keyring.committee).bytes,
    open(bytes) {
      const r = openEnvelope(bytes, keyring);
      if (!r.ok) {
        throw new Error(`refused: ${r.code} ${r.reason}`);
      }
      return r.envelope;
    },
  };
}

export function deliver(core: ReplicaCore, state: ReplicaState, envelope: Verified): StepResult {
  return core.step(state, { type: "message", envelope });
}

export function request(i: number): Uint8Array {
  return new TextEncoder().encode(`tx-${i}`);
}

export function prePrepare(view: number, seq: number, batch: Batch) {
  return { type: "pre-prepare" as const, view, seq, digest: batchDigest(batch) };
}

export function sentTypes(r: StepResult): string[] {
  return r.send.map((s) => `${s.type}->${s.to}`);
}
