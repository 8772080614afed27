/**
 * Stateless semantic checks of a decoded transaction (PROTOCOL.md §8). Each
 * refusal carries a stable code. Checks that need chain state (anchors,
 * spent nullifiers, issuers, supply) belong to the ledger.
 */
import { bytesToBigintBE, toHex } from "../../codec/bytes.ts";
import { decodeContractAddress, decodeOneTimeAddress } from "../address.ts";
import { checkRegistration } from "../asset.ts";
import { ProtocolError } from "../errors.ts";
import {
  type ContractTx,
  type IssuedOutput,
  MAX_CALLDATA_BYTES,
  MAX_GENESIS_OUTPUTS,
  MAX_INIT_CODE_BYTES,
  MAX_ISSUED_OUTPUTS,
  type ShieldedSpend,
  TRANSFER_SHAPES,
  type Transaction,
} from "./types.ts";

const X25519_FIELD = 2n ** 255n - 19n;

export function validateBasic(tx: Transaction): Transaction {
  switch (tx.kind) {
    case "transfer":
      checkEpk(tx.epk);
      validateSpend(tx);
      break;
    case "register":
      checkRegistration(tx.registration);
      checkEpk(tx.epk);
      validateSpend(tx.payment);
      break;
    case "issue":
      checkEpk(tx.epk);
      validateSpend(tx.payment);
      checkOutputCount(tx.outputs.length, MAX_ISSUED_OUTPUTS);
      checkDistinctSeals(tx.outputs);
      if (tx.assetKind === "token") {
        tx.outputs.forEach(checkTokenValue);
      } else {
        checkDistinct(
          tx.outputs.map((o) => toHex(o.value)),
          "duplicate_ticket",
          "a ticket id appears twice",
        );
      }
      break;
    case "genesis":
      checkEpk(tx.epk);
      checkOutputCount(tx.outputs.length, MAX_GENESIS_OUTPUTS);
      checkDistinctSeals(tx.outputs);
      tx.outputs.forEach(checkTokenValue);
      break;
    case "deploy":
    case "call":
      validateContractTx(tx);
      break;
  }
  return tx;
}

/** §10.1: bounded code and calldata, a real caller address, and an opening of one of the payment's outputs. */
function validateContractTx(tx: ContractTx): void {
  checkEpk(tx.epk);
  validateSpend(tx.payment);
  if (tx.kind === "deploy" && tx.initCode.length > MAX_INIT_CODE_BYTES) {
    throw new ProtocolError("code_too_long", `init code is at most ${MAX_INIT_CODE_BYTES} bytes`);
  }
  if (tx.kind === "call") {
    decodeContractAddress(tx.contract);
    if (tx.calldata.length > MAX_CALLDATA_BYTES) {
      throw new ProtocolError("calldata_too_long", `calldata is at most ${MAX_CALLDATA_BYTES} bytes`);
    }
  }
  if (tx.gasLimit === 0n) {
    throw new ProtocolError("bad_gas_limit", "a contract transaction needs gas");
  }
  decodeOneTimeAddress(tx.caller.pkr);
  const value = tx.value;
  if (value === null) {
    return;
  }
  // The last, so a compact block (§9) lists the other outputs at the indices their encryption used (§10.3).
  if (value.output !== tx.payment.outputs.length - 1) {
    throw new ProtocolError("bad_value_output", "the opened output is the payment's last");
  }
  if (value.assetKind === "token") {
    checkTokenValue(value);
    if (value.value.every((b) => b === 0)) {
      throw new ProtocolError("zero_value", "an opened token amount is positive");
    }
  }
}

/** A transfer, or the fee payment of a registration or issuance (§8.9): both are proved by a transfer circuit. */
function validateSpend(tx: ShieldedSpend): void {
  const known = TRANSFER_SHAPES.some((s) => s.inputs === tx.nullifiers.length && s.outputs === tx.outputs.length);
  if (!known) {
    throw new ProtocolError(
      "unknown_shape",
      `no circuit for ${tx.nullifiers.length} inputs and ${tx.outputs.length} outputs`,
    );
  }
  checkDistinct(tx.nullifiers, "duplicate_nullifier", "a nullifier appears twice in the transaction");
  checkDistinct(
    tx.outputs.map((o) => o.commitment),
    "duplicate_commitment",
    "an output commitment appears twice in the transaction",
  );
}

/** A canonical X25519 u-coordinate: below 2^255 - 19 (RFC 7748 §5 accepts more; we accept one spelling). */
function checkEpk(epk: Uint8Array): void {
  const u = bytesToBigintBE(Uint8Array.from(epk).reverse());
  if (u >= X25519_FIELD) {
    throw new ProtocolError("non_canonical_key", "epk is not a canonical X25519 u-coordinate");
  }
}

function checkOutputCount(count: number, max: number): void {
  if (count < 1 || count > max) {
    throw new ProtocolError("bad_output_count", `1 to ${max} outputs`);
  }
}

function checkTokenValue(output: Pick<IssuedOutput, "value">): void {
  if (output.value.subarray(0, 16).some((b) => b !== 0)) {
    throw new ProtocolError("amount_out_of_range", "an issued amount must be below 2^128");
  }
}

/** Equal seals with equal values would be equal commitments: refused like duplicate transfer outputs. */
function checkDistinctSeals(outputs: readonly IssuedOutput[]): void {
  checkDistinct(
    outputs.map((o) => o.seal),
    "duplicate_commitment",
    "two outputs share a seal",
  );
}

function checkDistinct<T>(values: readonly T[], code: string, message: string): void {
  if (new Set(values).size !== values.length) {
    throw new ProtocolError(code, message);
  }
}
