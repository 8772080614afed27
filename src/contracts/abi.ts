/**
 * Solidity ABI encoding for the system interface (PROTOCOL.md §10.5), through
 * viem. Arguments come from contracts, so a malformed encoding is a refusal
 * with a stable code, never an exception of the library's own.
 */
import { type AbiParameter, decodeAbiParameters, encodeAbiParameters, parseAbiParameters } from "viem";
import { fromHex } from "../codec/bytes.ts";
import { ProtocolError } from "../protocol/errors.ts";

const parsed = new Map<string, readonly AbiParameter[]>();

function parameters(types: string): readonly AbiParameter[] {
  let p = parsed.get(types);
  if (p === undefined) {
    p = parseAbiParameters(types) as readonly AbiParameter[];
    parsed.set(types, p);
  }
  return p;
}

export function abiEncode(types: string, values: readonly unknown[]): Uint8Array {
  return fromHex(encodeAbiParameters(parameters(types), values as never).slice(2)) as Uint8Array;
}

export function abiDecode(types: string, data: Uint8Array): readonly unknown[] {
  try {
    return decodeAbiParameters(parameters(types), data);
  } catch {
    throw new ProtocolError("bad_arguments", `arguments are not the ABI encoding of (${types})`);
  }
}

/** `Error(string)`: what Solidity's `revert("...")` returns, so callers can bubble a precompile's reason. */
export function abiRevertReason(reason: string): Uint8Array {
  const selector = Uint8Array.of(0x08, 0xc3, 0x79, 0xa0);
  const body = abiEncode("string", [reason]);
  const out = new Uint8Array(4 + body.length);
  out.set(selector);
  out.set(body, 4);
  return out;
}
