/**
 * SE-Random figures for `npm run bench:consensus` (CONSENSUS.md §8, §9):
 *
 *   vrf_prove_per_s, vrf_verify_per_s  ECVRF-EDWARDS25519-SHA512-TAI proofs per second (one core)
 *   primary_share_max                  largest share of epochs any validator is drawn first, n = 4, equal stakes (ideal 0.25)
 *   primary_share_stake_error          largest |share − stake share| with stakes 1, 2, 3, 4
 *   withhold_bias                      share gained by a validator withholding its share whenever that makes it primary
 *   withhold_bias_bound                q(1 − q)/m from CONSENSUS.md §8.3 (q = 1/4, m = 4)
 *   rotation_commit_delays             message delays from a sealing block's commit (the scheduled rotation)
 *                                      to the commit of the new epoch's first block, worst over the run
 *   seal_commit_delays                 message delays from the commit of the block before a sealing block
 *                                      to the sealing block's (the shares' trip to the proposer, then PBFT)
 *   sortition_turnover                 committee by sortition (CONSENSUS.md §8.5, a design): mean share of
 *                                      the 16 seats that change hands from one epoch to the next, pool of 64
 *   sortition_over_f                   share of epochs in which a coalition with 1/5 of the pool's stake
 *                                      draws more than f = 5 of the 16 seats
 *
 * The epoch simulations chain real beacons (`combine`, `drawOrder`) over
 * 10,000 epochs; each validator's VRF output is modelled by a hash of its id
 * and alpha_e, which is what VRF pseudorandomness promises, so 40,000 proofs
 * need not be computed.
 */
import { combine } from "../src/consensus/beacon.ts";
import type { ConsensusParams } from "../src/consensus/committee.ts";
import { drawOrder } from "../src/consensus/draw.ts";
import { compareBytes, type Digest, hashTagged } from "../src/consensus/hash.ts";
import { ed25519PublicKey } from "../src/consensus/signing.ts";
import { vrfProve, vrfVerify } from "../src/consensus/vrf.ts";
import { Simulation } from "../test/consensus/sim/simulation.ts";

const EPOCHS = 10_000;
const VRF_ROUNDS = 100;

function perSecond(rounds: number, body: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    body(i);
  }
  return Math.round((rounds * 1000) / (performance.now() - start));
}

function vrfRates(): { prove: number; verify: number } {
  const sk = hashTagged("bench-vrf-key");
  const pk = ed25519PublicKey(sk);
  const alphas = Array.from({ length: VRF_ROUNDS }, (_, i) => hashTagged("bench-vrf-alpha", new Uint8Array([i])));
  const proofs: Uint8Array[] = [];
  const prove = perSecond(VRF_ROUNDS, (i) => proofs.push(vrfProve(sk, alphas[i] as Uint8Array)));
  const verify = perSecond(VRF_ROUNDS, (i) => {
    if (vrfVerify(pk, alphas[i] as Uint8Array, proofs[i] as Uint8Array) === undefined) {
      throw new Error("a fresh proof failed to verify");
    }
  });
  return { prove, verify };
}

function modelledOutput(validator: number, epoch: number, previous: Digest): Uint8Array {
  const at = new Uint8Array(6);
  new DataView(at.buffer).setUint16(0, validator);
  new DataView(at.buffer).setUint32(2, epoch);
  return hashTagged("bench-vrf-output", at, previous);
}

function lowest(outputs: readonly Uint8Array[]): Uint8Array {
  return outputs.reduce((a, b) => (compareBytes(b, a) < 0 ? b : a));
}

/**
 * Epochs in which each validator is drawn first. `withholder`, if set, leaves its share out whenever
 * the beacon without it makes it primary and the beacon with it does not (CONSENSUS.md §8.3).
 */
function firstCounts(stakes: readonly bigint[], withholder?: number): number[] {
  const counts = stakes.map(() => 0);
  let previous = hashTagged("bench-genesis-beacon");
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const outputs = stakes.map((_, i) => modelledOutput(i, epoch, previous));
    let beacon = combine(epoch, previous, lowest(outputs));
    if (withholder !== undefined && drawOrder(beacon, stakes)[0] !== withholder) {
      const without = combine(epoch, previous, lowest(outputs.filter((_, i) => i !== withholder)));
      if (drawOrder(without, stakes)[0] === withholder) {
        beacon = without;
      }
    }
    const first = drawOrder(beacon, stakes)[0] as number;
    counts[first] = (counts[first] as number) + 1;
    previous = beacon;
  }
  return counts;
}

