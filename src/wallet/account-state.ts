/**
 * One account's view of the chain, built from compact blocks alone
 * (PROTOCOL.md §5.4, §7.1): the notes it received (found by trial decryption,
 * view tag first), which of them are spent (by nullifier), the paths to spend
 * them (NoteTree), what it sent (outgoing viewing key) and the sends still in
 * flight, the payouts contracts made to it (§10.4) and its own contract
 * transactions (./contract-records.ts). Pure: no network, storage or clock;
 * the sync loop feeds it blocks.
 */
import { toHex } from "../codec/bytes.ts";
import { type AssetValue, committedValue } from "../protocol/asset.ts";
import { decodePoint, encodePoint } from "../protocol/babyjub.ts";
import type { CompactBlock, CompactOutput, CompactPayout, CompactTx } from "../protocol/compact.ts";
import { decodePlaintext, encodePlaintext } from "../protocol/encryption/plaintext.ts";
import type { FoundNote, NoteScanner } from "../protocol/encryption/scan.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import type { ViewingKeys } from "../protocol/keys.ts";
import type { AuthenticationPath } from "../protocol/merkle/marked-tree.ts";
import { rootFromPath } from "../protocol/merkle/marked-tree.ts";
import { type Note, noteCommitment } from "../protocol/note.ts";
import { nullifier } from "../protocol/nullifier.ts";
import { ContractRecords, type RecordJson } from "./contract-records.ts";
import { WalletError } from "./errors.ts";
import { NoteTree } from "./note-tree.ts";
import { payoutNote } from "./payout.ts";
import { fileHex as hex, type ValueJson, valueFromJson, valueToJson } from "./value-json.ts";

export type OwnedNote = {
  readonly position: number;
  readonly note: Note;
  readonly memo: Uint8Array;
  readonly height: number;
  readonly txId: string;
  readonly nullifier: Fr;
  spent: { readonly height: number; readonly txId: string } | undefined;
  /** The wallet's own transaction in flight that spends it. */
  lockedBy: string | undefined;
};

export type HistoryEntry = {
  readonly txId: string;
  readonly height: number;
  readonly kind: string | undefined;
  /** Paid by this account (it spent notes in the transaction), else 0. */
  readonly fee: bigint;
  readonly received: { readonly value: AssetValue; readonly memo: Uint8Array }[];
  /** What the account's own transaction returned to it (change, merged notes, fee notes). */
  readonly change: { readonly value: AssetValue }[];
  readonly spent: { readonly value: AssetValue }[];
  /** Outputs to others (change excluded), recovered with the outgoing viewing key. */
  readonly sent: { readonly value: AssetValue; readonly memo: Uint8Array; readonly recipient: string }[];
  /** Notes a contract paid to the account in this deploy or call (§10.4). */
  readonly payouts: { readonly value: AssetValue }[];
};

/**
 * A transaction this wallet made that the chain has not committed yet. Its
 * fate is read from the compact blocks the wallet syncs anyway, never asked
 * of the node by id: a block spending any of its notes settles it (its
 * nullifiers are on chain), and a block past `expiresAfter` without them
 * means it can no longer commit: a block accepts anchors of the last
 * `anchorWindow` blocks before it (docs/OPERATING.md, the GENESIS document).
 */
export type PendingSend = {
  readonly txId: string;
  readonly positions: readonly number[];
  /** What comes back to the account as change once it commits. */
  readonly change: readonly AssetValue[];
  /** The last block that may still include it (its anchor's height + the anchor window). */
  readonly expiresAfter: number;
};

export type AssetBalance = {
  /** Notes that can be spent now. */
  spendable: bigint;
  /** Notes locked by a send in flight. */
  locked: bigint;
  /** Change of sends in flight, spendable once they commit. */
  incoming: bigint;
  notes: number;
};

const isDust = (value: AssetValue) => value.kind === "token" && value.amount === 0n;

type ScannableTx = CompactTx & { readonly epk: Uint8Array };
const isScannable = (tx: CompactTx): tx is ScannableTx => tx.epk !== null && tx.outputs.length > 0;
const NOTHING_FOUND: readonly FoundNote[] = [];

