/**
 * The admission index over the consensus request pool (PROTOCOL.md §8.10).
 * The pool in the consensus core is the one transaction pool: it holds the
 * bytes, is relayed and persisted, and the primary batches from it. This
 * index holds what admission needs about each pooled transaction - the notes
 * it spends, the registration or issuance it makes - so a submission is
 * admitted only after `validateBasic`, a paid fee, a recent anchor, no
 * conflict with the ledger or with a pooled transaction, a valid proof, and
 * for registrations and issuances a valid issuer signature (each pays its fee
 * with a proved payment, PROTOCOL.md §8.9).
 * After each block it names the pooled transactions that can no longer
 * commit. Pure: the shell passes the pool, the ledger view and the verifier.
 */
import { bytesEqual, bytesToBigintBE, toHex } from "../codec/bytes.ts";
import { evmAddressOfContract } from "../contracts/addresses.ts";
import type { ContractParams } from "../contracts/params.ts";
import { StateKey } from "../contracts/state-keys.ts";
import { registeredId, SERO_ASSET_ID, ticketAssetId } from "../protocol/asset.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Fr } from "../protocol/field.ts";
import type { TxId } from "../protocol/tx/hashes.ts";
import { verifyTransactionSignature } from "../protocol/tx/signature.ts";
import {
  type ContractTx,
  type IssueTx,
  type PayingTx,
  type RegisterTx,
  type ShieldedSpend,
  shieldedSpendOf,
  type Transaction,
  type TransferTx,
} from "../protocol/tx/types.ts";
import { checkContractTx } from "./contract-checks.ts";
import { decodeWithId } from "./decoded-tx.ts";
import { spendProof } from "./spend-proof.ts";
import type { AssetRecord, LedgerReader } from "./store.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

export type MempoolPolicy = {
  /**
   * The ledger's anchor window: a transaction whose anchor (its own, or its
   * fee payment's) is older is refused at admission and dropped after
   * (PROTOCOL.md §8.10).
   */
  readonly anchorWindow: number;
  /** Transactions paying less are refused early (`fee_too_low`), as execution would (PROTOCOL.md §8.9). */
  readonly minFee: bigint;
  /** Gas limits and price, checked as execution would (PROTOCOL.md §10.1). */
  readonly contracts: ContractParams;
};

export type Admission =
  | { readonly ok: true; readonly id: TxId; readonly duplicate: boolean }
  | {
      readonly ok: false;
      readonly id: TxId;
      readonly code: string;
      readonly message: string;
      /** For a replay: the block that already holds it. */
      readonly height?: number;
    };

export type Refusal = Extract<Admission, { ok: false }>;

/** What the index reads of a consensus pool entry. */
export type Pooled = { readonly request: Uint8Array };

/** A pooled transaction that can no longer commit, and why (a stable code). */
export type Stale = { readonly key: string; readonly id: TxId; readonly reason: string };

/** What the admission checks read. */
export type AdmissionView = {
  readonly ledger: LedgerReader;
  readonly chainId: string;
  readonly verifier: ProofVerifier;
};

type Entry = {
  readonly key: string;
  readonly id: TxId;
  readonly request: Uint8Array;
  /** `undefined`: the bytes do not decode (a peer relayed them); they are dropped after the next block. */
  readonly tx: Transaction | undefined;
};

const refuse = (id: TxId, code: string, message: string): Refusal => ({ ok: false, id, code, message });

/** Tokens or tickets an issuance creates. */
function issuedAmount(tx: IssueTx): bigint {
  return tx.assetKind === "token"
    ? tx.outputs.reduce((sum, o) => sum + bytesToBigintBE(o.value), 0n)
    : BigInt(tx.outputs.length);
}

/** The notes a pooled transaction spends (a transfer's own, or a fee payment's). */
const spentBy = (tx: Transaction | undefined): readonly Fr[] =>
  tx === undefined || tx.kind === "genesis" ? [] : shieldedSpendOf(tx).nullifiers;

/** Why an issuance can no longer commit after the ledger moved, if it cannot. */
function issuanceStaleReason(tx: IssueTx, ledger: LedgerReader): string | undefined {
  const record = ledger.asset(tx.assetRef);
  if (record !== undefined && tx.nonce < record.nonce) {
    return "bad_nonce";
  }
  if (ticketsOf(tx).some((t) => ledger.hasTicket(t))) {
    return "ticket_exists";
  }
  if (record !== undefined && record.issued + issuedAmount(tx) > capOf(record)) {
    return "supply_exceeded";
  }
  return undefined;
}

