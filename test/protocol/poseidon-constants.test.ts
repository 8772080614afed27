/**
 * The committed Poseidon constants are exactly circomlib's (as circomlibjs
 * ships them): the file regenerated from that source must equal the committed one.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderPoseidonConstants, TARGET } from "../../scripts/gen-poseidon-constants.ts";

describe("Poseidon constants", () => {
  it("are what scripts/gen-poseidon-constants.ts generates from circomlib's", () => {
    expect(readFileSync(TARGET, "utf8")).toBe(renderPoseidonConstants());
  });
});
