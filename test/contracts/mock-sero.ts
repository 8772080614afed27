/**
 * A minimal stand-in for the SERO precompiles (PROTOCOL.md §10.5), for testing
 * the Solidity side alone: balances, assets and tickets in Maps, payouts in a
 * list, no journaling (the tests never make a frame revert after a write).
 * Inputs must be the canonical ABI encoding of the §10.5 signature, with no
 * selector; anything else, or a rule broken, fails the call consuming its gas.
 */
import { type EVM, EVMError, type ExecResult, type PrecompileInput } from "@ethereumjs/evm";
import { type Address, createAddressFromString } from "@ethereumjs/util";
import {
  type AbiParameter,
  bytesToHex,
  decodeAbiParameters,
  encodeAbiParameters,
  encodePacked,
  type Hex,
  hexToBytes,
  keccak256,
  parseAbiParameters,
} from "viem";

/** The ABI of each precompile, as PROTOCOL.md §10.5 lists them; the addresses are 0x…5e01 to 0x…5e0a. */
export const SERO_PRECOMPILES = {
  callValue: {
    address: 0x5e01,
    gas: 100n,
    inputs: [],
    outputs: parseAbiParameters("uint8 kind, string name, uint256 amount, bytes32 ticketId"),
  },
  balanceOf: {
    address: 0x5e02,
    gas: 800n,
    inputs: parseAbiParameters("string symbol"),
    outputs: parseAbiParameters("uint256"),
  },
  ownsTicket: {
    address: 0x5e03,
    gas: 800n,
    inputs: parseAbiParameters("string category, bytes32 id"),
    outputs: parseAbiParameters("bool"),
  },
  sendToken: {
    address: 0x5e04,
    gas: 25_000n,
    inputs: parseAbiParameters("address to, string symbol, uint256 amount"),
    outputs: [],
  },
  sendTicket: {
    address: 0x5e05,
    gas: 25_000n,
    inputs: parseAbiParameters("address to, string category, bytes32 id"),
    outputs: [],
  },
  issueToken: {
    address: 0x5e06,
    gas: 50_000n,
    inputs: parseAbiParameters("string symbol, uint8 decimals, uint256 cap"),
    outputs: [],
  },
  mintToken: {
    address: 0x5e07,
    gas: 20_000n,
    inputs: parseAbiParameters("string symbol, uint256 amount"),
    outputs: [],
  },
  registerTicketCategory: { address: 0x5e08, gas: 50_000n, inputs: parseAbiParameters("string category"), outputs: [] },
  allotTicket: {
    address: 0x5e09,
    gas: 30_000n,
    inputs: parseAbiParameters("string category, bytes32 id"),
    outputs: parseAbiParameters("bytes32"),
  },
  beacon: { address: 0x5e0a, gas: 100n, inputs: [], outputs: parseAbiParameters("uint256 epochs, bytes32 value") },
} as const;

export type PrecompileName = keyof typeof SERO_PRECOMPILES;

export function precompileAddress(name: PrecompileName): Address {
  return createAddressFromString(`0x${SERO_PRECOMPILES[name].address.toString(16).padStart(40, "0")}`);
}

const UNLIMITED = 2n ** 128n;
const ZERO_ID: Hex = `0x${"00".repeat(32)}`;

/** What a transaction brings (§10.3). */
export type CallValue =
  | { kind: "none" }
  | { kind: "token"; symbol: string; amount: bigint }
  | { kind: "ticket"; category: string; id: Hex };

/** A value leaving a contract through sendToken or sendTicket (§10.4). */
export type Payout =
  | { from: Hex; to: Hex; symbol: string; amount: bigint }
  | { from: Hex; to: Hex; category: string; id: Hex };

class Refused extends Error {}

