/**
 * Deterministic execution of one committed block (the ledger's state
 * transition): identical on every replica, no I/O, no clock. Transactions are
 * applied in block order; an invalid one is rejected with a stable code and
 * changes nothing, the rest of the block still applies. The caller commits the
 * returned change set atomically.
 */

import { bytesToBigintBE, fromHex } from "../codec/bytes.ts";
import type { Randomness } from "../consensus/index.ts";
import { deployedContractAddress } from "../contracts/addresses.ts";
import { decodeContractInfo } from "../contracts/contract-state.ts";
import type { ContractLog, ContractOutcome } from "../contracts/outcome.ts";
import type { ContractParams } from "../contracts/params.ts";
import type { BlockContext } from "../contracts/runtime.ts";
import { runtimeFor } from "../contracts/runtime-cache.ts";
import { CONTRACT_RECORD_PREFIX, StateKey } from "../contracts/state-keys.ts";
import type { ContractHost, PayoutDraft, TxChanges } from "../contracts/tx-state.ts";
import {
  committedValue,
  registeredId,
  SERO_ASSET_ID,
  SERO_DECIMALS,
  SERO_SYMBOL,
  ticketAssetId,
} from "../protocol/asset.ts";
import { payoutCommitment, payoutRcm } from "../protocol/contract-notes.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Fr } from "../protocol/field.ts";
import { SHARD_HEIGHT } from "../protocol/merkle/hash.ts";
import { IncrementalTree } from "../protocol/merkle/tree.ts";
import { type Commitment, commitmentFromSeal, type Seal } from "../protocol/note.ts";
import type { TxId } from "../protocol/tx/hashes.ts";
import { verifyTransactionSignature } from "../protocol/tx/signature.ts";
import type {
  ContractTx,
  GenesisTx,
  IssuedOutput,
  IssueTx,
  RegisterTx,
  ShieldedSpend,
  Transaction,
  TxKindName,
} from "../protocol/tx/types.ts";
import { checkContractTx } from "./contract-checks.ts";
import { type DecodedTx, decodeWithId } from "./decoded-tx.ts";
import { spendProof } from "./spend-proof.ts";
import { extendAssetDigest, extendContractDigest, extendNullifierDigest, stateRoot } from "./state-root.ts";
import type { AssetRecord, LedgerChanges, LedgerReader } from "./store.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

export type Block = {
  readonly height: number;
  readonly transactions: readonly Uint8Array[];
  /** The beacon contracts read at this height (CommittedBlock.randomness); none before SE-Random. */
  readonly randomness?: Randomness;
};

export type LedgerConfig = {
  readonly chainId: string;
  /** A transfer's anchor must be the tree root after one of the last `anchorWindow` blocks. */
  readonly anchorWindow: number;
  /** The least fee, in SERO base units, every transaction after block 0 pays (PROTOCOL.md §8.9). */
  readonly minFee: bigint;
  readonly contracts: ContractParams;
  readonly verifier: ProofVerifier;
};

export type Receipt =
  | {
      readonly txId: TxId;
      readonly index: number;
      readonly kind: TxKindName;
      readonly status: "committed";
      /** A deploy's or call's (PROTOCOL.md §10.6). */
      readonly outcome?: ContractOutcome;
    }
  | {
      readonly txId: TxId;
      readonly index: number;
      readonly kind: TxKindName | undefined;
      readonly status: "rejected";
      readonly code: string;
    };

/**
 * Public effects for indexing (D1) and wallets: positions of new commitments,
 * spent nullifiers, and the root of every shard (§7.1) the block completed.
 */
export type CommittedEffects = {
  readonly commitments: readonly {
    readonly position: number;
    readonly commitment: Commitment;
    readonly txIndex: number;
  }[];
  readonly nullifiers: readonly { readonly nullifier: Fr; readonly txIndex: number }[];
  /** Ascending index; shard i holds positions [i·2^SHARD_HEIGHT, (i+1)·2^SHARD_HEIGHT). */
  readonly shards: readonly { readonly index: number; readonly root: Fr }[];
  readonly fees: bigint;
  /** Notes contracts paid (§10.4), each also among `commitments`. */
  readonly payouts: readonly Payout[];
  /** Events of successful contract calls, in order. */
  readonly logs: readonly (ContractLog & { readonly txIndex: number })[];
  /** Contracts created, by deploys and by contracts (CREATE, CREATE2). */
  readonly contracts: readonly { readonly txIndex: number; readonly address: Uint8Array; readonly evm: Uint8Array }[];
};

