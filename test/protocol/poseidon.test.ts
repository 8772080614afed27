/**
 * Poseidon must equal circomlib's circuit, the reference the circuits use:
 * we compile circomlib's own poseidon.circom for 1..6 inputs with circom2 and
 * compare witness outputs, and compare with circomlibjs (an independent JS
 * implementation by the same authors) and poseidon-lite (a third, the one we
 * used before) for every arity 1..8, on fixed, edge and random inputs.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { buildPoseidon } from "circomlibjs";
import fc from "fast-check";
import { poseidon1 } from "poseidon-lite/poseidon1";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { poseidon5 } from "poseidon-lite/poseidon5";
import { poseidon6 } from "poseidon-lite/poseidon6";
import { poseidon7 } from "poseidon-lite/poseidon7";
import { poseidon8 } from "poseidon-lite/poseidon8";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { FR_MODULUS, type Fr } from "../../src/protocol/field.ts";
import { hashTagged, poseidon } from "../../src/protocol/poseidon.ts";

const BUILD = "circuits/build/vectors";
const POSEIDON_LITE = [poseidon1, poseidon2, poseidon3, poseidon4, poseidon5, poseidon6, poseidon7, poseidon8];
const fr = fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }).map((x) => x as Fr);
const EDGES = [0n, 1n, FR_MODULUS - 1n, FR_MODULUS - 2n] as Fr[];

function randomInputs(count: number, seed: number): Fr[] {
  // Deterministic, spread over the whole field, including its edges.
  return Array.from({ length: count }, (_, i) => {
    const k = BigInt(seed * 31 + i);
    if (i === 0) {
      return (FR_MODULUS - 1n) as Fr;
    }
    return ((k * 0x9e3779b97f4a7c15f39cc0605cedc835n) % FR_MODULUS) as Fr;
  });
}

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("Poseidon", () => {
  it("matches the published vector poseidon([1, 2])", () => {
    expect(poseidon([1n, 2n] as Fr[])).toBe(
      7853200120776062878684798364095072458815029376092732009249414926327459813530n,
    );
  });

  it("equals circomlib's poseidon.circom for 1 to 6 inputs", async () => {
    mkdirSync(BUILD, { recursive: true });
    writeFileSync(
      `${BUILD}/poseidon_vectors.circom`,
      `pragma circom 2.1.0;
include "poseidon.circom";
template Vectors() {
  signal input a[21];
  signal output o[6];
  component h[6];
  var offset = 0;
  for (var n = 1; n <= 6; n++) {
    h[n - 1] = Poseidon(n);
    for (var i = 0; i < n; i++) h[n - 1].inputs[i] <== a[offset + i];
    offset += n;
    o[n - 1] <== h[n - 1].out;
  }
}
component main = Vectors();
`,
    );
    execFileSync(
      "npx",
      [
        "circom2",
        `${BUILD}/poseidon_vectors.circom`,
        "--wasm",
        "--O2",
        "-l",
        "node_modules/circomlib/circuits",
        "-o",
        BUILD,
      ],
      {
        stdio: "ignore",
      },
    );
    const inputs = randomInputs(21, 7);
    const wtns = { type: "mem" } as { type: "mem"; data?: Uint8Array };
    await snarkjs.wtns.calculate({ a: inputs.map(String) }, `${BUILD}/poseidon_vectors_js/poseidon_vectors.wasm`, wtns);
    const witness = (await snarkjs.wtns.exportJson(wtns)) as bigint[];
    let offset = 0;
    for (let n = 1; n <= 6; n++) {
      expect(poseidon(inputs.slice(offset, offset + n)), `Poseidon(${n})`).toBe(witness[n]);
      offset += n;
    }
  }, 120_000);

  it("equals circomlibjs for every arity 1 to 8 on many inputs", async () => {
    const reference = await buildPoseidon();
    for (let n = 1; n <= 8; n++) {
      for (let seed = 0; seed < 10; seed++) {
        const inputs = randomInputs(n, seed * 10 + n);
        expect(poseidon(inputs), `Poseidon(${n}) seed ${seed}`).toBe(reference.F.toObject(reference(inputs)));
      }
    }
  });

  it("equals circomlibjs on the field's edges (all 0, all r - 1, and mixed) for every arity", async () => {
    const reference = await buildPoseidon();
    for (let n = 1; n <= 8; n++) {
      for (const [k, edge] of EDGES.entries()) {
        const same = new Array<Fr>(n).fill(edge);
        const mixed = Array.from({ length: n }, (_, i) => EDGES[(i + k) % EDGES.length] as Fr);
        for (const inputs of [same, mixed]) {
          expect(poseidon(inputs), `Poseidon(${inputs})`).toBe(reference.F.toObject(reference(inputs)));
        }
      }
    }
  });

  it("equals poseidon-lite on random field elements for every arity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.array(fr, { minLength: n, maxLength: n })),
        (inputs) => {
          expect(poseidon(inputs)).toBe((POSEIDON_LITE[inputs.length - 1] as (x: bigint[]) => bigint)(inputs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hashes the tag as the first input", () => {
    fc.assert(
      fc.property(fr, fr, fr, (tag, left, right) => {
        expect(hashTagged(tag, left, right)).toBe(poseidon3([tag, left, right]));
      }),
      { numRuns: 50 },
    );
  });

  it("refuses no inputs and more than 8", () => {
    expect(() => poseidon([])).toThrow(RangeError);
    expect(() => poseidon(new Array<Fr>(9).fill(1n as Fr))).toThrow(RangeError);
  });
});
