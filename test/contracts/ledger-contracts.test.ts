/**
 * Contract transactions through the ledger (PROTOCOL.md §10): the token sale
 * and ticket box examples, every refusal and failed outcome, and what a
 * failure leaves behind (the fee charged, the value returned, nothing else).
 */
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { evmAddressOfContract } from "../../src/contracts/addresses.ts";
import type { ContractOutcome } from "../../src/contracts/outcome.ts";
import { readContract } from "../../src/contracts/read.ts";
import { StateKey } from "../../src/contracts/state-keys.ts";
import type { BlockResult, Receipt } from "../../src/ledger/execute.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { payoutCommitment } from "../../src/protocol/contract-notes.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { loadArtifact } from "./artifacts.ts";
import {
  CHAIN,
  ContractChain,
  calldata,
  decodeResult,
  MIN_FEE,
  SERO,
  type TestCaller,
  testCaller,
  tokenValue,
} from "./ledger-chain.ts";

const sale = loadArtifact("TokenSale");
const box = loadArtifact("TicketBox");
const TKN = tokenId("TKN");
const SUPPLY = 1_000_000n * SERO;

async function saleChain() {
  const chain = new ContractChain();
  await chain.genesis();
  const owner = testCaller("owner");
  const { address } = await chain.deploy(owner, sale, ["TKN", 18, SUPPLY, 100n]);
  const evm = evmAddressOfContract(address);
  const balance = (asset = TKN) => {
    const bytes = chain.store.contractValue(StateKey.token(evm, asset));
    return bytes ? BigInt(`0x${toHex(bytes)}`) : 0n;
  };
  const buy = (buyer: TestCaller, amount: bigint, options: Parameters<ContractChain["contractTx"]>[2] = {}) =>
    chain.contractTx(
      buyer,
      { kind: "call", contract: address, calldata: calldata(sale.abi, "buy") },
      { value: tokenValue(SERO_ASSET_ID, amount), ...options },
    );
  return { chain, owner, address, evm, balance, buy };
}

function only(result: BlockResult): Receipt {
  expect(result.receipts).toHaveLength(1);
  return result.receipts[0] as Receipt;
}

function outcomeOf(result: BlockResult): ContractOutcome {
  const receipt = only(result);
  if (receipt.status !== "committed" || receipt.outcome === undefined) {
    throw new Error(`not a committed contract transaction: ${receipt.status}`);
  }
  return receipt.outcome;
}

const revertReason = (data: Uint8Array) => new TextDecoder().decode(data.subarray(68)).replace(/\0+$/, "");

