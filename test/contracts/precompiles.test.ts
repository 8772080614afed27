/**
 * The system interface (PROTOCOL.md §10.5) through the real runtime, with
 * contracts/test/Probe.sol: each precompile's success and refusal, how
 * payouts journal with frames (reverts, reentrancy), tickets' uniqueness,
 * and the addresses CREATE and CREATE2 give.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import type { Randomness } from "../../src/consensus/index.ts";
import { create2ContractAddress, createdContractAddress, evmAddressOfContract } from "../../src/contracts/addresses.ts";
import type { ContractOutcome } from "../../src/contracts/outcome.ts";
import { precompileAddress } from "../../src/contracts/precompiles.ts";
import type { BlockResult } from "../../src/ledger/execute.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { loadArtifact } from "./artifacts.ts";
import { ContractChain, calldata, decodeResult, testCaller, tokenValue } from "./ledger-chain.ts";

const probe = loadArtifact("Probe");
const child = loadArtifact("ProbeChild");
const hex = (b: Uint8Array) => `0x${toHex(b)}` as const;
const ZERO_ID = `0x${"00".repeat(32)}` as const;

async function probeChain() {
  const chain = new ContractChain();
  await chain.genesis();
  const user = testCaller("user");
  const { address } = await chain.deploy(user, probe);
  const evm = hex(evmAddressOfContract(address));
  /** Calls Probe's `fn`, optionally bringing `value` SERO base units; one block per call. */
  const call = async (
    fn: string,
    args: readonly unknown[] = [],
    value?: bigint,
    who = user,
    randomness?: Randomness,
  ) => {
    const tx = chain.contractTx(
      who,
      { kind: "call", contract: address, calldata: calldata(probe.abi, fn, args) },
      value === undefined ? {} : { value: tokenValue(SERO_ASSET_ID, value) },
    );
    const result = await chain.apply([encodeTransaction(tx)], randomness);
    const receipt = result.receipts[0];
    if (receipt?.status !== "committed" || !receipt.outcome) {
      throw new Error(`rejected: ${JSON.stringify(receipt?.status === "rejected" ? receipt.code : receipt)}`);
    }
    return { outcome: receipt.outcome, result };
  };
  const result = (fn: string, outcome: ContractOutcome) => decodeResult(probe.abi, fn, outcome.returnData);
  return { chain, user, address, evm, call, result };
}

const reason = (o: ContractOutcome) => new TextDecoder().decode(o.returnData.subarray(68)).replace(/\0+$/, "");
const amounts = (r: BlockResult) => r.effects.payouts.map((p) => BigInt(hex(p.value)));

