/**
 * `sero contract` against a fake node: the command lines it takes, the
 * inputs it refuses before any network use, and the JSON shapes of read and
 * info (what scripts rely on).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParseArgsOptionsConfig } from "node:util";
import { encodeErrorResult, encodeFunctionData, encodeFunctionResult } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.ts";
import { contractCall, contractDeploy, contractInfo, contractRead } from "../../src/cli/commands/contract.ts";
import { CliContext } from "../../src/cli/context.ts";
import { calldataOf, initCodeOf, parseContractAddress } from "../../src/cli/contract-input.ts";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { deriveContractAddress, encodePublicAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { tokenId } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { loadArtifact } from "../contracts/artifacts.ts";
import { type ContractNodeRoutes, contractNode, type SeenContractRequest } from "../fixtures/wallet/contract-node.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const sale = loadArtifact("TokenSale");
const contract = deriveContractAddress(concatBytes(bytes32("cli sale"), bytes32("creator")), 0n).bytes;
const to = encodeText("contractAddress", contract);
let dir = "";
const SALE_FILE = () => join(dir, "TokenSale.json");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sero-contract-cli-"));
  await writeFile(SALE_FILE(), JSON.stringify(sale));
  await writeFile(join(dir, "sale.abi.json"), JSON.stringify(sale.abi));
  await writeFile(join(dir, "sale.bin"), `${sale.bytecode}\n`);
  await writeFile(join(dir, "bad.bin"), "0xzz");
});

const GLOBAL: ParseArgsOptionsConfig = { node: { type: "string" }, json: { type: "boolean" } };

function cli(routes: ContractNodeRoutes, seen: SeenContractRequest[] = []) {
  const options = {
    node: "http://node.test",
    walletDir: undefined,
    passphraseFile: undefined,
    account: undefined,
    json: true,
  };
  return new CliContext(options, contractNode(routes, seen));
}

const outcome = (code: string, returnData: string, gasUsed = "23000") => ({
  height: 9,
  outcome: { code, gasUsed, returnData, logs: [] },
});

describe("sero contract", () => {
  it("takes its options after the command words, --json anywhere", () => {
    const commands = [contractDeploy, contractCall, contractRead, contractInfo];
    const line = parseCommandLine(
      ["--json", "contract", "call", "--to", to, "--fn", "buy()", "--amount", "1.5", "--identity", "fresh", "--wait"],
      commands,
      GLOBAL,
    );
    expect(line).toMatchObject({
      command: { name: "contract call" },
      values: { json: true, to, fn: "buy()", amount: "1.5", identity: "fresh", wait: true },
    });
    expect(
      parseCommandLine(["contract", "deploy", "--artifact", "a.json", "--args", "[1]", "--gas", "9"], commands, GLOBAL),
    ).toMatchObject({
      command: { name: "contract deploy" },
      values: { artifact: "a.json", args: "[1]", gas: "9" },
    });
    expect(() => parseCommandLine(["contract", "read", "--to", to, "--amount", "1"], commands, GLOBAL)).toThrow(
      expect.objectContaining({ code: "unknown_option" }),
    );
  });

  it("reads with an ABI: sends what viem encodes, decodes the result, answers one JSON object", async () => {
    const seen: SeenContractRequest[] = [];
    const available = encodeFunctionResult({ abi: sale.abi, functionName: "available", result: 10n ** 24n } as never);
    const ctx = cli({ call: () => [200, outcome("ok", available.slice(2))] }, seen);
    const answer = await contractRead.run(ctx, { to, abi: SALE_FILE(), fn: "available" }, []);
    expect(seen.at(-1)).toEqual({
      method: "POST",
      path: `/v1/contracts/${to}/call`,
      body: { calldata: encodeFunctionData({ abi: sale.abi, functionName: "available" }).slice(2) },
    });
    expect(answer.json).toEqual({
      contract: to,
      height: 9,
      code: "ok",
      gasUsed: "23000",
      returnData: available.slice(2),
      result: (10n ** 24n).toString(),
      reason: null,
    });
    expect(answer.lines).toEqual([JSON.stringify((10n ** 24n).toString())]);
  });

  it("shows a read's revert reason, and raw data when no ABI decodes it", async () => {
    const reason = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ name: "m", type: "string" }] }],
      errorName: "Error",
      args: ["TokenSale: not the owner"],
    });
    const reverted = await contractRead.run(
      cli({ call: () => [200, outcome("revert", reason.slice(2))] }),
      { to, data: "0x3ccfd60b" },
      [],
    );
    expect(reverted.json).toMatchObject({ code: "revert", result: null, reason: "TokenSale: not the owner" });
    expect(reverted.lines).toEqual(["revert: TokenSale: not the owner (at block 9)"]);
    const raw = await contractRead.run(cli({ call: () => [200, outcome("ok", "00ff")] }), { to, data: "ab" }, []);
    expect(raw.lines).toEqual(["0x00ff"]);
  });

  it("shows a contract's record as the node gives it", async () => {
    const gold = toHex(frToBytes(tokenId("GOLD")));
    const info = {
      address: to,
      evmAddress: `0x${"12".repeat(20)}`,
      codeHash: toHex(bytes32("code")),
      createdAt: 2,
      balances: [{ asset: gold, name: "GOLD", amount: "1250" }],
      tickets: [{ category: toHex(bytes32("cat")), name: "SEAT", ticketId: toHex(bytes32("seat 1")) }],
    };
    const assets = [{ id: gold, kind: "token", name: "GOLD", decimals: 2, supply: "100000" }];
    const answer = await contractInfo.run(cli({ info: () => [200, info], assets }), { to }, []);
    // The one --json rule: amounts with their display form, a ticket's category by name.
    expect(answer.json).toEqual({
      ...info,
      balances: [{ asset: gold, symbol: "GOLD", amount: "1250", display: { amount: "12.5" } }],
      tickets: [{ category: "SEAT", ticketId: toHex(bytes32("seat 1")) }],
    });
    expect(answer.lines).toContain("  12.5 GOLD");
    expect(answer.lines).toContain(`  SEAT ticket ${toHex(bytes32("seat 1"))}`);
    await expect(
      contractInfo.run(cli({ info: () => [404, { error: { code: "no_contract" } }] }), { to }, []),
    ).rejects.toMatchObject({
      code: "no_contract",
    });
  });

  it("refuses bad input before asking the node anything", async () => {
    const seen: SeenContractRequest[] = [];
    const ctx = cli({}, seen);
    const pk = encodeText("publicAddress", encodePublicAddress(publicAddressOf(account("not a contract"))));
    const attempts: [Record<string, string | boolean>, string][] = [
      [{ to: pk, data: "00" }, "bad_address"],
      [{ to: `${to.slice(0, -1)}${to.endsWith("q") ? "p" : "q"}`, data: "00" }, "bad_address"],
      [{ to, data: "0xabc" }, "bad_hex"],
      [{ to }, "missing_option"],
      [{ to, data: "00", fn: "buy()" }, "missing_option"],
      [{ to, data: "00", args: "[]" }, "bad_option"],
      [{ to, fn: "buy" }, "bad_function"],
      [{ to, fn: "withdraw", abi: SALE_FILE(), args: "[1, 2]" }, "bad_args"],
      [{ to, fn: "available", abi: join(dir, "missing.json") }, "cannot_read"],
      [{ to, data: "00".repeat(32_769) }, "calldata_too_long"],
    ];
    for (const [values, code] of attempts) {
      await expect(contractRead.run(ctx, values, [])).rejects.toMatchObject({ code });
    }
    expect(seen).toEqual([]);
    expect(parseContractAddress(to)).toEqual(contract);
  });

  it("builds calldata and init code from an artifact, an ABI file or raw bytecode", async () => {
    const withdraw = encodeFunctionData({ abi: sale.abi, functionName: "withdraw", args: [5n] }).slice(2);
    for (const values of [
      { fn: "withdraw", abi: SALE_FILE(), args: '["5"]' },
      { fn: "withdraw(uint256)", abi: join(dir, "sale.abi.json"), args: "[5]" },
      { fn: "withdraw(uint256)", args: "[5]" },
      { data: `0x${withdraw}` },
    ]) {
      expect(toHex((await calldataOf(values)).calldata)).toBe(withdraw);
    }
    const args = '["GOLD", 0, "1000", "1000000000000000000"]';
    const fromArtifact = await initCodeOf({ artifact: SALE_FILE(), args });
    const fromBin = await initCodeOf({ bin: join(dir, "sale.bin"), abi: SALE_FILE(), args });
    expect(toHex(fromBin)).toBe(toHex(fromArtifact));
    expect(toHex(await initCodeOf({ bin: join(dir, "sale.bin") }))).toBe(sale.bytecode.slice(2));
    await expect(initCodeOf({ bin: join(dir, "sale.bin"), args })).rejects.toMatchObject({ code: "bad_option" });
    await expect(initCodeOf({ bin: join(dir, "bad.bin") })).rejects.toMatchObject({ code: "bad_hex" });
    await expect(initCodeOf({ artifact: join(dir, "sale.abi.json") })).rejects.toMatchObject({ code: "bad_artifact" });
    await expect(initCodeOf({ artifact: SALE_FILE(), bin: join(dir, "sale.bin") })).rejects.toMatchObject({
      code: "missing_option",
    });
  });
});
