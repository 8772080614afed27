/**
 * Reading a `sero` command line. Options of every command may come before
 * the command as well as after it (`sero --node URL balance`, as git and
 * docker allow); a command's own options come after it. An unknown option
 * is named with the command it was given to; an unknown command is named
 * alone, not with the whole line.
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { WalletError } from "../wallet/errors.ts";
import type { Command, OptionValues } from "./command.ts";

export type CommandLine =
  | { readonly kind: "overview" }
  | {
      readonly kind: "command";
      readonly command: Command;
      readonly values: OptionValues;
      readonly positionals: readonly string[];
    };

const optionTokens = (args: readonly string[], options: ParseArgsOptionsConfig) =>
  (parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true }).tokens ?? []).filter(
    (t) => t.kind !== "option-terminator",
  );

function unknownOption(rawName: string, where: string): WalletError {
  return new WalletError("unknown_option", `unknown option ${rawName} for '${where}' (see ${where} --help)`);
}

/** The command named by the leading words (two-word commands first). */
function findCommand(commands: readonly Command[], words: readonly string[]): Command | undefined {
  for (const count of [2, 1]) {
    const name = words.slice(0, count).join(" ");
    const command = commands.find((c) => c.name === name);
    if (command) {
      return command;
    }
  }
  return undefined;
}

export function parseCommandLine(
  argv: readonly string[],
  commands: readonly Command[],
  globalOptions: ParseArgsOptionsConfig,
): CommandLine {
  // Options before the command: only global ones; the first positional is the command.
  let start = argv.length;
  for (const token of optionTokens(argv, globalOptions)) {
    if (token.kind === "positional") {
      start = token.index;
      break;
    }
    if (!Object.hasOwn(globalOptions, token.name)) {
      throw unknownOption(token.rawName, "sero");
    }
  }
  const leading = argv.slice(0, start);
  const words = argv.slice(start);
  if (words.length === 0 || (words[0] === "help" && words.length === 1)) {
    return { kind: "overview" };
  }
  const command = findCommand(commands, words);
  if (!command) {
    // Name the words a command would be: two when the first starts a two-word command.
    const first = words[0] as string;
    const group = commands.some((c) => c.name.startsWith(`${first} `));
    const name = words.slice(0, group && words[1] !== undefined && !words[1].startsWith("-") ? 2 : 1).join(" ");
    throw new WalletError("unknown_command", `unknown command '${name}' (see sero --help)`);
  }
  const args = [...leading, ...words.slice(command.name.split(" ").length)];
  const options = { ...globalOptions, ...command.options };
  for (const token of optionTokens(args, options)) {
    if (token.kind === "option" && !Object.hasOwn(options, token.name)) {
      throw unknownOption(token.rawName, `sero ${command.name}`);
    }
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: command.positionals !== undefined,
      strict: true,
    });
    return { kind: "command", command, values, positionals };
  } catch (e) {
    throw new WalletError("bad_option", `${(e as Error).message} (see sero ${command.name} --help)`);
  }
}