export type Payout = PayoutDraft & {
  readonly txIndex: number;
  readonly position: number;
  readonly commitment: Commitment;
  readonly rcm: Fr;
};

export type BlockResult = {
  readonly changes: LedgerChanges;
  readonly receipts: readonly Receipt[];
  readonly effects: CommittedEffects;
};

const U128 = 1n << 128n;

/** SERO is registered by the protocol itself; genesis sets its supply and nothing can issue more. */
const NATIVE_ASSET_BEFORE_GENESIS: AssetRecord = {
  registration: {
    assetKind: "token",
    name: SERO_SYMBOL,
    decimals: SERO_DECIMALS,
    issuer: new Uint8Array(32),
    supply: { kind: "capped", cap: 0n },
  },
  issued: 0n,
  fees: 0n,
  nonce: 0n,
};
const MAX_U64 = (1n << 64n) - 1n;

export async function executeBlock(ledger: LedgerReader, block: Block, config: LedgerConfig): Promise<BlockResult> {
  const before = ledger.meta();
  if (block.height !== before.height + 1) {
    throw new RangeError(`block ${block.height} does not follow ${before.height}`);
  }
  const run = new BlockRun(ledger, { height: block.height, randomness: block.randomness }, config);
  const withIds = block.transactions.map(decodeWithId);
  const decoded = withIds.map((d) => d.tx);
  const proofOk = await verifyProofs(decoded, config);
  const receipts: Receipt[] = [];
  for (const [index, d] of decoded.entries()) {
    const id = (withIds[index] as DecodedTx).id;
    if (d instanceof ProtocolError) {
      receipts.push({ txId: id, index, kind: undefined, status: "rejected", code: d.code });
      continue;
    }
    try {
      const outcome = await run.apply(d, index, id, proofOk.get(index) ?? false);
      receipts.push({ txId: id, index, kind: d.kind, status: "committed", ...(outcome ? { outcome } : {}) });
    } catch (e) {
      if (!(e instanceof ProtocolError)) {
        throw e;
      }
      receipts.push({ txId: id, index, kind: d.kind, status: "rejected", code: e.code });
    }
  }
  return { ...run.finish(), receipts };
}

/** Verifies the proof of every transaction's shielded spend (§8.9) in one batch, before sequential application. */
async function verifyProofs(
  txs: readonly (Transaction | ProtocolError)[],
  config: LedgerConfig,
): Promise<Map<number, boolean>> {
  const indices: number[] = [];
  const items: ProofToVerify[] = [];
  for (const [index, tx] of txs.entries()) {
    if (tx instanceof ProtocolError || tx.kind === "genesis") {
      continue;
    }
    indices.push(index);
    items.push(spendProof(tx, config.chainId));
  }
  const verdicts = items.length ? await config.verifier.verify(items) : [];
  if (verdicts.length !== items.length) {
    throw new Error(`the proof verifier answered ${verdicts.length} verdicts for ${items.length} proofs`);
  }
  return new Map(indices.map((index, i) => [index, verdicts[i] === true]));
}

/** The mutable state of one block's execution, over the read-only ledger. */
class BlockRun {
  readonly #ledger: LedgerReader;
  readonly #height: number;
  readonly #block: BlockContext;
  readonly #config: LedgerConfig;
  readonly #tree: IncrementalTree;
  readonly #spent = new Set<Fr>();
  readonly #assets = new Map<Fr, AssetRecord>();
  readonly #tickets = new Set<Fr>();
  readonly #commitments: CommittedEffects["commitments"][number][] = [];
  readonly #nullifiers: CommittedEffects["nullifiers"][number][] = [];
  readonly #shards: CommittedEffects["shards"][number][] = [];
  readonly #contracts = new Map<string, Uint8Array | null>();
  readonly #payouts: Payout[] = [];
  readonly #logs: CommittedEffects["logs"][number][] = [];
  readonly #created: CommittedEffects["contracts"][number][] = [];
  #nullifierDigest: Uint8Array;
  #assetDigest: Uint8Array;
  #contractDigest: Uint8Array;
  #fees = 0n;
  /** Gas declared by the block's contract transactions so far (§10.1). */
  #gas = 0n;

  constructor(ledger: LedgerReader, block: BlockContext, config: LedgerConfig) {
    const meta = ledger.meta();
    this.#ledger = ledger;
    this.#height = block.height;
    this.#block = block;
    this.#config = config;
    this.#tree = IncrementalTree.decode(meta.frontier);
    this.#nullifierDigest = meta.nullifierDigest;
    this.#assetDigest = meta.assetDigest;
    this.#contractDigest = meta.contractDigest;
  }

