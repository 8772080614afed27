import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scalarMult, X25519_BASE_U } from "../../src/protocol/x25519.ts";
import { nodeKeyAgreement } from "../../src/wallet/node-agreement.ts";

describe("X25519 agreement through node:crypto", () => {
  it("equals noble's X25519 (RFC 7748) on random keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        async (a, b) => {
          const publicB = scalarMult(b, X25519_BASE_U);
          expect(await nodeKeyAgreement(a).agree(publicB)).toEqual(scalarMult(a, publicB));
        },
      ),
      { numRuns: 50 },
    );
  });

  it("one agreement serves concurrent calls, each with its own key (its DER buffer is reused)", async () => {
    const secret = new Uint8Array(32).fill(9);
    const agreement = nodeKeyAgreement(secret);
    const publics = Array.from({ length: 64 }, (_, i) => scalarMult(new Uint8Array(32).fill(i + 1), X25519_BASE_U));
    const lowOrder = new Uint8Array(32);
    const results = await Promise.all([...publics, lowOrder].map((p) => agreement.agree(p)));
    expect(results).toEqual([...publics.map((p) => scalarMult(secret, p)), undefined]);
  });

  it("finds nothing for low-order or malformed keys", async () => {
    const agreement = nodeKeyAgreement(new Uint8Array(32).fill(7));
    expect(await agreement.agree(new Uint8Array(32))).toBeUndefined(); // u = 0
    expect(await agreement.agree(Uint8Array.of(1, ...new Uint8Array(31)))).toBeUndefined(); // u = 1
    expect(await agreement.agree(new Uint8Array(31))).toBeUndefined();
  });
});
