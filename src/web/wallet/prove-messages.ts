/** The wallet worker ↔ proving worker messages (./remote-snarkjs.ts, ./prove-worker.ts). */
import type { Groth16Proof } from "snarkjs";

export type ProveRequest =
  | { readonly id: number; readonly op: "witness"; readonly input: Record<string, unknown>; readonly wasm: Uint8Array }
  | {
      readonly id: number;
      readonly op: "prove";
      readonly zkey: Uint8Array;
      readonly witness: Uint8Array;
      readonly singleThread: boolean;
    };

export type ProveReply =
  | { readonly id: number; readonly kind: "debug"; readonly message: string }
  | { readonly id: number; readonly kind: "witness"; readonly witness: Uint8Array }
  | {
      readonly id: number;
      readonly kind: "proof";
      readonly proof: Groth16Proof;
      readonly publicSignals: string[];
    }
  | { readonly id: number; readonly kind: "error"; readonly message: string };
