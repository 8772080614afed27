/** The shape of a `sero` command: its options, its help, and what it prints. */
import type { ParseArgsOptionsConfig } from "node:util";
import { WalletError } from "../wallet/errors.ts";
import type { CliContext } from "./context.ts";

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command answers: a JSON value for --json, and lines for people. */
export type CommandOutput = { readonly json: unknown; readonly lines: readonly string[] };

export type Command = {
  /** Words after `sero`, e.g. "account new". */
  readonly name: string;
  readonly summary: string;
  /** Extra paragraphs for --help (rules, examples). */
  readonly details?: string;
  readonly options: ParseArgsOptionsConfig;
  /** One line per option for --help, in the order shown. */
  readonly optionHelp: readonly (readonly [string, string])[];
  readonly positionals?: string;
  run(ctx: CliContext, values: OptionValues, positionals: readonly string[]): Promise<CommandOutput>;
};

export function requireString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new WalletError("missing_option", `--${name} is required (see --help)`);
  }
  return value;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function optionalInteger(values: OptionValues, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new WalletError("bad_option", `--${name} must be a non-negative integer`);
  }
  return n;
}
