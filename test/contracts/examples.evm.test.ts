/**
 * The example contracts in a bare EVM with mock SERO precompiles
 * (./evm-harness.ts): the Solidity side speaks the ABI of PROTOCOL.md §10.5,
 * and the examples keep their rules (payment asset and amount, supply, owner).
 */
import { encodeAbiParameters, getAddress, type Hex, keccak256, parseAbiParameters } from "viem";
import { beforeEach, describe, expect, it } from "vitest";
import { loadArtifact } from "./artifacts.ts";
import { BUYER, events, OWNER, revertReason, seroEvm } from "./evm-harness.ts";

const TOKEN_SALE = loadArtifact("TokenSale");
const TICKET_BOX = loadArtifact("TicketBox");
const SERO = 10n ** 18n;

const buyer = BUYER.toString();
const owner = OWNER.toString();

describe("TokenSale", () => {
  let env: Awaited<ReturnType<typeof seroEvm>>;
  let sale: Hex;

  beforeEach(async () => {
    env = await seroEvm();
    sale = await env.deploy(TOKEN_SALE, ["GOLD", 2, 1000n, 100n]);
  });

  it("issues the whole capped supply to itself at deployment", async () => {
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(1000n);
    expect(await env.read(TOKEN_SALE, sale, "symbol")).toBe("GOLD");
    expect(await env.read(TOKEN_SALE, sale, "rate")).toBe(100n);
    expect(await env.read(TOKEN_SALE, sale, "owner")).toBe(getAddress(owner));
    // A symbol is registered once.
    await expect(env.deploy(TOKEN_SALE, ["GOLD", 2, 1000n, 100n])).rejects.toThrow("Sero: issueToken failed");
  });

  it("refuses a supply or rate that is zero or not below 2^128", async () => {
    for (const [supply, rate, reason] of [
      [0n, 1n, "TokenSale: supply out of range"],
      [2n ** 128n, 1n, "TokenSale: supply out of range"],
      [1n, 0n, "TokenSale: rate out of range"],
      [1n, 2n ** 128n, "TokenSale: rate out of range"],
    ] as const) {
      await expect(env.deploy(TOKEN_SALE, ["IRON", 0, supply, rate])).rejects.toThrow(reason);
    }
    // The largest of both cannot overflow paid * rate.
    const big = await env.deploy(TOKEN_SALE, ["IRON", 0, 2n ** 128n - 1n, 2n ** 128n - 1n]);
    env.sero.bring(big, { kind: "token", symbol: "SERO", amount: SERO });
    expect(env.result(TOKEN_SALE, "buy", await env.call(TOKEN_SALE, big, "buy"))).toBe(2n ** 128n - 1n);
  });

  it("sells rate tokens per SERO brought and pays them to the buyer", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 2n * SERO });
    const result = await env.call(TOKEN_SALE, sale, "buy");
    expect(result.execResult.exceptionError).toBeUndefined();
    expect(env.result(TOKEN_SALE, "buy", result)).toBe(200n);
    expect(env.sero.payouts).toEqual([{ from: sale, to: buyer, symbol: "GOLD", amount: 200n }]);
    expect(events(TOKEN_SALE, result)).toEqual([
      { eventName: "Sold", args: { buyer: getAddress(buyer), paid: 2n * SERO, tokens: 200n } },
    ]);
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(800n);
    expect(await env.read(TOKEN_SALE, sale, "raised")).toBe(2n * SERO);
  });

  it("refuses any other asset, no value, too little and too much SERO, paying nothing", async () => {
    const cases = [
      { value: { kind: "token", symbol: "SILVER", amount: 2n * SERO }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "token", symbol: "SEROX", amount: 2n * SERO }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "ticket", category: "SERO", id: `0x${"11".repeat(32)}` }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "none" }, reason: "TokenSale: pay in SERO" },
      { value: { kind: "token", symbol: "SERO", amount: SERO / 100n - 1n }, reason: "TokenSale: too little SERO" },
      { value: { kind: "token", symbol: "SERO", amount: 11n * SERO }, reason: "TokenSale: not enough tokens left" },
    ] as const;
    for (const { value, reason } of cases) {
      env.sero.bring(sale, value);
      const result = await env.call(TOKEN_SALE, sale, "buy");
      expect(result.execResult.exceptionError?.error).toBe("revert");
      expect(revertReason(result)).toBe(reason);
    }
    expect(env.sero.payouts).toEqual([]);
    expect(await env.read(TOKEN_SALE, sale, "available")).toBe(1000n);
  });

  it("sells exactly the remaining supply, then nothing", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 10n * SERO });
    expect((await env.call(TOKEN_SALE, sale, "buy")).execResult.exceptionError).toBeUndefined();
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: SERO });
    expect(revertReason(await env.call(TOKEN_SALE, sale, "buy"))).toBe("TokenSale: not enough tokens left");
  });

  it("pays proceeds to the owner only", async () => {
    env.sero.bring(sale, { kind: "token", symbol: "SERO", amount: 3n * SERO });
    await env.call(TOKEN_SALE, sale, "buy");
    expect(revertReason(await env.call(TOKEN_SALE, sale, "withdraw", [SERO], BUYER))).toBe("TokenSale: not the owner");
    // More than raised: the precompile refuses and the wrapper reverts with its reason.
    expect(revertReason(await env.call(TOKEN_SALE, sale, "withdraw", [4n * SERO], OWNER))).toBe(
      "Sero: sendToken failed",
    );
    const result = await env.call(TOKEN_SALE, sale, "withdraw", [SERO], OWNER);
    expect(result.execResult.exceptionError).toBeUndefined();
    expect(env.sero.payouts.at(-1)).toEqual({ from: sale, to: owner, symbol: "SERO", amount: SERO });
    expect(await env.read(TOKEN_SALE, sale, "raised")).toBe(2n * SERO);
  });
});

