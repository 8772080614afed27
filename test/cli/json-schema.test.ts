/**
 * Every `sero` command's --json answer, from spawned processes against a fake
 * node over HTTP, follows the one schema (src/cli/json-help.ts): amounts in
 * base units with a display form beside, txId, one word per account kind,
 * addresses as typed, errors as {error: {code, message}}.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractText } from "../../src/cli/contract-input.ts";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { COMMITTED_AT, cliNode, fakeFaucet } from "../fixtures/cli/fake-node.ts";
import { type Served, sero, serve } from "../fixtures/cli/sero-process.ts";
import { syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";
import { bytes32 } from "../protocol/fixtures.ts";
import { schemaViolations } from "./json-schema.ts";

const seed = new Uint8Array(32).fill(0x42);
const keys = deriveSpendingKeys(seed);
const chain = syntheticChain(
  { blocks: 12, txsPerBlock: 2, outputsPerTx: 2, walletEvery: 3, spendAfter: 0, seed: "cli json schema" },
  keys,
);
const contract = contractText(deriveContractAddress(concatBytes(bytes32("schema sale"), bytes32("creator")), 0n).bytes);
const FAUCET_TX = "fa".repeat(32);

let dir = "";
let node: Served;
let faucet: Served;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sero-json-schema-"));
  await writeFile(join(dir, "pass"), "a long enough test passphrase\n");
  await writeFile(join(dir, "seed"), `${toHex(seed)}\n`);
  node = await serve(cliNode(chain, contract));
  faucet = await serve(fakeFaucet(FAUCET_TX, 10n ** 21n));
});

afterAll(async () => {
  await node?.close();
  await faucet?.close();
});

/** Runs `sero --json ARGS` and answers its parsed stdout, having checked it follows the schema. */
async function json(args: readonly string[], expectedCode = 0): Promise<Record<string, unknown>> {
  const wallet = ["--node", node.url, "--wallet-dir", join(dir, "w"), "--passphrase-file", join(dir, "pass")];
  const ran = await sero(["--json", ...wallet, ...args]);
  expect(ran.code, `sero ${args.join(" ")}: ${ran.stderr}`).toBe(expectedCode);
  const lines = ran.stdout.trim().split("\n");
  expect(lines, "one JSON line on stdout").toHaveLength(1);
  const answer = JSON.parse(lines[0] as string) as Record<string, unknown>;
  expect(schemaViolations(answer), `sero ${args.join(" ")}`).toEqual([]);
  return answer;
}

describe("the schema checker", () => {
  it("finds each kind of break the old answers had", () => {
    expect(schemaViolations({ id: "ab".repeat(32), status: "pending" })).toEqual(["$.id: a transaction id is txId"]);
    expect(schemaViolations({ fee: "1000" })).toEqual([
      "$.fee: an amount has its display form beside it (display.<key>)",
    ]);
    expect(schemaViolations({ spendable: "987.49", display: { spendable: "987.49" } })).toHaveLength(1);
    expect(schemaViolations({ fee: "0", display: { fee: "1" } })).toEqual([
      "$.fee: the display form is another amount",
    ]);
    expect(schemaViolations({ a: [{ category: "ab".repeat(32) }] })).toEqual([
      "$.a[0].category: a ticket category is its name",
    ]);
    expect(schemaViolations({ name: "x", kind: "seed", birthday: 0 })).toHaveLength(1);
    expect(schemaViolations({ recipient: "0a".repeat(32) })).toHaveLength(1);
    expect(schemaViolations({ error: "boom" })).toHaveLength(1);
    expect(schemaViolations({ txId: "abc", display: { other: "1" } })).toHaveLength(2);
  });
});

describe("sero --json", () => {
  it("follows one schema in every command's answer", async () => {
    expect(await json(["--version"])).toEqual({ version: expect.any(String) });
    const imported = await json(["account", "import", "--mnemonic-file", join(dir, "seed"), "--birthday", "0"]);
    expect(imported).toMatchObject({ name: "main", kind: "spending", birthday: 0 });
    expect(await json(["account", "new", "--name", "second"])).toMatchObject({ kind: "spending", birthday: 12 });
    const { viewKey } = await json(["view-key", "export", "--account", "second"]);
    await json(["account", "watch", "--name", "watcher", "--view-key", String(viewKey)]);
    const { accounts } = await json(["account", "list"]);
    expect((accounts as { kind: string }[]).map((a) => a.kind)).toEqual(["spending", "spending", "watch-only"]);
    const { address } = await json(["address", "--account", "second"]);
    const { address: oneTime } = await json(["address", "--one-time", "--index", "3", "--account", "second"]);
    expect(await json(["sync"])).toEqual({ height: 11, tip: 11, complete: true });

    const { balances } = await json(["balance"]);
    expect(balances).toEqual([
      expect.objectContaining({ symbol: "SERO", spendable: chain.walletBalance.toString(), notes: chain.walletNotes }),
    ]);
    const { history } = await json(["history"]);
    const entries = history as { txId: string; received: unknown[] }[];
    expect(entries.length).toBe(chain.walletNotes);

    // A send proved and written, then submitted: the recipient is the seror1 paid.
    const file = join(dir, "payment.json");
    const written = await json(["send", "--to", String(address), "--amount", "0.001", "--out", file]);
    expect(written).toMatchObject({ status: "written", recipient: expect.stringMatching(/^seror1/) });
    expect(await json(["tx", "submit", file])).toEqual({ txId: written.txId, status: "submitted" });
    const paidOnce = await json(["send", "--to", String(oneTime), "--amount", "0.002", "--out", join(dir, "p2.json")]);
    expect(paidOnce.recipient).toBe(oneTime);

    const first = entries[0]?.txId as string;
    expect(await json(["tx", "status", first])).toMatchObject({
      txId: first,
      status: "committed",
      height: COMMITTED_AT,
    });
    expect(await json(["tx", "status", first.slice(0, 16)])).toMatchObject({ txId: first });
    expect(await json(["faucet", "--faucet", faucet.url])).toMatchObject({
      txId: FAUCET_TX,
      amount: (10n ** 21n).toString(),
      display: { amount: "1000" },
    });
    expect(await json(["contract", "read", "--to", contract, "--data", "00"])).toMatchObject({ code: "ok" });
    expect(await json(["contract", "info", "--to", contract])).toMatchObject({
      balances: [{ symbol: "COOKIE", amount: "1250", display: { amount: "12.5" } }],
    });

    // Errors, including a mistyped command.
    expect(await json(["blance"], 1)).toEqual({ error: { code: "unknown_command", message: expect.any(String) } });
    expect(await json(["send", "--amount", "1"], 1)).toMatchObject({ error: { code: "missing_option" } });
    expect(await json(["tx", "status", "00000000"], 1)).toMatchObject({ error: { code: "unknown_tx_id" } });
  }, 300_000);
});
