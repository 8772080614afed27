/** sero tx status, sero tx submit: one transaction, by its id or from its file. */
import { readFile, stat } from "node:fs/promises";
import { WalletError } from "../../wallet/errors.ts";
import { MAX_TX_FILE_BYTES, parseTransactionFile } from "../../wallet/tx-file.ts";
import type { Command } from "../command.ts";

export const txStatus: Command = {
  name: "tx status",
  summary: "Where a transaction is: pending, committed (height) or rejected (reason)",
  positionals: "HASH",
  options: {},
  optionHelp: [],
  async run(ctx, _values, positionals) {
    const id = positionals[0]?.toLowerCase();
    if (!id || !/^[0-9a-f]{64}$/.test(id)) {
      throw new WalletError("bad_tx_hash", "give the transaction hash: 64 hex digits");
    }
    const status = await ctx.client().txStatus(id);
    if (!status) {
      return { json: { id, status: "unknown" }, lines: [`${id}: unknown to the node`] };
    }
    const where =
      status.status === "committed"
        ? `committed at block ${status.height}`
        : status.status === "rejected"
          ? `rejected (${status.code})`
          : "pending";
    return { json: status, lines: [`${id}: ${where}`] };
  },
};

/** The file's bytes, refusing what cannot be a transaction file before reading it whole. */
async function readTxFile(path: string): Promise<Uint8Array> {
  try {
    if ((await stat(path)).size > MAX_TX_FILE_BYTES) {
      throw new WalletError("tx_file_too_large", `${path} is over ${MAX_TX_FILE_BYTES} bytes: not a transaction`);
    }
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof WalletError) {
      throw e;
    }
    throw new WalletError("cannot_read", `cannot read ${path}: ${(e as Error).message}`);
  }
}

export const txSubmit: Command = {
  name: "tx submit",
  summary: "Submit a transaction file (from --out of sero send or sero contract): checked here first, then sent",
  details:
    "The file is the transaction's JSON form, exactly what POST /v1/tx accepts. It is checked as the node\n" +
    "checks a submission (format, canonical fields, shapes) before anything is sent; the node then checks\n" +
    "its anchor, nullifiers and proof. Follow it with sero tx status ID, or sero sync.",
  positionals: "FILE",
  options: {},
  optionHelp: [],
  async run(ctx, _values, positionals) {
    const path = positionals[0];
    if (path === undefined || positionals.length > 1) {
      throw new WalletError("missing_file", "give one transaction file: sero tx submit FILE");
    }
    const tx = parseTransactionFile(await readTxFile(path), path);
    const id = await ctx.client().submit(tx);
    return { json: { txId: id, status: "submitted" }, lines: [`submitted ${id}`] };
  },
};
