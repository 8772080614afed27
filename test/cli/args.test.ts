/** The `sero` command line: where options may go and what a mistake says. */

import type { ParseArgsOptionsConfig } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.ts";
import type { Command } from "../../src/cli/command.ts";

const GLOBAL: ParseArgsOptionsConfig = {
  node: { type: "string" },
  "wallet-dir": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
};

const command = (name: string, options: ParseArgsOptionsConfig = {}, positionals?: string): Command => ({
  name,
  summary: name,
  options,
  optionHelp: [],
  ...(positionals === undefined ? {} : { positionals }),
  run: async () => ({ json: null, lines: [] }),
});

const COMMANDS = [
  command("balance"),
  command("send", { to: { type: "string" }, wait: { type: "boolean" } }),
  command("tx status", {}, "HASH"),
  command("tx submit", {}, "FILE"),
  command("account new"),
  command("account list"),
];

const parse = (...argv: string[]) => parseCommandLine(argv, COMMANDS, GLOBAL);

describe("sero command lines", () => {
  it("takes global options before the command as well as after it", () => {
    const before = parse("--node", "http://n:1", "--wallet-dir", "/w", "balance");
    const after = parse("balance", "--node", "http://n:1", "--wallet-dir", "/w");
    const mixed = parse("--node=http://n:1", "balance", "--wallet-dir=/w");
    for (const line of [before, after, mixed]) {
      expect(line).toMatchObject({
        kind: "command",
        command: { name: "balance" },
        values: { node: "http://n:1", "wallet-dir": "/w" },
      });
    }
    expect(parse("--json", "tx", "status", "ab", "--node", "u")).toMatchObject({
      command: { name: "tx status" },
      values: { json: true, node: "u" },
      positionals: ["ab"],
    });
    // A global option's value may look like a command: it is still its value.
    expect(parse("--wallet-dir", "send", "balance")).toMatchObject({
      command: { name: "balance" },
      values: { "wallet-dir": "send" },
    });
  });

  it("keeps a command's own options after it", () => {
    expect(parse("send", "--to", "sero1x", "--wait")).toMatchObject({ values: { to: "sero1x", wait: true } });
    expect(() => parse("--to", "sero1x", "send")).toThrow(
      expect.objectContaining({ code: "unknown_option", message: expect.stringContaining("--to for 'sero'") }),
    );
  });

  it("names an unknown option with its command", () => {
    expect(() => parse("balance", "--foo")).toThrow(
      expect.objectContaining({
        code: "unknown_option",
        message: expect.stringMatching(/^unknown option --foo for 'sero balance'/),
      }),
    );
    expect(() => parse("--node", "u", "tx", "status", "-z", "ab")).toThrow(
      expect.objectContaining({ code: "unknown_option", message: expect.stringContaining("-z for 'sero tx status'") }),
    );
    // Not a name inherited by every object.
    expect(() => parse("balance", "--constructor")).toThrow(expect.objectContaining({ code: "unknown_option" }));
  });

  it("names an unknown command alone, not the whole line, with the nearest commands", () => {
    expect(() => parse("--node", "http://n:1", "balanse", "--json")).toThrow(
      expect.objectContaining({
        code: "unknown_command",
        message: "unknown command 'balanse'; did you mean 'sero balance'? (see sero --help)",
      }),
    );
    expect(() => parse("tx", "sumbit", "file.json")).toThrow(
      expect.objectContaining({
        message: expect.stringContaining("unknown command 'tx sumbit'; did you mean 'sero tx submit'?"),
      }),
    );
    expect(() => parse("frobnicate")).toThrow(
      expect.objectContaining({ message: "unknown command 'frobnicate' (see sero --help)" }),
    );
  });

  it("answers a group's subcommands, help COMMAND and --version", () => {
    expect(parse("account")).toMatchObject({ kind: "group", group: "account" });
    expect(parse("help", "account")).toMatchObject({ kind: "group", group: "account" });
    expect(parse("help", "tx", "status")).toMatchObject({ kind: "help", command: { name: "tx status" } });
    expect(parse("help", "json")).toEqual({ kind: "json-help" });
    expect(parse("--version")).toEqual({ kind: "version" });
    expect(() => parse("help", "nothing")).toThrow(expect.objectContaining({ code: "unknown_command" }));
  });

  it("shows the overview when no command is given", () => {
    expect(parse()).toEqual({ kind: "overview" });
    expect(parse("--help")).toEqual({ kind: "overview" });
    expect(parse("help")).toEqual({ kind: "overview" });
    expect(parse("-h", "balance")).toMatchObject({ command: { name: "balance" }, values: { help: true } });
  });

  it("refuses a missing value or a stray argument with a code", () => {
    expect(() => parse("balance", "--node")).toThrow(expect.objectContaining({ code: "bad_option" }));
    expect(() => parse("balance", "extra")).toThrow(expect.objectContaining({ code: "bad_option" }));
  });

  it("reads the same line whichever side of the command the global options are on", () => {
    const globals = fc.subarray([["--node", "http://n:1"], ["--wallet-dir", "/w"], ["--json"]]);
    fc.assert(
      fc.property(globals, fc.nat(), (chosen, split) => {
        const cut = split % (chosen.length + 1);
        const before = chosen.slice(0, cut).flat();
        const after = chosen.slice(cut).flat();
        const line = parse(...before, "send", "--to", "sero1x", ...after);
        expect(line).toEqual(parse("send", "--to", "sero1x", ...chosen.flat()));
      }),
    );
  });
});
