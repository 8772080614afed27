/**
 * SERO's addresses in the EVM (PROTOCOL.md §10.2): 20-byte hashes of 64-byte
 * contract addresses and of callers, and how contracts' own addresses derive.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToBigintBE, concatBytes, utf8 } from "../codec/bytes.ts";
import { deriveContractAddress } from "../protocol/address.ts";
import { Blake2bPersonalization as P } from "../protocol/domains.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";
import { blake } from "../protocol/hash.ts";
import type { Caller } from "../protocol/tx/types.ts";

export const EVM_ADDRESS_BYTES = 20;

export function evmAddressOfContract(contract: Uint8Array): Uint8Array {
  return blake(P.evmContract, contract, EVM_ADDRESS_BYTES);
}

export function evmAddressOfCaller(caller: Caller): Uint8Array {
  return blake(P.evmCaller, concatBytes(caller.pkr, caller.key), EVM_ADDRESS_BYTES);
}

/** A deploy's contract: the anonymous creator is named by the transaction id and its first nullifier (§10.2). */
export function deployedContractAddress(txId: Uint8Array, firstNullifier: Fr): Uint8Array {
  return deriveContractAddress(concatBytes(txId, frToBytes(firstNullifier)), 0n).bytes;
}

/** `CREATE` from a contract: its address and EVM nonce, as §3.4 derives any contract's. */
export function createdContractAddress(parent: Uint8Array, nonce: bigint): Uint8Array {
  return deriveContractAddress(parent, nonce).bytes;
}

/** `CREATE2`: the parent, the salt and the init code's hash, so the address is known before deployment. */
export function create2ContractAddress(parent: Uint8Array, salt: Uint8Array, initCode: Uint8Array): Uint8Array {
  const bytes = blake(P.create2Address, concatBytes(parent, salt, keccak_256(initCode)), 64);
  bytes[31] = (bytes[31] as number) | 0x40;
  return bytes;
}

/** `CHAINID` (§10.7): the first 6 bytes of a hash of the chain id, below 2^53 so every JSON tool holds it. */
export function evmChainId(chainId: string): number {
  return Number(bytesToBigintBE(blake(P.evmChainId, utf8(chainId), 32).subarray(0, 6)));
}