describe("the token sale (contracts/examples/TokenSale.sol)", () => {
  it("issues its token at deployment: registered, minted into the contract, held", async () => {
    const { chain, balance } = await saleChain();
    const record = chain.store.asset(TKN);
    expect(record?.registration).toMatchObject({ assetKind: "token", name: "TKN", decimals: 18 });
    expect(record?.registration.issuer).toEqual(new Uint8Array(32));
    expect(record?.issued).toBe(SUPPLY);
    expect(balance()).toBe(SUPPLY);
    expect(chain.store.contractValue(StateKey.held(TKN))).toBeDefined();
  });

  it("sells to an anonymous buyer: SERO in through an opened output, tokens out as a payout to the buyer's PKr", async () => {
    const { chain, buy, balance } = await saleChain();
    const buyer = testCaller("buyer");
    const tx = buy(buyer, 2n * SERO);
    const treeBefore = chain.store.meta().frontier;
    const result = await chain.apply([encodeTransaction(tx)]);
    const outcome = outcomeOf(result);
    expect(outcome.code).toBe("ok");
    expect(decodeResult(sale.abi, "buy", outcome.returnData)).toBe(200n); // 2 SERO at 100 base units per SERO
    // The opened output is not appended; the change output and the payout are.
    expect(result.effects.commitments).toHaveLength(2);
    expect(result.effects.commitments[0]?.commitment).toBe(tx.payment.outputs[0]?.commitment);
    const [payout] = result.effects.payouts;
    expect(payout).toMatchObject({ assetKind: "token", assetRef: TKN, txIndex: 0 });
    expect(BigInt(`0x${toHex(payout?.value ?? new Uint8Array())}`)).toBe(200n);
    expect(payout?.pkr).toEqual(buyer.pkr);
    expect(payout?.commitment).toBe(payoutCommitment(buyer.pkr, payout as never, payout?.rcm as never));
    expect(result.effects.commitments[1]).toMatchObject({ position: payout?.position, commitment: payout?.commitment });
    expect(balance(SERO_ASSET_ID)).toBe(2n * SERO);
    expect(balance()).toBe(SUPPLY - 200n);
    expect(outcome.logs).toHaveLength(1);
    expect(chain.store.meta().frontier).not.toEqual(treeBefore);
    expect(chain.store.asset(SERO_ASSET_ID)?.fees).toBe(2n * (MIN_FEE + 2_000_000n));
  });

  it("a call that reverts keeps the fee, returns the value to the caller, and changes nothing else", async () => {
    const { chain, buy, balance } = await saleChain();
    const buyer = testCaller("buyer");
    const paid = 5n;
    const tooMuch = buy(buyer, 0n, { value: tokenValue(TKN, paid) }); // the sale takes SERO only
    const roots = chain.store.meta();
    const result = await chain.apply([encodeTransaction(tooMuch)]);
    const outcome = outcomeOf(result);
    expect(outcome.code).toBe("revert");
    expect(revertReason(outcome.returnData)).toBe("TokenSale: pay in SERO");
    expect(outcome.logs).toEqual([]);
    expect(result.effects.payouts).toEqual([
      expect.objectContaining({ pkr: buyer.pkr, assetKind: "token", assetRef: TKN }),
    ]);
    expect(BigInt(`0x${toHex(result.effects.payouts[0]?.value as Uint8Array)}`)).toBe(paid);
    expect(balance(SERO_ASSET_ID)).toBe(0n);
    expect(balance()).toBe(SUPPLY);
    expect(result.changes.contracts.size).toBe(0);
    expect(toHex(chain.store.meta().contractDigest)).toBe(toHex(roots.contractDigest));
    expect(chain.store.nullifierHeight(tooMuch.payment.nullifiers[0] as never)).toBeDefined();
  });

  it("pays the owner, and only the owner, its proceeds", async () => {
    const { chain, owner, address, buy, balance } = await saleChain();
    await chain.apply([encodeTransaction(buy(testCaller("buyer"), 3n * SERO))]);
    const withdraw = (who: TestCaller) =>
      chain.contractTx(who, { kind: "call", contract: address, calldata: calldata(sale.abi, "withdraw", [SERO]) });
    const stranger = outcomeOf(await chain.apply([encodeTransaction(withdraw(testCaller("stranger")))]));
    expect(revertReason(stranger.returnData)).toBe("TokenSale: not the owner");
    const ok = await chain.apply([encodeTransaction(withdraw(owner))]);
    expect(outcomeOf(ok).code).toBe("ok");
    expect(ok.effects.payouts[0]).toMatchObject({ pkr: owner.pkr, assetRef: SERO_ASSET_ID });
    expect(balance(SERO_ASSET_ID)).toBe(2n * SERO);
  });

  it("the same caller key with another PKr is another msg.sender: a public PKr alone claims no identity", async () => {
    const { chain, owner, address } = await saleChain();
    const impostor = { ...testCaller("impostor"), pkr: owner.pkr };
    const tx = chain.contractTx(impostor, {
      kind: "call",
      contract: address,
      calldata: calldata(sale.abi, "withdraw", [1n]),
    });
    expect(revertReason(outcomeOf(await chain.apply([encodeTransaction(tx)])).returnData)).toBe(
      "TokenSale: not the owner",
    );
  });

  it("a read-only call answers at the tip and keeps nothing", async () => {
    const { chain, address } = await saleChain();
    const before = chain.store.meta();
    const read = await readContract(chain.store, CHAIN, chain.config.contracts, {
      contract: address,
      calldata: calldata(sale.abi, "available"),
      gasLimit: 100_000n,
      caller: null,
      value: null,
    });
    expect(read.code).toBe("ok");
    expect(decodeResult(sale.abi, "available", read.returnData)).toBe(SUPPLY);
    const buyer = testCaller("reader");
    const estimate = await readContract(chain.store, CHAIN, chain.config.contracts, {
      contract: address,
      calldata: calldata(sale.abi, "buy"),
      gasLimit: 10n ** 9n, // capped at maxTxGas
      caller: buyer,
      value: tokenValue(SERO_ASSET_ID, SERO),
    });
    expect(estimate.code).toBe("ok");
    expect(estimate.gasUsed).toBeGreaterThan(21_000n);
    expect(chain.store.meta()).toEqual(before);
  });
});

