/** sero tx status, sero tx submit: one transaction, by its id or from its file. */
import { readFile, stat } from "node:fs/promises";
import { WalletError } from "../../wallet/errors.ts";
import { MAX_TX_FILE_BYTES, parseTransactionFile } from "../../wallet/tx-file.ts";
import type { Command } from "../command.ts";
import type { CliContext } from "../context.ts";

export const txStatus: Command = {
  name: "tx status",
  summary: "Where a transaction is: pending, committed (height) or rejected (reason)",
  details:
    "ID is the transaction id, 64 hex digits, or its first 8 or more digits as sero history prints them:\n" +
    "a short id is looked up in the wallet's history and sends in flight (the passphrase is asked), and\n" +
    "must name one transaction there (unknown_tx_id, ambiguous_tx_id).",
  positionals: "ID",
  options: {},
  optionHelp: [],
  async run(ctx, _values, positionals) {
    const given = positionals[0]?.toLowerCase();
    if (!given || positionals.length > 1 || !/^[0-9a-f]{8,64}$/.test(given)) {
      throw new WalletError("bad_tx_id", "give one transaction id: 64 hex digits, or the first 8 or more of them");
    }
    const txId = given.length === 64 ? given : await expandTxId(ctx, given);
    const status = await ctx.client().txStatus(txId);
    if (!status) {
      return { json: { txId, status: "unknown" }, lines: [`${txId}: unknown to the node`] };
    }
    const where =
      status.status === "committed"
        ? `committed at block ${status.height}`
        : status.status === "rejected"
          ? `rejected (${status.code})`
          : "pending";
    const json = {
      txId,
      status: status.status,
      height: status.height,
      code: status.code,
      outcome: status.outcome ?? null,
    };
    return { json, lines: [`${txId}: ${where}`] };
  },
};

/** The one transaction of the wallet's (any account's history or sends in flight, on the node's chain) starting so. */
async function expandTxId(ctx: CliContext, prefix: string): Promise<string> {
  const wallet = await ctx.readableWallet();
  const { chainId } = await ctx.status();
  const known = new Set<string>();
  for (const { name } of wallet.accounts) {
    const state = wallet.state(name, chainId);
    for (const txId of [...(state?.history ?? []).map((h) => h.txId), ...(state?.pending ?? []).map((p) => p.txId)]) {
      if (txId.startsWith(prefix)) {
        known.add(txId);
      }
    }
  }
  const [only, ...more] = known;
  if (only === undefined) {
    throw new WalletError("unknown_tx_id", `no transaction in the wallet starts with ${prefix}: give all 64 digits`);
  }
  if (more.length > 0) {
    throw new WalletError(
      "ambiguous_tx_id",
      `${known.size} of the wallet's transactions start with ${prefix}: give more digits`,
    );
  }
  return only;
}

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
