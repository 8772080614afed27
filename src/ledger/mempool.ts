/**
 * The mempool in front of consensus. A transaction is admitted only after
 * `validateBasic`, a recent anchor, nullifiers neither spent nor pending, and a
 * valid proof (and issuer signature: registrations and issuances pay their fee
 * with a proved payment, PROTOCOL.md §8.8), so what the primary proposes is almost
 * always executable. Bounded in count and bytes; batches take transactions
 * round-robin across submitters so no one source crowds out the others. Pure:
 * the shell passes the ledger view and runs the (async) proof check.
 */
import { toHex } from "../codec/bytes.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Fr } from "../protocol/field.ts";
import { decodeTransaction } from "../protocol/tx/codec.ts";
import { type TxId, txIdOfBytes } from "../protocol/tx/hashes.ts";
import { verifyTransactionSignature } from "../protocol/tx/signature.ts";
import {
  type IssueTx,
  type RegisterTx,
  type ShieldedSpend,
  shieldedSpendOf,
  type Transaction,
} from "../protocol/tx/types.ts";
import { validateBasic } from "../protocol/tx/validate.ts";
import { spendProof } from "./spend-proof.ts";
import type { LedgerReader } from "./store.ts";
import type { ProofToVerify, ProofVerifier } from "./verifier.ts";

export type MempoolLimits = {
  readonly maxTransactions: number;
  readonly maxBytes: number;
  /** The ledger's anchor window: older anchors are refused at admission and dropped after. */
  readonly anchorWindow: number;
  /** Transactions paying less are refused early (`fee_too_low`), as execution would (PROTOCOL.md §8.8). */
  readonly minFee: bigint;
};

export type Admission =
  | { readonly ok: true; readonly id: TxId; readonly duplicate: boolean }
  | { readonly ok: false; readonly id: TxId; readonly code: string; readonly message: string };

type Entry = {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly nullifiers: readonly Fr[];
  readonly anchor: Fr | undefined;
  readonly source: string;
};

const refuse = (id: TxId, code: string, message: string): Admission => ({ ok: false, id, code, message });

/** `undefined` when no check fails; otherwise the refusal. */
function refusal(id: TxId, check: () => void): Admission | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof ProtocolError) {
      return refuse(id, e.code, e.message);
    }
    throw e;
  }
}

export class Mempool {
  readonly #limits: MempoolLimits;
  readonly #entries = new Map<string, Entry>();
  readonly #pendingNullifiers = new Map<Fr, string>();
  #bytes = 0;

  constructor(limits: MempoolLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(id: TxId): boolean {
    return this.#entries.has(toHex(id));
  }

  /** Every admission check, the proof included; `admit` adds the transaction if this passed. */
  async check(bytes: Uint8Array, ledger: LedgerReader, chainId: string, verifier: ProofVerifier): Promise<Admission> {
    const [admission] = await this.checkMany([bytes], ledger, chainId, verifier);
    return admission as Admission;
  }

  /**
   * `check` for submissions that arrived together: the stateless and stateful
   * checks one by one, then every proof in one batch verification (about 2.5x
   * cheaper per proof than one at a time).
   */
  async checkMany(
    submissions: readonly Uint8Array[],
    ledger: LedgerReader,
    chainId: string,
    verifier: ProofVerifier,
  ): Promise<Admission[]> {
    const verdicts: (Admission | ProofToVerify)[] = submissions.map((bytes) => this.#precheck(bytes, ledger, chainId));
    const proofs = verdicts.filter((v): v is ProofToVerify => !("ok" in v));
    const valid = proofs.length > 0 ? await verifier.verify(proofs) : [];
    let next = 0;
    return verdicts.map((v, i) => {
      if ("ok" in v) {
        return v;
      }
      const id = txIdOfBytes(submissions[i] as Uint8Array);
      return valid[next++]
        ? { ok: true, id, duplicate: false }
        : refuse(id, "invalid_proof", "the proof does not verify");
    });
  }

  /** A final admission verdict, or the proof that still has to verify. */
  #precheck(bytes: Uint8Array, ledger: LedgerReader, chainId: string): Admission | ProofToVerify {
    const id = txIdOfBytes(bytes);
    let tx: Transaction | undefined;
    const malformed = refusal(id, () => {
      tx = validateBasic(decodeTransaction(bytes));
    });
    if (malformed || !tx) {
      return malformed as Admission;
    }
    if (this.has(id)) {
      return { ok: true, id, duplicate: true };
    }
    switch (tx.kind) {
      case "genesis":
        return refuse(id, "genesis_only", "a genesis allocation cannot be submitted");
      case "register":
      case "issue":
        return (
          this.#checkIssuer(id, tx, ledger, chainId) ??
          this.#checkSpendState(id, tx.payment, ledger) ??
          spendProof(tx, chainId)
        );
      case "transfer":
        return this.#checkSpendState(id, tx, ledger) ?? spendProof(tx, chainId);
    }
  }

  /** A transfer, or a registration's or issuance's fee payment (PROTOCOL.md §8.8). */
  #checkSpendState(id: TxId, tx: ShieldedSpend, ledger: LedgerReader): Admission | undefined {
    if (tx.fee < this.#limits.minFee) {
      return refuse(id, "fee_too_low", `every transaction pays at least ${this.#limits.minFee} base units of SERO`);
    }
    if (!this.#anchorIsRecent(tx.anchor, ledger)) {
      return refuse(id, "unknown_anchor", "the anchor is not a recent tree root: rebuild the transaction");
    }
    return this.#checkNullifiers(id, tx.nullifiers, ledger);
  }

