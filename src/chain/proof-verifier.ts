/**
 * The chain's proof verifier: the committed verification key of every circuit
 * shape (circuits/artifacts, made by the trusted setup), prepared once per
 * isolate because preparing costs tens of milliseconds.
 */
import merge4x2 from "../../circuits/artifacts/merge_4x2/vkey.json" with { type: "json" };
import transfer2x2 from "../../circuits/artifacts/transfer_2x2/vkey.json" with { type: "json" };
import { Groth16ProofVerifier } from "../ledger/groth16-verifier.ts";
import { verifyingKeyFromSnarkjs } from "../protocol/groth16/index.ts";

let verifier: Groth16ProofVerifier | undefined;

export function chainProofVerifier(): Groth16ProofVerifier {
  verifier ??= new Groth16ProofVerifier([
    { inputs: 2, outputs: 2, key: verifyingKeyFromSnarkjs(transfer2x2) },
    { inputs: 4, outputs: 2, key: verifyingKeyFromSnarkjs(merge4x2) },
  ]);
  return verifier;
}
