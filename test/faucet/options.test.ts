/**
 * `npm run faucet`'s command line (src/faucet/options.ts and the script):
 * --help is usage and exit 0, every mistake a one-line reason and exit 2
 * before anything connects, and the mnemonic never an argument.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFaucetArgs, UsageError } from "../../src/faucet/options.ts";

const SCRIPT = new URL("../../scripts/faucet.ts", import.meta.url).pathname;

function options(argv: string[], env: Record<string, string> = {}) {
  const command = parseFaucetArgs(argv, env);
  if (command.help) {
    throw new Error("expected options, got --help");
  }
  return command.options;
}

describe("parseFaucetArgs", () => {
  it("defaults: the local node, port 8788, 1000 SERO, the DEV key", () => {
    expect(options([])).toMatchObject({
      node: "http://127.0.0.1:8787",
      port: 8788,
      host: "127.0.0.1",
      drip: 1000n * 10n ** 18n,
      recipientDrips: 5,
      trustProxyHeader: undefined,
      mnemonic: { from: "dev-key" },
    });
  });

  it("--help and -h win over everything else", () => {
    expect(parseFaucetArgs(["--help"], {})).toEqual({ help: true });
    expect(parseFaucetArgs(["--port", "1", "-h"], {})).toEqual({ help: true });
  });

  it("the mnemonic: from a file, stdin or FAUCET_MNEMONIC, never two at once", () => {
    expect(options(["--mnemonic-file", "/etc/sero/faucet"]).mnemonic).toEqual({
      from: "file",
      path: "/etc/sero/faucet",
    });
    expect(options(["--mnemonic-file", "-"]).mnemonic).toEqual({ from: "stdin" });
    expect(options([], { FAUCET_MNEMONIC: "w1 w2" }).mnemonic).toEqual({ from: "env", words: "w1 w2" });
    expect(options([], { FAUCET_MNEMONIC: "" }).mnemonic).toEqual({ from: "dev-key" });
    expect(() => options(["--mnemonic-file", "f"], { FAUCET_MNEMONIC: "w1" })).toThrow(UsageError);
    // No option takes the words themselves.
    expect(() => options(["--mnemonic", "abandon abandon"])).toThrow(/Unknown option '--mnemonic'/);
  });

  it("the proxy header from the option or FAUCET_TRUST_PROXY_HEADER, and only a header name", () => {
    expect(options([], { FAUCET_TRUST_PROXY_HEADER: "X-Forwarded-For" }).trustProxyHeader).toBe("X-Forwarded-For");
    expect(options(["--trust-proxy-header", "X-Real-IP"], { FAUCET_TRUST_PROXY_HEADER: "A" }).trustProxyHeader).toBe(
      "X-Real-IP",
    );
    expect(() => options(["--trust-proxy-header", "X-Forwarded-For: 1.2.3.4"])).toThrow(UsageError);
  });

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["stray"], /positional argument/],
    [["--port"], /argument missing/],
    [["--port", "0"], /--port "0"/],
    [["--port", "65536"], /--port/],
    [["--port", "80a"], /--port/],
    [["--recipient-drips", "0"], /--recipient-drips/],
    [["--recipient-drips", "1.5"], /--recipient-drips/],
    [["--drip", "0"], /more than 0/],
    [["--drip=-1"], /cannot be negative/],
    [["--drip", "-1"], /ambiguous/],
    [["--drip", "0.0000000000000000001"], /decimals/],
    [["--node", "127.0.0.1:8787"], /--node/],
    [["--node", "ftp://x"], /http/],
    [["--help=yes"], /--help/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseFaucetArgs(argv, {})).toThrow(UsageError);
    expect(() => parseFaucetArgs(argv, {})).toThrow(message);
  });

  it("any argument list either parses or is a UsageError, never another exception", () => {
    const word = fc.oneof(
      fc.constantFrom("--port", "--drip", "--node", "--help", "-h", "--mnemonic-file", "--recipient-drips", "--"),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (argv) => {
        try {
          parseFaucetArgs(argv, {});
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});

describe("npm run faucet", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", env: { ...process.env, FAUCET_MNEMONIC: "" } });

  it("--help prints the usage and exits 0", () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("usage: npm run faucet -- [options]");
    expect(result.stderr).toBe("");
  });

  it("a bad argument: the reason and the usage, exit 2, no stack trace", () => {
    const result = run("--prot", "9000");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Unknown option '--prot'/);
    expect(result.stderr).toContain("usage: npm run faucet");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
