/**
 * snarkjs as the verifier's oracle, for the Groth16 tests, the fixture
 * generator and the benchmark. The oracle is fed untyped and deliberately
 * malformed JSON, so this facade takes `unknown` where the project's prover
 * declarations (src/prover/snarkjs.d.ts) are strict; the import goes through a
 * string variable so these files depend on no module declaration at all.
 *
 * snarkjs keeps one multi-threaded bn128 engine in `globalThis.curve_bn128`
 * (ffjavascript's bn128.js), whose worker threads keep a process alive:
 * `releaseSnarkjs()` terminates it so vitest and scripts can exit normally.
 */

/** snarkjs's proof JSON: G1 as ["x","y","1"], G2 as [["x.c0","x.c1"],["y.c0","y.c1"],["1","0"]]. */
export type SnarkjsProof = {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
};

export type SnarkjsGroth16 = {
  verify(vkey: unknown, publicSignals: string[], proof: unknown): Promise<boolean>;
  fullProve(
    input: Record<string, string | string[]>,
    wasmFile: string,
    zkeyFile: string,
  ): Promise<{ proof: SnarkjsProof; publicSignals: string[] }>;
};

type SnarkjsModule = { groth16: SnarkjsGroth16 };
type Terminable = { terminate(): Promise<void> };

const SPECIFIER: string = "snarkjs";

let loaded: Promise<SnarkjsModule> | undefined;

export async function loadSnarkjs(): Promise<SnarkjsGroth16> {
  loaded ??= import(SPECIFIER) as Promise<SnarkjsModule>;
  return (await loaded).groth16;
}

/** Stops snarkjs's worker threads (if it started any). Safe to call more than once. */
export async function releaseSnarkjs(): Promise<void> {
  const engine = (globalThis as { curve_bn128?: Terminable | null }).curve_bn128;
  if (engine) {
    await engine.terminate();
  }
}
