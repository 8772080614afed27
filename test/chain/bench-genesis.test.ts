import { describe, expect, it } from "vitest";
import { BENCH_CHAIN_ID, BENCH_NOTES, BENCH_SEED, benchChain } from "../../bench/chain/genesis.ts";
import { SERO } from "../../src/chain/config.ts";
import { DEV_FAUCET_SEED } from "../../src/chain/dev-keys.ts";
import { parseGenesisDocument } from "../../src/chain/genesis-document.ts";
import { genesisSpends } from "../fixtures/chain/genesis-spends.ts";

// The chain benchmark's genesis (bench/chain/genesis.ts): its proofs are cached by the document's bytes,
// and every benchmark transfer spends a genesis note of its own.
describe("the chain benchmark's genesis", () => {
  const chain = benchChain();

  it("is the same document every time, so cached proofs stay valid", () => {
    expect(benchChain().document).toBe(chain.document);
  });

  it("is a GENESIS a local replica accepts, with an anchor window the run's blocks cannot outlast", () => {
    const definition = parseGenesisDocument(chain.document, BENCH_CHAIN_ID);
    expect(definition.anchorWindow).toBe(10_000);
    expect(() => parseGenesisDocument(chain.document, "sero-local-1")).toThrow(/chainId/);
  });

  it("gives the bench account one spendable note per transfer, and nobody else any", async () => {
    const bench = await genesisSpends(BENCH_CHAIN_ID, chain.config, BENCH_SEED);
    expect(bench.spends).toHaveLength(BENCH_NOTES);
    expect(new Set(bench.spends.map((s) => s.path.position)).size).toBe(BENCH_NOTES);
    expect(bench.spends.every((s) => s.note.value.kind === "token" && s.note.value.amount === 1_000n * SERO)).toBe(
      true,
    );
    const faucet = await genesisSpends(BENCH_CHAIN_ID, chain.config, DEV_FAUCET_SEED);
    expect(faucet.spends).toHaveLength(0);
  });
});
