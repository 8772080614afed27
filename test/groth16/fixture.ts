/**
 * The committed Groth16 test fixture (test/fixtures/groth16/, made by make.sh)
 * and small helpers to build tampered variants of its JSON.
 */
import { readFileSync } from "node:fs";
import { bn254 } from "@noble/curves/bn254.js";
import type { SnarkjsProof } from "./snarkjs.ts";

export type FixtureProof = { proof: SnarkjsProof; publicSignals: string[] };

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/groth16/${name}`, import.meta.url), "utf8"));
}

export const vkeyJson = readJson("vkey.json") as Record<string, unknown>;
export const fixtureProofs = readJson("proofs.json") as FixtureProof[];

export function fixture(i: number): FixtureProof {
  const f = fixtureProofs[i];
  if (f === undefined) {
    throw new Error(`no fixture proof ${i}`);
  }
  return structuredClone(f);
}

/** snarkjs JSON of G1/G2 points, to and from noble points. */
export const G1 = bn254.G1.Point;
export const G2 = bn254.G2.Point;
export type G1Point = InstanceType<typeof G1>;
export type G2Point = InstanceType<typeof G2>;

export function g1FromJson(p: readonly string[]): G1Point {
  return G1.fromAffine({ x: BigInt(p[0] as string), y: BigInt(p[1] as string) });
}

export function g1ToJson(p: G1Point): string[] {
  const { x, y } = p.toAffine();
  return [x.toString(), y.toString(), "1"];
}

export function g2FromJson(p: readonly (readonly string[])[]): G2Point {
  const c = (i: number, j: number) => BigInt((p[i] as readonly string[])[j] as string);
  return G2.fromAffine({ x: { c0: c(0, 0), c1: c(0, 1) }, y: { c0: c(1, 0), c1: c(1, 1) } });
}

export function g2ToJson(p: G2Point): string[][] {
  const { x, y } = p.toAffine();
  return [
    [x.c0.toString(), x.c1.toString()],
    [y.c0.toString(), y.c1.toString()],
    ["1", "0"],
  ];
}

/** A point on the twist E'(Fp2) at x = (seed, 1) or just after: outside G2 with overwhelming probability. */
export function twistPoint(seed: bigint): G2Point {
  const Fp2 = bn254.fields.Fp2;
  for (let c0 = seed; ; c0++) {
    const x = { c0: c0 % bn254.fields.Fp.ORDER, c1: 1n };
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), G2.CURVE().b);
    try {
      return G2.fromAffine({ x, y: Fp2.sqrt(rhs) });
    } catch {
      // x³ + b' is not a square: no point with this x.
    }
  }
}
