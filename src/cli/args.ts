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
  | { readonly kind: "version" }
  /** `sero account`, `sero help account`: the words that start several commands. */
  | { readonly kind: "group"; readonly group: string; readonly commands: readonly Command[] }
  /** `sero help send`. */
  | { readonly kind: "help"; readonly command: Command }
  /** `sero help json`: the --json schema. */
  | { readonly kind: "json-help" }
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

/** `sero account` alone lists its subcommands; anything else unknown is refused with the nearest names. */
function groupOrUnknown(commands: readonly Command[], words: readonly string[]): CommandLine {
  const first = words[0] as string;
  const members = commands.filter((c) => c.name.startsWith(`${first} `));
  const next = words[1];
  if (members.length > 0 && (next === undefined || next.startsWith("-"))) {
    return { kind: "group", group: first, commands: members };
  }
  // A typo may be in either word of a two-word command ("acount list"), or a group ("acount").
  const names = commands.map((c) => c.name);
  const groups = [...new Set(names.filter((n) => n.includes(" ")).map((n) => n.split(" ")[0] as string))];
  const pair = next !== undefined && !next.startsWith("-") ? `${first} ${next}` : undefined;
  const nearPair = pair === undefined ? [] : nearestNames(pair, names);
  const name = nearPair.length > 0 || members.length > 0 ? (pair ?? first) : first;
  const near = nearPair.length > 0 ? nearPair : nearestNames(first, [...names, ...groups]);
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `'sero ${n}'`).join(" or ")}?` : "";
  throw new WalletError("unknown_command", `unknown command '${name}'${hint} (see sero --help)`);
}

/** Command names within a small edit distance of `typed` (a typo), or that it is a prefix of, closest first. */
export function nearestNames(typed: string, names: readonly string[]): string[] {
  const scored = names.map((n) => ({ n, d: n.startsWith(typed) ? 1 : editDistance(typed, n) }));
  const limit = Math.max(2, Math.floor(typed.length / 3));
  const best = Math.min(...scored.map((s) => s.d));
  return best > limit ? [] : scored.filter((s) => s.d === best).map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + cost));
    }
    row = next;
  }
  return row[b.length] as number;
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
  if (words.length === 0 && leading.includes("--version")) {
    return { kind: "version" };
  }
  if (words.length === 0 || (words[0] === "help" && words.length === 1)) {
    return { kind: "overview" };
  }
  if (words[0] === "help" && words[1] === "json" && words.length === 2) {
    return { kind: "json-help" };
  }
  if (words[0] === "help") {
    const asked = words.slice(1);
    const command = findCommand(commands, asked);
    if (command && command.name.split(" ").length === asked.length) {
      return { kind: "help", command };
    }
    return groupOrUnknown(commands, asked);
  }
  const command = findCommand(commands, words);
  if (!command) {
    return groupOrUnknown(commands, words);
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
