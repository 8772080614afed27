/**
 * SERO's system interface (PROTOCOL.md §10.5): precompiles at fixed
 * addresses through which a contract reads what its call brought, holds and
 * sends assets, and issues tokens and tickets. Arguments and results are
 * Solidity ABI encoded, with no selector. A precompile acts for the contract
 * that CALLs (or STATICCALLs) it; reached any other way (DELEGATECALL,
 * CALLCODE), it would act for someone else's balance, so it refuses.
 * A refusal is a REVERT carrying `Error(string)`, which the EVM journals away
 * with everything the frame did.
 */

import type { CustomPrecompile, ExecResult, Message } from "@ethereumjs/evm";
import { EVMError } from "@ethereumjs/evm";
import { createAddressFromString } from "@ethereumjs/util";
import { bytesEqual, bytesToBigintBE, fromHex, toHex } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { Randomness } from "../consensus/index.ts";
import type { AssetRecord } from "../ledger/store.ts";
import {
  AMOUNT_LIMIT,
  checkAmount,
  checkRegistration,
  registeredId,
  ticketAssetId,
  ticketCategoryId,
  tokenId,
} from "../protocol/asset.ts";
import { Blake2bPersonalization as P } from "../protocol/domains.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";
import { blake } from "../protocol/hash.ts";
import { abiDecode, abiEncode, abiRevertReason } from "./abi.ts";
import type { ContractState } from "./contract-state.ts";
import type { PayoutDraft, TxState } from "./tx-state.ts";

/** What the transaction brought (§10.3), as the contract it called sees it. */
export type CallValue = {
  readonly assetKind: "token" | "ticket";
  readonly assetRef: Fr;
  readonly value: Uint8Array;
};

/** The transaction a precompile runs in. */
export type PrecompileContext = {
  readonly tx: TxState;
  readonly state: ContractState;
  /** The EVM address the transaction called or created: the only one `callValue` answers. */
  readonly target: Uint8Array;
  readonly value: CallValue | null;
  /** The beacon of the latest sealed SE-Random epoch (CONSENSUS.md §8.2), the same at every replica. */
  readonly randomness: Randomness | undefined;
};

type Precompile = {
  readonly id: number;
  readonly gas: bigint;
  /** Changes state: refused in a static call. */
  readonly writes: boolean;
  readonly inputs: string;
  /** Returns the ABI-encoded result; throws ProtocolError to refuse. `self` is the calling contract. */
  run(ctx: PrecompileContext, self: Uint8Array, args: readonly unknown[], topFrame: boolean): Uint8Array;
};

export function precompileAddress(id: number): Uint8Array {
  return new ByteWriter().uint(BigInt(id), 20).finish();
}

const ZERO_ISSUER = new Uint8Array(32);
const NONE = abiEncode("uint8, string, uint256, bytes32", [0, "", 0n, `0x${"00".repeat(32)}`]);

