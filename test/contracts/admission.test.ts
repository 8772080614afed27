/**
 * Admission of contract transactions (PROTOCOL.md §8.10, §10.1): refused
 * early, with execution's codes, what execution would refuse, and a call to
 * no contract, which would pay for nothing.
 */
import { describe, expect, it } from "vitest";
import { Mempool } from "../../src/ledger/mempool.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { ContractTx } from "../../src/protocol/tx/types.ts";
import { loadArtifact } from "./artifacts.ts";
import { CHAIN, ContractChain, calldata, MIN_FEE, SERO, testCaller, tokenValue } from "./ledger-chain.ts";

const sale = loadArtifact("TokenSale");

describe("admitting deploys and calls", () => {
  it("admits valid calls and refuses, with execution's codes, what execution would refuse", async () => {
    const chain = new ContractChain();
    await chain.genesis();
    const { address } = await chain.deploy(testCaller("owner"), sale, ["TKN", 0, 1_000n, 1n]);
    const mempool = new Mempool({ anchorWindow: 100, minFee: MIN_FEE, contracts: chain.config.contracts });
    const view = { ledger: chain.store, chainId: CHAIN, verifier: chain.config.verifier };
    const buyer = testCaller("buyer");
    const buy = (options: Parameters<ContractChain["contractTx"]>[2] = {}) =>
      chain.contractTx(
        buyer,
        { kind: "call", contract: address, calldata: calldata(sale.abi, "buy") },
        { value: tokenValue(SERO_ASSET_ID, SERO), ...options },
      );
    const admit = async (tx: ContractTx) => {
      const admission = await mempool.check(encodeTransaction(tx), view);
      return admission.ok ? "ok" : admission.code;
    };
    const nowhere = deriveContractAddress(new Uint8Array(64).fill(3), 0n).bytes;
    expect(await admit(buy())).toBe("ok");
    expect(await admit(chain.contractTx(buyer, { kind: "call", contract: nowhere, calldata: new Uint8Array() }))).toBe(
      "no_contract",
    );
    expect(await admit(buy({ fee: MIN_FEE }))).toBe("fee_too_low");
    expect(await admit(buy({ gasLimit: chain.config.contracts.maxTxGas + 1n }))).toBe("bad_gas_limit");
    expect(await admit(buy({ opening: { value: tokenValue(SERO_ASSET_ID, 2n).value } }))).toBe("bad_opening");
    expect(await admit({ ...buy(), signature: new Uint8Array(64) })).toBe("bad_signature");
    expect(await admit(buy({ fee: MIN_FEE + 2_000_000n }))).toBe("ok");
  });
});
