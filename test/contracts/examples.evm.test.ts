/**
 * The example contracts in a bare EVM (Cancun) with mock SERO precompiles
 * (./mock-sero.ts): proves the Solidity side speaks the ABI of PROTOCOL.md
 * §10.5, and the examples' rules (payment asset and amount, supply, owner).
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, type EVM, type EVMResult } from "@ethereumjs/evm";
import { type Address, createAddressFromString } from "@ethereumjs/util";
import fc from "fast-check";
import {
  bytesToHex,
  decodeErrorResult,
  decodeEventLog,
  decodeFunctionResult,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  type Hex,
  hexToBytes,
} from "viem";
import { beforeEach, describe, expect, it } from "vitest";
import { type ContractArtifact, loadArtifact } from "./artifacts.ts";
import { MockSero } from "./mock-sero.ts";

const TOKEN_SALE = loadArtifact("TokenSale");
const TICKET_BOX = loadArtifact("TicketBox");
const PROBE = loadArtifact("Probe");
const SERO = 10n ** 18n;
const OWNER = createAddressFromString("0x00000000000000000000000000000000000a11ce");
const BUYER = createAddressFromString("0x00000000000000000000000000000000000b0b00");

/** One EVM with the mock precompiles, and helpers that speak the artifacts' ABIs. */
async function chain() {
  const sero = new MockSero();
  const evm: EVM = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
    customPrecompiles: sero.precompiles(),
  });
  sero.attach(evm);

  async function deploy(artifact: ContractArtifact, args: readonly unknown[], from = OWNER): Promise<Hex> {
    const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args });
    const result = await evm.runCall({ caller: from, data: hexToBytes(data), gasLimit: 10_000_000n });
    if (result.execResult.exceptionError || !result.createdAddress) {
      throw new Error(`deploying ${artifact.contractName} failed: ${revertReason(result)}`);
    }
    return result.createdAddress.toString();
  }

  async function call(
    artifact: ContractArtifact,
    to: Hex,
    functionName: string,
    args: readonly unknown[] = [],
    from: Address = BUYER,
  ): Promise<EVMResult> {
    const data = encodeFunctionData({ abi: artifact.abi, functionName, args });
    return evm.runCall({ caller: from, to: createAddressFromString(to), data: hexToBytes(data), gasLimit: 1_000_000n });
  }

  /** Calls a function that must succeed and decodes its result. */
  async function read(artifact: ContractArtifact, to: Hex, functionName: string, args: readonly unknown[] = []) {
    const result = await call(artifact, to, functionName, args);
    if (result.execResult.exceptionError) {
      throw new Error(`${functionName} failed: ${revertReason(result)}`);
    }
    return decodeFunctionResult({ abi: artifact.abi, functionName, data: bytesToHex(result.execResult.returnValue) });
  }

  return { sero, evm, deploy, call, read };
}

/** The Error(string) reason of a reverted call. */
function revertReason(result: EVMResult): string {
  const data = bytesToHex(result.execResult.returnValue);
  if (data === "0x") {
    return `${result.execResult.exceptionError?.error ?? "no error"} without data`;
  }
  const decoded = decodeErrorResult({ abi: [], data });
  return String(decoded.args?.[0]);
}

function events(artifact: ContractArtifact, result: EVMResult) {
  return (result.execResult.logs ?? []).map(([, topics, data]) =>
    decodeEventLog({
      abi: artifact.abi,
      topics: topics.map((t) => bytesToHex(t)) as [Hex, ...Hex[]],
      data: bytesToHex(data),
    }),
  );
}

const buyer = BUYER.toString();
const owner = OWNER.toString();

