/**
 * Solidity ABI for `sero contract` (viem does the encoding): reading an ABI
 * or artifact file, choosing a function by name or signature, turning JSON
 * arguments into what the encoder takes, decoding results and revert
 * reasons, and printing decoded values as JSON.
 */
import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  decodeErrorResult,
  decodeFunctionResult,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  parseAbiItem,
  toFunctionSignature,
} from "viem";
import { fromHex, toHex } from "../codec/bytes.ts";
import { WalletError } from "../wallet/errors.ts";

export type AbiFile = { readonly abi: Abi; readonly bytecode: Hex | undefined };

/** An artifact JSON (`{ abi, bytecode }`, as contracts/build/ holds) or a plain ABI array. */
export function parseAbiFile(text: string, path: string): AbiFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WalletError("bad_abi", `${path} is not JSON`);
  }
  const artifact = json as { abi?: unknown; bytecode?: unknown };
  const abi = Array.isArray(json) ? json : artifact.abi;
  if (!Array.isArray(abi) || !abi.every((item) => typeof item === "object" && item !== null && "type" in item)) {
    throw new WalletError("bad_abi", `${path} holds neither an ABI array nor an artifact with an "abi" array`);
  }
  const bytecode =
    typeof artifact.bytecode === "string" && /^0x([0-9a-fA-F]{2})+$/.test(artifact.bytecode)
      ? (artifact.bytecode as Hex)
      : undefined;
  return { abi: abi as Abi, bytecode };
}

/** `fn` is a function's name (unique in the ABI) or its signature, e.g. `buy()` or `withdraw(uint256)`. */
export function findFunction(abi: Abi | undefined, fn: string): AbiFunction {
  const wanted = fn.replace(/\s+/g, "");
  if (abi === undefined) {
    if (!wanted.includes("(")) {
      throw new WalletError(
        "bad_function",
        "without --abi, --fn is a signature such as 'buy()' or 'withdraw(uint256)'",
      );
    }
    try {
      return parseAbiItem(`function ${wanted}`) as AbiFunction;
    } catch {
      throw new WalletError("bad_function", `--fn ${fn} is not a function signature`);
    }
  }
  const functions = abi.filter((item): item is AbiFunction => item.type === "function");
  const matches = functions.filter((f) =>
    wanted.includes("(") ? toFunctionSignature(f) === wanted : f.name === wanted,
  );
  const [only] = matches;
  if (!only) {
    const known = functions.map((f) => toFunctionSignature(f)).join(", ");
    throw new WalletError("unknown_function", `the ABI has no function ${fn} (it has: ${known || "none"})`);
  }
  if (matches.length > 1) {
    const options = matches.map((f) => toFunctionSignature(f)).join(", ");
    throw new WalletError("ambiguous_function", `${fn} is overloaded: give the signature, one of ${options}`);
  }
  return only;
}

/** `--args`: a JSON array (absent: no arguments). */
export function parseArgsJson(text: string | undefined): unknown[] {
  if (text === undefined) {
    return [];
  }
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    throw new WalletError("bad_args", '--args is a JSON array, e.g. \'["GOLD", 0, "1000000"]\'');
  }
  if (!Array.isArray(args)) {
    throw new WalletError("bad_args", "--args is a JSON array, e.g. '[1, \"0xab\"]'");
  }
  return args;
}

/**
 * JSON arguments as viem takes them: integers from JSON numbers or decimal strings (a JSON number loses
 * digits past 2^53, so big amounts are written as strings) become bigints, through arrays and tuples.
 */
export function coerceArgs(inputs: readonly AbiParameter[], args: readonly unknown[]): unknown[] {
  if (args.length !== inputs.length) {
    throw new WalletError("bad_args", `--args has ${args.length} values, the function takes ${inputs.length}`);
  }
  return inputs.map((p, i) => coerce(p.type, p, args[i]));
}

function coerce(type: string, param: AbiParameter, value: unknown): unknown {
  const array = /^(.*)\[\d*\]$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) {
      throw new WalletError("bad_args", `${param.name || type}: expected a JSON array`);
    }
    return value.map((v) => coerce(array[1] as string, param, v));
  }
  if (type === "tuple" && "components" in param) {
    const components = param.components;
    const values = Array.isArray(value)
      ? value
      : components.map((c) => (value as Record<string, unknown>)?.[c.name ?? ""]);
    return coerceArgs(components, values);
  }
  if (/^u?int\d*$/.test(type)) {
    if (
      (typeof value === "number" && Number.isSafeInteger(value)) ||
      (typeof value === "string" && /^-?\d+$/.test(value))
    ) {
      return BigInt(value);
    }
    throw new WalletError("bad_args", `${param.name || type}: an integer (a JSON number, or a decimal string)`);
  }
  return value;
}

export function encodeCall(fn: AbiFunction, args: readonly unknown[]): Uint8Array {
  return bytesOf(() =>
    encodeFunctionData({ abi: [fn], functionName: fn.name, args: coerceArgs(fn.inputs, args) } as never),
  );
}

export function encodeDeploy(file: AbiFile & { readonly bytecode: Hex }, args: readonly unknown[]): Uint8Array {
  const ctor = file.abi.find((item) => item.type === "constructor");
  const coerced = coerceArgs(ctor?.inputs ?? [], args);
  return bytesOf(() => encodeDeployData({ abi: file.abi, bytecode: file.bytecode, args: coerced } as never));
}

function bytesOf(encode: () => Hex): Uint8Array {
  let hex: Hex;
  try {
    hex = encode();
  } catch (e) {
    throw new WalletError("bad_args", `cannot encode the arguments: ${(e as Error).message.split("\n")[0]}`);
  }
  return fromHex(hex.slice(2)) as Uint8Array;
}

export function decodeResult(fn: AbiFunction, data: Uint8Array): unknown {
  try {
    return decodeFunctionResult({ abi: [fn], functionName: fn.name, data: `0x${toHex(data)}` } as never);
  } catch (e) {
    throw new WalletError(
      "bad_result",
      `the result does not decode as ${fn.name}'s: ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

/** A revert's reason: Solidity's Error(string) or Panic(uint256), else the raw data. */
export function revertReason(data: Uint8Array): string {
  if (data.length === 0) {
    return "no reason given";
  }
  try {
    const decoded = decodeErrorResult({ abi: [], data: `0x${toHex(data)}` });
    const [first] = decoded.args ?? [];
    return decoded.errorName === "Panic" ? `panic 0x${BigInt(first as bigint).toString(16)}` : String(first);
  } catch {
    return `0x${toHex(data)}`;
  }
}

/** Decoded values as JSON: bigints as decimal strings. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (Array.isArray(value)) {
    return value.map(jsonSafe);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}
