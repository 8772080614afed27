/**
 * What a deploy or call will do, decided before paying: the identity, the
 * gas from the node's dry run (same caller and value), the fee, how many
 * transactions; a call whose dry run fails is refused with its reason.
 */
import { encodeErrorResult } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { AssetBook } from "../../src/cli/assets.ts";
import type { OptionValues } from "../../src/cli/command.ts";
import { contractValueOf, planContractTx } from "../../src/cli/contract-plan.ts";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { callerOf } from "../../src/wallet/caller.ts";
import type { ContractTarget } from "../../src/wallet/contract-tx.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { publicValueOf } from "../../src/wallet/public-value.ts";
import { contractNode, FAKE_STATUS, type SeenContractRequest } from "../fixtures/wallet/contract-node.ts";
import { payoutBlock, payoutTo } from "../fixtures/wallet/payouts.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const keys = account("contract planner");
const GOLD = tokenId("GOLD");
const SERO = 10n ** 18n;
const address = (label: string) => deriveContractAddress(concatBytes(bytes32(label), bytes32("creator")), 0n).bytes;
const owned = address("owned sale");
const other = address("someone's sale");
const deployTarget: ContractTarget = { kind: "deploy", initCode: Uint8Array.of(0x60, 0) };
const call = (contract: Uint8Array): ContractTarget => ({
  kind: "call",
  contract,
  calldata: Uint8Array.of(0xa6, 0xf2, 0xae, 0x3a),
});

/** An account holding 5 SERO and 40 GOLD (contract payouts), that deployed `owned` as identity 4. */
let state: AccountState;
beforeAll(async () => {
  state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  const txId = bytes32("payouts to the planner");
  const block = payoutBlock(0, txId, [
    payoutTo(keys, 0, txId, 0, 0, { kind: "token", asset: SERO_ASSET_ID, amount: 5n * SERO }),
    payoutTo(keys, 1, txId, 1, 1, { kind: "token", asset: GOLD, amount: 40n }),
  ]);
  await state.apply([block], await NoteScanner.create(keys));
  state.contracts.add({
    txId: toHex(bytes32("deploy")),
    kind: "deploy",
    identity: 4,
    contract: toHex(owned),
    gasLimit: 1n,
    value: null,
  });
});

function planner(answer: (body: unknown) => readonly [number, unknown], status: Record<string, unknown> = FAKE_STATUS) {
  const seen: SeenContractRequest[] = [];
  const fetch = contractNode(
    {
      call: (_a, body) => answer(body),
      status,
      assets: [{ id: toHex(frToBytes(GOLD)), kind: "token", name: "GOLD", decimals: 0, supply: "1000" }],
    },
    seen,
  );
  const client = new NodeClient("http://node.test", { fetch });
  const plan = async (values: OptionValues, target: ContractTarget, withValue = false) => {
    const value = withValue ? contractValueOf(values, await AssetBook.load(client), state) : null;
    return planContractTx({ values, state, keys, status: await client.status(), client }, target, value);
  };
  return { plan, seen, client };
}

const ran = (gasUsed: string) => () =>
  [200, { height: 7, outcome: { code: "ok", gasUsed, returnData: "", logs: [] } }] as const;

