/**
 * Groth16 on BN254, verifier side, in pure TypeScript (no WebAssembly, so it
 * runs inside Workers). Keys and proofs come from circom 2 + snarkjs.
 * Decode (JSON or binary: every point checked), prepare the key once, then
 * `verify` one proof or `verifyBatch` many.
 *
 * The curve and pairing arithmetic is our own BigInt code with lazy reduction
 * (fp2.ts says why): @noble/curves' bn254 implements the same algorithms, and
 * the tests hold ours bit-identical to it, but its per-operation reductions
 * make one verification ~17 ms here, against snarkjs's ~18 ms and a target of
 * half that. noble still supplies the modular inverse and is the reference.
 *
 *   const pvk = prepareVerifyingKey(verifyingKeyFromSnarkjs(vkeyJson));
 *   verify(pvk, proofFromSnarkjs(proofJson), publicSignalsFromSnarkjs(publicJson));
 */
export { type BatchItem, type BatchOptions, verifyBatch } from "./batch.ts";
export {
  decodeProof,
  decodePublicInputs,
  decodeVerifyingKey,
  encodeProof,
  encodePublicInputs,
  encodeVerifyingKey,
  PROOF_BYTES,
  verifyingKeyBytesLength,
} from "./binary.ts";
export { Groth16Error, type Groth16ErrorCode } from "./errors.ts";
export type { Fp2 } from "./fp2.ts";
export type { G2Affine } from "./g2.ts";
export type { G1Affine } from "./points.ts";
export { type PreparedVerifyingKey, prepareVerifyingKey } from "./prepared-key.ts";
export type { Proof } from "./proof.ts";
export { proofFromSnarkjs, publicSignalsFromSnarkjs, verifyingKeyFromSnarkjs } from "./snarkjs-json.ts";
export { verify } from "./verify.ts";
export { MAX_PUBLIC_INPUTS, publicInputCount, type VerifyingKey } from "./verifying-key.ts";