describe("TokenSale", () => {
  let env: Awaited<ReturnType<typeof chain>>;
  let sale: Hex;

  beforeEach(async () => {
    env = await chain();
    sale = await env.deploy(TOKEN_SALE, ["GOLD", 2, 1000n, 100n]);
  });

  it("issues the whole capped supply to itself at deployment", async () => {
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(1000n);
    expect(await env.read(TOKEN_SALE, sale, "symbol")).toBe("GOLD");
    expect(await env.read(TOKEN_SALE, sale, "rate")).toBe(100n);
    expect(await env.read(TOKEN_SALE, sale, "owner")).toBe(getAddress(owner));
    // A symbol is registered once.
    await expect(env.deploy(TOKEN_SALE, ["GOLD", 2, 1000n, 100n])).rejects.toThrow("Sero: issueToken failed");
  });

  it("sells rate tokens per SERO brought and pays them to the buyer", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 2n * SERO });
    const result = await env.call(TOKEN_SALE, sale, "buy");
    expect(result.execResult.exceptionError).toBeUndefined();
    expect(
      decodeFunctionResult({
        abi: TOKEN_SALE.abi,
        functionName: "buy",
        data: bytesToHex(result.execResult.returnValue),
      }),
    ).toBe(200n);
    expect(env.sero.payouts).toEqual([{ from: sale, to: buyer, symbol: "GOLD", amount: 200n }]);
    expect(events(TOKEN_SALE, result)).toEqual([
      { eventName: "Sold", args: { buyer: getAddress(buyer), paid: 2n * SERO, tokens: 200n } },
    ]);
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(800n);
    expect(await env.read(TOKEN_SALE, sale, "raised")).toBe(2n * SERO);
  });

  it("refuses any other asset, no value, too little and too much SERO, paying nothing", async () => {
    const cases = [
      { value: { kind: "token", symbol: "SILVER", amount: 2n * SERO }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "token", symbol: "SEROX", amount: 2n * SERO }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "ticket", category: "SERO", id: `0x${"11".repeat(32)}` }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "none" }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "token", symbol: "SERO", amount: SERO / 100n - 1n }, reason: "TokenSale: too little SERO" },
      { value: { kind: "token", symbol: "SERO", amount: 11n * SERO }, reason: "TokenSale: not enough tokens left" },
    ] as const;
    for (const { value, reason } of cases) {
      env.sero.bring(sale, value);
      const result = await env.call(TOKEN_SALE, sale, "buy");
      expect(result.execResult.exceptionError?.error).toBe("revert");
      expect(revertReason(result)).toBe(reason);
    }
    expect(env.sero.payouts).toEqual([]);
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(1000n);
  });

  it("sells exactly the remaining supply, then nothing", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 10n * SERO });
    expect((await env.call(TOKEN_SALE, sale, "buy")).execResult.exceptionError).toBeUndefined();
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: SERO });
    expect(revertReason(await env.call(TOKEN_SALE, sale, "buy"))).toBe("TokenSale: not enough tokens left");
  });

  it("pays proceeds to the owner only", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 3n * SERO });
    await env.call(TOKEN_SALE, sale, "buy");
    env.sero.bring(sale, { kind: "none" });
    expect(revertReason(await env.call(TOKEN_SALE, sale, "withdraw", [SERO], BUYER))).toBe("TokenSale: not the owner");
    // More than raised: the precompile refuses and the wrapper reverts with its reason.
    expect(revertReason(await env.call(TOKEN_SALE, sale, "withdraw", [4n * SERO], OWNER))).toBe(
      "Sero: sendToken failed",
    );
    const result = await env.call(TOKEN_SALE, sale, "withdraw", [SERO], OWNER);
    expect(result.execResult.exceptionError).toBeUndefined();
    expect(env.sero.payouts.at(-1)).toEqual({ from: sale, to: owner, symbol: "SERO", amount: SERO });
    expect(await env.read(TOKEN_SALE, sale, "raised")).toBe(2n * SERO);
  });
});

