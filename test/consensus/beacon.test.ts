import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BeaconShare,
  beaconAlpha,
  deriveBeacon,
  ecvrfBeaconKeys,
  epochOf,
  genesisBeacon,
  sealingSeq,
} from "../../src/consensus/beacon.ts";
import { drawOrder } from "../../src/consensus/draw.ts";
import { compareBytes, hashTagged } from "../../src/consensus/hash.ts";
import { vrfProofToHash, vrfProve } from "../../src/consensus/vrf.ts";
import { makeKeyring } from "./sim/keys.ts";
import { SIM_PARAMS } from "./sim/scenario.ts";

const ring = makeKeyring(4, "ed25519", SIM_PARAMS);
const committee = ring.committee;
const secrets = ring.secrets;
const CHAIN = ring.genesis.chainId;
const B0 = genesisBeacon(committee);
const keys = ecvrfBeaconKeys(CHAIN, committee, secrets[0] as Uint8Array);

function shares(epoch: number, previous: Uint8Array, ids: readonly number[]): BeaconShare[] {
  const alpha = beaconAlpha(CHAIN, epoch, previous);
  return ids.map((validator) => ({ validator, proof: vrfProve(secrets[validator] as Uint8Array, alpha) }));
}

const all = shares(0, B0, [0, 1, 2, 3]);

describe("the SE-Random beacon (CONSENSUS.md §8)", () => {
  it("numbers epochs of K blocks and seals each at its last block", () => {
    expect([1, 4, 5, 8, 9].map((seq) => epochOf(seq, 4))).toEqual([0, 0, 1, 1, 2]);
    expect([0, 1, 2].map((e) => sealingSeq(e, 4))).toEqual([4, 8, 12]);
    expect(epochOf(sealingSeq(7, 3), 3)).toBe(7);
  });

  it("takes the lowest output: any 2f + 1 shares that contain it give the same beacon", () => {
    const b = deriveBeacon(keys, committee, 0, B0, all);
    if (typeof b === "string") {
      throw new Error(b);
    }
    const outputs = all.map((s) => vrfProofToHash(s.proof) as Uint8Array);
    const lowest = outputs.reduce((a, o, i) => (compareBytes(o, outputs[a] as Uint8Array) < 0 ? i : a), 0);
    expect(b.winner).toBe(lowest);
    const without = [0, 1, 2, 3].filter((i) => i !== (lowest + 1) % 4);
    const same = deriveBeacon(
      keys,
      committee,
      0,
      B0,
      all.filter((s) => without.includes(s.validator)),
    );
    expect(typeof same !== "string" && same.value).toEqual(b.value);
    const dropLowest = deriveBeacon(
      keys,
      committee,
      0,
      B0,
      all.filter((s) => s.validator !== lowest),
    );
    expect(typeof dropLowest !== "string" && dropLowest.value).not.toEqual(b.value);
  });

  it("chains: the same validators on another previous beacon or epoch give another beacon", () => {
    const b = deriveBeacon(keys, committee, 0, B0, all) as { value: Uint8Array };
    const other = hashTagged("other");
    const next = deriveBeacon(keys, committee, 0, other, shares(0, other, [0, 1, 2, 3])) as { value: Uint8Array };
    const later = deriveBeacon(keys, committee, 1, B0, shares(1, B0, [0, 1, 2, 3])) as { value: Uint8Array };
    expect(next.value).not.toEqual(b.value);
    expect(later.value).not.toEqual(b.value);
  });

  it("refuses fewer than 2f + 1 shares, duplicates, disorder, strangers and forged proofs", () => {
    const [s0, s1, s2, s3] = all as [BeaconShare, BeaconShare, BeaconShare, BeaconShare];
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1])).toBe("too_few_shares");
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1, s1])).toBe("duplicate_share");
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s2, s1])).toBe("unsorted_shares");
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1, { ...s2, validator: 4 }])).toBe("unknown_validator");
    // Validator 3 passes validator 2's proof off as its own.
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1, { ...s2, validator: 3 }])).toBe("bad_share_proof");
    // A proof for another epoch (a replay) does not count.
    const replay = shares(1, B0, [3])[0] as BeaconShare;
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1, replay])).toBe("bad_share_proof");
    const tampered = { ...s3, proof: s3.proof.map((b, i) => (i === 79 ? b ^ 1 : b)) };
    expect(deriveBeacon(keys, committee, 0, B0, [s0, s1, tampered])).toBe("bad_share_proof");
  });
});

describe("the stake-weighted primary draw (CONSENSUS.md §8.4)", () => {
  it("is a permutation of the validators, the same for the same beacon", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 16 }),
        (beacon, stakes) => {
          const order = drawOrder(beacon, stakes);
          expect([...order].sort((a, b) => a - b)).toEqual(stakes.map((_, i) => i));
          expect(drawOrder(beacon, stakes)).toEqual(order);
        },
      ),
    );
  });

  it("puts each validator first in proportion to its stake", () => {
    const stakes = [1n, 1n, 2n, 4n];
    const firsts = [0, 0, 0, 0];
    const draws = 8000;
    for (let i = 0; i < draws; i++) {
      const beacon = hashTagged("test-draw", new Uint8Array([i >> 8, i & 255]));
      const first = drawOrder(beacon, stakes)[0] as number;
      firsts[first] = (firsts[first] as number) + 1;
    }
    // Expected 1/8, 1/8, 2/8, 4/8; 5 standard deviations is below 0.03 at 8000 draws.
    firsts.forEach((count, i) => {
      expect(Math.abs(count / draws - Number(stakes[i]) / 8)).toBeLessThan(0.03);
    });
  });
});