  #checkNullifiers(id: TxId, nullifiers: readonly Fr[], ledger: LedgerReader): Admission | undefined {
    for (const nf of nullifiers) {
      if (ledger.nullifierHeight(nf) !== undefined) {
        return refuse(id, "nullifier_spent", "a note of this transaction is already spent");
      }
      if (this.#pendingNullifiers.has(nf)) {
        return refuse(id, "nullifier_pending", "a note of this transaction is being spent by a pending transaction");
      }
    }
    return undefined;
  }

  #checkIssuer(id: TxId, tx: RegisterTx | IssueTx, ledger: LedgerReader, chainId: string): Admission | undefined {
    const record = tx.kind === "issue" ? ledger.asset(tx.assetRef) : undefined;
    const issuer = tx.kind === "register" ? tx.registration.issuer : record?.registration.issuer;
    if (!issuer) {
      return refuse(id, "unknown_asset", "no such asset: register it first");
    }
    if (tx.kind === "issue" && tx.nonce < (record?.nonce ?? 0n)) {
      return refuse(id, "bad_nonce", "this issuance nonce was already used");
    }
    return refusal(id, () => verifyTransactionSignature(tx, chainId, issuer));
  }

  #anchorIsRecent(anchor: Fr, ledger: LedgerReader): boolean {
    const height = ledger.anchorHeight(anchor);
    return height !== undefined && height > ledger.meta().height - this.#limits.anchorWindow;
  }

  /**
   * Adds a transaction that passed `check`, re-checking what may have changed
   * while its proof was verified (another admission, a commit) and the bounds.
   */
  admit(bytes: Uint8Array, source: string, ledger: LedgerReader): Admission {
    const id = txIdOfBytes(bytes);
    const key = toHex(id);
    if (this.#entries.has(key)) {
      return { ok: true, id, duplicate: true };
    }
    const tx = decodeTransaction(bytes);
    const spend = tx.kind === "genesis" ? undefined : shieldedSpendOf(tx);
    const nullifiers = spend?.nullifiers ?? [];
    const conflict = this.#checkNullifiers(id, nullifiers, ledger);
    if (conflict) {
      return conflict;
    }
    if (this.#entries.size >= this.#limits.maxTransactions || this.#bytes + bytes.length > this.#limits.maxBytes) {
      return refuse(id, "mempool_full", "the mempool is full: retry later");
    }
    const anchor = spend?.anchor;
    this.#entries.set(key, { key, bytes, nullifiers, anchor, source });
    for (const nf of nullifiers) {
      this.#pendingNullifiers.set(nf, key);
    }
    this.#bytes += bytes.length;
    return { ok: true, id, duplicate: false };
  }

  /** Up to `maxCount` transactions and `maxBytes`, round-robin across sources, oldest first within one. */
  nextBatch(maxCount: number, maxBytes: number): Uint8Array[] {
    const queues = [...Map.groupBy(this.#entries.values(), (e) => e.source).values()];
    const batch: Uint8Array[] = [];
    let bytes = 0;
    for (let round = 0; batch.length < maxCount; round++) {
      let took = false;
      for (const entry of queues.map((q) => q[round])) {
        if (!entry || batch.length >= maxCount || bytes + entry.bytes.length > maxBytes) {
          continue;
        }
        batch.push(entry.bytes);
        bytes += entry.bytes.length;
        took = true;
      }
      if (!took) {
        break;
      }
    }
    return batch;
  }

  /** After a block is applied: drops what it included, and returns what it made invalid (spent notes, expired anchors). */
  removeCommitted(included: readonly TxId[], ledger: LedgerReader): TxId[] {
    for (const id of included) {
      this.#remove(toHex(id));
    }
    const dropped: TxId[] = [];
    for (const entry of [...this.#entries.values()]) {
      const spent = entry.nullifiers.some((nf) => ledger.nullifierHeight(nf) !== undefined);
      const expired = entry.anchor !== undefined && !this.#anchorIsRecent(entry.anchor, ledger);
      if (spent || expired) {
        this.#remove(entry.key);
        dropped.push(txIdOfBytes(entry.bytes));
      }
    }
    return dropped;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) {
      return;
    }
    this.#entries.delete(key);
    for (const nf of entry.nullifiers) {
      this.#pendingNullifiers.delete(nf);
    }
    this.#bytes -= entry.bytes.length;
  }
}
