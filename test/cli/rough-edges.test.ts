/**
 * The wallet's rough edges a newcomer hit (issue [wallet-ux]), each as a
 * spawned `sero` against a fake node over HTTP: arguments checked before the
 * passphrase and the node, public data without the passphrase, the wallet
 * lock, secrets off the command line, prompts on a terminal (util-linux
 * `script`), and Ctrl-C.
 */
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { seedToMnemonic } from "../../src/protocol/mnemonic.ts";
import { publicAddressText } from "../../src/wallet/account.ts";
import { LOCK_FILE } from "../../src/wallet/keystore/index.ts";
import { cliNode, fakeFaucet } from "../fixtures/cli/fake-node.ts";
import { type RunOptions, type Served, sero, seroOnTty, serve } from "../fixtures/cli/sero-process.ts";
import { type SeenRequest, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const seed = new Uint8Array(32).fill(0x17);
const keys = deriveSpendingKeys(seed);
const address = publicAddressText({ viewing: keys, spending: keys });
const chain = syntheticChain(
  { blocks: 25, txsPerBlock: 2, outputsPerTx: 2, walletEvery: 3, spendAfter: 0, seed: "cli rough edges" },
  keys,
);
const PASSPHRASE = "correct horse battery staple";

let dir = "";
let wallet = "";
let node: Served;
const seen: SeenRequest[] = [];
/** Called at each sync page the node serves (the Ctrl-C tests interrupt there). */
let onSyncPage: () => Promise<void> = async () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sero-rough-edges-"));
  wallet = join(dir, "w");
  await writeFile(join(dir, "pass"), `${PASSPHRASE}\n`);
  const fake = cliNode(chain, "none", seen);
  node = await serve((async (input: string | URL | Request, init?: RequestInit) => {
    if (new URL(String(input)).pathname === "/v1/sync") {
      await onSyncPage();
    }
    return fake(input, init);
  }) as typeof fetch);
  const imported = await run(["account", "import", "--birthday", "0"], {
    input: seedToMnemonic(seed),
    env: { SERO_PASSPHRASE: PASSPHRASE },
  });
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await node?.close();
});

/** `sero ARGS` on the test wallet and node; no passphrase unless given. */
function run(args: readonly string[], options: RunOptions = {}) {
  return sero(["--node", node.url, "--wallet-dir", wallet, ...args], options);
}
const withPassphrase = { env: { SERO_PASSPHRASE: PASSPHRASE } };
const codeOf = (stderr: string) => /\[([a-z_]+)\]\s*$/.exec(stderr)?.[1];

describe("arguments are checked before the passphrase and the node", () => {
  it("refuses a send without --to, or with a mistyped address, at once", async () => {
    seen.length = 0;
    const noTo = await run(["send", "--amount", "1"]);
    expect([noTo.code, codeOf(noTo.stderr)]).toEqual([1, "missing_option"]);
    const typo = `${address.slice(0, -3)}${address.endsWith("qqq") ? "ppp" : "qqq"}`;
    const badSum = await run(["send", "--to", typo, "--amount", "1"]);
    expect(badSum.code).toBe(1);
    expect(badSum.stderr).not.toContain("passphrase");
    const badTicket = await run(["ticket", "send", "--to", address, "--ticket", "#12"]);
    expect(codeOf(badTicket.stderr)).toBe("bad_ticket_id");
    // Nothing asked of the node, no passphrase asked (none given, and no terminal: that would be passphrase_required).
    expect(seen).toEqual([]);
  });
});

describe("commands and help", () => {
  it("has --version, help COMMAND, a group's subcommands, and did-you-mean", async () => {
    expect((await sero(["--version"])).stdout).toMatch(/^sero \d+\.\d+\.\d+\n$/);
    expect((await sero(["help", "send"])).stdout).toMatch(/^Usage: sero send \[options\]/);
    const group = await sero(["account"]);
    expect([group.code, group.stdout]).toEqual([0, expect.stringContaining("Subcommands:\n  new ")]);
    const typo = await sero(["acount", "lst"]);
    expect(typo.stderr).toContain("did you mean 'sero account list'?");
    const json = await sero(["--json", "snd"]);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "unknown_command", message: expect.stringContaining("'sero send'") },
    });
  });
});