export class AccountState {
  readonly #keys: ViewingKeys;
  #tree: NoteTree;
  #syncedHeight: number;
  #anchor: Fr | undefined;
  /** Block 0's state root on the chain this state was read from (./chain-check.ts); undefined until known. */
  #genesis: string | undefined;
  /** The first block this state read; undefined in files written before it was kept. */
  readonly #start: number | undefined;
  readonly #notes = new Map<number, OwnedNote>();
  readonly #byNullifier = new Map<Fr, number>();
  readonly #history: HistoryEntry[] = [];
  readonly #pending = new Map<string, PendingSend>();
  /** The one-time address (seror1...) this account paid, by its recipient key (history's `recipient`). */
  readonly #payees = new Map<string, string>();
  readonly contracts: ContractRecords;

  private constructor(
    keys: ViewingKeys,
    tree: NoteTree,
    syncedHeight: number,
    anchor: Fr | undefined,
    chain: { genesis: string | undefined; start: number | undefined },
    contracts = new ContractRecords(),
  ) {
    this.#keys = keys;
    this.contracts = contracts;
    this.#tree = tree;
    this.#syncedHeight = syncedHeight;
    this.#anchor = anchor;
    this.#genesis = chain.genesis;
    this.#start = chain.start;
  }

  /** An account that owns nothing before `birthday`; `tree` is the commitment tree after block birthday - 1. */
  static startingAt(keys: ViewingKeys, birthday: number, tree: NoteTree, anchor: Fr | undefined): AccountState {
    return new AccountState(keys, tree, birthday - 1, anchor, { genesis: undefined, start: birthday });
  }

  /** Block 0's state root (hex) of the chain this state was read from, once known. */
  get genesis(): string | undefined {
    return this.#genesis;
  }

  /** Records the chain's genesis; a state keeps the first one it was given (./chain-check.ts compares). */
  recordGenesis(stateRoot: string): void {
    this.#genesis ??= stateRoot;
  }

  /** The first block this state read (its birthday bucket, or 0), when the file says. */
  get start(): number | undefined {
    return this.#start;
  }

  /** The last block applied (birthday - 1 before the first). */
  get syncedHeight(): number {
    return this.#syncedHeight;
  }

  /** The tree root after the last block applied. */
  get anchor(): Fr | undefined {
    return this.#anchor;
  }