export class MockSero {
  readonly payouts: Payout[] = [];
  private readonly tokens = new Map<string, { issuer: Hex; cap: bigint; issued: bigint }>();
  private readonly categories = new Map<string, { issuer: Hex; allotted: bigint }>();
  private readonly balances = new Map<string, bigint>();
  private readonly ticketOwners = new Map<string, Hex>();
  /** SE-Random's beacon as the next block sees it (set by tests): epochs sealed, and the last beacon. */
  beacon: { epochs: bigint; value: Hex } = { epochs: 0n, value: ZERO_ID };
  /** What the next transaction brings, and what the running one brought. */
  private pending: CallValue = { kind: "none" };
  private value: CallValue = { kind: "none" };
  /** The frame that called the precompile now running: set by the EVM's beforeMessage event. */
  private caller: { address: Hex; depth: number; isStatic: boolean } | undefined;

  /** The SERO coin exists from genesis (PROTOCOL.md §4). */
  constructor() {
    this.tokens.set("SERO", { issuer: ZERO_ID, cap: UNLIMITED, issued: 0n });
  }

  /** Watches the EVM's messages so each precompile knows which contract called it. */
  attach(evm: EVM): void {
    const addresses = new Set(
      Object.keys(SERO_PRECOMPILES).map((n) => precompileAddress(n as PrecompileName).toString()),
    );
    evm.events.on("beforeMessage", (message) => {
      if (message.depth === 0) {
        this.value = this.pending;
        this.pending = { kind: "none" };
      }
      if (message.to && addresses.has(message.to.toString())) {
        this.caller = { address: message.caller.toString(), depth: message.depth, isStatic: message.isStatic };
      }
    });
  }

  precompiles(): { address: Address; function: (input: PrecompileInput) => ExecResult }[] {
    return (Object.keys(SERO_PRECOMPILES) as PrecompileName[]).map((name) => ({
      address: precompileAddress(name),
      function: (input: PrecompileInput) => this.run(name, input),
    }));
  }

  /** The next transaction brings `value` to the contract it calls, credited before it runs (§10.3). */
  bring(contract: Hex, value: CallValue): void {
    this.pending = value;
    if (value.kind === "token") {
      this.credit(contract, value.symbol, value.amount);
    } else if (value.kind === "ticket") {
      this.ticketOwners.set(ticketKey(value.category, value.id), contract);
    }
  }

  /** Adds (or with a negative delta, takes) `symbol` to `holder`'s balance. */
  credit(holder: Hex, symbol: string, delta: bigint): void {
    const key = balanceKey(holder, symbol);
    this.balances.set(key, (this.balances.get(key) ?? 0n) + delta);
  }

  balanceOf(holder: Hex, symbol: string): bigint {
    return this.balances.get(balanceKey(holder, symbol)) ?? 0n;
  }

  ownerOf(category: string, id: Hex): Hex | undefined {
    return this.ticketOwners.get(ticketKey(category, id));
  }

