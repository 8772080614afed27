/**
 * The client-side prover (PROTOCOL.md §8.2; ARCHITECTURE.md: proofs are made
 * where the secrets are). Wallet data → circuit input (./input.ts) → witness
 * (the circuit's wasm) → Groth16 proof (snarkjs, with its worker threads).
 *
 * Runs in Node and in browsers: artifacts are given as a path (Node reads the
 * file), a URL string (browsers fetch it), or bytes. Proving the 2x2 shape
 * takes 2-3 s and 200-300 MB on a 2-core machine, more than a Worker may use:
 * never run this in a Worker.
 */
import * as snarkjs from "snarkjs";
import type { CircuitShape } from "../../circuits/config.ts";
import { type PreparedTransfer, prepareTransfer, type TransferRequest } from "./input.ts";

/** A file path (Node), a URL string (browser), or the file's bytes. */
export type ArtifactSource = string | Uint8Array;

/** The proving artifacts of one circuit: circuits/artifacts/<name>/<name>.{wasm,zkey}. */
export type ProvingArtifacts = { readonly wasm: ArtifactSource; readonly zkey: ArtifactSource };

export type ProofStage = "input" | "witness" | "prove" | "done";
/** `fraction` grows monotonically from 0 to 1 over a whole proof. */
export type ProofProgress = { readonly stage: ProofStage; readonly fraction: number; readonly detail: string };

export type ProveOptions = {
  readonly onProgress?: (progress: ProofProgress) => void;
  /** Prove on the calling thread only (slower, about 2x; for environments without workers). */
  readonly singleThread?: boolean;
};

export type Groth16Proof = snarkjs.Groth16Proof;

export type TransferProof = {
  readonly proof: Groth16Proof;
  /** In circuit order: anchor, nullifiers, commitments, fee, bind (decimal strings). */
  readonly publicSignals: readonly string[];
  readonly prepared: PreparedTransfer;
};

/** snarkjs' own milestones inside `groth16.prove`, in order, and where they sit in the whole proof. */
const MILESTONES: readonly (readonly [string, number])[] = [
  ["Reading Wtns", 0.2],
  ["Reading Coeffs", 0.25],
  ["Building ABC", 0.3],
  ["Join ABC", 0.5],
  ["Reading A Points", 0.55],
  ["Reading B1 Points", 0.65],
  ["Reading B2 Points", 0.72],
  ["Reading C Points", 0.85],
  ["Reading H Points", 0.9],
];

function progressLogger(report: (stage: ProofStage, fraction: number, detail: string) => void): snarkjs.Logger {
  const quiet = (): void => {};
  return {
    debug(message) {
      const hit = MILESTONES.find(([prefix]) => message.startsWith(prefix));
      if (hit) {
        report("prove", hit[1], message);
      }
    },
    info: quiet,
    warn: quiet,
    error: quiet,
  };
}

export class ProofError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProofError";
  }
}

/**
 * Proves one shielded transfer. Throws `ProverInputError` (./input.ts) when
 * the request breaks the statement, before any expensive work.
 */
export async function proveTransfer(
  shape: CircuitShape,
  artifacts: ProvingArtifacts,
  request: TransferRequest,
  options: ProveOptions = {},
): Promise<TransferProof> {
  let last = 0;
  const report = (stage: ProofStage, fraction: number, detail: string): void => {
    last = Math.max(last, fraction);
    options.onProgress?.({ stage, fraction: last, detail });
  };
  report("input", 0, "checking the transfer and building the circuit input");
  const prepared = prepareTransfer(shape, request);

  report("witness", 0.05, "computing the witness");
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  try {
    await snarkjs.wtns.calculate(prepared.input, artifacts.wasm, wtns);
  } catch (e) {
    throw new ProofError(`witness calculation failed for ${shape.name}: the artifacts do not match this request`, {
      cause: e,
    });
  }

  report("prove", 0.15, "Groth16 proof");
  const proverOptions = options.singleThread ? { singleThread: true } : undefined;
  const { proof, publicSignals } = await snarkjs.groth16.prove(
    artifacts.zkey,
    wtns,
    progressLogger(report),
    proverOptions,
  );

  const expected = prepared.publicSignals.map((v) => v.toString());
  if (publicSignals.length !== expected.length || publicSignals.some((v, i) => v !== expected[i])) {
    throw new ProofError(`${shape.name}: the proof's public signals differ from the transfer's`);
  }
  report("done", 1, "proof ready");
  return { proof, publicSignals, prepared };
}

/**
 * Stops snarkjs' worker threads (they keep a Node process alive after the
 * last proof). The next proof starts them again.
 */
export async function releaseProverThreads(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  const curve = g.curve_bn128;
  if (curve) {
    await curve.terminate(); // also clears globalThis.curve_bn128
  }
}
