/**
 * The chain's proof verifier: the bundled verifying key of every circuit
 * shape (verifying-keys.ts; which keys a chain trusts is checked when its
 * GENESIS loads), prepared once per isolate because preparing costs tens of
 * milliseconds.
 */
import { Groth16ProofVerifier } from "../ledger/groth16-verifier.ts";
import { CachingProofVerifier } from "../ledger/verdict-cache.ts";
import type { ProofVerifier } from "../ledger/verifier.ts";
import { bundledKeys } from "./verifying-keys.ts";

let verifier: Groth16ProofVerifier | undefined;

/** Verifies every proof it is given: for recovery, which must not trust a verdict from the diverged run. */
export function chainProofVerifier(): Groth16ProofVerifier {
  verifier ??= new Groth16ProofVerifier(bundledKeys().map(({ inputs, outputs, key }) => ({ inputs, outputs, key })));
  return verifier;
}

const shared = new Map<string, CachingProofVerifier>();

/**
 * The verdict cache every replica of one deployment in this isolate shares:
 * they are one operator in one isolate, one trust domain, so a proof one of
 * them verified (at admission or in a block) is not verified again by the
 * others (PROTOCOL.md §8.10, docs/OPERATING.md "The pieces"). Keyed by chain
 * and verifying keys, so two chains in one isolate never share a verdict.
 * Validators in separate deployments run in separate isolates and so verify
 * for themselves.
 */
export function sharedProofVerifier(chainId: string): ProofVerifier {
  const id = `${chainId}\n${bundledKeys()
    .map((k) => `${k.shape}:${k.hash}`)
    .join(",")}`;
  let cache = shared.get(id);
  if (cache === undefined) {
    cache = new CachingProofVerifier(chainProofVerifier());
    shared.set(id, cache);
  }
  return cache;
}
