#!/usr/bin/env node
/**
 * `sero`: the command-line wallet. Every command takes --help and --json;
 * errors are one line with a stable code and a non-zero exit status.
 */
import { readFileSync } from "node:fs";
import type { ParseArgsOptionsConfig } from "node:util";
import { releaseProverThreads } from "../prover/index.ts";
import { parseCommandLine } from "./args.ts";
import type { Command, CommandOutput } from "./command.ts";
import { accountImport, accountList, accountNew, accountWatch } from "./commands/account.ts";
import { contractCall, contractDeploy, contractInfo, contractRead } from "./commands/contract.ts";
import { faucet } from "./commands/faucet.ts";
import { assetIssue, ticketIssue } from "./commands/issue.ts";
import { sendCommand, ticketSend } from "./commands/send.ts";
import { txStatus, txSubmit } from "./commands/tx.ts";
import { address, balance, history, sync, viewKeyExport } from "./commands/view.ts";
import { CliContext, DEFAULT_NODE } from "./context.ts";
import { JSON_HELP } from "./json-help.ts";

const COMMANDS: readonly Command[] = [
  accountNew,
  accountImport,
  accountWatch,
  accountList,
  address,
  viewKeyExport,
  sync,
  balance,
  sendCommand,
  ticketSend,
  assetIssue,
  ticketIssue,
  contractDeploy,
  contractCall,
  contractRead,
  contractInfo,
  faucet,
  history,
  txStatus,
  txSubmit,
];

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  node: { type: "string" },
  "wallet-dir": { type: "string" },
  "passphrase-file": { type: "string" },
  account: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
};

const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ["--node URL", `the node's HTTPS endpoint (default $SERO_NODE or ${DEFAULT_NODE})`],
  ["--account NAME", "which account (default: the first)"],
  ["--wallet-dir DIR", "where the encrypted wallet lives (default: the per-user data directory)"],
  ["--passphrase-file FILE", "read the passphrase from FILE (or set SERO_PASSPHRASE); else you are asked"],
  ["--json", "machine-readable output on stdout"],
  ["-h, --help", "this help (sero help COMMAND: a command's help)"],
];

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

function overview(): string {
  return [
    "sero: the SERO Edge wallet (shielded multi-asset payments)",
    "",
    "Usage: sero [options] COMMAND [options]",
    "",
    "Commands:",
    ...table(COMMANDS.map((c) => [c.name, c.summary])),
    "",
    "Options of every command (before the command or after it):",
    ...table(GLOBAL_HELP),
    "",
    "sero --version prints the version; sero help json describes the --json output.",
    "",
    "First payment on the local testnet: sero account new; sero faucet; sero send --to ADDRESS --amount 1",
  ].join("\n");
}

function groupHelp(group: string, commands: readonly Command[]): string {
  return [
    `Usage: sero ${group} SUBCOMMAND [options]`,
    "",
    "Subcommands:",
    ...table(commands.map((c) => [c.name.slice(group.length + 1), c.summary])),
    "",
    `sero ${group} SUBCOMMAND --help for its options.`,
  ].join("\n");
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function commandHelp(c: Command): string {
  return [
    `Usage: sero ${c.name}${c.positionals ? ` ${c.positionals}` : ""} [options]`,
    "",
    c.summary,
    ...(c.details ? ["", c.details] : []),
    ...(c.optionHelp.length ? ["", "Options:", ...table(c.optionHelp)] : []),
    "",
    "Options of every command (before the command or after it):",
    ...table(GLOBAL_HELP),
  ].join("\n");
}

type Failure = { code: string; message: string };

function failureOf(error: unknown): Failure | undefined {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === "string" && typeof e.message === "string" && !e.code.startsWith("ERR_")) {
    return { code: e.code, message: e.message };
  }
  return undefined;
}

/** Exit status after Ctrl-C, as shells report a SIGINT death (128 + 2). */
const INTERRUPTED = 130;

export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes("--json");
  let ctx: CliContext | undefined;
  // Ctrl-C: a sync stops cleanly at its next page; anything else (proving, waiting) stops here, saying
  // what the wallet file holds and what reached the node, with the lock released.
  const onInterrupt = () => {
    if (ctx?.interrupt()) {
      return;
    }
    ctx?.progress.done();
    const message = ctx?.interruptedMessage() ?? "interrupted: nothing was saved or sent";
    if (json) {
      process.stdout.write(`${JSON.stringify({ error: { code: "interrupted", message } })}\n`);
    }
    process.stderr.write(`\n${message} [interrupted]\n`);
    void (ctx?.close() ?? Promise.resolve()).finally(() => process.exit(INTERRUPTED));
  };
  process.on("SIGINT", onInterrupt);
  try {
    const line = parseCommandLine(argv, COMMANDS, GLOBAL_OPTIONS);
    if (line.kind === "overview") {
      process.stdout.write(`${overview()}\n`);
      return 0;
    }
    if (line.kind === "version") {
      process.stdout.write(json ? `${JSON.stringify({ version: version() })}\n` : `sero ${version()}\n`);
      return 0;
    }
    if (line.kind === "group") {
      process.stdout.write(`${groupHelp(line.group, line.commands)}\n`);
      return 0;
    }
    if (line.kind === "json-help") {
      process.stdout.write(`${JSON_HELP}\n`);
      return 0;
    }
    if (line.kind === "help") {
      process.stdout.write(`${commandHelp(line.command)}\n`);
      return 0;
    }
    const { command, values, positionals } = line;
    if (values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    ctx = new CliContext({
      node: str(values.node) ?? process.env.SERO_NODE ?? DEFAULT_NODE,
      walletDir: str(values["wallet-dir"]),
      passphraseFile: str(values["passphrase-file"]),
      account: str(values.account),
      json,
    });
    const output: CommandOutput = await command.run(ctx, values, positionals);
    process.stdout.write(json ? `${JSON.stringify(output.json)}\n` : `${output.lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    ctx?.progress.done();
    const failure = failureOf(error);
    if (!failure) {
      if (json) {
        const message = `internal error: ${(error as Error)?.message ?? String(error)}`;
        process.stdout.write(`${JSON.stringify({ error: { code: "internal_error", message } })}\n`);
      }
      process.stderr.write(`internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      return 2;
    }
    if (json) {
      process.stdout.write(`${JSON.stringify({ error: failure })}\n`);
    }
    process.stderr.write(`error: ${failure.message} [${failure.code}]\n`);
    return failure.code === "interrupted" ? INTERRUPTED : 1;
  } finally {
    // The command has answered: a late Ctrl-C must not cut the cleanup short and leave the wallet lock behind.
    process.off("SIGINT", onInterrupt);
    process.on("SIGINT", () => {});
    await ctx?.close();
    await releaseProverThreads();
  }
}

process.exitCode = await main(process.argv.slice(2));