describe("tickets (contracts/examples/TicketBox.sol)", () => {
  it("sells distinct tickets, each a payout of its own asset, and never allots one twice", async () => {
    const chain = new ContractChain();
    await chain.genesis();
    const { address } = await chain.deploy(testCaller("box owner"), box, ["SEAT", SERO]);
    const buyTicket = (who: string) =>
      chain.contractTx(
        testCaller(who),
        { kind: "call", contract: address, calldata: calldata(box.abi, "buy") },
        { value: tokenValue(SERO_ASSET_ID, SERO) },
      );
    const result = await chain.apply([encodeTransaction(buyTicket("a")), encodeTransaction(buyTicket("b"))]);
    expect(result.receipts.map((r) => r.status === "committed" && r.outcome?.code)).toEqual(["ok", "ok"]);
    const ids = result.effects.payouts.map((p) => toHex(p.value));
    expect(result.effects.payouts.map((p) => p.assetKind)).toEqual(["ticket", "ticket"]);
    expect(new Set(ids).size).toBe(2);
    expect(decodeResult(box.abi, "buy", (result.receipts[0] as { outcome: ContractOutcome }).outcome.returnData)).toBe(
      `0x${ids[0]}`,
    );
  });
});

describe("replays", () => {
  it("the same purchase twice in a block, and again in the next, pays out once", async () => {
    const { chain, buy, balance } = await saleChain();
    const bytes = encodeTransaction(buy(testCaller("buyer"), SERO));
    const first = await chain.apply([bytes, bytes]);
    expect(first.receipts.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "committed",
      "nullifier_spent",
    ]);
    const again = await chain.apply([bytes]);
    expect(again.receipts[0]).toMatchObject({ status: "rejected", code: "nullifier_spent" });
    expect([...first.effects.payouts, ...again.effects.payouts]).toHaveLength(1);
    expect(balance(SERO_ASSET_ID)).toBe(SERO);
    expect(balance()).toBe(SUPPLY - 100n);
  });
});

