/**
 * The primary order of an epoch, drawn from the beacon weighted by stake
 * (CONSENSUS.md §8.4): position 0 is validator i with probability
 * stake_i / total; each later position is drawn the same way among those not
 * yet placed (weighted sampling without replacement). View v of the epoch is
 * led by order[v mod n], so a view change hands over to the next drawn
 * validator and every validator leads within n consecutive views (PBFT §4.5.2
 * liveness needs a correct primary eventually).
 */
import { bytesToBigintBE } from "../codec/bytes.ts";
import type { ReplicaId } from "./committee.ts";
import { type Digest, hashTagged } from "./hash.ts";

/**
 * A uniform draw below `total` from a 256-bit hash: the modulo bias is below
 * total / 2^256 <= 2^-182 for u64 stakes and 1024 validators.
 */
function drawBelow(beacon: Digest, position: number, total: bigint): bigint {
  const at = new Uint8Array(2);
  new DataView(at.buffer).setUint16(0, position);
  return bytesToBigintBE(hashTagged("draw", beacon, at)) % total;
}

export function drawOrder(beacon: Digest, stakes: readonly bigint[]): ReplicaId[] {
  const remaining = stakes.map((stake, id) => ({ id, stake }));
  let total = stakes.reduce((a, b) => a + b, 0n);
  const order: ReplicaId[] = [];
  for (let position = 0; remaining.length > 0; position++) {
    let x = drawBelow(beacon, position, total);
    let index = 0;
    for (; index < remaining.length - 1; index++) {
      const stake = (remaining[index] as { stake: bigint }).stake;
      if (x < stake) {
        break;
      }
      x -= stake;
    }
    const [picked] = remaining.splice(index, 1) as [{ id: ReplicaId; stake: bigint }];
    order.push(picked.id);
    total -= picked.stake;
  }
  return order;
}