describe("public data without the passphrase", () => {
  it("answers address and account list from the public part; a wallet without one gains it at its next unlock", async () => {
    const shown = await run(["address"]);
    expect([shown.code, shown.stdout]).toEqual([0, `${address}\n`]);
    expect((await run(["account", "list"])).stdout).toMatch(/^main +spending +birthday 0 +sero1/);

    await rm(join(wallet, "sero.public.json"));
    const locked = await run(["address"]);
    expect(codeOf(locked.stderr)).toBe("passphrase_required");
    expect((await run(["address"], withPassphrase)).stdout).toBe(`${address}\n`);
    await access(join(wallet, "sero.public.json"));
    expect((await run(["address"])).stdout).toBe(`${address}\n`);
  });

  it("does not create a missing wallet directory", async () => {
    const missing = join(dir, "nowhere");
    const ran = await sero(["--node", node.url, "--wallet-dir", missing, "balance"], withPassphrase);
    expect(codeOf(ran.stderr)).toBe("no_wallet");
    await expect(access(missing)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("secrets and passphrases", () => {
  it("takes no mnemonic on the command line; a missing passphrase file has its own code", async () => {
    const argv = await run(["account", "import", "--mnemonic", seedToMnemonic(seed)], withPassphrase);
    expect(codeOf(argv.stderr)).toBe("secret_on_command_line");
    const file = await run(["--passphrase-file", join(dir, "no-such-file"), "balance"]);
    expect([file.code, codeOf(file.stderr)]).toEqual([1, "passphrase_file_unreadable"]);
    expect(file.stderr).toContain("no such file");
    const hex = await run(["account", "import", "--name", "again"], { ...withPassphrase, input: toHex(seed) });
    expect(hex.stdout).toContain(`address: ${address}`);
  });

  it("asks a wrong passphrase again on a terminal, three tries in all", async () => {
    const ok = await seroOnTty(
      ["--node", node.url, "--wallet-dir", wallet, "view-key", "export"],
      [
        ["Passphrase:", "wrong"],
        ["Passphrase:", PASSPHRASE],
      ],
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("wrong passphrase, try again");
    expect(ok.stdout).toMatch(/serovk1/);
    const no = await seroOnTty(
      ["--wallet-dir", wallet, "view-key", "export"],
      [
        ["Passphrase:", "wrong"],
        ["Passphrase:", "wrong again"],
        ["Passphrase:", "still wrong"],
      ],
    );
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("[wrong_passphrase]");
    expect(no.stdout.match(/Passphrase:/g)).toHaveLength(3);
  }, 60_000);

  it("warns of a short new passphrase", async () => {
    const ran = await seroOnTty(
      ["--node", "http://127.0.0.1:9", "--wallet-dir", join(dir, "short"), "account", "new"],
      [
        ["New passphrase:", "abc123"],
        ["Repeat passphrase:", "abc123"],
      ],
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("warning: the passphrase is short");
  }, 60_000);
});

describe("the wallet lock", () => {
  it("lets balance, history and address read the saved wallet while another process holds it; a send is refused at once", async () => {
    expect((await run(["sync"], withPassphrase)).code).toBe(0);
    // This test's own process stands for a send holding the wallet.
    await writeFile(join(wallet, LOCK_FILE), `${process.pid}\n`);
    try {
      const balance = await run(["balance"], withPassphrase);
      expect(balance.code, balance.stderr).toBe(0);
      expect(balance.stderr).toContain("in use by another sero process");
      expect(balance.stdout).toMatch(/^ +[\d.]+ SERO\n/);
      expect((await run(["history"], withPassphrase)).code).toBe(0);
      expect((await run(["address"])).code).toBe(0);
      const send = await run(["send", "--to", address, "--amount", "0.001"]);
      expect(codeOf(send.stderr)).toBe("wallet_locked");
    } finally {
      await rm(join(wallet, LOCK_FILE));
    }
  }, 60_000);
});

describe("a faucet given as the node", () => {
  it("is named as such", async () => {
    const faucet = await serve(fakeFaucet("ab".repeat(32), 1n));
    try {
      const ran = await sero(["--node", faucet.url, "--wallet-dir", wallet, "balance"], withPassphrase);
      expect(codeOf(ran.stderr)).toBe("node_is_faucet");
    } finally {
      await faucet.close();
    }
  });
});

describe("Ctrl-C", () => {
  it("during a sync: stops at a page, saves, says what was saved and that nothing was sent, exits 130", async () => {
    let pid = 0;
    onSyncPage = async () => {
      onSyncPage = async () => {};
      process.kill(pid, "SIGINT");
      await new Promise((r) => setTimeout(r, 200));
    };
    const ran = await run(["sync", "--rescan"], { ...withPassphrase, onSpawn: (p) => (pid = p) });
    expect(ran.code).toBe(130);
    expect(ran.stderr).toMatch(
      /interrupted: the wallet is saved synced to block \d+ .*; nothing was sent \[interrupted\]/,
    );
    await expect(access(join(wallet, LOCK_FILE))).rejects.toMatchObject({ code: "ENOENT" });
  }, 60_000);

  it("while proving a send: exits 130, says nothing was sent, submits nothing and releases the wallet", async () => {
    seen.length = 0;
    const ran = await run(["send", "--to", address, "--amount", "0.001"], {
      ...withPassphrase,
      onStderr: (stderr, pid) => {
        if (stderr.includes("proving the payment")) {
          process.kill(pid, "SIGINT");
        }
      },
    });
    expect(ran.stderr).not.toMatch(/Reading|B2 Points/);
    // On a loaded machine the signal may land after the proof, or after the send has answered: the payment is
    // then named, or the command ends as it would have without the signal; never is a sent payment denied.
    const posts = seen.filter((r) => r.method === "POST");
    if (posts.length === 0) {
      expect([ran.code, ran.stderr.includes("nothing was sent [interrupted]")]).toEqual([130, true]);
    } else if (ran.code === 130) {
      expect(ran.stderr).toMatch(/sent to the node: [0-9a-f]{64}/);
    } else {
      expect(ran.code).toBe(0);
    }
    await expect(access(join(wallet, LOCK_FILE))).rejects.toMatchObject({ code: "ENOENT" });
  }, 120_000);
});