describe("refusals: rejected, nothing charged", () => {
  it("an opening that does not match its output, an unknown asset, a fee below the gas, a gas limit too high", async () => {
    const { chain, buy } = await saleChain();
    const buyer = testCaller("buyer");
    const cases = [
      buy(buyer, SERO, { opening: { value: tokenValue(SERO_ASSET_ID, 2n * SERO).value } }),
      buy(buyer, SERO, { value: tokenValue(tokenId("NOPE"), 5n) }),
      buy(buyer, SERO, { fee: MIN_FEE + 2_000_000n - 1n }),
      buy(buyer, SERO, { gasLimit: chain.config.contracts.maxTxGas + 1n }),
      { ...buy(buyer, SERO), signature: new Uint8Array(64) },
    ];
    const result = await chain.apply(cases.map(encodeTransaction));
    expect(result.receipts.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "bad_opening",
      "unknown_asset",
      "fee_too_low",
      "bad_gas_limit",
      "bad_signature",
    ]);
    expect(result.changes.nullifiers).toEqual([]);
    expect(result.effects.commitments).toEqual([]);
  });

  it("a block's contract transactions declare at most blockGasLimit gas: the rest are rejected, uncharged", async () => {
    const chain = new ContractChain({
      contracts: { hardfork: "cancun", gasPrice: 1n, maxTxGas: 3_000_000n, blockGasLimit: 5_000_000n },
    });
    await chain.genesis();
    const { address } = await chain.deploy(testCaller("owner"), sale, ["TKN", 18, SUPPLY, 100n]);
    const buy = (who: string) =>
      chain.contractTx(
        testCaller(who),
        { kind: "call", contract: address, calldata: calldata(sale.abi, "buy") },
        { value: tokenValue(SERO_ASSET_ID, SERO) },
      );
    const result = await chain.apply(["a", "b", "c"].map((w) => encodeTransaction(buy(w))));
    expect(result.receipts.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "committed",
      "committed",
      "block_gas_exhausted",
    ]);
  });

  it("an issuance transaction cannot mint a contract's token", async () => {
    const { chain } = await saleChain();
    // The asset check comes before the issuer's signature: any issuance of TKN is refused alike.
    const { sampleIssue } = await import("../protocol/fixtures.ts");
    const issue = { ...sampleIssue(), assetRef: TKN, payment: { ...sampleIssue().payment, anchor: chain.anchor() } };
    const result = await chain.apply([encodeTransaction(issue)]);
    expect(only(result)).toMatchObject({ status: "rejected", code: "contract_asset" });
  });
});

describe("failed outcomes: committed, fee charged, value returned", () => {
  it("no_contract, out_of_gas (intrinsic and in execution), revert", async () => {
    const { chain, address, buy } = await saleChain();
    const buyer = testCaller("buyer");
    const nowhere = deriveContractAddress(new Uint8Array(64).fill(9), 0n).bytes;
    const txs = [
      chain.contractTx(
        buyer,
        { kind: "call", contract: nowhere, calldata: new Uint8Array() },
        { value: tokenValue(SERO_ASSET_ID, 5n) },
      ),
      buy(buyer, SERO, { gasLimit: 21_000n }),
      buy(buyer, SERO, { gasLimit: 40_000n }),
      chain.contractTx(buyer, { kind: "call", contract: address, calldata: calldata(sale.abi, "buy") }),
    ];
    const result = await chain.apply(txs.map(encodeTransaction));
    expect(result.receipts.map((r) => r.status === "committed" && r.outcome?.code)).toEqual([
      "no_contract",
      "out_of_gas",
      "out_of_gas",
      "revert",
    ]);
    // Three brought value and get it back; the fourth brought none.
    expect(result.effects.payouts.map((p) => p.txIndex)).toEqual([0, 1, 2]);
    expect(result.changes.nullifiers).toHaveLength(8);
    expect(result.effects.fees).toBe(txs.reduce((sum, t) => sum + t.payment.fee, 0n));
  });
});

describe("determinism", () => {
  it("the same blocks on two ledgers give the same state roots, contract state included", async () => {
    const runs = await Promise.all([saleChain(), saleChain()]);
    for (const who of ["x", "y"]) {
      const roots = await Promise.all(
        runs.map(async (r) => (await r.chain.apply([encodeTransaction(r.buy(testCaller(who), SERO))])).changes.meta),
      );
      expect(toHex(roots[0]?.stateRoot as Uint8Array)).toBe(toHex(roots[1]?.stateRoot as Uint8Array));
      expect(toHex(roots[0]?.contractDigest as Uint8Array)).not.toBe(toHex(new Uint8Array(32)));
    }
    expect(runs[0]?.chain.store.contractEntries("")).toEqual(runs[1]?.chain.store.contractEntries(""));
  });
});