describe("TicketBox", () => {
  let env: Awaited<ReturnType<typeof chain>>;
  let box: Hex;
  const price = SERO / 2n;

  beforeEach(async () => {
    env = await chain();
    box = await env.deploy(TICKET_BOX, ["CONCERT_2027", price]);
  });

  it("sells a fresh ticket for exactly the price and gives it to the buyer", async () => {
    const ids: Hex[] = [];
    for (let i = 0; i < 2; i++) {
      env.sero.bring(box, { kind: "token", symbol: "SERO", amount: price });
      const result = await env.call(TICKET_BOX, box, "buy");
      expect(result.execResult.exceptionError).toBeUndefined();
      const id = decodeFunctionResult({
        abi: TICKET_BOX.abi,
        functionName: "buy",
        data: bytesToHex(result.execResult.returnValue),
      }) as Hex;
      expect(events(TICKET_BOX, result)).toEqual([{ eventName: "TicketSold", args: { buyer: getAddress(buyer), id } }]);
      expect(env.sero.ownerOf("CONCERT_2027", id)).toBe(buyer);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(2);
    expect(env.sero.payouts).toEqual(ids.map((id) => ({ from: box, to: buyer, category: "CONCERT_2027", id })));
    expect(await env.read(TICKET_BOX, box, "sold")).toBe(2n);
    expect(env.sero.balanceOf(box, "SERO")).toBe(2n * price);
  });

  it("refuses a wrong amount or asset, selling nothing", async () => {
    for (const value of [
      { kind: "token", symbol: "SERO", amount: price - 1n },
      { kind: "token", symbol: "SERO", amount: price + 1n },
      { kind: "token", symbol: "GOLD", amount: price },
      { kind: "none" },
    ] as const) {
      env.sero.bring(box, value);
      expect(revertReason(await env.call(TICKET_BOX, box, "buy"))).toBe("TicketBox: pay exactly the price in SERO");
    }
    expect(env.sero.payouts).toEqual([]);
    expect(await env.read(TICKET_BOX, box, "sold")).toBe(0n);
  });

  it("cannot register a category twice", async () => {
    await expect(env.deploy(TICKET_BOX, ["CONCERT_2027", price])).rejects.toThrow(
      "Sero: registerTicketCategory failed",
    );
  });
});

describe("the Sero library's encodings (through Probe)", () => {
  it("passes any name, number and id to the precompiles as their canonical ABI encoding", async () => {
    const env = await chain();
    const probe = await env.deploy(PROBE, []);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.bigInt({ min: 1n, max: 2n ** 256n - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)),
        async (name, amount, idBytes) => {
          const symbol = `${name}#${n++}`; // each run a new name
          const id = bytesToHex(idBytes);
          env.sero.bring(probe, { kind: "none" });
          expect(
            (await env.call(PROBE, probe, "issueToken", [symbol, 7, amount])).execResult.exceptionError,
          ).toBeUndefined();
          const minted = amount < 2n ** 128n ? amount : 1n;
          expect(
            (await env.call(PROBE, probe, "mintToken", [symbol, minted])).execResult.exceptionError,
          ).toBeUndefined();
          expect(await env.read(PROBE, probe, "balanceOf", [symbol])).toBe(minted);
          expect(
            (await env.call(PROBE, probe, "sendToken", [buyer, symbol, minted])).execResult.exceptionError,
          ).toBeUndefined();
          expect(env.sero.balanceOf(buyer as Hex, symbol)).toBe(minted);

          const category = `C${symbol}`;
          await env.call(PROBE, probe, "registerTicketCategory", [category]);
          expect(await env.read(PROBE, probe, "allotTicket", [category, id])).toBe(id);
          expect(await env.read(PROBE, probe, "ownsTicket", [category, id])).toBe(true);
          expect(
            (await env.call(PROBE, probe, "sendTicket", [buyer, category, id])).execResult.exceptionError,
          ).toBeUndefined();
          expect(await env.read(PROBE, probe, "ownsTicket", [category, id])).toBe(false);

          env.sero.bring(probe, { kind: "ticket", category, id });
          expect(await env.read(PROBE, probe, "callValue")).toEqual([2, category, 1n, id]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
