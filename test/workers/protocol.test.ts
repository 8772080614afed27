/**
 * The protocol core is pure and portable: the same code runs inside workerd,
 * including native WebCrypto X25519 for scanning, and reproduces the committed
 * vectors byte for byte.
 */
import { describe, expect, it } from "vitest";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { account, oneTimeAddress, payment } from "../protocol/fixtures.ts";
import committed from "../vectors/protocol-v3.json" with { type: "json" };
import { computeProtocolVectors } from "../vectors/protocol-vectors.ts";

describe("protocol core inside workerd", () => {
  it("reproduces the protocol vectors", () => {
    expect(computeProtocolVectors()).toEqual(committed);
  });

  it("finds a note with the runtime's native X25519", async () => {
    const bob = account("bob");
    const tx = payment(account("alice"), oneTimeAddress(bob, "workerd"), "workerd");
    const scanner = await NoteScanner.create(bob);
    expect(scanner.agreementImplementation).toBe("webcrypto");
    const found = await scanner.incoming(tx.epk, tx.outputs);
    expect(found.map((f) => f.index)).toEqual([0]);
  });
});