  private run(name: PrecompileName, input: PrecompileInput): ExecResult {
    const spec = SERO_PRECOMPILES[name];
    const refusal = { returnValue: new Uint8Array(0), executionGasUsed: input.gasLimit };
    if (input.gasLimit < spec.gas) {
      return { ...refusal, exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) };
    }
    const caller = this.caller;
    if (!caller) {
      throw new Error("precompile ran without a beforeMessage event: call attach(evm)");
    }
    const args = canonicalArgs(spec.inputs, bytesToHex(input.data));
    if (!args) {
      return { ...refusal, exceptionError: new EVMError(EVMError.errorMessages.INVALID_INPUT_LENGTH) };
    }
    try {
      const output = this.execute(name, args, caller);
      return {
        returnValue: hexToBytes(encodeAbiParameters(spec.outputs as readonly AbiParameter[], output)),
        executionGasUsed: spec.gas,
      };
    } catch (e) {
      if (e instanceof Refused) {
        return { ...refusal, exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_RANGE) };
      }
      throw e;
    }
  }

  private execute(
    name: PrecompileName,
    args: readonly unknown[],
    caller: { address: Hex; depth: number; isStatic: boolean },
  ): readonly unknown[] {
    const self = caller.address;
    const writes = !["callValue", "balanceOf", "ownsTicket", "beacon"].includes(name);
    refuseIf(writes && caller.isStatic);
    switch (name) {
      case "callValue": {
        // Only the frame the transaction called sees the value (§10.5); its precompile call is at depth 1.
        const value: CallValue = caller.depth === 1 ? this.value : { kind: "none" };
        if (value.kind === "token") {
          return [1, value.symbol, value.amount, ZERO_ID];
        }
        if (value.kind === "ticket") {
          return [2, value.category, 1n, value.id];
        }
        return [0, "", 0n, ZERO_ID];
      }
      case "balanceOf":
        return [this.balanceOf(self, args[0] as string)];
      case "beacon":
        return [this.beacon.epochs, this.beacon.value];
      case "ownsTicket":
        return [this.ownerOf(args[0] as string, args[1] as Hex) === self];
      case "sendToken": {
        const [to, symbol, amount] = args as [Hex, string, bigint];
        refuseIf(!this.tokens.has(symbol) || amount > this.balanceOf(self, symbol));
        this.credit(self, symbol, -amount);
        this.credit(to.toLowerCase() as Hex, symbol, amount);
        this.payouts.push({ from: self, to: to.toLowerCase() as Hex, symbol, amount });
        return [];
      }
      case "sendTicket": {
        const [to, category, id] = args as [Hex, string, Hex];
        refuseIf(this.ownerOf(category, id) !== self);
        this.ticketOwners.set(ticketKey(category, id), to.toLowerCase() as Hex);
        this.payouts.push({ from: self, to: to.toLowerCase() as Hex, category, id });
        return [];
      }
      case "issueToken": {
        const [symbol, , cap] = args as [string, number, bigint];
        refuseIf(this.nameTaken(symbol));
        this.tokens.set(symbol, { issuer: self, cap, issued: 0n });
        return [];
      }
      case "mintToken": {
        const [symbol, amount] = args as [string, bigint];
        const token = this.tokens.get(symbol);
        refuseIf(!token || token.issuer !== self || (token.cap < UNLIMITED && token.issued + amount > token.cap));
        (token as { issued: bigint }).issued += amount;
        this.credit(self, symbol, amount);
        return [];
      }
      case "registerTicketCategory": {
        const [category] = args as [string];
        refuseIf(this.nameTaken(category));
        this.categories.set(category, { issuer: self, allotted: 0n });
        return [];
      }
      case "allotTicket": {
        const [category, requested] = args as [string, Hex];
        const record = this.categories.get(category);
        refuseIf(!record || record.issuer !== self);
        const id =
          requested === ZERO_ID
            ? keccak256(
                encodePacked(
                  ["address", "string", "uint64"],
                  [self, category, (record as { allotted: bigint }).allotted],
                ),
              )
            : requested;
        refuseIf(this.ownerOf(category, id) !== undefined);
        (record as { allotted: bigint }).allotted += 1n;
        this.ticketOwners.set(ticketKey(category, id), self);
        return [id];
      }
    }
  }

  private nameTaken(name: string): boolean {
    return this.tokens.has(name) || this.categories.has(name);
  }
}

/** The decoded arguments, or undefined unless `data` is exactly their canonical encoding. */
function canonicalArgs(params: readonly AbiParameter[], data: Hex): readonly unknown[] | undefined {
  try {
    const args = decodeAbiParameters(params, data);
    return encodeAbiParameters(params, args) === data ? args : undefined;
  } catch {
    return undefined;
  }
}

function refuseIf(condition: boolean): void {
  if (condition) {
    throw new Refused();
  }
}

function balanceKey(holder: Hex, symbol: string): string {
  return `${holder.toLowerCase()}/${symbol}`;
}

function ticketKey(category: string, id: Hex): string {
  return `${category}/${id}`;
}
