/**
 * The contract routes a replica answers (PROTOCOL.md §10.7, §10.8) on the
 * local chain. A TokenSale is deployed on a ledger in this test (real EVM,
 * proofs faked: workerd cannot prove) and its contract state copied into
 * every replica's storage, so the replicas serve a real deployed contract
 * while consensus runs on; the state root does not cover the copy, which no
 * block touches. Every malformed input gets a 400 with a stable code.
 */
import { runInDurableObject } from "cloudflare:test";
import { decodeFunctionResult, type Hex as ViemHex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { type ContractLedger, ContractReads } from "../../durable-objects/contract-reads.ts";
import { MAX_EVENTS_PAGE } from "../../src/api/routes/contracts.ts";
import { toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { tokenId } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { MAX_CALLDATA_BYTES } from "../../src/protocol/tx/types.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import {
  CHAIN,
  ContractChain,
  calldata,
  SERO,
  SERO_ASSET_ID,
  testCaller,
  tokenValue,
} from "../contracts/ledger-chain.ts";
import { http, validators } from "./chain-client.ts";
import { TOKEN_SALE } from "./contract-history.ts";
import { replica } from "./forge.ts";

type ErrorJson = { error: { code: string } };
type CallJson = {
  height: number;
  outcome: {
    code: string;
    gasUsed: string;
    returnData: string;
    logs: { contract: string; topics: string[]; data: string }[];
  };
};

const alice = testCaller("alice");
const bob = testCaller("bob");
const chain = new ContractChain();
const hex32 = (n: bigint) => n.toString(16).padStart(64, "0");
const fe = (x: bigint) => toHex(frToBytes(x as never));
let sale: Uint8Array;
let saleText: string;

const post = (path: string, body: unknown) =>
  http(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const callSale = (body: Record<string, unknown>) => post(`/v1/contracts/${saleText}/call`, body);
const fn = (name: string, args: readonly unknown[] = []) => toHex(calldata(TOKEN_SALE.abi, name, args));
const decode = (name: string, data: string) =>
  decodeFunctionResult({ abi: TOKEN_SALE.abi, functionName: name, data: `0x${data}` as ViemHex } as never);
const refusal = async (res: Response) => [res.status, ((await res.json()) as ErrorJson).error.code];

/** Copies the test ledger's contract state and the token it issued into replica `i`'s ledger storage. */
async function install(i: number): Promise<void> {
  const gold = tokenId("GOLD");
  const record = chain.store.asset(gold);
  await runInDurableObject(replica(i), async (_instance, state) => {
    const sql = state.storage.sql;
    for (const [key, value] of chain.store.contractEntries("")) {
      sql.exec("INSERT OR REPLACE INTO contract_state (key, value) VALUES (?, ?)", key, value);
    }
    const json = JSON.stringify({
      assetKind: "token",
      name: record?.registration.name,
      decimals: record?.registration.decimals,
      issuer: toHex(record?.registration.issuer as Uint8Array),
      cap: record?.registration.supply.kind === "capped" ? record.registration.supply.cap.toString() : null,
      issued: record?.issued.toString(),
      fees: record?.fees.toString(),
      nonce: record?.nonce.toString(),
    });
    sql.exec("INSERT OR REPLACE INTO assets (id, record) VALUES (?, ?)", fe(gold), json);
  });
}

beforeAll(async () => {
  const hosted = await validators(); // boots the replicas (genesis) before their storage is added to
  await chain.genesis();
  sale = (await chain.deploy(alice, TOKEN_SALE, ["GOLD", 0, 1000n, 100n])).address;
  saleText = encodeText("contractAddress", sale);
  await Promise.all(hosted.map((v) => install(v.index)));
}, 60_000);

describe("contract reads from the replicas", () => {
  it("GET /v1/status names the chain's contract parameters", async () => {
    const status = (await (await http("/v1/status")).json()) as { contracts: unknown };
    expect(status.contracts).toEqual({
      hardfork: "cancun",
      gasPrice: "1",
      maxTxGas: "10000000",
      blockGasLimit: "100000000",
    });
  });

  it("runs a view call on a deployed TokenSale", async () => {
    const res = await callSale({ calldata: fn("available") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as CallJson;
    expect(body.height).toBeGreaterThanOrEqual(0);
    expect(body.outcome).toMatchObject({ code: "ok", logs: [] });
    expect(decode("available", body.outcome.returnData)).toBe(1000n);
    expect(BigInt(body.outcome.gasUsed)).toBeGreaterThan(21_000n);
  });

  it("estimates a buy with a caller and a value, keeping nothing of it", async () => {
    const buy = {
      calldata: fn("buy"),
      caller: { pkr: toHex(bob.pkr), key: toHex(bob.key) },
      value: { assetKind: "token", assetRef: fe(SERO_ASSET_ID), value: hex32(2n * SERO) },
    };
    const bought = (await (await callSale(buy)).json()) as CallJson;
    expect(bought.outcome.code).toBe("ok");
    expect(decode("buy", bought.outcome.returnData)).toBe(200n);
    expect(bought.outcome.logs).toEqual([
      {
        contract: saleText,
        topics: [expect.stringMatching(/^[0-9a-f]{64}$/), `${"0".repeat(24)}${bob.evm.slice(2)}`],
        data: expect.any(String),
      },
    ]);
    // With too little gas it runs out, as the real transaction would.
    const starved = (await (await callSale({ ...buy, gasLimit: "30000" })).json()) as CallJson;
    expect(starved.outcome).toMatchObject({ code: "out_of_gas", gasUsed: "30000", returnData: "" });
    // Without SERO it reverts with the contract's reason.
    const unpaid = (await (await callSale({ calldata: fn("buy") })).json()) as CallJson;
    expect(unpaid.outcome.code).toBe("revert");
    // Nothing was kept: the tokens are all still for sale.
    const after = (await (await callSale({ calldata: fn("available") })).json()) as CallJson;
    expect(decode("available", after.outcome.returnData)).toBe(1000n);
  });

  it("GET /v1/contracts/{address} answers its public state", async () => {
    const res = await http(`/v1/contracts/${saleText}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      address: saleText,
      evmAddress: expect.stringMatching(/^0x[0-9a-f]{40}$/),
      codeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      createdAt: 1,
      balances: [{ asset: fe(tokenId("GOLD")), name: "GOLD", amount: "1000" }],
      tickets: [],
    });
  });

  it("answers 404 no_contract for an address without a contract", async () => {
    const nobody = encodeText("contractAddress", new Uint8Array(64).fill(7));
    expect(await refusal(await http(`/v1/contracts/${nobody}`))).toEqual([404, "no_contract"]);
    expect(await refusal(await post(`/v1/contracts/${nobody}/call`, { calldata: "" }))).toEqual([404, "no_contract"]);
  });

  it("refuses malformed calls with stable codes, before any replica runs them", async () => {
    const max = DEFAULT_CONTRACT_PARAMS.maxTxGas;
    const cases: [unknown, number, string][] = [
      [{ calldata: "0g" }, 400, "bad_request"],
      [{ calldata: "abc" }, 400, "bad_request"],
      [{ calldata: "AB" }, 400, "bad_request"],
      [{}, 400, "bad_request"],
      ["{not json", 400, "bad_request"],
      [{ calldata: "00".repeat(MAX_CALLDATA_BYTES + 1) }, 400, "calldata_too_long"],
      [{ calldata: "00".repeat(3 * MAX_CALLDATA_BYTES) }, 413, "too_large"],
      [{ calldata: "", gasLimit: "0" }, 400, "bad_gas_limit"],
      [{ calldata: "", gasLimit: (max + 1n).toString() }, 400, "bad_gas_limit"],
      [{ calldata: "", gasLimit: "-1" }, 400, "bad_request"],
      [{ calldata: "", gasLimit: 1000 }, 400, "bad_request"],
      [{ calldata: "", caller: { pkr: "00", key: toHex(bob.key) } }, 400, "bad_request"],
      [{ calldata: "", caller: { pkr: "00".repeat(128), key: toHex(bob.key) } }, 400, "invalid_point"],
      [
        { calldata: "", value: { assetKind: "coin", assetRef: fe(SERO_ASSET_ID), value: hex32(1n) } },
        400,
        "bad_request",
      ],
      [
        { calldata: "", value: { assetKind: "token", assetRef: "ff".repeat(32), value: hex32(1n) } },
        400,
        "field_out_of_range",
      ],
      [
        { calldata: "", value: { assetKind: "token", assetRef: fe(SERO_ASSET_ID), value: hex32(0n) } },
        400,
        "zero_value",
      ],
      [
        { calldata: "", value: { assetKind: "token", assetRef: fe(SERO_ASSET_ID), value: hex32(1n << 128n) } },
        400,
        "amount_out_of_range",
      ],
    ];
    for (const [body, status, code] of cases) {
      expect([await refusal(await callSale(body as Record<string, unknown>)), body]).toEqual([[status, code], body]);
    }
    for (const type of ["text/plain", "application/octet-stream", ""]) {
      const res = await http(`/v1/contracts/${saleText}/call`, {
        method: "POST",
        headers: type ? { "Content-Type": type } : {},
        body: JSON.stringify({ calldata: "" }),
      });
      expect([type, await refusal(res)]).toEqual([type, [415, "bad_request"]]);
    }
    const wrongKind = encodeText("publicAddress", sale);
    expect(await refusal(await post(`/v1/contracts/${wrongKind}/call`, { calldata: "" }))).toEqual([400, "wrong_kind"]);
    expect(await refusal(await http(`/v1/contracts/${wrongKind}`))).toEqual([400, "wrong_kind"]);
    expect(await refusal(await http(`/v1/contracts/${saleText.toUpperCase()}`))).toEqual([400, "bad_encoding"]);
    expect(await refusal(await http(`/v1/contracts/seroc1${"q".repeat(300)}`))).toEqual([400, "bad_request"]);
    expect(await refusal(await http(`/v1/contracts/${saleText}/events?limit=${MAX_EVENTS_PAGE + 1}`))).toEqual([
      400,
      "bad_request",
    ]);
  });
});

describe("the wallet's node client on these routes (src/wallet/node-client.ts)", () => {
  const client = new NodeClient("http://sero.test", {
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return http(`${url.pathname}${url.search}`, init);
    }) as typeof fetch,
  });

  it("reads the status, a view, a buy's estimate with its caller and value, the contract's record", async () => {
    expect((await client.status()).contracts).toEqual({ gasPrice: 1n, maxTxGas: DEFAULT_CONTRACT_PARAMS.maxTxGas });
    const view = await client.callContract(sale, { calldata: calldata(TOKEN_SALE.abi, "available") });
    expect(view.outcome.code).toBe("ok");
    expect(decode("available", toHex(view.outcome.returnData))).toBe(1000n);
    const estimate = await client.callContract(sale, {
      calldata: calldata(TOKEN_SALE.abi, "buy"),
      gasLimit: DEFAULT_CONTRACT_PARAMS.maxTxGas,
      caller: bob,
      value: tokenValue(SERO_ASSET_ID, 2n * SERO),
    });
    expect(estimate.outcome).toMatchObject({ code: "ok", logs: [{ contract: saleText }] });
    expect(estimate.outcome.gasUsed).toBeGreaterThan(21_000n);
    expect((await client.contractInfo(sale)).address).toBe(saleText);
    expect((await client.contractEvents(sale, 0)).next).toBeNull();
    await expect(client.contractInfo(new Uint8Array(64).fill(7))).rejects.toMatchObject({ code: "no_contract" });
  });
});

describe("ContractReads", () => {
  /** The test ledger, its tip moving up to `moves` times, each time a read loads the contract's code (mid-run). */
  function movingLedger(moves: number): ContractLedger {
    const store = chain.store;
    let moved = 0;
    return {
      meta: () => ({ ...store.meta(), height: store.meta().height + moved }),
      nullifierHeight: (nf) => store.nullifierHeight(nf),
      anchorHeight: (root) => store.anchorHeight(root),
      asset: (id) => store.asset(id),
      hasTicket: (asset) => store.hasTicket(asset),
      contractEntries: (prefix) => store.contractEntries(prefix),
      contractValue: (key) => {
        if (key.startsWith("k/") && moved < moves) {
          moved++;
        }
        return store.contractValue(key);
      },
    };
  }
  const read = {
    contract: new Uint8Array(),
    calldata: calldata(TOKEN_SALE.abi, "available"),
    gasLimit: 100_000n,
    caller: null,
    value: null,
  };

  it("answers for the height it ran at, running again when a block committed meanwhile", async () => {
    const reads = new ContractReads(movingLedger(1), CHAIN, DEFAULT_CONTRACT_PARAMS);
    const answer = await reads.call({ ...read, contract: sale });
    expect(answer).toMatchObject({ status: "ok", height: chain.store.meta().height + 1 });
  });

  it("is busy rather than answer for a tip that never held still", async () => {
    const reads = new ContractReads(movingLedger(Number.POSITIVE_INFINITY), CHAIN, DEFAULT_CONTRACT_PARAMS);
    expect(await reads.call({ ...read, contract: sale })).toEqual({ status: "busy" });
  });
});