const PRECOMPILES: readonly Precompile[] = [
  {
    id: 0x5e01,
    gas: 100n,
    writes: false,
    inputs: "",
    run: (ctx, self, _args, topFrame) => {
      const v = ctx.value;
      if (v === null || !topFrame || !bytesEqual(self, ctx.target)) {
        return NONE;
      }
      const name = (ctx.tx.asset(v.assetRef) as AssetRecord).registration.name;
      return v.assetKind === "token"
        ? abiEncode("uint8, string, uint256, bytes32", [1, name, bytesToBigintBE(v.value), `0x${"00".repeat(32)}`])
        : abiEncode("uint8, string, uint256, bytes32", [2, name, 1n, `0x${toHex(v.value)}`]);
    },
  },
  {
    id: 0x5e02,
    gas: 800n,
    writes: false,
    inputs: "string",
    run: (ctx, self, [symbol]) => abiEncode("uint256", [ctx.state.tokenBalance(self, tokenId(symbol as string))]),
  },
  {
    id: 0x5e03,
    gas: 800n,
    writes: false,
    inputs: "string, bytes32",
    run: (ctx, self, [category, id]) =>
      abiEncode("bool", [ctx.state.ticket(self, ticketOf(category as string, id as string).asset) !== undefined]),
  },
  {
    id: 0x5e04,
    gas: 25_000n,
    writes: true,
    inputs: "address, string, uint256",
    run: (ctx, self, [to, symbol, amount]) => {
      const asset = tokenId(symbol as string);
      const value = checkAmount(amount as bigint);
      if (value === 0n) {
        throw new ProtocolError("zero_value", "send a positive amount");
      }
      ctx.state.addTokenBalance(self, asset, -value);
      deliver(ctx, to as string, {
        credit: (contract) => ctx.state.addTokenBalance(contract, asset, value),
        payout: { assetKind: "token", assetRef: asset, value: new ByteWriter().uint(value, 32).finish() },
      });
      return new Uint8Array();
    },
  },
  {
    id: 0x5e05,
    gas: 25_000n,
    writes: true,
    inputs: "address, string, bytes32",
    run: (ctx, self, [to, category, id]) => {
      const ticket = ticketOf(category as string, id as string);
      const held = ctx.state.ticket(self, ticket.asset);
      if (held === undefined) {
        throw new ProtocolError("insufficient_balance", "the contract does not hold this ticket");
      }
      ctx.state.putTicket(self, ticket.asset, null);
      deliver(ctx, to as string, {
        credit: (contract) => ctx.state.putTicket(contract, ticket.asset, held),
        payout: { assetKind: "ticket", assetRef: held.category, value: held.ticketId },
      });
      return new Uint8Array();
    },
  },
  {
    id: 0x5e06,
    gas: 50_000n,
    writes: true,
    inputs: "string, uint8, uint256",
    run: (ctx, self, [symbol, decimals, cap]) => {
      const supply =
        (cap as bigint) >= AMOUNT_LIMIT
          ? { kind: "unlimited" as const }
          : { kind: "capped" as const, cap: cap as bigint };
      register(ctx, self, { assetKind: "token", name: symbol as string, decimals: decimals as number, supply });
      return new Uint8Array();
    },
  },
  {
    id: 0x5e07,
    gas: 20_000n,
    writes: true,
    inputs: "string, uint256",
    run: (ctx, self, [symbol, amount]) => {
      const asset = tokenId(symbol as string);
      const record = issuedBy(ctx, self, asset);
      const issued = record.issued + checkAmount(amount as bigint);
      const cap = record.registration.supply.kind === "capped" ? record.registration.supply.cap : AMOUNT_LIMIT - 1n;
      if (issued > cap) {
        throw new ProtocolError("supply_exceeded", "minting exceeds the cap");
      }
      ctx.tx.putAsset(asset, { ...record, issued });
      ctx.state.addTokenBalance(self, asset, amount as bigint);
      return new Uint8Array();
    },
  },
  {
    id: 0x5e08,
    gas: 50_000n,
    writes: true,
    inputs: "string",
    run: (ctx, self, [category]) => {
      register(ctx, self, {
        assetKind: "ticket",
        name: category as string,
        decimals: 0,
        supply: { kind: "unlimited" },
      });
      return new Uint8Array();
    },
  },
  {
    id: 0x5e09,
    gas: 30_000n,
    writes: true,
    inputs: "string, bytes32",
    run: (ctx, self, [name, requested]) => {
      const category = ticketCategoryId(name as string);
      const record = issuedBy(ctx, self, category);
      const contract = (ctx.state.contract(self) as { address: Uint8Array }).address;
      let id = fromHex((requested as string).slice(2)) as Uint8Array;
      if (id.every((b) => b === 0)) {
        const seed = new ByteWriter().bytes(contract).bytes(frToBytes(category)).uint(record.issued, 8).finish();
        id = blake(P.ticketAllot, seed, 32);
      }
      const asset = ticketAssetId(category, id);
      if (ctx.tx.hasTicket(asset)) {
        throw new ProtocolError("ticket_exists", "this ticket was already allotted");
      }
      ctx.tx.addTicket(asset);
      ctx.tx.putAsset(category, { ...record, issued: record.issued + 1n });
      ctx.state.putTicket(self, asset, { category, ticketId: id });
      return abiEncode("bytes32", [`0x${toHex(id)}`]);
    },
  },
  {
    // SE-Random's beacon of the latest sealed epoch: public once sealed, so good for draws that must be
    // fair but not secret (a lottery after its ticket sales closed), never for secrets.
    id: 0x5e0a,
    gas: 100n,
    writes: false,
    inputs: "",
    run: (ctx) => {
      if (ctx.randomness === undefined) {
        throw new ProtocolError("no_beacon", "this chain runs no random beacon");
      }
      return abiEncode("uint256, bytes32", [BigInt(ctx.randomness.sealed), `0x${toHex(ctx.randomness.beacon)}`]);
    },
  },
];

