/**
 * A ledger with contracts, driven block by block as replicas drive it, with
 * proofs faked (a proof of 1s verifies): the EVM, the precompiles and the
 * ledger's accounting are real. Shared by the contract tests and benchmark.
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import { type Abi, decodeFunctionResult, encodeDeployData, encodeFunctionData, type Hex } from "viem";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { ByteWriter } from "../../src/codec/writer.ts";
import type { Randomness } from "../../src/consensus/index.ts";
import { evmAddressOfCaller } from "../../src/contracts/addresses.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import {
  type Block,
  type BlockResult,
  executeBlock,
  type LedgerConfig,
  type Receipt,
} from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { type LedgerStore, MemoryLedgerStore } from "../../src/ledger/store.ts";
import { encodeOneTimeAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { openedCommitment, type PublicValue } from "../../src/protocol/contract-notes.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { randomFr } from "../../src/protocol/note.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { Caller, ContractTx, GenesisTx, TransferOutput } from "../../src/protocol/tx/types.ts";
import { account, bytes32, oneTimeAddress, sampleEpk, sampleGenesis, samplePayment } from "../protocol/fixtures.ts";
import type { ContractArtifact } from "./artifacts.ts";

export const CHAIN = "sero-contracts-test";
export const MIN_FEE = 1_000n;
export const SERO = 10n ** 18n;
const FAKE_PROOF = new Uint8Array(256).fill(1);

export type TestCaller = Caller & { readonly secret: Uint8Array; readonly evm: Hex; readonly label: string };

export function testCaller(label: string): TestCaller {
  const secret = bytes32(`caller:${label}`);
  const caller = {
    pkr: encodeOneTimeAddress(oneTimeAddress(account(label), label)),
    key: ed25519.getPublicKey(secret),
  };
  return { ...caller, secret, label, evm: `0x${toHex(evmAddressOfCaller(caller))}` };
}

export function tokenValue(asset: Fr, amount: bigint): PublicValue {
  return { assetKind: "token", assetRef: asset, value: new ByteWriter().uint(amount, 32).finish() };
}

export class ContractChain {
  readonly store: LedgerStore & Pick<MemoryLedgerStore, "contractEntries">;
  readonly config: LedgerConfig;
  #nullifier = 1n;
  #commitment = 1n;

  /** `store`: another ledger store (the replica's SQLite one), already past genesis or empty. */
  constructor(
    config: Partial<LedgerConfig> = {},
    store: LedgerStore & Pick<MemoryLedgerStore, "contractEntries"> = new MemoryLedgerStore(emptyLedgerMeta()),
  ) {
    this.store = store;
    this.config = {
      chainId: CHAIN,
      anchorWindow: 100,
      minFee: MIN_FEE,
      contracts: DEFAULT_CONTRACT_PARAMS,
      verifier: { verify: async (items) => items.map((i) => i.proof.every((b) => b === 1)) },
      ...config,
    };
  }

  /** Executes the next block; `randomness`: the SE-Random beacon its contracts read (0x5e0a). */
  async apply(transactions: readonly Uint8Array[], randomness?: Randomness): Promise<BlockResult> {
    const height = this.store.meta().height + 1;
    const block: Block = randomness === undefined ? { height, transactions } : { height, transactions, randomness };
    const result = await executeBlock(this.store, block, this.config);
    this.store.commit(result.changes);
    return result;
  }

  /** Block 0: a SERO supply, so fees and values have something to come from. */
  async genesis(supply = 10n ** 30n): Promise<void> {
    const base = sampleGenesis();
    const output = {
      ...(base.outputs[0] as GenesisTx["outputs"][number]),
      value: new ByteWriter().uint(supply, 32).finish(),
    };
    await this.apply([encodeTransaction({ ...base, outputs: [output] })]);
  }

  anchor(): Fr {
    return IncrementalTree.decode(this.store.meta().frontier).root();
  }

  /** A signed deploy or call paying `fee`, bringing `value` through an opened output (§10.3). */
  contractTx(
    caller: TestCaller,
    target: { kind: "deploy"; initCode: Uint8Array } | { kind: "call"; contract: Uint8Array; calldata: Uint8Array },
    options: { value?: PublicValue; gasLimit?: bigint; fee?: bigint; opening?: Partial<PublicValue> } = {},
  ): ContractTx {
    const gasLimit = options.gasLimit ?? 2_000_000n;
    const fee = options.fee ?? MIN_FEE + gasLimit * this.config.contracts.gasPrice;
    const rcm = randomFr(new ByteWriter().uint(this.#commitment, 32).finish());
    const outputs: TransferOutput[] = samplePayment().outputs.map((o) => ({
      ...o,
      commitment: (this.#commitment++ * 7919n) as Fr,
    }));
    const last = outputs.length - 1;
    const value = options.value ? { output: last, ...options.value, ...options.opening, rcm } : null;
    if (options.value) {
      outputs[last] = { ...(outputs[last] as TransferOutput), commitment: openedCommitment(options.value, rcm) };
    }
    const body = {
      caller: { pkr: caller.pkr, key: caller.key },
      gasLimit,
      value,
      epk: sampleEpk(`epk:${this.#commitment}`),
      payment: {
        anchor: this.anchor(),
        nullifiers: [this.#nullifier++ as Fr, this.#nullifier++ as Fr],
        fee,
        outputs,
        proof: FAKE_PROOF,
      },
      signature: new Uint8Array(64),
    };
    const tx: ContractTx =
      target.kind === "deploy"
        ? { kind: "deploy", initCode: target.initCode, ...body }
        : { kind: "call", contract: target.contract, calldata: target.calldata, ...body };
    return signTransaction(tx, this.config.chainId, caller.secret);
  }

  /** Deploys `artifact` with constructor `args` in a block of its own. */
  async deploy(caller: TestCaller, artifact: ContractArtifact, args: readonly unknown[] = []) {
    const initCode = fromHex(
      encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args: args as never }).slice(2),
    ) as Uint8Array;
    const result = await this.apply([encodeTransaction(this.contractTx(caller, { kind: "deploy", initCode }))]);
    const receipt = result.receipts[0] as Receipt;
    const outcome = receipt.status === "committed" ? receipt.outcome : undefined;
    if (outcome?.code !== "ok" || outcome.contract === null) {
      throw new Error(`deploy failed: ${JSON.stringify(receipt, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`);
    }
    return { address: outcome.contract, result };
  }
}

/** Calldata for `fn(args)` of `abi`. */
export function calldata(abi: Abi, functionName: string, args: readonly unknown[] = []): Uint8Array {
  return fromHex(encodeFunctionData({ abi, functionName, args } as never).slice(2)) as Uint8Array;
}

export function decodeResult(abi: Abi, functionName: string, data: Uint8Array): unknown {
  return decodeFunctionResult({ abi, functionName, data: `0x${toHex(data)}` } as never);
}

export { SERO_ASSET_ID };