  get notes(): readonly OwnedNote[] {
    return [...this.#notes.values()].sort((a, b) => a.position - b.position);
  }

  get history(): readonly HistoryEntry[] {
    return this.#history;
  }

  get pending(): readonly PendingSend[] {
    return [...this.#pending.values()];
  }

  /** Applies consecutive blocks; trial decryption of all their transactions runs concurrently. */
  async apply(blocks: readonly CompactBlock[], scanner: NoteScanner): Promise<void> {
    const scannable: ScannableTx[] = [];
    for (const block of blocks) {
      for (const tx of block.txs) {
        if (isScannable(tx)) {
          scannable.push(tx);
        }
      }
    }
    const found = await scanner.incomingMany(scannable);
    // Keyed by transaction, never by position: the few that hold notes of this account.
    const incoming = new Map<CompactTx, FoundNote[]>();
    scannable.forEach((tx, i) => {
      const notes = found[i];
      if (notes !== undefined && notes.length > 0) {
        incoming.set(tx, notes);
      }
    });
    for (const block of blocks) {
      if (block.height !== this.#syncedHeight + 1) {
        throw new WalletError("bad_node_response", `expected block ${this.#syncedHeight + 1}, got ${block.height}`);
      }
      const shardRoots = new Map(block.shards.map((s) => [s.index, s.root]));
      for (const tx of block.txs) {
        this.#applyTx(block.height, tx, incoming.get(tx) ?? NOTHING_FOUND, shardRoots, scanner);
      }
      this.#syncedHeight = block.height;
      this.#anchor = block.anchor;
      this.#releaseExpired();
    }
  }

  #applyTx(
    height: number,
    tx: CompactTx,
    found: readonly FoundNote[],
    shardRoots: ReadonlyMap<number, Fr>,
    scanner: NoteScanner,
  ): void {
    // Most transactions are others': their leaves are appended and nothing else happens.
    if (found.length === 0 && tx.payouts.length === 0 && !this.#spendsOwnNote(tx)) {
      for (const output of tx.outputs) {
        this.#appendOutput(output, false, shardRoots);
      }
      return;
    }
    const id = toHex(tx.id);
    const settled = new Set<string>();
    const spent = tx.nullifiers.flatMap((nf) => {
      const position = this.#byNullifier.get(nf);
      const owned = position === undefined ? undefined : this.#notes.get(position);
      if (!owned) {
        return [];
      }
      if (owned.lockedBy !== undefined) {
        settled.add(owned.lockedBy);
      }
      owned.spent = { height, txId: id };
      owned.lockedBy = undefined;
      this.#tree.forget(owned.position);
      return [{ value: owned.note.value }];
    });
    // A send whose note is now spent either committed here or lost that note to
    // another spend of the same account: either way it is over, and any note
    // it locked that this transaction did not spend is free again.
    for (const send of settled) {
      this.release(send);
    }
    const mine = new Map(found.map((f) => [f.index, f]));
    // Only a transaction that spends the account's notes can hold outputs it sent.
    const outgoing = tx.epk !== null && spent.length > 0 ? scanner.outgoing(tx.epk, tx.outputs) : [];
    const own = new Set(outgoing.map((o) => o.index));
    const received: HistoryEntry["received"][number][] = [];
    const change: HistoryEntry["change"][number][] = [];
    tx.outputs.forEach((output, index) => {
      const f = mine.get(index);
      const position = this.#appendOutput(output, f !== undefined, shardRoots);
      if (f) {
        this.#receive({ position, note: f.note, memo: f.memo, height, txId: id }, output.commitment);
        if (own.has(index)) {
          change.push({ value: f.note.value });
        } else {
          received.push({ value: f.note.value, memo: f.memo });
        }
      }
    });
    const payouts = tx.payouts.flatMap((payout) => this.#applyPayout(height, id, payout, shardRoots));
    const sent = outgoing
      .filter((s) => !mine.has(s.index) && !isDust(s.note.value))
      .map((s) => ({ value: s.note.value, memo: s.memo, recipient: toHex(s.recipientKey) }));
    if (spent.length + received.length + sent.length + payouts.length > 0) {
      const fee = spent.length > 0 ? tx.fee : 0n;
      this.#history.push({ txId: id, height, kind: tx.kind, fee, received, change, spent, sent, payouts });
    }
  }

  #spendsOwnNote(tx: CompactTx): boolean {
    return tx.nullifiers.some((nf) => {
      const position = this.#byNullifier.get(nf);
      return position !== undefined && this.#notes.has(position);
    });
  }

  /** Appends an output's leaf where the node says it lies, or refuses the block. */
  #appendOutput(output: CompactOutput, mine: boolean, shardRoots: ReadonlyMap<number, Fr>): number {
    const position = this.#tree.append(output, mine, shardRoots);
    if (position !== output.position) {
      throw new WalletError("tree_mismatch", `the node placed a leaf at ${output.position}, the wallet at ${position}`);
    }
    return position;
  }

