/**
 * The one list of circuits and their parameters (ARCHITECTURE.md §2.10).
 * `scripts/generate.ts` writes one `main/<name>.circom` per entry, the build,
 * setup and check scripts loop over it, and the prover reads shapes from it.
 * Changing anything here changes the circuits: rerun `circuits:build`,
 * `circuits:setup`, and commit the new artifacts and manifest.
 */

/** Depth of the commitment tree (PROTOCOL.md §7). */
export const TREE_DEPTH = 32;

/**
 * The asset id of SERO, `BlakeFr("SERO_TokenId____", "SERO")` (PROTOCOL.md §4),
 * compiled into the circuit as the asset the fee is paid in.
 * test/circuits/config.test.ts checks it against src/protocol/asset.ts.
 */
export const SERO_ASSET_ID = 3765616718235071970550537526609012732162427175738105341766830306584174250654n;

export type CircuitShape = {
  /** File stem of the main file and of every artifact. */
  readonly name: string;
  /** Number of inputs (spent notes, real or dummy). */
  readonly nIn: number;
  /** Number of outputs (created notes, real or dummy). */
  readonly nOut: number;
  readonly depth: number;
  /** log2 of the smallest power-of-two domain that holds the circuit (constraints + public inputs + 1). */
  readonly power: number;
};

/** The transaction shapes of PROTOCOL.md §8.2: (2, 2) for payments, (4, 2) for merging notes. */
export const CIRCUITS: readonly CircuitShape[] = [
  { name: "transfer_2x2", nIn: 2, nOut: 2, depth: TREE_DEPTH, power: 15 },
  { name: "merge_4x2", nIn: 4, nOut: 2, depth: TREE_DEPTH, power: 16 },
];

/** Number of public inputs of a shape: anchor, nIn nullifiers, nOut commitments, fee, bind. */
export function publicInputCount(shape: Pick<CircuitShape, "nIn" | "nOut">): number {
  return 1 + shape.nIn + shape.nOut + 2;
}

export function circuitByShape(nIn: number, nOut: number): CircuitShape {
  const shape = CIRCUITS.find((c) => c.nIn === nIn && c.nOut === nOut);
  if (!shape) {
    throw new RangeError(`no circuit for ${nIn} inputs and ${nOut} outputs`);
  }
  return shape;
}

/**
 * The development setup (docs/CEREMONY.md): no secret randomness at all, only
 * public beacons, so anyone can rerun it and get byte-identical keys — and
 * anyone can also compute its toxic waste. It is for development and tests
 * only; a real network replaces it with a multi-party ceremony.
 */
export const DEV_SETUP = {
  /** One powers-of-tau file of this power serves every circuit above. */
  ptauPower: 16,
  /** sha256("SERO Edge dev setup v1"). */
  beaconHash: "4706b21e4ab8ca35a2e9536422cbea017f835224a97dd9308bb21b446b88bba7",
  /** The beacon iterates its hash 2^this times. */
  beaconIterationsExp: 10,
} as const;
