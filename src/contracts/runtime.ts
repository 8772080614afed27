/**
 * Runs one contract transaction on the EVM (PROTOCOL.md §10): deterministic,
 * gas-metered, over the ledger's state through a journaled view, returning a
 * change set and an outcome like every other ledger step. One runtime runs one
 * transaction at a time (the EVM instance keeps per-transaction state).
 */

import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { EVM, EVMMockBlockchain, type Message, NobleBN254 } from "@ethereumjs/evm";
import { Address, createZeroAddress } from "@ethereumjs/util";
import { bytesToBigintBE, toHex } from "../codec/bytes.ts";
import type { Randomness } from "../consensus/index.ts";
import { ticketAssetId } from "../protocol/asset.ts";
import type { Caller } from "../protocol/tx/types.ts";
import {
  create2ContractAddress,
  createdContractAddress,
  evmAddressOfCaller,
  evmAddressOfContract,
  evmChainId,
} from "./addresses.ts";
import { ContractState } from "./contract-state.ts";
import { type ContractLog, type ContractOutcome, outcomeCodeOf } from "./outcome.ts";
import type { ContractParams } from "./params.ts";
import { type CallValue, type PrecompileContext, seroPrecompiles } from "./precompiles.ts";
import { LedgerStateManager } from "./state-manager.ts";
import { type ContractHost, type PayoutDraft, type TxChanges, TxState } from "./tx-state.ts";

export type ContractCall = {
  readonly kind: "deploy" | "call";
  /** Null only for a read (§10.7) made without one: `msg.sender` is then address 0. */
  readonly caller: Caller | null;
  /** The 64-byte address called, or to be created. */
  readonly contract: Uint8Array;
  /** Init code or calldata. */
  readonly data: Uint8Array;
  readonly gasLimit: bigint;
  readonly value: CallValue | null;
};

export type ContractExecution = {
  readonly outcome: ContractOutcome;
  /** On failure only the value's return to the caller (§10.4). */
  readonly changes: TxChanges;
};

const NO_CHANGES: Omit<TxChanges, "payouts"> = { entries: new Map(), assets: new Map(), tickets: new Set() };

/** Ethereum's intrinsic gas (yellow paper G_transaction, G_txdata*, EIP-2028, EIP-3860), charged before the EVM runs. */
export function intrinsicGas(call: Pick<ContractCall, "kind" | "data">): bigint {
  let gas = 21_000n;
  for (const b of call.data) {
    gas += b === 0 ? 4n : 16n;
  }
  if (call.kind === "deploy") {
    gas += 32_000n + 2n * BigInt(Math.ceil(call.data.length / 32));
  }
  return gas;
}

/** The EVM, with SERO's contract addresses instead of Ethereum's (§10.2). */
class SeroEvm extends EVM {
  /** The 64-byte address of each EVM address created in the running transaction. */
  readonly created = new Map<string, Uint8Array>();
  /** The running transaction's top-level contract, if it deploys one. */
  deploying: { evm: Uint8Array; contract: Uint8Array } | undefined;
  state: ContractState | undefined;

  protected override async _generateAddress(message: Message): Promise<Address> {
    if (message.depth === 0 && this.deploying) {
      return new Address(this.deploying.evm);
    }
    const parent = this.state?.registry(message.caller.bytes);
    if (parent?.kind !== "contract") {
      throw new Error("a contract's creator is not a registered contract");
    }
    const contract = message.salt
      ? create2ContractAddress(parent.address, message.salt, message.code as Uint8Array)
      : createdContractAddress(
          parent.address,
          ((await this.stateManager.getAccount(message.caller))?.nonce ?? 1n) - 1n,
        );
    const evm = evmAddressOfContract(contract);
    this.created.set(toHex(evm), contract);
    return new Address(evm);
  }
}

export type BlockContext = {
  readonly height: number;
  /** SE-Random's beacon in force at this height (0x5e0a, PROTOCOL.md §10.5); undefined without SE-Random. */
  readonly randomness: Randomness | undefined;
};