const ticketsOf = (tx: IssueTx): Fr[] =>
  tx.assetKind === "ticket" ? tx.outputs.map((o) => ticketAssetId(tx.assetRef, o.value)) : [];

function capOf(record: AssetRecord): bigint {
  return record.registration.supply.kind === "capped" ? record.registration.supply.cap : (1n << 128n) - 1n;
}

export class Mempool {
  readonly #policy: MempoolPolicy;
  readonly #entries = new Map<string, Entry>();
  readonly #keyById = new Map<string, string>();
  readonly #pendingNullifiers = new Map<Fr, string>();

  constructor(policy: MempoolPolicy) {
    this.#policy = policy;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether the transaction waits in the pool. */
  has(id: TxId): boolean {
    return this.#keyById.has(toHex(id));
  }

  /**
   * Brings the index in step with the consensus pool: indexes what entered it
   * (a peer's relays included) and forgets what left it, returning those.
   */
  sync(pool: ReadonlyMap<string, Pooled>): { readonly key: string; readonly id: TxId }[] {
    const gone = [...this.#entries.values()].filter((e) => !pool.has(e.key));
    for (const entry of gone) {
      this.#forget(entry);
    }
    for (const [key, pooled] of pool) {
      if (!this.#entries.has(key)) {
        this.record(key, pooled);
      }
    }
    return gone.map(({ key, id }) => ({ key, id }));
  }

  /** Indexes a request the consensus pool holds under `key`. */
  record(key: string, pooled: Pooled): void {
    const decoded = decodeWithId(pooled.request);
    const tx = decoded.tx instanceof ProtocolError ? undefined : decoded.tx;
    const entry: Entry = { key, id: decoded.id, request: pooled.request, tx };
    this.#entries.set(key, entry);
    this.#keyById.set(toHex(entry.id), key);
    for (const nf of spentBy(tx)) {
      this.#pendingNullifiers.set(nf, key);
    }
  }

  #forget(entry: Entry): void {
    this.#entries.delete(entry.key);
    if (this.#keyById.get(toHex(entry.id)) === entry.key) {
      this.#keyById.delete(toHex(entry.id));
    }
    for (const nf of spentBy(entry.tx)) {
      if (this.#pendingNullifiers.get(nf) === entry.key) {
        this.#pendingNullifiers.delete(nf);
      }
    }
  }

  /** Every admission check, the proof included; `recheck` again before the transaction enters the pool. */
  async check(bytes: Uint8Array, view: AdmissionView): Promise<Admission> {
    const [checked] = await this.checkMany([bytes], (b) => b, view);
    return (checked as { admission: Admission }).admission;
  }

  /**
   * `check` for submissions that arrived together, each verdict returned with
   * its item: the stateless and stateful checks one by one, then every proof in
   * one batch verification (about 2.5x cheaper per proof than one at a time).
   */
  async checkMany<T>(
    items: readonly T[],
    bytesOf: (item: T) => Uint8Array,
    view: AdmissionView,
  ): Promise<{ readonly item: T; readonly admission: Admission }[]> {
    const prechecked = items.map((item) => ({ item, ...this.#precheck(bytesOf(item), view) }));
    const withProof = prechecked.filter((p): p is typeof p & { proof: ProofToVerify } => p.proof !== undefined);
    const verdicts = withProof.length > 0 ? await view.verifier.verify(withProof.map((p) => p.proof)) : [];
    if (verdicts.length !== withProof.length) {
      throw new Error(`the verifier answered ${verdicts.length} verdicts for ${withProof.length} proofs`);
    }
    const proven = new Map<(typeof prechecked)[number], boolean>(withProof.map((p, i) => [p, verdicts[i] === true]));
    return prechecked.map((p) => {
      const verdict = proven.get(p);
      if (verdict === undefined) {
        return { item: p.item, admission: p.admission };
      }
      return {
        item: p.item,
        admission: verdict ? p.admission : refuse(p.admission.id, "invalid_proof", "the proof does not verify"),
      };
    });
  }

  /** The verdict, and the proof it still depends on. */
  #precheck(bytes: Uint8Array, view: AdmissionView): { admission: Admission; proof?: ProofToVerify } {
    const { id, tx } = decodeWithId(bytes);
    if (tx instanceof ProtocolError) {
      return { admission: refuse(id, tx.code, tx.message) };
    }
    // The same id under another proof or signature (PROTOCOL.md §8.8) is checked in full, its conflicts
    // with that pooled entry aside, so a forged copy is refused rather than vouched for as a duplicate.
    const pending = this.#entryWithId(id);
    if (pending !== undefined && bytesEqual(pending.request, bytes)) {
      return { admission: { ok: true, id, duplicate: true } };
    }
    const state = this.#stateful(id, tx, view.ledger, pending?.key);
    if (state !== undefined) {
      return { admission: state };
    }
    const admitted: Admission = { ok: true, id, duplicate: false };
    const paying = tx as PayingTx; // genesis was refused by #stateful
    const signature = paying.kind === "transfer" ? undefined : this.#checkSignature(id, paying, view);
    return signature ? { admission: signature } : { admission: admitted, proof: spendProof(paying, view.chainId) };
  }

  /**
   * The checks that depend on the ledger and the pool, for a transaction that
   * passed `check`: repeated just before it enters the pool, since another
   * admission or a block may have come in while its proof was verified.
   * `undefined` when it may enter.
   */
  recheck(bytes: Uint8Array, ledger: LedgerReader): Admission | undefined {
    const { id, tx } = decodeWithId(bytes);
    if (tx instanceof ProtocolError) {
      return refuse(id, tx.code, tx.message);
    }
    // A valid copy of a pooled transaction under another proof is that transaction: a duplicate.
    return this.has(id) ? { ok: true, id, duplicate: true } : this.#stateful(id, tx, ledger);
  }

  #entryWithId(id: TxId): Entry | undefined {
    const key = this.#keyById.get(toHex(id));
    return key === undefined ? undefined : this.#entries.get(key);
  }

  /** `except`: the pooled entry whose conflicts do not count (the same transaction under another proof). */
  #stateful(id: TxId, tx: Transaction, ledger: LedgerReader, except?: string): Admission | undefined {
    switch (tx.kind) {
      case "genesis":
        return refuse(id, "genesis_only", "a genesis allocation cannot be submitted");
      case "register":
        return this.#checkRegistration(id, tx, ledger, except) ?? this.#checkSpend(id, tx.payment, ledger, except);
      case "issue":
        return this.#checkIssuance(id, tx, ledger, except) ?? this.#checkSpend(id, tx.payment, ledger, except);
      case "transfer":
        return this.#checkSpend(id, tx, ledger, except);
      case "deploy":
      case "call":
        return this.#checkContract(id, tx, ledger) ?? this.#checkSpend(id, tx.payment, ledger, except);
    }
  }

  /** §10.1, §10.3; and a call must reach a contract, or its fee would buy nothing. */
  #checkContract(id: TxId, tx: ContractTx, ledger: LedgerReader): Refusal | undefined {
    try {
      checkContractTx(tx, this.#policy.minFee, this.#policy.contracts, ledger);
    } catch (e) {
      if (e instanceof ProtocolError) {
        return refuse(id, e.code, e.message);
      }
      throw e;
    }
    if (
      tx.kind === "call" &&
      ledger.contractValue(StateKey.contract(evmAddressOfContract(tx.contract))) === undefined
    ) {
      return refuse(id, "no_contract", "no contract has this address");
    }
    return undefined;
  }

  /** A transfer, or a registration's or issuance's fee payment (PROTOCOL.md §8.9). */
  #checkSpend(id: TxId, tx: ShieldedSpend, ledger: LedgerReader, except: string | undefined): Refusal | undefined {
    if (tx.fee < this.#policy.minFee) {
      return refuse(id, "fee_too_low", `every transaction pays at least ${this.#policy.minFee} base units of SERO`);
    }
    if (!this.#anchorIsRecent(tx.anchor, ledger)) {
      return refuse(id, "unknown_anchor", "the anchor is not a recent tree root: rebuild the transaction");
    }
    for (const nf of tx.nullifiers) {
      if (ledger.nullifierHeight(nf) !== undefined) {
        return refuse(id, "nullifier_spent", "a note of this transaction is already spent");
      }
      const spender = this.#pendingNullifiers.get(nf);
      if (spender !== undefined && spender !== except) {
        return refuse(id, "nullifier_pending", "a note of this transaction is being spent by a pending transaction");
      }
    }
    return undefined;
  }

