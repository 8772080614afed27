/**
 * A transaction kept in a file between proving and submitting (`sero send
 * --out`, `sero tx submit`): exactly the JSON form `POST /v1/tx` accepts
 * (PROTOCOL.md §8, src/protocol/tx/json.ts). Reading one is strict like the
 * node: refusals keep the protocol's codes (§8.7), so a file the node would
 * refuse as malformed is refused here first, before anything is sent.
 */
import { ProtocolError } from "../protocol/errors.ts";
import { transactionFromJson, transactionToJson } from "../protocol/tx/json.ts";
import type { Transaction } from "../protocol/tx/types.ts";
import { validateBasic } from "../protocol/tx/validate.ts";
import { WalletError } from "./errors.ts";

/** The node's body limit for a transaction (MAX_BODY_BYTES of src/api/routes/submit.ts). */
export const MAX_TX_FILE_BYTES = 64 * 1024;

export function transactionFileText(tx: Transaction): string {
  return `${JSON.stringify(transactionToJson(tx), null, 2)}\n`;
}

/** The transaction a file holds, checked as the node checks a submission; `name` says which file. */
export function parseTransactionFile(bytes: Uint8Array, name: string): Transaction {
  if (bytes.length > MAX_TX_FILE_BYTES) {
    throw new WalletError("tx_file_too_large", `${name} is over ${MAX_TX_FILE_BYTES} bytes: not a transaction`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new WalletError("bad_tx_file", `${name} is not JSON: expected a transaction written by sero send --out`);
  }
  try {
    return validateBasic(transactionFromJson(json));
  } catch (e) {
    if (e instanceof ProtocolError) {
      throw new WalletError(e.code, `${name} is not a valid transaction: ${e.message}`);
    }
    throw e;
  }
}