describe("the SERO precompiles (PROTOCOL.md §10.5)", () => {
  it("beacon: the epochs sealed and the last beacon the block was ordered under; refused without SE-Random", async () => {
    const { call, result, user } = await probeChain();
    const beacon = new Uint8Array(32).map((_, i) => i + 1);
    const sealed = await call("beacon", [], undefined, user, { sealed: 3, beacon });
    expect(result("beacon", sealed.outcome)).toEqual([3n, hex(beacon)]);
    const none = await call("beacon");
    expect(none.outcome.code).toBe("revert");
    expect(reason(none.outcome)).toBe("sero: no_beacon");
  });

  it("callValue: what the call brought, to the frame it called; none to a nested frame", async () => {
    const { call, result } = await probeChain();
    const direct = await call("callValue", [], 7n);
    expect(result("callValue", direct.outcome)).toEqual([1, "SERO", 7n, ZERO_ID]);
    const nested = await call("nestedCallValueKind", [], 7n);
    expect(result("nestedCallValueKind", nested.outcome)).toBe(0);
    const none = await call("callValue");
    expect(result("callValue", none.outcome)).toEqual([0, "", 0n, ZERO_ID]);
  });

  it("balanceOf counts what calls brought; sendToken pays a caller, credits a contract, refuses the rest", async () => {
    const { chain, user, call, result, evm } = await probeChain();
    await call("balanceOf", ["SERO"], 1_000n);
    expect(result("balanceOf", (await call("balanceOf", ["SERO"])).outcome)).toBe(1_000n);
    const paid = await call("sendToken", [user.evm, "SERO", 300n]);
    expect(paid.outcome.code).toBe("ok");
    expect(paid.result.effects.payouts).toEqual([expect.objectContaining({ pkr: user.pkr, assetRef: SERO_ASSET_ID })]);
    expect(amounts(paid.result)).toEqual([300n]);
    // A second Probe is credited, not paid: no note, the balance moves.
    const other = await chain.deploy(user, probe);
    const otherEvm = hex(evmAddressOfContract(other.address));
    const credited = await call("sendToken", [otherEvm, "SERO", 200n]);
    expect(credited.result.effects.payouts).toEqual([]);
    expect(result("balanceOf", (await call("balanceOf", ["SERO"])).outcome)).toBe(500n);
    for (const [args, code] of [
      [[user.evm, "SERO", 501n], "sero: insufficient_balance"],
      [[`0x${"ab".repeat(20)}`, "SERO", 1n], "sero: unknown_recipient"],
      [[user.evm, "sero", 1n], "sero: bad_symbol"],
      [[user.evm, "SERO", 0n], "sero: zero_value"],
      [[evm, "SERO", 1n], undefined], // to itself: a credit, allowed
    ] as const) {
      const r = await call("sendToken", args as readonly unknown[]);
      expect(r.outcome.code === "ok" ? undefined : reason(r.outcome)).toBe(code);
    }
  });

  it("issueToken and mintToken: the issuing contract alone mints, within its cap; names are unique", async () => {
    const { chain, user, call, result } = await probeChain();
    expect((await call("issueToken", ["GOLD", 2, 1_000n])).outcome.code).toBe("ok");
    expect(chain.store.asset(tokenId("GOLD"))?.registration).toMatchObject({ decimals: 2, supply: { cap: 1_000n } });
    expect((await call("mintToken", ["GOLD", 600n])).outcome.code).toBe("ok");
    expect(reason((await call("mintToken", ["GOLD", 401n])).outcome)).toBe("sero: supply_exceeded");
    expect(reason((await call("issueToken", ["GOLD", 2, 5n])).outcome)).toBe("sero: asset_exists");
    expect(reason((await call("issueToken", ["SERO", 18, 5n])).outcome)).toBe("sero: asset_exists");
    expect(reason((await call("mintToken", ["SERO", 1n])).outcome)).toBe("sero: not_issuer");
    const stranger = await chain.deploy(user, probe);
    const strangerMint = chain.contractTx(user, {
      kind: "call",
      contract: stranger.address,
      calldata: calldata(probe.abi, "mintToken", ["GOLD", 1n]),
    });
    const refused = (await chain.apply([encodeTransaction(strangerMint)])).receipts[0];
    expect(refused?.status === "committed" && refused.outcome && reason(refused.outcome)).toBe("sero: not_issuer");
    expect(result("balanceOf", (await call("balanceOf", ["GOLD"])).outcome)).toBe(600n);
    expect(chain.store.asset(tokenId("GOLD"))?.issued).toBe(600n);
  });

  it("tickets: a category, allotted ids (chosen or derived) never twice, sent as a ticket payout", async () => {
    const { call, result, user } = await probeChain();
    expect((await call("registerTicketCategory", ["SEAT"])).outcome.code).toBe("ok");
    const chosen = `0x${"07".repeat(32)}`;
    expect(result("allotTicket", (await call("allotTicket", ["SEAT", chosen])).outcome)).toBe(chosen);
    expect(reason((await call("allotTicket", ["SEAT", chosen])).outcome)).toBe("sero: ticket_exists");
    const derived = [
      result("allotTicket", (await call("allotTicket", ["SEAT", ZERO_ID])).outcome),
      result("allotTicket", (await call("allotTicket", ["SEAT", ZERO_ID])).outcome),
    ];
    expect(new Set([chosen, ...derived]).size).toBe(3);
    expect(result("ownsTicket", (await call("ownsTicket", ["SEAT", chosen])).outcome)).toBe(true);
    const sent = await call("sendTicket", [user.evm, "SEAT", chosen]);
    expect(sent.result.effects.payouts).toEqual([expect.objectContaining({ assetKind: "ticket", pkr: user.pkr })]);
    expect(hex(sent.result.effects.payouts[0]?.value as Uint8Array)).toBe(chosen);
    expect(result("ownsTicket", (await call("ownsTicket", ["SEAT", chosen])).outcome)).toBe(false);
    expect(reason((await call("sendTicket", [user.evm, "SEAT", chosen])).outcome)).toBe("sero: insufficient_balance");
  });

  it("malformed arguments and writes from a static frame fail the precompile call, not the caller", async () => {
    const { call, result, user } = await probeChain();
    await call("balanceOf", ["SERO"], 100n);
    const sendToken = hex(precompileAddress(0x5e04));
    const raw = await call("rawCall", [sendToken, "0x1234"]);
    expect((result("rawCall", raw.outcome) as [boolean, string])[0]).toBe(false);
    const { encodeAbiParameters, parseAbiParameters } = await import("viem");
    const args = encodeAbiParameters(parseAbiParameters("address, string, uint256"), [user.evm, "SERO", 1n]);
    const staticCall = await call("rawStaticCall", [sendToken, args]);
    expect((result("rawStaticCall", staticCall.outcome) as [boolean, string])[0]).toBe(false);
    expect(staticCall.result.effects.payouts).toEqual([]);
    expect(result("balanceOf", (await call("balanceOf", ["SERO"])).outcome)).toBe(100n);
  });

  it("refuses DELEGATECALL: a contract cannot make a precompile spend the balance of the contract calling it", async () => {
    const { chain, user, call, result } = await probeChain();
    await call("balanceOf", ["SERO"], 1_000n); // the victim: this Probe holds 1,000
    const attacker = await chain.deploy(user, probe);
    const { encodeAbiParameters, parseAbiParameters, encodeFunctionData } = await import("viem");
    const sendToken = hex(precompileAddress(0x5e04));
    const steal = encodeAbiParameters(parseAbiParameters("address, string, uint256"), [user.evm, "SERO", 1_000n]);
    // The victim calls the attacker, which delegatecalls sendToken: the precompile would see the victim as its caller.
    const inner = encodeFunctionData({ abi: probe.abi, functionName: "rawDelegateCall", args: [sendToken, steal] });
    const attempt = await call("rawCall", [hex(evmAddressOfContract(attacker.address)), inner]);
    expect(attempt.outcome.code).toBe("ok");
    expect(attempt.result.effects.payouts).toEqual([]);
    expect(result("balanceOf", (await call("balanceOf", ["SERO"])).outcome)).toBe(1_000n);
  });

  it("payouts journal with frames: undone by a revert, kept by each level of a reentrant call", async () => {
    const { call, result, user } = await probeChain();
    await call("balanceOf", ["SERO"], 1_000n);
    const reverted = await call("sendThenRevert", [user.evm, "SERO", 10n]);
    expect(reverted.outcome.code).toBe("revert");
    expect(reverted.result.effects.payouts).toEqual([]);
    const around = await call("sendAroundRevertedFrame", [user.evm, "SERO", 10n, 20n]);
    expect(result("sendAroundRevertedFrame", around.outcome)).toBe(false);
    expect(amounts(around.result)).toEqual([10n]);
    const reentrant = await call("reenter", [user.evm, "SERO", 5n, 3n]);
    expect(amounts(reentrant.result)).toEqual([5n, 5n, 5n, 5n]);
    expect(reentrant.outcome.logs).toHaveLength(4);
    expect(result("balanceOf", (await call("balanceOf", ["SERO"])).outcome)).toBe(1_000n - 10n - 20n);
    // Bringing value into a reentrant call that then reverts returns exactly that value.
    const failing = await call("reenter", [user.evm, "SERO", 10_000n, 1n], 50n);
    expect(failing.outcome.code).toBe("revert");
    expect(amounts(failing.result)).toEqual([50n]);
  });

  it("out of gas and invalid opcodes are outcomes with stable codes", async () => {
    const { call } = await probeChain();
    expect((await call("spin", [], 9n)).outcome.code).toBe("out_of_gas");
    expect((await call("invalidOpcode")).outcome.code).toBe("invalid_opcode");
  });

  it("CREATE and CREATE2 give SERO contract addresses (§10.2), registered and known to the effects", async () => {
    const { call, result, address } = await probeChain();
    const salt = `0x${"5a".repeat(32)}`;
    const made = await call("createChildren", [salt]);
    expect(made.outcome.code).toBe("ok");
    const { encodeDeployData } = await import("viem");
    const initCode = Uint8Array.from(
      Buffer.from(encodeDeployData({ abi: child.abi, bytecode: child.bytecode }).slice(2), "hex"),
    );
    const expected = [
      createdContractAddress(address, 1n),
      create2ContractAddress(address, Buffer.from(salt.slice(2), "hex"), initCode),
    ];
    expect(made.result.effects.contracts.map((c) => toHex(c.address))).toEqual(expected.map(toHex));
    const returned = result("createChildren", made.outcome) as string[];
    expect(returned.map((a) => a.toLowerCase())).toEqual(expected.map((a) => hex(evmAddressOfContract(a))));
  });
});
