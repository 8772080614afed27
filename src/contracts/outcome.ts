/** What a contract transaction did (PROTOCOL.md §10.6). */
import { EVMError } from "@ethereumjs/evm";

export const OUTCOME_CODES = [
  "ok",
  "revert",
  "out_of_gas",
  "invalid_opcode",
  "stack_error",
  "static_violation",
  "code_too_large",
  "no_contract",
  "evm_error",
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/** An event, its emitter named by its 64-byte address. */
export type ContractLog = {
  readonly contract: Uint8Array;
  readonly topics: readonly Uint8Array[];
  readonly data: Uint8Array;
};

export type ContractOutcome = {
  readonly code: OutcomeCode;
  readonly gasUsed: bigint;
  /** A call's, on `ok` or `revert`; empty otherwise. */
  readonly returnData: Uint8Array;
  /** A deploy's contract, when it was created. */
  readonly contract: Uint8Array | null;
  /** `ok` only. */
  readonly logs: readonly ContractLog[];
};

const M = EVMError.errorMessages;
const BY_ERROR = new Map<string, OutcomeCode>([
  [M.REVERT, "revert"],
  [M.OUT_OF_GAS, "out_of_gas"],
  [M.CODESTORE_OUT_OF_GAS, "out_of_gas"],
  [M.INVALID_OPCODE, "invalid_opcode"],
  [M.INVALID_JUMP, "invalid_opcode"],
  [M.STACK_UNDERFLOW, "stack_error"],
  [M.STACK_OVERFLOW, "stack_error"],
  [M.STATIC_STATE_CHANGE, "static_violation"],
  [M.CODESIZE_EXCEEDS_MAXIMUM, "code_too_large"],
]);

/** The stable code of an exceptional halt; anything unlisted is `evm_error`. */
export function outcomeCodeOf(error: EVMError | undefined): OutcomeCode {
  return error === undefined ? "ok" : (BY_ERROR.get(error.error) ?? "evm_error");
}
