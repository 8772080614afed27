/** The proof check the ledger needs, whatever implements it (batch Groth16 in Workers, a fake in simulations). */
import type { Fr } from "../protocol/field.ts";

export type ProofToVerify = {
  /** Circuit shape (§8.2). */
  readonly inputs: number;
  readonly outputs: number;
  readonly proof: Uint8Array;
  /** `anchor, nf_1..nf_n, cm_1..cm_m, fee, bind`. */
  readonly publicInputs: readonly Fr[];
};

export interface ProofVerifier {
  /** One verdict per item, in order. */
  verify(items: readonly ProofToVerify[]): Promise<boolean[]>;
}
