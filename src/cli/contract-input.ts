/**
 * What `sero contract` reads from its options and files: the contract's
 * address, calldata (raw hex, or a function and JSON arguments through an
 * ABI), init code (raw bytecode, or an artifact and constructor arguments).
 * Every input is checked here, with a stable code, before any network use.
 */
import { readFile, stat } from "node:fs/promises";
import type { AbiFunction } from "viem";
import { fromHex, toHex } from "../codec/bytes.ts";
import { decodeContractAddress } from "../protocol/address.ts";
import { decodeText, encodeText } from "../protocol/text.ts";
import { MAX_CALLDATA_BYTES, MAX_INIT_CODE_BYTES } from "../protocol/tx/types.ts";
import { WalletError } from "../wallet/errors.ts";
import { type AbiFile, encodeCall, encodeDeploy, findFunction, parseAbiFile, parseArgsJson } from "./abi.ts";
import { type OptionValues, requireString } from "./command.ts";

/** Larger than any artifact: a bigger file is a mistake, not read whole. */
const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;

const str = (values: OptionValues, name: string) =>
  typeof values[name] === "string" ? (values[name] as string) : undefined;

export async function readInputFile(path: string): Promise<string> {
  try {
    if ((await stat(path)).size > MAX_INPUT_FILE_BYTES) {
      throw new WalletError("file_too_large", `${path} is over ${MAX_INPUT_FILE_BYTES} bytes`);
    }
    return await readFile(path, "utf8");
  } catch (e) {
    if (e instanceof WalletError) {
      throw e;
    }
    throw new WalletError("cannot_read", `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** `seroc1...` (PROTOCOL.md §3.5): a 64-byte contract address. */
export function parseContractAddress(text: string): Uint8Array {
  try {
    return decodeContractAddress(decodeText("contractAddress", text)).bytes;
  } catch (e) {
    throw new WalletError("bad_address", `--to: ${(e as Error).message}`);
  }
}

/** A contract address as people read it: `seroc1...`. */
export function contractText(contract: Uint8Array): string {
  return encodeText("contractAddress", contract);
}

/** Hex bytes, with or without 0x, whitespace around ignored. */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const digits = text.trim().replace(/^0x/i, "").toLowerCase();
  const bytes = /^([0-9a-f]{2})*$/.test(digits) ? fromHex(digits) : undefined;
  if (!bytes) {
    throw new WalletError("bad_hex", `${what} is not hex bytes`);
  }
  return bytes;
}

async function abiFile(path: string): Promise<AbiFile> {
  return parseAbiFile(await readInputFile(path), path);
}

export type Calldata = {
  readonly calldata: Uint8Array;
  /** The function called, when named (its outputs decode a read's result). */
  readonly fn: AbiFunction | undefined;
};

/** `--data HEX`, or `--fn NAME|SIGNATURE [--abi FILE] [--args JSON]`. */
export async function calldataOf(values: OptionValues): Promise<Calldata> {
  const data = str(values, "data");
  const fn = str(values, "fn");
  if ((data === undefined) === (fn === undefined)) {
    throw new WalletError("missing_option", "give the call as --data HEX, or as --fn (with --abi FILE, --args JSON)");
  }
  if (data !== undefined) {
    if (values.args !== undefined || values.abi !== undefined) {
      throw new WalletError("bad_option", "--args and --abi go with --fn, not with --data");
    }
    return {
      calldata: checkedLength(parseHexBytes(data, "--data"), MAX_CALLDATA_BYTES, "calldata_too_long"),
      fn: undefined,
    };
  }
  const abiPath = str(values, "abi");
  const chosen = findFunction(abiPath === undefined ? undefined : (await abiFile(abiPath)).abi, fn as string);
  const calldata = encodeCall(chosen, parseArgsJson(str(values, "args")));
  return { calldata: checkedLength(calldata, MAX_CALLDATA_BYTES, "calldata_too_long"), fn: chosen };
}

/** `--artifact FILE [--args JSON]`, or `--bin FILE` (hex bytecode; constructor --args need --abi FILE). */
export async function initCodeOf(values: OptionValues): Promise<Uint8Array> {
  const artifact = str(values, "artifact");
  const bin = str(values, "bin");
  if ((artifact === undefined) === (bin === undefined)) {
    throw new WalletError("missing_option", "give the contract as --artifact FILE.json or as --bin FILE");
  }
  const args = parseArgsJson(str(values, "args"));
  let code: Uint8Array;
  if (artifact !== undefined) {
    const file = await abiFile(artifact);
    if (file.bytecode === undefined) {
      throw new WalletError("bad_artifact", `${artifact} has no "bytecode": compile the contract, or use --bin`);
    }
    code = encodeDeploy({ ...file, bytecode: file.bytecode }, args);
  } else {
    const bytecode = parseHexBytes(await readInputFile(bin as string), bin as string);
    const abiPath = str(values, "abi");
    if (args.length > 0 && abiPath === undefined) {
      throw new WalletError("bad_option", "constructor --args with --bin need the contract's --abi FILE");
    }
    code =
      abiPath === undefined
        ? bytecode
        : encodeDeploy({ abi: (await abiFile(abiPath)).abi, bytecode: `0x${toHex(bytecode)}` }, args);
  }
  if (code.length === 0) {
    throw new WalletError("bad_code", "the init code is empty");
  }
  return checkedLength(code, MAX_INIT_CODE_BYTES, "code_too_long");
}

function checkedLength(bytes: Uint8Array, max: number, code: string): Uint8Array {
  if (bytes.length > max) {
    throw new WalletError(code, `${bytes.length} bytes: the chain takes at most ${max} (PROTOCOL.md §10.1)`);
  }
  return bytes;
}

/** `--to`, required. */
export function targetOf(values: OptionValues): Uint8Array {
  return parseContractAddress(requireString(values, "to"));
}
