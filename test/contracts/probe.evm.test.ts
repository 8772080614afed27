/**
 * The Probe fixture (contracts/test/Probe.sol) in a bare EVM with mock SERO
 * precompiles (./evm-harness.ts): every library wrapper encodes its arguments
 * canonically (PROTOCOL.md §10.5) for any name, amount and id, and each edge
 * the fixture offers the EVM side's tests does what its name says.
 */
import fc from "fast-check";
import { bytesToHex, encodeAbiParameters, getAddress, getContractAddress, type Hex } from "viem";
import { beforeEach, describe, expect, it } from "vitest";
import { loadArtifact } from "./artifacts.ts";
import { BUYER, events, revertReason, seroEvm } from "./evm-harness.ts";
import { precompileAddress } from "./mock-sero.ts";

const PROBE = loadArtifact("Probe");
const CHILD = loadArtifact("ProbeChild");
const buyer = BUYER.toString();

describe("the Sero library through Probe", () => {
  it("passes any name, amount and id to the precompiles as their canonical ABI encoding", async () => {
    const env = await seroEvm();
    const probe = await env.deploy(PROBE, []);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 2n ** 256n - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)),
        async (name, cap, idBytes) => {
          const symbol = `${name}#${run++}`; // a name is registered once
          const id = bytesToHex(idBytes);
          expect(
            (await env.call(PROBE, probe, "issueToken", [symbol, 7, cap])).execResult.exceptionError,
          ).toBeUndefined();
          const minted = cap < 2n ** 128n ? cap : 1n;
          expect(
            (await env.call(PROBE, probe, "mintToken", [symbol, minted])).execResult.exceptionError,
          ).toBeUndefined();
          expect(await env.read(PROBE, probe, "balanceOf", [symbol])).toBe(minted);
          const sent = await env.call(PROBE, probe, "sendToken", [buyer, symbol, minted]);
          expect(sent.execResult.exceptionError).toBeUndefined();
          expect(env.sero.balanceOf(buyer as Hex, symbol)).toBe(minted);

          const category = `C${symbol}`;
          await env.call(PROBE, probe, "registerTicketCategory", [category]);
          expect(await env.read(PROBE, probe, "allotTicket", [category, id])).toBe(id);
          expect(await env.read(PROBE, probe, "ownsTicket", [category, id])).toBe(true);
          expect(
            (await env.call(PROBE, probe, "sendTicket", [buyer, category, id])).execResult.exceptionError,
          ).toBeUndefined();
          expect(await env.read(PROBE, probe, "ownsTicket", [category, id])).toBe(false);

          env.sero.bring(probe, { kind: "ticket", category, id });
          expect(await env.read(PROBE, probe, "callValue")).toEqual([2, category, 1n, id]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("reverts with the failing wrapper's name when a precompile refuses", async () => {
    const env = await seroEvm();
    const probe = await env.deploy(PROBE, []);
    const cases = [
      ["sendToken", [buyer, "SERO", 1n], "Sero: sendToken failed"],
      ["sendTicket", [buyer, "NONE", `0x${"01".repeat(32)}`], "Sero: sendTicket failed"],
      ["mintToken", ["SERO", 1n], "Sero: mintToken failed"],
      ["issueToken", ["SERO", 18, 0n], "Sero: issueToken failed"],
      ["registerTicketCategory", ["SERO"], "Sero: registerTicketCategory failed"],
      ["allotTicket", ["NONE", `0x${"00".repeat(32)}`], "Sero: allotTicket failed"],
    ] as const;
    for (const [fn, args, reason] of cases) {
      expect(revertReason(await env.call(PROBE, probe, fn, args))).toBe(reason);
    }
  });
});

describe("Probe's edges for the EVM side", () => {
  let env: Awaited<ReturnType<typeof seroEvm>>;
  let probe: Hex;

  beforeEach(async () => {
    env = await seroEvm();
    probe = await env.deploy(PROBE, []);
    env.sero.credit(probe, "SERO", 1000n);
  });

  it("reports a raw call's outcome: malformed input fails, a write fails in a static frame", async () => {
    const balanceOf = precompileAddress("balanceOf").toString();
    const good = encodeAbiParameters([{ type: "string" }], ["SERO"]);
    expect(await env.read(PROBE, probe, "rawCall", [balanceOf, good])).toEqual([
      true,
      encodeAbiParameters([{ type: "uint256" }], [1000n]),
    ]);
    for (const bad of [good.slice(0, -2), `${good}00`, "0x1234"]) {
      expect(await env.read(PROBE, probe, "rawCall", [balanceOf, bad])).toEqual([false, "0x"]);
    }
    const sendToken = precompileAddress("sendToken").toString();
    const send = encodeAbiParameters(
      [{ type: "address" }, { type: "string" }, { type: "uint256" }],
      [getAddress(buyer), "SERO", 1n],
    );
    expect(await env.read(PROBE, probe, "rawStaticCall", [sendToken, send])).toEqual([false, "0x"]);
    expect(await env.read(PROBE, probe, "rawCall", [sendToken, send])).toEqual([true, "0x"]);
  });

  it("shows the call value only to the frame the transaction called", async () => {
    env.sero.bring(probe, { kind: "token", symbol: "SERO", amount: 5n });
    expect(await env.read(PROBE, probe, "callValue")).toEqual([1, "SERO", 5n, `0x${"00".repeat(32)}`]);
    expect(await env.read(PROBE, probe, "nestedCallValueKind")).toBe(0);
  });

  it("pays at every level of a reentrant call", async () => {
    const result = await env.call(PROBE, probe, "reenter", [buyer, "SERO", 10n, 2n]);
    expect(result.execResult.exceptionError).toBeUndefined();
    expect(events(PROBE, result).map((e) => e.args)).toEqual([{ depth: 2n }, { depth: 1n }, { depth: 0n }]);
    expect(env.sero.payouts).toEqual([0, 1, 2].map(() => ({ from: probe, to: buyer, symbol: "SERO", amount: 10n })));
  });

  it("reverts after a payout, in the whole call or in a nested frame", async () => {
    const reverted = await env.call(PROBE, probe, "sendThenRevert", [buyer, "SERO", 1n]);
    expect(revertReason(reverted)).toBe("Probe: reverted after sending");
    const around = await env.call(PROBE, probe, "sendAroundRevertedFrame", [buyer, "SERO", 1n, 2n]);
    expect(around.execResult.exceptionError).toBeUndefined();
    expect(env.result(PROBE, "sendAroundRevertedFrame", around)).toBe(false);
  });

  it("halts out of gas, and on the invalid opcode", async () => {
    expect((await env.call(PROBE, probe, "spin")).execResult.exceptionError?.error).toBe("out of gas");
    expect((await env.call(PROBE, probe, "invalidOpcode")).execResult.exceptionError?.error).toBe("invalid opcode");
  });

  it("creates a child with CREATE and one with CREATE2", async () => {
    const salt = `0x${"5a".repeat(32)}` as const;
    const [created, created2] = (await env.read(PROBE, probe, "createChildren", [salt])) as [Hex, Hex];
    // Ethereum's CREATE2 rule in this bare EVM; SERO derives its own addresses (PROTOCOL.md §10.2).
    expect(created2).toBe(getContractAddress({ opcode: "CREATE2", from: probe, salt, bytecode: CHILD.bytecode }));
    expect(created).toBe(getContractAddress({ from: probe, nonce: 1n }));
    for (const child of [created, created2]) {
      expect(await env.read(CHILD, child, "parent")).toBe(getAddress(probe));
    }
  });
});
