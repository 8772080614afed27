import { describe, expect, it } from "vitest";
import { chainProofVerifier, sharedProofVerifier } from "../../src/chain/proof-verifier.ts";
import { CachingProofVerifier } from "../../src/ledger/verdict-cache.ts";

describe("proof verifiers of an isolate", () => {
  it("gives every replica of one chain the same verdict cache, and another chain its own", () => {
    const chain = sharedProofVerifier("sero-local-a");
    expect(chain).toBeInstanceOf(CachingProofVerifier);
    expect(sharedProofVerifier("sero-local-a")).toBe(chain);
    expect(sharedProofVerifier("sero-local-b")).not.toBe(chain);
  });

  it("leaves recovery a verifier that remembers nothing", () => {
    expect(chainProofVerifier()).not.toBeInstanceOf(CachingProofVerifier);
  });
});
