/**
 * Read-only calls are free (PROTOCOL.md §10.7), so they are an attacker's
 * cheapest lever: a flood of them must cost a replica bounded work and must
 * never hold up the blocks consensus commits.
 */
import { describe, expect, it } from "vitest";
import { ContractReads, MAX_PENDING_READS } from "../../durable-objects/contract-reads.ts";
import { readContract } from "../../src/contracts/read.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { loadArtifact } from "../contracts/artifacts.ts";
import { CHAIN, ContractChain, calldata, SERO, testCaller, tokenValue } from "../contracts/ledger-chain.ts";

const probe = loadArtifact("Probe");
const sale = loadArtifact("TokenSale");

async function world() {
  const chain = new ContractChain();
  await chain.genesis();
  const spinner = (await chain.deploy(testCaller("owner"), probe)).address;
  const shop = (await chain.deploy(testCaller("owner"), sale, ["TKN", 0, 1_000n, 1n])).address;
  const spin = { contract: spinner, calldata: calldata(probe.abi, "spin"), caller: null, value: null };
  return { chain, spinner, shop, spin };
}

describe("read-only calls under attack", () => {
  it("a flood of reads burning all their gas: at most MAX_PENDING_READS run or wait, the rest are busy at once", async () => {
    const { chain, spin } = await world();
    const reads = new ContractReads(chain.store, CHAIN, chain.config.contracts);
    const flood = Array.from({ length: MAX_PENDING_READS + 3 }, () => reads.call({ ...spin, gasLimit: 2_000_000n }));
    const answers = await Promise.all(flood);
    expect(answers.filter((a) => a.status === "busy")).toHaveLength(3);
    for (const a of answers.filter((x) => x.status !== "busy")) {
      expect(a).toMatchObject({ status: "ok", outcome: { code: "out_of_gas" } });
    }
    // Once the flood has drained, reads are answered again.
    expect(await reads.call({ ...spin, gasLimit: 50_000n })).toMatchObject({ status: "ok" });
  }, 120_000);

  it("a block executes while a long read is still running: reads never queue ahead of consensus", async () => {
    const { chain, shop, spin } = await world();
    const order: string[] = [];
    const read = readContract(chain.store, CHAIN, chain.config.contracts, { ...spin, gasLimit: 10_000_000n }).then(
      (outcome) => {
        order.push("read");
        return outcome;
      },
    );
    const buy = chain.contractTx(
      testCaller("buyer"),
      { kind: "call", contract: shop, calldata: calldata(sale.abi, "buy") },
      { value: tokenValue(SERO_ASSET_ID, SERO) },
    );
    const block = chain.apply([encodeTransaction(buy)]).then((result) => {
      order.push("block");
      return result;
    });
    const [outcome, result] = await Promise.all([read, block]);
    expect(outcome.code).toBe("out_of_gas");
    expect(result.receipts[0]).toMatchObject({ status: "committed", outcome: { code: "ok" } });
    expect(order).toEqual(["block", "read"]);
  }, 120_000);
});
