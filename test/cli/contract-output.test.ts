/** What `sero contract deploy` and `call` print: the plan line, and one JSON object with stable names. */
import { encodeErrorResult } from "viem";
import { describe, expect, it } from "vitest";
import { AssetBook } from "../../src/cli/assets.ts";
import { contractText } from "../../src/cli/contract-input.ts";
import { contractTxAnswer, planLine } from "../../src/cli/contract-output.ts";
import type { ContractPlan } from "../../src/cli/contract-plan.ts";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { contractNode } from "../fixtures/wallet/contract-node.ts";
import { bytes32 } from "../protocol/fixtures.ts";

const contract = deriveContractAddress(concatBytes(bytes32("output sale"), bytes32("creator")), 0n).bytes;
const txId = toHex(bytes32("output tx"));
const book = () => AssetBook.load(new NodeClient("http://node.test", { fetch: contractNode({}) }));

const deploy: ContractPlan = {
  request: {
    target: { kind: "deploy", initCode: new Uint8Array(1234) },
    identity: 0,
    gasLimit: 3_000_000n,
    value: null,
  },
  why: "fresh",
  gasUsed: null,
  fee: 3_001_000n,
  transactions: 1,
};
const call: ContractPlan = {
  request: {
    target: { kind: "call", contract, calldata: Uint8Array.of(1) },
    identity: 4,
    gasLimit: 60_000n,
    value: { kind: "token", asset: SERO_ASSET_ID, amount: 10n ** 18n },
  },
  why: "deployer",
  gasUsed: 40_000n,
  fee: 61_000n,
  transactions: 1,
};

describe("sero contract output", () => {
  it("says the plan before paying: what, as whom, bringing what, the gas and why, the fee", async () => {
    expect(planLine(deploy, await book(), false)).toBe(
      "deploying 1234 bytes of init code as identity 0 (fresh): gas limit 3000000 (the default: a deploy cannot be dry-run), " +
        "fee 3001000 base units of SERO; 1 transaction, 3001000 base units of SERO in all",
    );
    expect(planLine({ ...call, transactions: 2 }, await book(), false)).toBe(
      `calling ${contractText(contract)} as identity 4 (deployer), bringing 1 SERO: gas limit 60000 ` +
        "(dry run used 40000, plus a quarter and 10,000), fee 61000 base units of SERO; 2 transactions, 122000 base units of SERO in all",
    );
    expect(planLine(call, await book(), true)).toContain("gas limit 60000 (--gas; dry run used 40000)");
  });

  it("answers a submitted deploy with its contract, and a committed call with its outcome and revert reason", async () => {
    const submitted = contractTxAnswer(await book(), deploy, { txId, contract }, undefined);
    expect(submitted.json).toEqual({
      txId,
      status: "submitted",
      kind: "deploy",
      contract: contractText(contract),
      identity: 0,
      identityChoice: "fresh",
      value: null,
      gasLimit: "3000000",
      gasEstimate: null,
      fee: "3001000",
      display: { fee: "0.000000000003001" },
      transactions: 1,
      outcome: null,
    });
    expect(submitted.lines[0]).toBe(`submitted ${txId}: contract ${contractText(contract)}`);

    const reason = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ name: "m", type: "string" }] }],
      errorName: "Error",
      args: ["TokenSale: not enough tokens left"],
    }).slice(2);
    const status = {
      id: txId,
      status: "committed" as const,
      height: 12,
      code: null,
      outcome: { code: "revert", gasUsed: "35000", returnData: reason, contract: null },
    };
    const committed = contractTxAnswer(await book(), call, { txId, contract }, status);
    expect(committed.json).toMatchObject({
      status: "committed",
      kind: "call",
      identity: 4,
      identityChoice: "deployer",
      value: { kind: "token", symbol: "SERO", amount: (10n ** 18n).toString(), display: { amount: "1" } },
      gasEstimate: "40000",
      outcome: {
        code: "revert",
        gasUsed: "35000",
        returnData: reason,
        contract: null,
        reason: "TokenSale: not enough tokens left",
      },
    });
    expect(committed.lines).toEqual([
      `committed ${txId}`,
      "outcome revert, gas used 35000: TokenSale: not enough tokens left",
    ]);
  });
});
