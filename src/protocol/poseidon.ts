/**
 * Poseidon over BN254 with circomlib's parameters (Grassi et al., USENIX'21;
 * constants of circomlib's poseidon_constants.circom): x⁵ S-box, 8 full
 * rounds, circomlib's partial-round count per width, state [0, inputs…],
 * output element 0. Computed in the paper's optimized form (Appendix B, see
 * poseidon-params.ts), bit-identical to circomlib (test/protocol/poseidon.test.ts).
 * Also the tagged form `H_tag(x1..xn) = Poseidon(tag, x1..xn)` that every
 * protocol hash uses (PROTOCOL.md §0).
 */
import { type Fr, FR_MODULUS as P } from "./field.ts";
import { deriveParams, FULL_ROUNDS_HALF, type PoseidonParams } from "./poseidon-params.ts";

const MAX_INPUTS = 8;

/** Derived on first use of a width: a few milliseconds each, and most callers use two widths. */
const paramsByWidth: (PoseidonParams | undefined)[] = [];

/**
 * Reductions (divisions) cost several times a multiplication of BigInts, so
 * this reduces once per sum of products rather than per product.
 */
function pow5(x: bigint): bigint {
  const x2 = (x * x) % P;
  return (x2 * x2 * x) % P;
}

/** State ← matrix · S(state + constants), the S-box on every element (a full round). */
function fullRound(
  state: bigint[],
  next: bigint[],
  constants: readonly bigint[],
  offset: number,
  matrix: readonly bigint[],
) {
  const t = state.length;
  for (let i = 0; i < t; i++) {
    state[i] = pow5((state[i] as bigint) + (constants[offset + i] as bigint));
  }
  for (let i = 0; i < t; i++) {
    let sum = 0n;
    for (let j = 0; j < t; j++) {
      sum += (matrix[i * t + j] as bigint) * (state[j] as bigint);
    }
    next[i] = sum % P;
  }
  for (let i = 0; i < t; i++) {
    state[i] = next[i] as bigint;
  }
}

function permute(params: PoseidonParams, inputs: readonly bigint[]): bigint {
  const t = params.width;
  const state: bigint[] = [0n, ...inputs];
  const next: bigint[] = new Array<bigint>(t);
  const { firstConstants, lastConstants, mds, sparseV, sparseW, partialConstants } = params;
  for (let r = 0; r < FULL_ROUNDS_HALF; r++) {
    fullRound(state, next, firstConstants, r * t, r === FULL_ROUNDS_HALF - 1 ? params.preSparse : mds);
  }
  const m00 = mds[0] as bigint;
  // Elements 1.. are left unreduced through the partial rounds: each round adds one product
  // (< 2^508), so they stay below 2^515, cheaper to multiply than to reduce every round.
  for (let r = 0, k = 0; r < params.partialRounds; r++) {
    const x0 = pow5((state[0] as bigint) + (partialConstants[r] as bigint));
    let sum = m00 * x0;
    for (let i = 1; i < t; i++, k++) {
      sum += (sparseV[k] as bigint) * (state[i] as bigint);
      state[i] = (sparseW[k] as bigint) * x0 + (state[i] as bigint);
    }
    state[0] = sum % P;
  }
  for (let i = 1; i < t; i++) {
    state[i] = (state[i] as bigint) % P;
  }
  for (let r = 0; r < FULL_ROUNDS_HALF - 1; r++) {
    fullRound(state, next, lastConstants, r * t, mds);
  }
  // The last round's output is element 0 alone: one row of its matrix.
  const offset = (FULL_ROUNDS_HALF - 1) * t;
  let out = 0n;
  for (let j = 0; j < t; j++) {
    out += (mds[j] as bigint) * pow5((state[j] as bigint) + (lastConstants[offset + j] as bigint));
  }
  return out % P;
}

/** circomlib's Poseidon of 1 to 8 inputs, each already in Fr. */
export function poseidon(inputs: readonly Fr[]): Fr {
  const width = inputs.length + 1;
  if (inputs.length < 1 || inputs.length > MAX_INPUTS) {
    throw new RangeError(`Poseidon supports 1 to ${MAX_INPUTS} inputs, got ${inputs.length}`);
  }
  paramsByWidth[width] ??= deriveParams(width);
  return permute(paramsByWidth[width], inputs) as Fr;
}

export function hashTagged(tag: Fr, ...inputs: Fr[]): Fr {
  return poseidon([tag, ...inputs]);
}
