import { describe, expect, it } from "vitest";
import { committeeFromGenesis, DEFAULT_PARAMS, genesisHash, roundRobin } from "../../src/consensus/index.ts";

const keys = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => new Uint8Array(32).fill(i + 1));

describe("genesis and committee", () => {
  it("derives f and the quorums for n = 3f + 1", () => {
    for (const [n, f] of [
      [4, 1],
      [7, 2],
      [10, 3],
      [16, 5],
    ]) {
      const c = committeeFromGenesis({ chainId: "t", validators: keys(n as number), params: DEFAULT_PARAMS });
      expect([c.n, c.f, c.quorum, c.weakQuorum]).toEqual([n, f, 2 * (f as number) + 1, (f as number) + 1]);
    }
  });

  it("refuses validator sets that are not 3f + 1, duplicate keys and inconsistent parameters", () => {
    for (const n of [1, 3, 5, 6, 8]) {
      expect(() => committeeFromGenesis({ chainId: "t", validators: keys(n), params: DEFAULT_PARAMS })).toThrow(
        /3f \+ 1/,
      );
    }
    const dup = keys(4);
    dup[3] = dup[0] as Uint8Array;
    expect(() => committeeFromGenesis({ chainId: "t", validators: dup, params: DEFAULT_PARAMS })).toThrow(/duplicate/);
    const bad = { ...DEFAULT_PARAMS, watermarkWindow: DEFAULT_PARAMS.checkpointInterval };
    expect(() => committeeFromGenesis({ chainId: "t", validators: keys(4), params: bad })).toThrow(/watermarkWindow/);
    expect(() =>
      committeeFromGenesis({ chainId: "t", validators: keys(4), params: { ...DEFAULT_PARAMS, viewTimeout: 0 } }),
    ).toThrow(/positive/);
  });

  it("binds the chain id, the keys and every parameter into the genesis hash", () => {
    const g = { chainId: "t", validators: keys(4), params: DEFAULT_PARAMS };
    const h = genesisHash(g);
    expect(genesisHash({ ...g, chainId: "u" })).not.toEqual(h);
    expect(genesisHash({ ...g, validators: keys(7).slice(0, 4).reverse() })).not.toEqual(h);
    expect(genesisHash({ ...g, params: { ...DEFAULT_PARAMS, statusInterval: 999 } })).not.toEqual(h);
    expect(genesisHash({ ...g, params: { ...DEFAULT_PARAMS, epochLength: 8 } })).not.toEqual(h);
    expect(genesisHash({ ...g, stakes: [1n, 1n, 1n, 2n] })).not.toEqual(h);
    // Absent stakes mean equal stakes: one chain, one hash.
    expect(genesisHash({ ...g, stakes: [1n, 1n, 1n, 1n] })).toEqual(h);
  });

  it("takes one stake per validator, each from 1 to 2^64 - 1, equal by default", () => {
    const g = { chainId: "t", validators: keys(4), params: DEFAULT_PARAMS };
    expect(committeeFromGenesis(g).stakes).toEqual([1n, 1n, 1n, 1n]);
    expect(committeeFromGenesis({ ...g, stakes: [5n, 1n, 1n, 2n ** 64n - 1n] }).stakes[3]).toBe(2n ** 64n - 1n);
    for (const stakes of [
      [1n, 1n, 1n],
      [0n, 1n, 1n, 1n],
      [1n, 1n, 1n, 2n ** 64n],
      [-1n, 1n, 1n, 1n],
    ]) {
      expect(() => committeeFromGenesis({ ...g, stakes })).toThrow(/one per validator/);
    }
  });

  it("round-robin primary: view mod n (PBFT §4.1)", () => {
    const p = roundRobin(4);
    expect([0, 1, 2, 3, 4, 5].map((v) => p.primary(v))).toEqual([0, 1, 2, 3, 0, 1]);
  });
});
