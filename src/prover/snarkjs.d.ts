// snarkjs 0.7 ships no TypeScript types: the part this project uses (prover, circuit
// scripts and tests). A project-wide declaration: it takes precedence over the
// shorthand `declare module "snarkjs"` in test/types.d.ts.
declare module "snarkjs" {
  /** A file name (Node), a URL (browser fetch), raw bytes, or a fastfile memory object `{ type: "mem" }`. */
  export type FileSource = string | Uint8Array | { type: "mem"; data?: Uint8Array };
  export type Logger = {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };
  export type Groth16Proof = {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  };
  export type VerificationKey = {
    protocol: string;
    curve: string;
    nPublic: number;
    vk_alpha_1: string[];
    vk_beta_2: string[][];
    vk_gamma_2: string[][];
    vk_delta_2: string[][];
    vk_alphabeta_12: string[][][];
    IC: string[][];
  };
  export namespace groth16 {
    function fullProve(
      input: Record<string, unknown>,
      wasm: FileSource,
      zkey: FileSource,
      logger?: Logger,
      wtnsOptions?: Record<string, unknown>,
      proverOptions?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    function prove(
      zkey: FileSource,
      wtns: FileSource,
      logger?: Logger,
      options?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    function verify(
      vkey: VerificationKey,
      publicSignals: readonly (string | bigint)[],
      proof: Groth16Proof,
      logger?: Logger,
    ): Promise<boolean>;
  }
  export namespace wtns {
    function calculate(
      input: Record<string, unknown>,
      wasm: FileSource,
      wtns: FileSource,
      options?: Record<string, unknown>,
    ): Promise<void>;
    function exportJson(wtns: FileSource): Promise<unknown[]>;
    function check(r1cs: FileSource, wtns: FileSource, logger?: Logger): Promise<boolean>;
  }
  export namespace zKey {
    function exportVerificationKey(zkey: FileSource, logger?: Logger): Promise<VerificationKey>;
  }
}