export class ContractRuntime {
  readonly #evm: SeroEvm;
  readonly #stateManager = new LedgerStateManager();
  readonly #params: ContractParams;
  /** The message a precompile answers, and the transaction it runs in. */
  #current: { message: Message; context: PrecompileContext } | undefined;
  #context: PrecompileContext | undefined;
  #height = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(chainId: string, params: ContractParams) {
    this.#params = params;
    const common = createCustomCommon({ chainId: evmChainId(chainId) }, Mainnet, {
      hardfork: { cancun: Hardfork.Cancun }[params.hardfork],
    });
    this.#evm = new SeroEvm({
      common,
      stateManager: this.#stateManager,
      blockchain: new EVMMockBlockchain(),
      bn254: new NobleBN254(),
      customPrecompiles: seroPrecompiles(() => {
        if (this.#current === undefined) {
          throw new Error("a precompile ran outside a message");
        }
        return this.#current;
      }),
    });
    // Precompiles learn who called them from the message that reached them (precompiles.ts).
    this.#evm.events.on("beforeMessage", (message: Message) => {
      this.#current = { message, context: this.#context as PrecompileContext };
    });
    // A contract made by CREATE or CREATE2 is known before its init code runs, in the frame that creates it.
    this.#evm.events.on("newContract", (event: { address: Address }) => {
      const contract = this.#evm.created.get(toHex(event.address.bytes));
      if (contract !== undefined && this.#context !== undefined) {
        this.#context.state.register(event.address.bytes, { kind: "contract", address: contract });
        this.#context.state.putContract(event.address.bytes, { address: contract, createdAt: this.#height });
      }
    });
  }

  /** Runs `call` over `host`; one at a time, in the order asked. */
  execute(host: ContractHost, call: ContractCall, block: BlockContext): Promise<ContractExecution> {
    const run = this.#queue.then(() => this.#execute(host, call, block));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #execute(host: ContractHost, call: ContractCall, block: BlockContext): Promise<ContractExecution> {
    const tx = new TxState(host);
    const state = new ContractState(tx);
    const callerEvm = call.caller ? evmAddressOfCaller(call.caller) : new Uint8Array(20);
    if (call.caller) {
      state.register(callerEvm, { kind: "caller", ...call.caller });
    }
    const target = evmAddressOfContract(call.contract);
    const failed = (outcome: Omit<ContractOutcome, "logs" | "contract">): ContractExecution => ({
      outcome: { ...outcome, logs: [], contract: null },
      changes: { ...NO_CHANGES, payouts: refund(call) },
    });
    if (call.kind === "deploy") {
      state.register(target, { kind: "contract", address: call.contract });
      state.putContract(target, { address: call.contract, createdAt: block.height });
    } else if (state.contract(target) === undefined) {
      return failed({ code: "no_contract", gasUsed: intrinsicGas(call), returnData: new Uint8Array() });
    }
    credit(state, target, call.value);
    const intrinsic = intrinsicGas(call);
    if (call.gasLimit < intrinsic) {
      return failed({ code: "out_of_gas", gasUsed: call.gasLimit, returnData: new Uint8Array() });
    }

    const evm = this.#evm;
    this.#context = { tx, state, target, value: call.value, randomness: block.randomness };
    this.#height = block.height;
    evm.state = state;
    evm.deploying = call.kind === "deploy" ? { evm: target, contract: call.contract } : undefined;
    evm.created.clear();
    this.#stateManager.bind(state);
    try {
      this.#prepareJournal(callerEvm, target);
      const caller = new Address(callerEvm);
      const result = await evm.runCall({
        caller,
        origin: caller,
        ...(call.kind === "call" ? { to: new Address(target) } : {}),
        data: call.data,
        gasLimit: call.gasLimit - intrinsic,
        value: 0n,
        skipNonceIncrement: true,
        block: this.#block(block),
      });
      await evm.journal.cleanup();
      const exec = result.execResult;
      const code = outcomeCodeOf(exec.exceptionError);
      const gasUsed = intrinsic + exec.executionGasUsed;
      if (code !== "ok") {
        return failed({ code, gasUsed, returnData: code === "revert" ? exec.returnValue : new Uint8Array() });
      }
      return {
        outcome: {
          code,
          gasUsed,
          // A deploy's return data is the code it deployed, which the state holds: not repeated.
          returnData: call.kind === "deploy" ? new Uint8Array() : exec.returnValue,
          contract: call.kind === "deploy" ? call.contract : null,
          logs: (exec.logs ?? []).map(
            ([address, topics, data]): ContractLog => ({
              contract: state.contract(address)?.address ?? new Uint8Array(64),
              topics,
              data,
            }),
          ),
        },
        changes: tx.changes(),
      };
    } finally {
      evm.journal.cleanJournal();
      evm.transientStorage.clear();
      this.#stateManager.bind(undefined);
      this.#context = undefined;
      this.#current = undefined;
      evm.state = undefined;
    }
  }

  /** A fresh journal with EIP-2929's always-warm addresses: the caller, the target and the precompiles. */
  #prepareJournal(caller: Uint8Array, target: Uint8Array): void {
    const journal = this.#evm.journal;
    journal.cleanJournal();
    journal.addAlwaysWarmAddress(toHex(caller));
    journal.addAlwaysWarmAddress(toHex(target));
    for (const address of this.#evm.precompiles.keys()) {
      journal.addAlwaysWarmAddress(address);
    }
  }

  /** §10.7: the height stands in for the time; nothing else of a block is visible. */
  #block(block: BlockContext) {
    const height = BigInt(block.height);
    return {
      header: {
        number: height,
        timestamp: height,
        coinbase: createZeroAddress(),
        difficulty: 0n,
        prevRandao: new Uint8Array(32),
        gasLimit: this.#params.blockGasLimit,
        baseFeePerGas: 0n,
        getBlobGasPrice: () => 0n,
      },
    };
  }
}

/** The opened value, into the contract's balance (§10.3). */
function credit(state: ContractState, target: Uint8Array, value: CallValue | null): void {
  if (value === null) {
    return;
  }
  if (value.assetKind === "token") {
    state.addTokenBalance(target, value.assetRef, bytesToBigintBE(value.value));
  } else {
    const ticket = { category: value.assetRef, ticketId: value.value };
    state.putTicket(target, ticketAssetId(value.assetRef, value.value), ticket);
  }
}

/** A failed call's value, back to its caller (§10.4). */
function refund(call: ContractCall): PayoutDraft[] {
  return call.value && call.caller ? [{ pkr: call.caller.pkr, ...call.value }] : [];
}
