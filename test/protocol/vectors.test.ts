import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeProtocolVectors } from "../vectors/protocol-vectors.ts";

describe("protocol v2 vectors", () => {
  it("the whole derivation chain still produces the committed bytes", () => {
    const committed = JSON.parse(readFileSync("test/vectors/protocol-v2.json", "utf8"));
    expect(computeProtocolVectors()).toEqual(committed);
  });
});