  /** A payout's leaf, appended after the transaction's outputs (§10.4); the account's own becomes a note. */
  #applyPayout(
    height: number,
    txId: string,
    payout: CompactPayout,
    shardRoots: ReadonlyMap<number, Fr>,
  ): { value: AssetValue }[] {
    const note = payoutNote(this.#keys, payout);
    const position = this.#tree.append(payout.commitment, note !== undefined, shardRoots);
    if (position !== payout.position) {
      throw new WalletError(
        "tree_mismatch",
        `the node placed a payout at ${payout.position}, the wallet at ${position}`,
      );
    }
    if (!note) {
      return [];
    }
    this.#receive({ position, note, memo: new Uint8Array(), height, txId }, payout.commitment);
    return [{ value: note.value }];
  }

  #receive(found: Pick<OwnedNote, "position" | "note" | "memo" | "height" | "txId">, commitment: Fr): void {
    const nf = nullifier(this.#keys.nk, commitment as never, found.position);
    this.#notes.set(found.position, { ...found, nullifier: nf, spent: undefined, lockedBy: undefined });
    this.#byNullifier.set(nf, found.position);
  }

  /** Notes that can be spent now, oldest first. */
  spendable(): OwnedNote[] {
    return this.notes.filter((n) => !n.spent && !n.lockedBy);
  }

  /** The path of a note to the current anchor, checked against it (a lying node is caught here). */
  pathOf(position: number): { path: AuthenticationPath; anchor: Fr } {
    const anchor = this.#anchor;
    const path = this.#tree.path(position);
    if (anchor === undefined || rootFromPath(path) !== anchor) {
      throw new WalletError("tree_mismatch", "the wallet's tree does not lead to the chain's anchor: resync");
    }
    return { path, anchor };
  }

  /** Checks the wallet's tree against the last anchor (after a sync). */
  checkAnchor(): void {
    if (this.#anchor !== undefined && this.#tree.root() !== this.#anchor) {
      throw new WalletError("tree_mismatch", "the node's shard roots disagree with its anchors: use another node");
    }
  }

  lock(send: PendingSend): void {
    for (const position of send.positions) {
      const note = this.#notes.get(position);
      if (!note || note.spent || note.lockedBy) {
        throw new WalletError("note_unavailable", `note ${position} is not spendable`);
      }
    }
    for (const position of send.positions) {
      (this.#notes.get(position) as OwnedNote).lockedBy = send.txId;
    }
    this.#pending.set(send.txId, send);
  }

  /** A send that is settled or can no longer commit: its notes still locked are spendable again. */
  release(txId: string): void {
    const send = this.#pending.get(txId);
    if (!send) {
      return;
    }
    for (const position of send.positions) {
      const note = this.#notes.get(position);
      if (note?.lockedBy === txId) {
        note.lockedBy = undefined;
      }
    }
    this.#pending.delete(txId);
  }

  #releaseExpired(): void {
    for (const send of this.#pending.values()) {
      // Its last possible block is applied and did not spend its notes (apply runs the block first).
      if (this.#syncedHeight >= send.expiresAfter) {
        this.release(send.txId);
      }
    }
  }

  /** Per asset id (hex): spendable, locked and incoming amounts. */
  balances(): Map<string, AssetBalance & { value: AssetValue }> {
    const out = new Map<string, AssetBalance & { value: AssetValue }>();
    const entry = (value: AssetValue) => {
      const key = toHex(frToBytes(committedValue(value).asset));
      let e = out.get(key);
      if (!e) {
        e = { value, spendable: 0n, locked: 0n, incoming: 0n, notes: 0 };
        out.set(key, e);
      }
      return e;
    };
    for (const n of this.#notes.values()) {
      if (n.spent || isDust(n.note.value)) {
        continue;
      }
      const e = entry(n.note.value);
      const amount = committedValue(n.note.value).amount;
      if (n.lockedBy) {
        e.locked += amount;
      } else {
        e.spendable += amount;
        e.notes++;
      }
    }
    for (const send of this.#pending.values()) {
      for (const value of send.change) {
        entry(value).incoming += committedValue(value).amount;
      }
    }
    return out;
  }

  // ---- persistence (inside the encrypted wallet file) ----

  toJson(): Record<string, unknown> {
    return {
      ...(this.#genesis === undefined ? {} : { genesis: this.#genesis }),
      ...(this.#start === undefined ? {} : { start: this.#start }),
      syncedHeight: this.#syncedHeight,
      anchor: this.#anchor === undefined ? null : toHex(frToBytes(this.#anchor)),
      tree: toHex(this.#tree.encode()),
      notes: this.notes.map((n) => ({
        position: n.position,
        plaintext: toHex(encodePlaintext({ value: n.note.value, g: n.note.g, rcm: n.note.rcm, memo: n.memo })),
        pk: toHex(encodePoint(n.note.pk)),
        height: n.height,
        txId: n.txId,
        spent: n.spent ?? null,
        lockedBy: n.lockedBy ?? null,
      })),
      history: this.#history.map((h) => ({
        ...h,
        fee: h.fee.toString(),
        received: h.received.map((r) => ({ value: valueToJson(r.value), memo: toHex(r.memo) })),
        change: h.change.map((c) => ({ value: valueToJson(c.value) })),
        spent: h.spent.map((s) => ({ value: valueToJson(s.value) })),
        sent: h.sent.map((s) => ({ value: valueToJson(s.value), memo: toHex(s.memo), recipient: s.recipient })),
        payouts: h.payouts.map((p) => ({ value: valueToJson(p.value) })),
      })),
      pending: this.pending.map((p) => ({ ...p, change: p.change.map(valueToJson) })),
      contracts: this.contracts.toJson(),
      payees: Object.fromEntries(this.#payees),
    };
  }

  /**
   * Keeps the address text of a payee, by its recipient key (hex): an outgoing note's ciphertext holds only
   * that key (PROTOCOL.md §5), so history can show the address paid only if the sender kept it.
   */
  rememberPayee(recipientKey: string, address: string): void {
    this.#payees.set(recipientKey, address);
  }

  /** The address paid under `recipientKey`, when this wallet sent it (not after a restore from the seed). */
  payee(recipientKey: string): string | undefined {
    return this.#payees.get(recipientKey);
  }

  static fromJson(keys: ViewingKeys, json: unknown): AccountState {
    try {
      return AccountState.#fromJson(keys, json as StateJson);
    } catch (e) {
      if (e instanceof WalletError) {
        throw e;
      }
      throw new WalletError("bad_wallet_file", `the wallet file's account state is damaged: ${(e as Error).message}`);
    }
  }

  static #fromJson(keys: ViewingKeys, j: StateJson): AccountState {
    const state = new AccountState(
      keys,
      NoteTree.decode(hex(j.tree)),
      j.syncedHeight,
      j.anchor === null ? undefined : frFromBytes(hex(j.anchor)),
      chainFromJson(j),
      ContractRecords.fromJson(j.contracts),
    );
    for (const n of j.notes) {
      const p = decodePlaintext(hex(n.plaintext));
      const note: Note = { value: p.value, g: p.g, pk: decodePoint(hex(n.pk)), rcm: p.rcm };
      const nf = nullifier(keys.nk, noteCommitment(note), n.position);
      state.#notes.set(n.position, {
        position: n.position,
        note,
        memo: p.memo,
        height: n.height,
        txId: n.txId,
        nullifier: nf,
        spent: n.spent ?? undefined,
        lockedBy: n.lockedBy ?? undefined,
      });
      state.#byNullifier.set(nf, n.position);
    }
    for (const h of j.history) {
      state.#history.push({
        ...h,
        fee: BigInt(h.fee),
        received: h.received.map((r) => ({ value: valueFromJson(r.value), memo: hex(r.memo) })),
        change: h.change.map((c) => ({ value: valueFromJson(c.value) })),
        spent: h.spent.map((s) => ({ value: valueFromJson(s.value) })),
        sent: h.sent.map((s) => ({ value: valueFromJson(s.value), memo: hex(s.memo), recipient: s.recipient })),
        // Files written before contracts have no payouts.
        payouts: (h.payouts ?? []).map((p) => ({ value: valueFromJson(p.value) })),
      });
    }
    for (const p of j.pending) {
      state.#pending.set(p.txId, { ...p, change: p.change.map(valueFromJson) });
    }
    for (const [key, address] of Object.entries(j.payees ?? {})) {
      if (!/^[0-9a-f]{64}$/.test(key) || typeof address !== "string" || !address.startsWith("seror1")) {
        throw new WalletError("bad_wallet_file", "the wallet file's payees are damaged");
      }
      state.#payees.set(key, address);
    }
    return state;
  }
}

