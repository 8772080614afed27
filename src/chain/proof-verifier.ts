/**
 * The chain's proof verifier: the bundled verifying key of every circuit
 * shape (verifying-keys.ts; which keys a chain trusts is checked when its
 * GENESIS loads), prepared once per isolate because preparing costs tens of
 * milliseconds.
 */
import { Groth16ProofVerifier } from "../ledger/groth16-verifier.ts";
import { bundledKeys } from "./verifying-keys.ts";

let verifier: Groth16ProofVerifier | undefined;

export function chainProofVerifier(): Groth16ProofVerifier {
  verifier ??= new Groth16ProofVerifier(bundledKeys().map(({ inputs, outputs, key }) => ({ inputs, outputs, key })));
  return verifier;
}