function ticketOf(category: string, id: string): { category: Fr; asset: Fr } {
  const categoryId = ticketCategoryId(category);
  return { category: categoryId, asset: ticketAssetId(categoryId, fromHex(id.slice(2)) as Uint8Array) };
}

/** What `to` receives (§10.5): a contract is credited, a caller paid a note at its PKr; any other is refused. */
function deliver(
  ctx: PrecompileContext,
  to: string,
  how: { readonly credit: (contract: Uint8Array) => void; readonly payout: Omit<PayoutDraft, "pkr"> },
): void {
  const recipient = fromHex(to.slice(2).toLowerCase()) as Uint8Array;
  const entry = ctx.state.registry(recipient);
  if (entry?.kind === "contract") {
    how.credit(recipient);
  } else if (entry?.kind === "caller") {
    ctx.tx.pay({ pkr: entry.pkr, ...how.payout });
  } else {
    throw new ProtocolError("unknown_recipient", "the recipient is neither a caller nor a contract");
  }
}

function register(
  ctx: PrecompileContext,
  self: Uint8Array,
  reg: Omit<Parameters<typeof checkRegistration>[0], "issuer">,
): void {
  const registration = checkRegistration({ ...reg, issuer: ZERO_ISSUER });
  const id = registeredId(registration);
  if (ctx.tx.asset(id) !== undefined) {
    throw new ProtocolError("asset_exists", `${registration.name} is already registered`);
  }
  ctx.tx.putAsset(id, { registration, issued: 0n, fees: 0n, nonce: 0n });
  ctx.state.putIssuer(id, self);
}

/** The asset's record, if `self` registered it (§10.5: only its issuing contract mints). */
function issuedBy(ctx: PrecompileContext, self: Uint8Array, asset: Fr): AssetRecord {
  const issuer = ctx.state.issuer(asset);
  const record = ctx.tx.asset(asset);
  if (issuer === undefined || record === undefined || !bytesEqual(issuer, self)) {
    throw new ProtocolError("not_issuer", "only the contract that registered an asset issues it");
  }
  return record;
}

const revert = (gas: bigint, reason: string): ExecResult => ({
  returnValue: abiRevertReason(reason),
  executionGasUsed: gas,
  exceptionError: new EVMError(EVMError.errorMessages.REVERT),
});

/**
 * The precompiles, each reading the message that reached it (kept by the
 * runtime from the EVM's `beforeMessage` event) and the transaction's context.
 */
export function seroPrecompiles(
  current: () => { readonly message: Message; readonly context: PrecompileContext },
): CustomPrecompile[] {
  return PRECOMPILES.map((p) => {
    const address = precompileAddress(p.id);
    return {
      address: createAddressFromString(`0x${toHex(address)}`),
      function: async (input): Promise<ExecResult> => {
        if (input.gasLimit < p.gas) {
          return {
            returnValue: new Uint8Array(),
            executionGasUsed: input.gasLimit,
            exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
          };
        }
        const { message, context } = current();
        if (message.to === undefined || !bytesEqual(message.to.bytes, address)) {
          return revert(p.gas, "sero: call precompiles directly, not by DELEGATECALL or CALLCODE");
        }
        if (p.writes && message.isStatic) {
          return revert(p.gas, "sero: a static call cannot change state");
        }
        const self = message.caller.bytes;
        if (context.state.contract(self) === undefined) {
          return revert(p.gas, "sero: only contracts use the system interface");
        }
        try {
          const args = p.inputs === "" ? [] : abiDecode(p.inputs, input.data);
          // Depth 1: called by the frame the transaction itself opened.
          return { returnValue: p.run(context, self, args, message.depth === 1), executionGasUsed: p.gas };
        } catch (e) {
          if (e instanceof ProtocolError) {
            return revert(p.gas, `sero: ${e.code}`);
          }
          throw e;
        }
      },
    };
  });
}