/** Files written before chain identities have neither field; present ones must be well formed. */
function chainFromJson(j: StateJson): { genesis: string | undefined; start: number | undefined } {
  const { genesis, start } = j;
  if (
    (genesis !== undefined && !/^[0-9a-f]{64}$/.test(genesis)) ||
    (start !== undefined && !(Number.isSafeInteger(start) && start >= 0))
  ) {
    throw new WalletError("bad_wallet_file", "the wallet file's chain identity is damaged");
  }
  return { genesis, start };
}

type StateJson = {
  /** Absent in files written before chain identities (./chain-check.ts). */
  genesis?: string;
  start?: number;
  syncedHeight: number;
  anchor: string | null;
  tree: string;
  notes: {
    position: number;
    plaintext: string;
    pk: string;
    height: number;
    txId: string;
    spent: { height: number; txId: string } | null;
    lockedBy: string | null;
  }[];
  history: (Omit<HistoryEntry, "fee" | "received" | "change" | "spent" | "sent" | "payouts"> & {
    fee: string;
    received: { value: ValueJson; memo: string }[];
    change: { value: ValueJson }[];
    spent: { value: ValueJson }[];
    sent: { value: ValueJson; memo: string; recipient: string }[];
    payouts?: { value: ValueJson }[];
  })[];
  pending: (Omit<PendingSend, "change"> & { change: ValueJson[] })[];
  /** Absent in files written before contracts. */
  contracts?: RecordJson[];
  /** Absent in files written before payees were kept. */
  payees?: Record<string, string>;
};
