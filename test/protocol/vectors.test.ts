import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeProtocolVectors } from "../vectors/protocol-vectors.ts";

describe("protocol v3 vectors", () => {
  it("the whole derivation chain still produces the committed bytes", () => {
    const committed = JSON.parse(readFileSync("test/vectors/protocol-v3.json", "utf8"));
    expect(computeProtocolVectors()).toEqual(committed);
  });
});
