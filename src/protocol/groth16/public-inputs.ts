/**
 * Public inputs are elements of Fr, the circuit's field: integers in [0, r).
 * A value ≥ r would be reduced mod r by the IC multiplication and so verify
 * exactly like its reduction: a second spelling of the same statement, which
 * a ledger that keys anything by public inputs (nullifiers!) must never see.
 * snarkjs refuses them too. The count must be exactly the key's.
 */
import { R } from "./bn254.ts";
import { Groth16Error } from "./errors.ts";

/** Throws unless `inputs` are exactly `expected` values in [0, r); `what` prefixes messages. */
export function checkPublicInputs(inputs: readonly bigint[], expected: number, what = "public inputs"): void {
  if (inputs.length !== expected) {
    throw new Groth16Error("wrong_public_input_count", `${what}: expected ${expected}, got ${inputs.length}`);
  }
  inputs.forEach((x, i) => {
    if (typeof x !== "bigint") {
      throw new Groth16Error("public_input_malformed", `${what}: input ${i} is not a bigint`);
    }
    if (x < 0n || x >= R) {
      throw new Groth16Error("public_input_out_of_range", `${what}: input ${i} is not in [0, r)`);
    }
  });
}