/** A fault-free n = 4 run with real ECVRF shares, a fixed message delay and a steady backlog of requests. */
function rotationDelays(params: ConsensusParams, delta: number): { rotation: number; seal: number } {
  const sim = new Simulation({
    n: 4,
    seed: 4242,
    scheme: "ed25519",
    seRandom: true,
    params: { ...params, epochLength: 4 },
    network: { minDelay: delta, maxDelay: delta, loss: 0, duplicate: 0 },
  });
  sim.at(0, () => {
    for (let i = 0; i < 160; i++) {
      sim.submit(1 + (i % 3));
    }
  });
  sim.runUntil(1);
  sim.runUntilLive(200 * delta, delta);
  const first = new Map<number, number>();
  for (const c of sim.commits) {
    first.set(c.seq, Math.min(c.time, first.get(c.seq) ?? Number.POSITIVE_INFINITY));
  }
  let rotation = 0;
  let seal = 0;
  for (const block of sim.node(0).blocks.values()) {
    const at = first.get(block.seq);
    const next = first.get(block.seq + 1);
    const before = first.get(block.seq - 1);
    if (block.beacon === undefined || at === undefined || next === undefined || before === undefined) {
      continue;
    }
    rotation = Math.max(rotation, (next - at) / delta);
    seal = Math.max(seal, (at - before) / delta);
  }
  return { rotation, seal };
}

/** CONSENSUS.md §8.5: each epoch's committee is the first 16 of the stake-weighted draw over the pool. */
function sortition(): { turnover: number; overF: number } {
  const POOL = 64;
  const SEATS = 16;
  const F = 5;
  // Stakes 1..8 cycling; the coalition is the validators holding the first fifth of the total stake.
  const stakes = Array.from({ length: POOL }, (_, i) => BigInt(1 + (i % 8)));
  const total = stakes.reduce((a, b) => a + b);
  const coalition = new Set<number>();
  let held = 0n;
  for (let i = 0; 5n * (held + (stakes[i] as bigint)) <= total; i++) {
    coalition.add(i);
    held += stakes[i] as bigint;
  }
  let previous: Set<number> | undefined;
  let changed = 0;
  let overF = 0;
  let beacon = hashTagged("bench-sortition");
  const epochs = EPOCHS / 5;
  for (let epoch = 0; epoch < epochs; epoch++) {
    beacon = hashTagged("bench-sortition", beacon);
    const committee = new Set(drawOrder(beacon, stakes).slice(0, SEATS));
    if (previous !== undefined) {
      changed += [...committee].filter((v) => !(previous as Set<number>).has(v)).length;
    }
    if ([...committee].filter((v) => coalition.has(v)).length > F) {
      overF++;
    }
    previous = committee;
  }
  return { turnover: changed / ((epochs - 1) * SEATS), overF: overF / epochs };
}

export function seRandomFigures(params: ConsensusParams, delta: number): Record<string, number> {
  const { prove, verify } = vrfRates();
  const { rotation, seal } = rotationDelays(params, delta);
  const committee = sortition();
  const equal = [1n, 1n, 1n, 1n];
  const shareMax = Math.max(...firstCounts(equal)) / EPOCHS;
  const weighted = [1n, 2n, 3n, 4n];
  const total = Number(weighted.reduce((a, b) => a + b));
  const stakeError = Math.max(
    ...firstCounts(weighted).map((count, i) => Math.abs(count / EPOCHS - Number(weighted[i]) / total)),
  );
  const withheld = (firstCounts(equal, 0)[0] as number) / EPOCHS;
  const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    vrf_prove_per_s: prove,
    vrf_verify_per_s: verify,
    primary_share_max: round4(shareMax),
    primary_share_stake_error: round4(stakeError),
    withhold_bias: round4(withheld - 0.25),
    withhold_bias_bound: (0.25 * 0.75) / 4,
    rotation_commit_delays: rotation,
    seal_commit_delays: seal,
    sortition_turnover: round4(committee.turnover),
    sortition_over_f: round4(committee.overF),
  };
}
