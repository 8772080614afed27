/**
 * The circuits' constants are the protocol's: the Poseidon tags of
 * circuits/lib/tags.circom are PROTOCOL.md §0.1's strings (and src/protocol's
 * PoseidonTag), the SERO asset id compiled into the circuits is
 * src/protocol/asset.ts's, and the committed main files are the generator's.
 * That the circuit's tagged hashes equal `hashTagged` is shown by every
 * accepted witness in transfer.witness.test.ts: its public nullifiers,
 * commitments and anchor are computed with src/protocol and must match.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CIRCUITS, publicInputCount, SERO_ASSET_ID } from "../../circuits/config.ts";
import { mainPath, mainSource } from "../../circuits/scripts/generate.ts";
import { CIRCUITS_DIR, MANIFEST_PATH } from "../../circuits/scripts/paths.ts";
import type { Manifest } from "../../circuits/scripts/tools.ts";
import { SERO_ASSET_ID as PROTOCOL_SERO, tokenId } from "../../src/protocol/asset.ts";
import { PoseidonTag } from "../../src/protocol/domains.ts";

describe("circuit constants", () => {
  it("every tag in tags.circom is its string read big-endian, and PoseidonTag's", () => {
    const source = readFileSync(join(CIRCUITS_DIR, "lib", "tags.circom"), "utf8");
    const found = [...source.matchAll(/function (TAG_\w+)\(\) \{ return (0x[0-9a-f]+); \}\s*\/\/ "([^"]+)"/g)];
    expect(found.length).toBe(6);
    const byString = new Map<string, bigint>(
      Object.values(PoseidonTag).map((t) => [Buffer.from(t.toString(16), "hex").toString("latin1"), t]),
    );
    for (const [, name, hex, text] of found) {
      const value = BigInt(hex as string);
      expect(value, name).toBe(BigInt(`0x${Buffer.from(text as string, "latin1").toString("hex")}`));
      expect(byString.get(text as string), name).toBe(value);
    }
    // The six tags the transfer uses; H_ticket is computed outside the circuit only.
    expect(found.map((f) => f[3]).sort()).toEqual([
      "sero.ak",
      "sero.ivk",
      "sero.merkle.node",
      "sero.nf",
      "sero.note.cm",
      "sero.note.seal",
    ]);
  });

  it("the SERO asset id compiled into the circuits is BlakeFr('SERO_TokenId____', 'SERO')", () => {
    expect(SERO_ASSET_ID).toBe(PROTOCOL_SERO);
    expect(SERO_ASSET_ID).toBe(tokenId("SERO"));
  });

  it("the committed main files are what the generator writes from config.ts", () => {
    for (const shape of CIRCUITS) {
      const committed = readFileSync(mainPath(shape), "utf8");
      expect(committed).toBe(mainSource(shape));
      expect(committed).toContain(`Transfer(${shape.nIn}, ${shape.nOut}, ${shape.depth}, ${SERO_ASSET_ID})`);
    }
  });

  it("the manifest lists every circuit, within its power of two, with the shape's public inputs", () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest;
    for (const shape of CIRCUITS) {
      const entry = manifest.circuits[shape.name];
      expect(entry, shape.name).toBeDefined();
      if (!entry) {
        continue;
      }
      expect(entry.publicInputs).toBe(publicInputCount(shape));
      expect(entry.constraints + entry.publicInputs + 1).toBeLessThanOrEqual(2 ** shape.power);
      expect(2 ** shape.power).toBeLessThanOrEqual(2 ** manifest.setup.ptauPower);
    }
    // The payment shape fits 2^15 (issue 3).
    expect((manifest.circuits.transfer_2x2?.constraints ?? Number.POSITIVE_INFINITY) < 2 ** 15).toBe(true);
  });
});