  /** Applies one transaction, or throws the ProtocolError that rejects it having changed nothing. */
  async apply(tx: Transaction, index: number, id: TxId, proofValid: boolean): Promise<ContractOutcome | undefined> {
    if (tx.kind !== "genesis" && this.#height === 0) {
      throw new ProtocolError("genesis_only", "block 0 holds only the genesis allocation");
    }
    switch (tx.kind) {
      case "transfer":
        this.#checkSpend(tx, proofValid, 0);
        this.#commitSpend(tx, index);
        break;
      case "register":
        this.#register(tx, index, proofValid);
        break;
      case "issue":
        this.#issue(tx, index, proofValid);
        break;
      case "genesis":
        this.#genesis(tx, index);
        break;
      case "deploy":
      case "call":
        return this.#contract(tx, index, id, proofValid);
    }
    return undefined;
  }

  /**
   * A deploy or call (§10): every check of the transaction and its payment,
   * then the EVM; the fee is charged whatever the EVM does, and a failed
   * call's value goes back to the caller as a payout (§10.6).
   */
  async #contract(tx: ContractTx, index: number, id: TxId, proofValid: boolean): Promise<ContractOutcome> {
    const params = this.#config.contracts;
    verifyTransactionSignature(tx, this.#config.chainId, tx.caller.key);
    checkContractTx(tx, this.#config.minFee, params, {
      asset: (asset) => this.#asset(asset),
      hasTicket: (asset) => this.#hasTicket(asset),
    });
    if (this.#gas + tx.gasLimit > params.blockGasLimit) {
      throw new ProtocolError("block_gas_exhausted", "the block's gas is used up: submit it again");
    }
    this.#checkSpend(tx.payment, proofValid, 0);
    const contract = tx.kind === "deploy" ? deployedContractAddress(id, tx.payment.nullifiers[0] as Fr) : tx.contract;
    const run = await runtimeFor(this.#config.chainId, params, "blocks").execute(
      this.#host(),
      {
        kind: tx.kind,
        caller: tx.caller,
        contract,
        data: tx.kind === "deploy" ? tx.initCode : tx.calldata,
        gasLimit: tx.gasLimit,
        value: tx.value,
      },
      this.#block,
    );
    const leaves = tx.payment.outputs.length - (tx.value ? 1 : 0) + run.changes.payouts.length;
    if (this.#tree.size + leaves > 2 ** this.#tree.depth) {
      throw new ProtocolError("tree_full", "tree full");
    }
    this.#gas += tx.gasLimit;
    this.#commitSpend(tx.payment, index, tx.value?.output);
    this.#applyContractChanges(run.changes, index, id);
    for (const log of run.outcome.logs) {
      this.#logs.push({ ...log, txIndex: index });
    }
    return run.outcome;
  }

  /** What the EVM reads: this block's pending changes over the ledger. */
  #host(): ContractHost {
    return {
      contractValue: (key) => {
        const pending = this.#contracts.get(key);
        return pending === undefined ? this.#ledger.contractValue(key) : (pending ?? undefined);
      },
      asset: (id) => this.#asset(id),
      hasTicket: (asset) => this.#hasTicket(asset),
    };
  }

  #hasTicket(asset: Fr): boolean {
    return this.#tickets.has(asset) || this.#ledger.hasTicket(asset);
  }

  #applyContractChanges(changes: TxChanges, index: number, id: TxId): void {
    for (const [key, value] of changes.entries) {
      this.#contracts.set(key, value);
      this.#contractDigest = extendContractDigest(this.#contractDigest, key, value);
      if (value !== null && key.startsWith(CONTRACT_RECORD_PREFIX)) {
        const evm = fromHex(key.slice(CONTRACT_RECORD_PREFIX.length)) as Uint8Array;
        this.#created.push({ txIndex: index, address: decodeContractInfo(value).address, evm });
      }
    }
    for (const [asset, record] of changes.assets) {
      this.#putAsset(asset, record);
    }
    for (const ticket of changes.tickets) {
      this.#tickets.add(ticket);
    }
    for (const [k, draft] of changes.payouts.entries()) {
      const rcm = payoutRcm(id, k);
      const commitment = payoutCommitment(draft.pkr, draft, rcm);
      const position = this.#appendCommitment(commitment, index);
      this.#payouts.push({ ...draft, txIndex: index, position, commitment, rcm });
    }
  }

  /**
   * Every check of a shielded spend (§8.2, §8.9) before anything changes, so a
   * registration or issuance whose own checks fail afterwards spends nothing.
   * `moreLeaves` is what the enclosing transaction appends besides the spend's outputs.
   */
  #checkSpend(spend: ShieldedSpend, proofValid: boolean, moreLeaves: number): void {
    if (spend.fee < this.#config.minFee) {
      throw new ProtocolError(
        "fee_too_low",
        `every transaction pays at least ${this.#config.minFee} base units of SERO`,
      );
    }
    const anchorHeight = this.#ledger.anchorHeight(spend.anchor);
    if (anchorHeight === undefined || anchorHeight <= this.#height - 1 - this.#config.anchorWindow) {
      throw new ProtocolError("unknown_anchor", "the anchor is not a recent tree root");
    }
    for (const nf of spend.nullifiers) {
      if (this.#spent.has(nf) || this.#ledger.nullifierHeight(nf) !== undefined) {
        throw new ProtocolError("nullifier_spent", "a nullifier was already spent");
      }
    }
    if (!proofValid) {
      throw new ProtocolError("invalid_proof", "the proof does not verify");
    }
    const sero = this.#asset(SERO_ASSET_ID) as AssetRecord;
    // Turnstile (PROTOCOL.md §7): fees can never exceed what was ever created.
    if (sero.fees + spend.fee > sero.issued) {
      throw new ProtocolError("supply_exceeded", "fees exceed the SERO supply");
    }
    if (this.#tree.size + spend.outputs.length + moreLeaves > 2 ** this.#tree.depth) {
      throw new ProtocolError("tree_full", "tree full");
    }
  }

  /** `opened`: the output a contract transaction opens (§10.3), credited to the contract instead of appended. */
  #commitSpend(spend: ShieldedSpend, index: number, opened?: number): void {
    for (const nf of spend.nullifiers) {
      this.#spent.add(nf);
      this.#nullifiers.push({ nullifier: nf, txIndex: index });
      this.#nullifierDigest = extendNullifierDigest(this.#nullifierDigest, nf);
    }
    for (const [j, o] of spend.outputs.entries()) {
      if (j !== opened) {
        this.#appendCommitment(o.commitment as Commitment, index);
      }
    }
    if (spend.fee > 0n) {
      const sero = this.#asset(SERO_ASSET_ID) as AssetRecord;
      this.#putAsset(SERO_ASSET_ID, { ...sero, fees: sero.fees + spend.fee });
      this.#fees += spend.fee;
    }
  }

  #register(tx: RegisterTx, index: number, proofValid: boolean): void {
    verifyTransactionSignature(tx, this.#config.chainId, tx.registration.issuer);
    const id = registeredId(tx.registration);
    if (this.#asset(id)) {
      throw new ProtocolError("asset_exists", `${tx.registration.name} is already registered`);
    }
    this.#checkSpend(tx.payment, proofValid, 0);
    this.#commitSpend(tx.payment, index);
    this.#putAsset(id, { registration: tx.registration, issued: 0n, fees: 0n, nonce: 0n });
  }

  #issue(tx: IssueTx, index: number, proofValid: boolean): void {
    const record = this.#asset(tx.assetRef);
    if (!record || record.registration.assetKind !== tx.assetKind) {
      throw new ProtocolError("unknown_asset", "no such asset");
    }
    if (tx.assetRef === SERO_ASSET_ID) {
      throw new ProtocolError("native_asset", "SERO is only created at genesis");
    }
    if (this.#host().contractValue(StateKey.issuer(tx.assetRef)) !== undefined) {
      throw new ProtocolError("contract_asset", "a contract issues this asset, through the EVM only (§10.5)");
    }
    verifyTransactionSignature(tx, this.#config.chainId, record.registration.issuer);
    if (tx.nonce !== record.nonce || record.nonce === MAX_U64) {
      throw new ProtocolError("bad_nonce", `expected nonce ${record.nonce}`);
    }
    const created = this.#issuedOutputs(tx);
    const issued = record.issued + created;
    const cap = record.registration.supply.kind === "capped" ? record.registration.supply.cap : U128 - 1n;
    if (issued > cap) {
      throw new ProtocolError("supply_exceeded", "issuance exceeds the supply rule");
    }
    this.#checkSpend(tx.payment, proofValid, tx.outputs.length);
    // The payment's outputs first: the order of the compact block (§9).
    this.#commitSpend(tx.payment, index);
    this.#commitIssued(tx, index);
    this.#putAsset(tx.assetRef, { ...record, issued, nonce: record.nonce + 1n });
  }

  #genesis(tx: GenesisTx, index: number): void {
    if (this.#height !== 0) {
      throw new ProtocolError("genesis_only", "a genesis allocation is valid only in block 0");
    }
    const sero = this.#asset(SERO_ASSET_ID) as AssetRecord;
    let total = sero.issued;
    for (const o of tx.outputs) {
      total += bytesToBigintBE(o.value);
    }
    if (total >= U128) {
      throw new ProtocolError("supply_exceeded", "genesis supply exceeds 2^128");
    }
    for (const o of tx.outputs) {
      this.#appendCommitment(commitmentFromSeal(SERO_ASSET_ID, bytesToBigintBE(o.value), o.seal as Seal), index);
    }
    this.#putAsset(SERO_ASSET_ID, { ...sero, issued: total });
  }

  /** Checks issued outputs; returns the amount (tokens) or count (tickets) they create. */
  #issuedOutputs(tx: IssueTx): bigint {
    if (tx.assetKind === "token") {
      return tx.outputs.reduce((sum, o) => sum + bytesToBigintBE(o.value), 0n);
    }
    for (const o of tx.outputs) {
      const asset = ticketAssetId(tx.assetRef, o.value);
      if (this.#tickets.has(asset) || this.#ledger.hasTicket(asset)) {
        throw new ProtocolError("ticket_exists", "ticket already issued");
      }
    }
    return BigInt(tx.outputs.length);
  }

  #commitIssued(tx: IssueTx, index: number): void {
    for (const o of tx.outputs) {
      const { asset, amount } = issuedValue(tx, o);
      if (tx.assetKind === "ticket") {
        this.#tickets.add(asset);
      }
      this.#appendCommitment(commitmentFromSeal(asset, amount, o.seal as Seal), index);
    }
  }

  #appendCommitment(commitment: Commitment, txIndex: number): number {
    // The append already hashes every subtree it completes: keep the shard roots for free.
    let shardRoot: Fr | undefined;
    const position = this.#tree.append(commitment, (height, root) => {
      if (height === SHARD_HEIGHT) {
        shardRoot = root;
      }
    });
    this.#commitments.push({ position, commitment, txIndex });
    if (shardRoot !== undefined) {
      // Division, not `>>`: positions reach 2^32, beyond 32-bit bitwise operators.
      this.#shards.push({ index: Math.floor(position / 2 ** SHARD_HEIGHT), root: shardRoot });
    }
    return position;
  }

  #asset(id: Fr): AssetRecord | undefined {
    return (
      this.#assets.get(id) ?? this.#ledger.asset(id) ?? (id === SERO_ASSET_ID ? NATIVE_ASSET_BEFORE_GENESIS : undefined)
    );
  }

  #putAsset(id: Fr, record: AssetRecord): void {
    this.#assets.set(id, record);
    this.#assetDigest = extendAssetDigest(this.#assetDigest, id, record);
  }

  finish(): Omit<BlockResult, "receipts"> {
    const root = this.#tree.root();
    const changes: LedgerChanges = {
      meta: {
        height: this.#height,
        frontier: this.#tree.encode(),
        nullifierDigest: this.#nullifierDigest,
        assetDigest: this.#assetDigest,
        contractDigest: this.#contractDigest,
        stateRoot: stateRoot(
          this.#height,
          root,
          this.#tree.size,
          this.#nullifierDigest,
          this.#assetDigest,
          this.#contractDigest,
        ),
      },
      nullifiers: [...this.#spent],
      anchor: { root, height: this.#height },
      oldestAnchorHeight: this.#height - this.#config.anchorWindow + 1,
      assets: this.#assets,
      tickets: [...this.#tickets],
      contracts: this.#contracts,
    };
    return {
      changes,
      effects: {
        commitments: this.#commitments,
        nullifiers: this.#nullifiers,
        shards: this.#shards,
        fees: this.#fees,
        payouts: this.#payouts,
        logs: this.#logs,
        contracts: this.#created,
      },
    };
  }
}

/** The committed (asset, amount) of an issued output (§8.4). */
export function issuedValue(
  tx: Pick<IssueTx, "assetKind" | "assetRef">,
  o: IssuedOutput,
): { asset: Fr; amount: bigint } {
  return tx.assetKind === "token"
    ? committedValue({ kind: "token", asset: tx.assetRef as never, amount: bytesToBigintBE(o.value) })
    : { asset: ticketAssetId(tx.assetRef, o.value), amount: 1n };
}