describe("TicketBox", () => {
  let env: Awaited<ReturnType<typeof seroEvm>>;
  let box: Hex;
  const price = SERO / 2n;

  beforeEach(async () => {
    env = await seroEvm();
    box = await env.deploy(TICKET_BOX, ["CONCERT_2027", price]);
  });

  it("sells a fresh ticket for exactly the price and gives it to the buyer", async () => {
    const ids: Hex[] = [];
    for (let i = 0; i < 2; i++) {
      env.sero.bring(box, { kind: "token", symbol: "SERO", amount: price });
      const result = await env.call(TICKET_BOX, box, "buy");
      expect(result.execResult.exceptionError).toBeUndefined();
      const id = env.result(TICKET_BOX, "buy", result) as Hex;
      expect(events(TICKET_BOX, result)).toEqual([{ eventName: "TicketSold", args: { buyer: getAddress(buyer), id } }]);
      expect(env.sero.ownerOf("CONCERT_2027", id)).toBe(buyer);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(2);
    expect(env.sero.payouts).toEqual(ids.map((id) => ({ from: box, to: buyer, category: "CONCERT_2027", id })));
    expect(await env.read(TICKET_BOX, box, "sold")).toBe(2n);
    expect(env.sero.balanceOf(box, "SERO")).toBe(2n * price);
  });

  it("refuses a wrong amount or asset, selling nothing", async () => {
    for (const value of [
      { kind: "token", symbol: "SERO", amount: price - 1n },
      { kind: "token", symbol: "SERO", amount: price + 1n },
      { kind: "token", symbol: "GOLD", amount: price },
      { kind: "none" },
    ] as const) {
      env.sero.bring(box, value);
      expect(revertReason(await env.call(TICKET_BOX, box, "buy"))).toBe("TicketBox: pay exactly the price in SERO");
    }
    expect(env.sero.payouts).toEqual([]);
    expect(await env.read(TICKET_BOX, box, "sold")).toBe(0n);
  });

  it("cannot register a category twice", async () => {
    await expect(env.deploy(TICKET_BOX, ["CONCERT_2027", price])).rejects.toThrow(
      "Sero: registerTicketCategory failed",
    );
  });
});

describe("Raffle (a draw on SE-Random's beacon, docs/CONSENSUS.md §8)", () => {
  const RAFFLE = loadArtifact("Raffle");
  const PRICE = 5n * SERO;
  const players = [BUYER, OWNER];
  let env: Awaited<ReturnType<typeof seroEvm>>;
  let raffle: Hex;
  const beacon = (epochs: bigint, byte: number) => {
    env.sero.beacon = { epochs, value: `0x${byte.toString(16).padStart(2, "0").repeat(32)}` };
  };
  const enter = async (from = BUYER, amount = PRICE) => {
    env.sero.bring(raffle, { kind: "token", symbol: "SERO", amount });
    return env.call(RAFFLE, raffle, "enter", [], from);
  };

  beforeEach(async () => {
    env = await seroEvm();
    raffle = await env.deploy(RAFFLE, [PRICE, 10n]);
    env.atHeight(3n);
  });

  it("takes entries for exactly the price until the close height", async () => {
    expect((await enter()).execResult.exceptionError).toBeUndefined();
    expect(revertReason(await enter(BUYER, PRICE - 1n))).toBe("Raffle: pay exactly the price in SERO");
    env.atHeight(10n);
    expect(revertReason(await enter())).toBe("Raffle: entries closed");
    expect(await env.read(RAFFLE, raffle, "entryCount")).toBe(1n);
  });

  it("draws from the beacon sealed right after close, pays the pot to the winner, and only once", async () => {
    for (const p of players) {
      await enter(p);
    }
    beacon(4n, 0xaa);
    expect(revertReason(await env.call(RAFFLE, raffle, "close"))).toBe("Raffle: entries still open");
    env.atHeight(10n);
    expect(revertReason(await env.call(RAFFLE, raffle, "draw"))).toBe("Raffle: close first");
    expect((await env.call(RAFFLE, raffle, "close")).execResult.exceptionError).toBeUndefined();
    // The beacon pinned at close (known to everyone then) is refused; only the next epoch's counts.
    expect(revertReason(await env.call(RAFFLE, raffle, "draw"))).toBe("Raffle: not the pinned epoch's beacon");
    expect(revertReason(await env.call(RAFFLE, raffle, "close"))).toBe("Raffle: the pinned epoch can still be drawn");
    beacon(5n, 0x3c);
    const drawn = await env.call(RAFFLE, raffle, "draw");
    expect(drawn.execResult.exceptionError).toBeUndefined();
    const [event] = events(RAFFLE, drawn) as unknown as [{ args: { winner: string; entry: bigint; pot: bigint } }];
    const value = `0x${"3c".repeat(32)}` as Hex;
    const expected =
      BigInt(keccak256(encodeAbiParameters(parseAbiParameters("bytes32, address"), [value, getAddress(raffle)]))) % 2n;
    expect(event.args.entry).toBe(expected);
    expect(event.args.winner).toBe(getAddress((players[Number(expected)] as typeof BUYER).toString()));
    expect(event.args.pot).toBe(2n * PRICE);
    expect(env.sero.payouts).toEqual([
      {
        from: raffle.toLowerCase(),
        to: (players[Number(expected)] as typeof BUYER).toString(),
        symbol: "SERO",
        amount: 2n * PRICE,
      },
    ]);
    expect(revertReason(await env.call(RAFFLE, raffle, "draw"))).toBe("Raffle: already drawn");
  });

  it("re-pins a later epoch when the pinned one passed undrawn", async () => {
    await enter();
    env.atHeight(12n);
    beacon(4n, 1);
    await env.call(RAFFLE, raffle, "close");
    beacon(7n, 2);
    expect(revertReason(await env.call(RAFFLE, raffle, "draw"))).toBe("Raffle: not the pinned epoch's beacon");
    expect((await env.call(RAFFLE, raffle, "close")).execResult.exceptionError).toBeUndefined();
    beacon(8n, 3);
    expect((await env.call(RAFFLE, raffle, "draw")).execResult.exceptionError).toBeUndefined();
  });
});