  #checkRegistration(id: TxId, tx: RegisterTx, ledger: LedgerReader, except: string | undefined): Refusal | undefined {
    const asset = registeredId(tx.registration);
    if (ledger.asset(asset) !== undefined) {
      return refuse(id, "asset_exists", `${tx.registration.name} is already registered`);
    }
    if (this.#pooled(except).some((p) => p.kind === "register" && registeredId(p.registration) === asset)) {
      return refuse(id, "asset_pending", `a registration of ${tx.registration.name} is pending`);
    }
    return undefined;
  }

  /** PROTOCOL.md §8.5: the next nonce in order after the pooled ones, tickets never issued, within the cap. */
  #checkIssuance(id: TxId, tx: IssueTx, ledger: LedgerReader, except: string | undefined): Refusal | undefined {
    const record = ledger.asset(tx.assetRef);
    if (!record || record.registration.assetKind !== tx.assetKind) {
      return refuse(id, "unknown_asset", "no such asset: register it first");
    }
    if (tx.assetRef === SERO_ASSET_ID) {
      return refuse(id, "native_asset", "SERO is only created at genesis");
    }
    if (ledger.contractValue(StateKey.issuer(tx.assetRef)) !== undefined) {
      return refuse(id, "contract_asset", "a contract issues this asset, through the EVM only");
    }
    // Pooled issuances of this asset that can still commit (stale ones leave after the next block).
    const pooled = this.#pooled(except).filter(
      (p): p is IssueTx => p.kind === "issue" && p.assetRef === tx.assetRef && p.nonce >= record.nonce,
    );
    if (tx.nonce < record.nonce) {
      return refuse(id, "bad_nonce", "this issuance nonce was already used");
    }
    if (pooled.some((p) => p.nonce === tx.nonce)) {
      return refuse(id, "nonce_pending", "an issuance with this nonce is pending");
    }
    if (tx.nonce > record.nonce + BigInt(pooled.length)) {
      return refuse(id, "bad_nonce", `the next issuance nonce is ${record.nonce + BigInt(pooled.length)}`);
    }
    const tickets = ticketsOf(tx);
    if (tickets.some((t) => ledger.hasTicket(t))) {
      return refuse(id, "ticket_exists", "a ticket of this issuance was already issued");
    }
    const pooledTickets = new Set(pooled.flatMap(ticketsOf));
    if (tickets.some((t) => pooledTickets.has(t))) {
      return refuse(id, "ticket_pending", "a ticket of this issuance is being issued by a pending transaction");
    }
    const pending = pooled.reduce((sum, p) => sum + issuedAmount(p), 0n);
    if (record.issued + pending + issuedAmount(tx) > capOf(record)) {
      return refuse(id, "supply_exceeded", "issuance exceeds the supply rule");
    }
    return undefined;
  }

  /** An issuer's signature (§8.6), or a contract caller's (§10.1). */
  #checkSignature(id: TxId, tx: Exclude<PayingTx, TransferTx>, view: AdmissionView): Refusal | undefined {
    const signer =
      tx.kind === "register"
        ? tx.registration.issuer
        : tx.kind === "issue"
          ? view.ledger.asset(tx.assetRef)?.registration.issuer
          : tx.caller.key;
    try {
      verifyTransactionSignature(tx, view.chainId, signer as Uint8Array);
      return undefined;
    } catch (e) {
      if (e instanceof ProtocolError) {
        return refuse(id, e.code, e.message);
      }
      throw e;
    }
  }

  #pooled(except?: string): Transaction[] {
    return [...this.#entries.values()].flatMap((e) => (e.tx && e.key !== except ? [e.tx] : []));
  }

  #anchorIsRecent(anchor: Fr, ledger: LedgerReader): boolean {
    const height = ledger.anchorHeight(anchor);
    return height !== undefined && height > ledger.meta().height - this.#policy.anchorWindow;
  }

  /**
   * After a block: the pooled transactions that can no longer commit
   * (PROTOCOL.md §8.10), for the shell to drop from the pool.
   */
  stale(ledger: LedgerReader): Stale[] {
    const stale: Stale[] = [];
    for (const entry of this.#entries.values()) {
      const reason = entry.tx === undefined ? "malformed" : this.#staleReason(entry.tx, ledger);
      if (reason !== undefined) {
        stale.push({ key: entry.key, id: entry.id, reason });
      }
    }
    return stale;
  }

  /** Every pooled transaction spends notes and names an anchor: it expires with its anchor (PROTOCOL.md §8.9). */
  #staleReason(tx: Transaction, ledger: LedgerReader): string | undefined {
    if (tx.kind === "genesis") {
      return "genesis_only";
    }
    const spend = shieldedSpendOf(tx);
    if (spend.nullifiers.some((nf) => ledger.nullifierHeight(nf) !== undefined)) {
      return "nullifier_spent";
    }
    if (!this.#anchorIsRecent(spend.anchor, ledger)) {
      return "expired";
    }
    if (tx.kind === "register" && ledger.asset(registeredId(tx.registration)) !== undefined) {
      return "asset_exists";
    }
    return tx.kind === "issue" ? issuanceStaleReason(tx, ledger) : undefined;
  }
}
