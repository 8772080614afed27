/** The node client's contract routes: requests as the API takes them, answers validated before use. */
import { describe, expect, it } from "vitest";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { ByteWriter } from "../../src/codec/writer.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { tokenId } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { contractNode, FAKE_STATUS, type SeenContractRequest } from "../fixtures/wallet/contract-node.ts";
import { bytes32, sampleCall } from "../protocol/fixtures.ts";

const contract = deriveContractAddress(concatBytes(bytes32("client sale"), bytes32("creator")), 0n).bytes;
const text = encodeText("contractAddress", contract);
const ok = {
  height: 7,
  outcome: {
    code: "ok",
    gasUsed: "21500",
    returnData: "00ff",
    logs: [{ contract: text, topics: [toHex(bytes32("topic"))], data: "" }],
  },
};

const client = (fetch: typeof globalThis.fetch) => new NodeClient("http://node.test", { fetch });

describe("node client: contracts", () => {
  it("posts a dry run with the caller and value in the API's hex forms, and reads the outcome", async () => {
    const seen: SeenContractRequest[] = [];
    const node = client(contractNode({ call: () => [200, ok] }, seen));
    const caller = sampleCall().caller;
    const value = {
      assetKind: "token" as const,
      assetRef: tokenId("GOLD"),
      value: new ByteWriter().uint(5n, 32).finish(),
    };
    const answer = await node.callContract(contract, {
      calldata: Uint8Array.of(0xd0, 0xe3),
      gasLimit: 90_000n,
      caller,
      value,
    });
    expect(seen).toEqual([
      {
        method: "POST",
        path: `/v1/contracts/${text}/call`,
        body: {
          calldata: "d0e3",
          gasLimit: "90000",
          caller: { pkr: toHex(caller.pkr), key: toHex(caller.key) },
          value: { assetKind: "token", assetRef: toHex(frToBytes(tokenId("GOLD"))), value: toHex(value.value) },
        },
      },
    ]);
    expect(answer).toEqual({
      height: 7,
      outcome: { code: "ok", gasUsed: 21_500n, returnData: Uint8Array.of(0, 255), logs: ok.outcome.logs },
    });
    // A read names neither caller nor value nor gas.
    await node.callContract(contract, { calldata: new Uint8Array() });
    expect(seen[1]?.body).toEqual({ calldata: "" });
  });

  it("refuses answers of another shape", async () => {
    for (const bad of [
      { ...ok, outcome: { ...ok.outcome, gasUsed: 21500 } },
      { ...ok, outcome: { ...ok.outcome, returnData: "0xff" } },
      { ...ok, outcome: { ...ok.outcome, logs: [{ ...ok.outcome.logs[0], contract: "sero1abc" }] } },
      { height: 7 },
    ]) {
      await expect(
        client(contractNode({ call: () => [200, bad] })).callContract(contract, { calldata: new Uint8Array() }),
      ).rejects.toMatchObject({
        code: "bad_node_response",
      });
    }
  });

  it("says no_contract, with what to do, when nothing lives at the address", async () => {
    const node = client(
      contractNode({
        call: () => [404, { error: { code: "no_contract" } }],
        info: () => [404, { error: { code: "no_contract" } }],
      }),
    );
    for (const attempt of [node.callContract(contract, { calldata: new Uint8Array() }), node.contractInfo(contract)]) {
      await expect(attempt).rejects.toMatchObject({
        code: "no_contract",
        status: 404,
        message: expect.stringContaining("--to"),
      });
    }
  });

  it("reads a contract's record and events, and a committed call's outcome", async () => {
    const info = {
      address: text,
      evmAddress: `0x${"ab".repeat(20)}`,
      codeHash: toHex(bytes32("code")),
      createdAt: 3,
      balances: [{ asset: toHex(frToBytes(tokenId("GOLD"))), name: "GOLD", amount: "12" }],
      tickets: [],
    };
    const events = {
      events: [{ height: 4, txId: toHex(bytes32("tx")), logIndex: 0, topics: [], data: "01" }],
      next: null,
    };
    const id = toHex(bytes32("committed call"));
    const status = {
      id,
      status: "committed",
      height: 5,
      code: null,
      outcome: { code: "revert", gasUsed: "900", returnData: "", contract: null },
    };
    const seen: SeenContractRequest[] = [];
    const node = client(
      contractNode({ info: () => [200, info], events: () => [200, events], tx: () => [200, status] }, seen),
    );
    expect(await node.contractInfo(contract)).toEqual(info);
    expect(await node.contractEvents(contract, 4, 10)).toEqual(events);
    expect(seen.at(-1)?.path).toBe(`/v1/contracts/${text}/events?from=4&limit=10`);
    expect(await node.txStatus(id)).toEqual(status);
    // A transfer's status carries no outcome, whether the node omits it or says null.
    const transfer = { id, status: "committed", height: 5, code: null, outcome: null };
    expect(await client(contractNode({ tx: () => [200, transfer] })).txStatus(id)).toEqual(transfer);
  });

  it("reads the chain's gas parameters from the status, and none from a node without contracts", async () => {
    expect((await client(contractNode({})).status()).contracts).toEqual({ gasPrice: 1n, maxTxGas: 10_000_000n });
    const { contracts: _, ...without } = FAKE_STATUS;
    expect((await client(contractNode({ status: without })).status()).contracts).toBeUndefined();
    expect(
      (await client(contractNode({ status: { ...without, contracts: null } })).status()).contracts,
    ).toBeUndefined();
  });
});
