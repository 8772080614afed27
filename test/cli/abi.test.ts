/** ABI handling of `sero contract`: functions by name or signature, JSON arguments, results and revert reasons. */
import fc from "fast-check";
import { type Abi, decodeFunctionData, encodeErrorResult, encodeFunctionResult } from "viem";
import { describe, expect, it } from "vitest";
import {
  coerceArgs,
  decodeResult,
  encodeCall,
  encodeDeploy,
  findFunction,
  jsonSafe,
  parseAbiFile,
  parseArgsJson,
  revertReason,
} from "../../src/cli/abi.ts";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { loadArtifact } from "../contracts/artifacts.ts";

const sale = loadArtifact("TokenSale");
const overloaded: Abi = [
  {
    type: "function",
    name: "pay",
    stateMutability: "nonpayable",
    inputs: [{ name: "a", type: "uint256" }],
    outputs: [],
  },
  {
    type: "function",
    name: "pay",
    stateMutability: "nonpayable",
    inputs: [
      { name: "a", type: "uint256" },
      { name: "to", type: "address" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "batch",
    stateMutability: "nonpayable",
    inputs: [
      { name: "amounts", type: "uint128[]" },
      {
        name: "order",
        type: "tuple",
        components: [
          { name: "id", type: "uint64" },
          { name: "memo", type: "string" },
        ],
      },
    ],
    outputs: [],
  },
];
const hex = (b: Uint8Array) => `0x${toHex(b)}` as const;

describe("sero contract ABI", () => {
  it("reads an artifact or a plain ABI array, and refuses anything else", () => {
    const artifact = parseAbiFile(JSON.stringify(sale), "sale.json");
    expect(artifact.bytecode).toBe(sale.bytecode);
    expect(parseAbiFile(JSON.stringify(sale.abi), "abi.json")).toEqual({ abi: sale.abi, bytecode: undefined });
    for (const bad of ["{", "{}", '{"abi": {}}', "[1]", '"abi"']) {
      expect(() => parseAbiFile(bad, "x.json")).toThrow(expect.objectContaining({ code: "bad_abi" }));
    }
  });

  it("finds a function by name, by signature (spaces ignored), or by signature alone without an ABI", () => {
    expect(findFunction(sale.abi, "buy").name).toBe("buy");
    expect(findFunction(sale.abi, "withdraw( uint256 )").inputs).toHaveLength(1);
    expect(findFunction(overloaded, "pay(uint256,address)").inputs).toHaveLength(2);
    expect(findFunction(undefined, "withdraw(uint256)").inputs[0]?.type).toBe("uint256");
    expect(() => findFunction(overloaded, "pay")).toThrow(expect.objectContaining({ code: "ambiguous_function" }));
    expect(() => findFunction(sale.abi, "steal")).toThrow(expect.objectContaining({ code: "unknown_function" }));
    expect(() => findFunction(sale.abi, "buy(uint8)")).toThrow(expect.objectContaining({ code: "unknown_function" }));
    expect(() => findFunction(undefined, "buy")).toThrow(expect.objectContaining({ code: "bad_function" }));
    expect(() => findFunction(undefined, "buy(uint)x")).toThrow(expect.objectContaining({ code: "bad_function" }));
  });

  it("encodes JSON arguments, big integers from strings, through arrays and tuples", () => {
    const batch = findFunction(overloaded, "batch");
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), { maxLength: 4 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.string(),
        (amounts, id, memo) => {
          const data = encodeCall(batch, [amounts.map(String), { id: id.toString(), memo }]);
          const decoded = decodeFunctionData({ abi: [batch], data: hex(data) });
          expect(decoded.args).toEqual([amounts, { id, memo }]);
        },
      ),
      { numRuns: 30 },
    );
    expect(coerceArgs(findFunction(sale.abi, "withdraw").inputs, [7])).toEqual([7n]);
    for (const bad of [["1.5"], [1e300], ["0x10"], [true]]) {
      expect(() => encodeCall(findFunction(sale.abi, "withdraw"), bad)).toThrow(
        expect.objectContaining({ code: "bad_args" }),
      );
    }
    expect(() => encodeCall(findFunction(sale.abi, "withdraw"), [])).toThrow(
      expect.objectContaining({ code: "bad_args" }),
    );
    expect(() => encodeCall(findFunction(overloaded, "pay(uint256,address)"), [1, "not an address"])).toThrow(
      expect.objectContaining({ code: "bad_args" }),
    );
    expect(() => parseArgsJson('{"a": 1}')).toThrow(expect.objectContaining({ code: "bad_args" }));
    expect(parseArgsJson(undefined)).toEqual([]);
  });

  it("encodes a deploy as bytecode followed by the constructor's arguments", () => {
    const code = encodeDeploy({ abi: sale.abi, bytecode: sale.bytecode }, [
      "GOLD",
      2,
      "1000000",
      "1000000000000000000",
    ]);
    expect(hex(code).startsWith(sale.bytecode)).toBe(true);
    expect(code.length).toBe((sale.bytecode.length - 2) / 2 + 6 * 32);
    expect(() => encodeDeploy({ abi: sale.abi, bytecode: sale.bytecode }, ["GOLD"])).toThrow(
      expect.objectContaining({ code: "bad_args" }),
    );
  });

  it("decodes results, and says why a call reverted", () => {
    const available = findFunction(sale.abi, "available");
    const data = encodeFunctionResult({ abi: [available], functionName: "available", result: 10n ** 30n } as never);
    expect(jsonSafe(decodeResult(available, fromHex(data.slice(2)) as Uint8Array))).toBe((10n ** 30n).toString());
    expect(() => decodeResult(available, Uint8Array.of(1))).toThrow(expect.objectContaining({ code: "bad_result" }));
    const error = (name: "Error" | "Panic", type: "string" | "uint256", arg: unknown) =>
      fromHex(
        encodeErrorResult({
          abi: [{ type: "error", name, inputs: [{ name: "x", type }] }],
          errorName: name,
          args: [arg],
        } as never).slice(2),
      ) as Uint8Array;
    expect(revertReason(error("Error", "string", "TokenSale: not the owner"))).toBe("TokenSale: not the owner");
    expect(revertReason(error("Panic", "uint256", 0x11n))).toBe("panic 0x11");
    expect(revertReason(new Uint8Array())).toBe("no reason given");
    expect(revertReason(Uint8Array.of(0xde, 0xad))).toBe("0xdead");
    expect(jsonSafe({ a: [1n, { b: 2n }], c: "x" })).toEqual({ a: ["1", { b: "2" }], c: "x" });
  });
});