describe("planning a contract transaction", () => {
  it("estimates a call's gas with the caller and value it will carry, adds the margin, and prices it", async () => {
    const { plan, seen } = planner(ran("40000"));
    const planned = await plan({ to: "x", amount: "2" }, call(other), true);
    // 40,000 × 1.25 + 10,000 gas at gasPrice 1, plus minFee 1,000.
    expect(planned).toMatchObject({ gasUsed: 40_000n, fee: 61_000n, transactions: 1, why: "fresh" });
    expect(planned.request).toMatchObject({
      identity: 5,
      gasLimit: 60_000n,
      value: { kind: "token", asset: SERO_ASSET_ID, amount: 2n * SERO },
    });
    const caller = callerOf(keys, 5);
    const sero = publicValueOf({ kind: "token", asset: SERO_ASSET_ID, amount: 2n * SERO });
    expect(seen.find((r) => r.method === "POST")?.body).toEqual({
      calldata: "a6f2ae3a",
      gasLimit: "10000000",
      caller: { pkr: toHex(caller.pkr), key: toHex(caller.key) },
      value: { assetKind: "token", assetRef: toHex(frToBytes(SERO_ASSET_ID)), value: toHex(sero.value) },
    });
  });

  it("acts as the deployer on the account's own contract, as --identity N when told, fresh when asked", async () => {
    const { plan } = planner(ran("21000"));
    expect((await plan({}, call(owned))).request.identity).toBe(4);
    expect((await plan({}, call(owned))).why).toBe("deployer");
    expect(await plan({ identity: "fresh" }, call(owned))).toMatchObject({ request: { identity: 5 }, why: "fresh" });
    expect(await plan({ identity: "2" }, call(other))).toMatchObject({ request: { identity: 2 }, why: "given" });
    expect(await plan({}, deployTarget)).toMatchObject({ request: { identity: 5 }, why: "fresh" });
    for (const bad of ["-1", "x", "2147483648", "1e3"]) {
      await expect(plan({ identity: bad }, call(other))).rejects.toMatchObject({ code: "bad_identity" });
    }
  });

  it("refuses a call whose dry run fails, with its revert reason, before paying anything", async () => {
    const reason = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ name: "m", type: "string" }] }],
      errorName: "Error",
      args: ["TokenSale: not the owner"],
    }).slice(2);
    const { plan } = planner(() => [
      200,
      { height: 7, outcome: { code: "revert", gasUsed: "900", returnData: reason, logs: [] } },
    ]);
    await expect(plan({}, call(other))).rejects.toMatchObject({
      code: "call_would_fail",
      message: expect.stringContaining("TokenSale: not the owner"),
    });
    const { plan: outOfGas } = planner(() => [
      200,
      { height: 7, outcome: { code: "out_of_gas", gasUsed: "10000000", returnData: "", logs: [] } },
    ]);
    await expect(outOfGas({}, call(other))).rejects.toMatchObject({ code: "call_would_fail" });
    const { plan: gone } = planner(() => [404, { error: { code: "no_contract" } }]);
    await expect(gone({}, call(other))).rejects.toMatchObject({ code: "no_contract" });
  });

  it("gives a deploy the default gas or --gas, never above the chain's maximum, without a dry run", async () => {
    const { plan, seen } = planner(ran("1"));
    expect((await plan({}, deployTarget)).request.gasLimit).toBe(3_000_000n);
    expect(await plan({ gas: "500000" }, deployTarget)).toMatchObject({
      request: { gasLimit: 500_000n },
      fee: 501_000n,
    });
    const small = { ...FAKE_STATUS, contracts: { ...FAKE_STATUS.contracts, maxTxGas: "2000000" } };
    expect((await planner(ran("1"), small).plan({}, deployTarget)).request.gasLimit).toBe(2_000_000n);
    for (const gas of ["0", "10000001", "1.5", "-3"]) {
      await expect(plan({ gas }, deployTarget)).rejects.toMatchObject({ code: "bad_gas_limit" });
    }
    expect(seen.filter((r) => r.method === "POST")).toEqual([]);
    expect((await plan({ gas: "30000" }, call(other))).request.gasLimit).toBe(30_000n);
    // Below what the dry run used, it would run out of gas and pay the fee for nothing.
    await expect(planner(ran("30001")).plan({ gas: "30000" }, call(other))).rejects.toMatchObject({
      code: "gas_too_low",
    });
    // The estimate is capped at the chain's maximum too.
    expect((await planner(ran("9999000")).plan({}, call(other))).request.gasLimit).toBe(10_000_000n);
  });

  it("counts a fee note first when a token is brought, and refuses what the account cannot pay", async () => {
    const { plan } = planner(ran("20000"));
    expect(await plan({ asset: "GOLD", amount: "40" }, call(other), true)).toMatchObject({ transactions: 2 });
    await expect(plan({ asset: "GOLD", amount: "41" }, call(other), true)).rejects.toMatchObject({
      code: "insufficient_funds",
    });
    await expect(plan({ amount: "6" }, call(other), true)).rejects.toMatchObject({ code: "insufficient_funds" });
    await expect(plan({ amount: "0" }, call(other), true)).rejects.toMatchObject({ code: "bad_amount" });
    await expect(plan({ asset: "GOLD" }, call(other), true)).rejects.toMatchObject({ code: "missing_option" });
    await expect(plan({ amount: "1", ticket: "00".repeat(32) }, call(other), true)).rejects.toMatchObject({
      code: "bad_option",
    });
    await expect(plan({ ticket: "00".repeat(32) }, call(other), true)).rejects.toMatchObject({
      code: "unknown_ticket",
    });
  });

  it("refuses a node without contracts", async () => {
    const { contracts: _, ...without } = FAKE_STATUS;
    await expect(planner(ran("1"), without).plan({}, deployTarget)).rejects.toMatchObject({ code: "no_contracts" });
  });
});
