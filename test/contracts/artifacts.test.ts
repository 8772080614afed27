/**
 * The committed artifacts (contracts/build/) have the shape the tooling and
 * wallets rely on; `npm run contracts:check` proves they match the sources.
 */
import { readdirSync } from "node:fs";
import {
  type AbiFunction,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  isHex,
  toFunctionSelector,
} from "viem";
import { describe, expect, it } from "vitest";
import { loadArtifact } from "./artifacts.ts";

const NAMES = ["Probe", "ProbeChild", "Raffle", "TicketBox", "TokenSale"];

function signatures(name: string): string[] {
  return loadArtifact(name).abi.map((item) =>
    item.type === "function" || item.type === "event"
      ? `${item.type} ${item.name}(${item.inputs.map((i) => i.type).join(",")})`
      : item.type,
  );
}

describe("contract artifacts", () => {
  it("are exactly one per deployable contract, each complete", () => {
    const files = readdirSync(new URL("../../contracts/build/", import.meta.url)).sort();
    expect(files).toEqual(NAMES.map((n) => `${n}.json`));
    for (const name of NAMES) {
      const artifact = loadArtifact(name);
      expect(Object.keys(artifact)).toEqual(["contractName", "abi", "bytecode", "deployedBytecode", "sourceHash"]);
      expect(artifact.contractName).toBe(name);
      expect(isHex(artifact.bytecode) && artifact.bytecode.length > 2).toBe(true);
      expect(isHex(artifact.deployedBytecode) && artifact.deployedBytecode.length > 2).toBe(true);
      expect(artifact.sourceHash).toMatch(/^[0-9a-f]{64}$/);
      // No metadata trailer (appendCBOR false): the code ends where the compiler's code ends.
      expect(artifact.deployedBytecode).not.toMatch(/a264697066735822|a164736f6c6343/);
    }
  });

  it("expose the examples' interfaces", () => {
    expect(signatures("TokenSale").sort()).toEqual(
      [
        "constructor",
        "event Sold(address,uint256,uint256)",
        "function available()",
        "function buy()",
        "function owner()",
        "function raised()",
        "function rate()",
        "function symbol()",
        "function withdraw(uint256)",
      ].sort(),
    );
    expect(signatures("TicketBox").sort()).toEqual(
      [
        "constructor",
        "event TicketSold(address,bytes32)",
        "function buy()",
        "function category()",
        "function owner()",
        "function price()",
        "function sold()",
        "function withdraw(uint256)",
      ].sort(),
    );
    expect(signatures("Raffle").sort()).toEqual(
      [
        "constructor",
        "event Closed(uint256)",
        "event Drawn(address,uint256,bytes32,uint256)",
        "event Entered(address,uint256)",
        "function close()",
        "function closeHeight()",
        "function closed()",
        "function draw()",
        "function enter()",
        "function entries(uint256)",
        "function entryCount()",
        "function pinned()",
        "function price()",
        "function winner()",
      ].sort(),
    );
    const probe = signatures("Probe");
    for (const fn of [
      "function beacon()",
      "function callValue()",
      "function balanceOf(string)",
      "function ownsTicket(string,bytes32)",
      "function sendToken(address,string,uint256)",
      "function sendTicket(address,string,bytes32)",
      "function issueToken(string,uint8,uint256)",
      "function mintToken(string,uint256)",
      "function registerTicketCategory(string)",
      "function allotTicket(string,bytes32)",
      "function rawCall(address,bytes)",
      "function rawStaticCall(address,bytes)",
      "function reenter(address,string,uint256,uint256)",
      "function sendThenRevert(address,string,uint256)",
      "function sendAroundRevertedFrame(address,string,uint256,uint256)",
      "function spin()",
      "function invalidOpcode()",
      "function createChildren(bytes32)",
    ]) {
      expect(probe).toContain(fn);
    }
  });

  it("encode calls and decode results with viem", () => {
    const sale = loadArtifact("TokenSale");
    expect(encodeFunctionData({ abi: sale.abi, functionName: "buy" })).toBe(toFunctionSelector("buy()"));
    expect(encodeFunctionData({ abi: sale.abi, functionName: "withdraw", args: [5n] })).toBe(
      `${toFunctionSelector("withdraw(uint256)")}${"0".repeat(63)}5`,
    );
    const bought = encodeAbiParameters([{ type: "uint256" }], [200n]);
    expect(decodeFunctionResult({ abi: sale.abi, functionName: "buy", data: bought })).toBe(200n);
    const symbol = encodeAbiParameters([{ type: "string" }], ["GOLD"]);
    expect(decodeFunctionResult({ abi: sale.abi, functionName: "symbol", data: symbol })).toBe("GOLD");

    const box = loadArtifact("TicketBox");
    const id = `0x${"ab".repeat(32)}` as const;
    expect(
      decodeFunctionResult({
        abi: box.abi,
        functionName: "buy",
        data: encodeAbiParameters([{ type: "bytes32" }], [id]),
      }),
    ).toBe(id);
    const owner = getAddress(`0x${"12".repeat(20)}`);
    expect(
      decodeFunctionResult({
        abi: box.abi,
        functionName: "owner",
        data: encodeAbiParameters([{ type: "address" }], [owner]),
      }),
    ).toBe(owner);
    const callValue = loadArtifact("Probe").abi.find(
      (item): item is AbiFunction => item.type === "function" && item.name === "callValue",
    );
    expect(callValue?.outputs.map((o) => o.type)).toEqual(["uint8", "string", "uint256", "bytes32"]);
  });
});
