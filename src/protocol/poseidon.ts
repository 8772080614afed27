/**
 * Poseidon over BN254 with circomlib's parameters (Grassi et al., USENIX'21;
 * constants of circomlib's poseidon_constants.circom), and the tagged form
 * `H_tag(x1..xn) = Poseidon(tag, x1..xn)` that every protocol hash uses
 * (PROTOCOL.md §0). poseidon-lite is checked against circomlib in tests.
 */
import { poseidon1 } from "poseidon-lite/poseidon1";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { poseidon5 } from "poseidon-lite/poseidon5";
import { poseidon6 } from "poseidon-lite/poseidon6";
import { poseidon7 } from "poseidon-lite/poseidon7";
import { poseidon8 } from "poseidon-lite/poseidon8";
import type { Fr } from "./field.ts";

type PoseidonFn = (inputs: bigint[]) => bigint;

const BY_ARITY: readonly PoseidonFn[] = [
  poseidon1,
  poseidon2,
  poseidon3,
  poseidon4,
  poseidon5,
  poseidon6,
  poseidon7,
  poseidon8,
];

/** circomlib's Poseidon of 1 to 8 inputs, each already in Fr. */
export function poseidon(inputs: readonly Fr[]): Fr {
  const fn = BY_ARITY[inputs.length - 1];
  if (!fn) {
    throw new RangeError(`Poseidon supports 1 to ${BY_ARITY.length} inputs, got ${inputs.length}`);
  }
  return fn([...inputs]) as Fr;
}

export function hashTagged(tag: Fr, ...inputs: Fr[]): Fr {
  return poseidon([tag, ...inputs]);
}
