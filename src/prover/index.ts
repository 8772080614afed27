/** The client-side prover: `prepareTransfer` (wallet data → circuit input) and `proveTransfer` (snarkjs). */
export { CIRCUITS, type CircuitShape, circuitByShape, publicInputCount } from "../../circuits/config.ts";
export {
  type CircuitInput,
  dummyOutput,
  dummySpend,
  type PreparedTransfer,
  ProverInputError,
  prepareTransfer,
  type RandomSource,
  type SpendInput,
  type SpendKeys,
  type TransferRequest,
} from "./input.ts";
export {
  type ArtifactSource,
  type Groth16Proof,
  ProofError,
  type ProofProgress,
  type ProofStage,
  type ProveOptions,
  type ProvingArtifacts,
  proveTransfer,
  releaseProverThreads,
  type TransferProof,
} from "./prover.ts";
