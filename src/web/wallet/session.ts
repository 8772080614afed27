/**
 * The browser wallet's engine, run inside its Web Worker (./worker.ts): the
 * CLI's SDK (src/wallet) over a sealed record in IndexedDB (./vault.ts),
 * the node it was served from, and proving artifacts fetched once
 * (./artifacts.ts). Platform-neutral: everything it touches is given.
 * Answers are plain data, already in the units people read, so the page
 * only renders.
 */

import { formatAmount, parseAmount } from "../../cli/amount.ts";
import { AssetBook } from "../../cli/assets.ts";
import { utf8 } from "../../codec/bytes.ts";
import { type AssetValue, SERO_ASSET_ID, SERO_DECIMALS } from "../../protocol/asset.ts";
import { MEMO_BYTES } from "../../protocol/encryption/plaintext.ts";
import { NoteScanner } from "../../protocol/encryption/scan.ts";
import { decodeViewingKey, deriveSpendingKeys, deriveViewingKeys, SEED_BYTES } from "../../protocol/keys.ts";
import { mnemonicToSeed, seedToMnemonic } from "../../protocol/mnemonic.ts";
import { decodeText, textKindOf } from "../../protocol/text.ts";
import type { CircuitShape, ProvingArtifacts } from "../../prover/index.ts";
import {
  type AccountKeys,
  type AccountRecord,
  oneTimeAddressText,
  publicAddressText,
  viewingKeyText,
} from "../../wallet/account.ts";
import type { AccountState } from "../../wallet/account-state.ts";
import { WalletError } from "../../wallet/errors.ts";
import type { KdfParams, KdfProgress } from "../../wallet/keystore/sealed.ts";
import { NodeClient, type NodeStatus } from "../../wallet/node-client.ts";
import { InsufficientFunds, planAll, type Round } from "../../wallet/planner.ts";
import { parseRecipient } from "../../wallet/recipient.ts";
import { plannerNotes, type SendEvent, type SendRequest, send, waitForCommit } from "../../wallet/send.ts";
import { startAccountState } from "../../wallet/start.ts";
import { type SyncProgress, type SyncResult, syncAccount } from "../../wallet/sync.ts";
import { shapeFor } from "../../wallet/transfer.ts";
import { Wallet } from "../../wallet/wallet.ts";
import { type ArtifactCache, type ArtifactIndex, loadArtifact, parseArtifactIndex } from "./artifacts.ts";
import { type ByteStore, SealedRecord } from "./vault.ts";

/** What the engine needs from its surroundings. */
export type SessionDeps = {
  readonly store: ByteStore;
  /** The node's origin: the page's own; the wallet talks to no other host. */
  readonly origin: string;
  readonly fetch: typeof fetch;
  readonly cache: ArtifactCache;
  /** Tests lower the scrypt cost; the browser uses the CLI's default. */
  readonly kdf?: KdfParams;
  readonly onKdf?: KdfProgress;
};

export type NewAccount =
  | { readonly kind: "new" }
  | { readonly kind: "mnemonic"; readonly words: string }
  | { readonly kind: "viewing_key"; readonly text: string };

export type BalanceRow = {
  readonly asset: string;
  readonly kind: "token" | "ticket";
  readonly label: string;
  readonly spendable: string;
  readonly locked: string;
  readonly incoming: string;
};

export type HistoryRow = {
  readonly txId: string;
  readonly height: number;
  readonly lines: readonly string[];
  readonly memos: readonly string[];
};

export type WalletView = {
  readonly account: string;
  readonly watchOnly: boolean;
  readonly address: string;
  readonly chainId: string;
  readonly syncedHeight: number;
  readonly balances: readonly BalanceRow[];
  readonly history: readonly HistoryRow[];
};

export type SendForm = { readonly to: string; readonly asset: string; readonly amount: string; readonly memo: string };

export type PlanView = {
  readonly description: string;
  readonly rounds: readonly (readonly string[])[];
  readonly transactions: number;
  readonly merges: number;
  readonly feeEach: string;
  readonly totalFee: string;
};

const ACCOUNT = "main";
const memoText = (memo: Uint8Array) => new TextDecoder().decode(memo);

export class BrowserSession {
  readonly #deps: SessionDeps;
  readonly #record: SealedRecord;
  readonly #wallet: Wallet;
  readonly #account: { record: AccountRecord; keys: AccountKeys };
  readonly #client: NodeClient;
  readonly #status: NodeStatus;
  readonly #state: AccountState;
  readonly #scanner: NoteScanner;
  #artifacts: Promise<ArtifactIndex> | undefined;

  private constructor(
    deps: SessionDeps,
    record: SealedRecord,
    wallet: Wallet,
    client: NodeClient,
    status: NodeStatus,
    state: AccountState,
    scanner: NoteScanner,
  ) {
    this.#deps = deps;
    this.#record = record;
    this.#wallet = wallet;
    this.#account = wallet.account(ACCOUNT);
    this.#client = client;
    this.#status = status;
    this.#state = state;
    this.#scanner = scanner;
  }

  /** A new wallet holding one account; answers the 24 words of a new seed once. */
  static async create(
    deps: SessionDeps,
    passphrase: string,
    account: NewAccount,
  ): Promise<{ session: BrowserSession; mnemonic?: string }> {
    const client = clientOf(deps);
    const status = await client.status();
    const { record: accountRecord, mnemonic } = newAccount(account, status);
    const record = await SealedRecord.create(deps.store, passphrase, Wallet.emptyPayload(), deps.kdf, deps.onKdf);
    const wallet = Wallet.load(record);
    wallet.add(accountRecord);
    await wallet.save();
    const session = await BrowserSession.#open(deps, record, wallet, client, status);
    return mnemonic === undefined ? { session } : { session, mnemonic };
  }

  /** Unlocks the wallet this browser holds. */
  static async unlock(deps: SessionDeps, passphrase: string): Promise<BrowserSession> {
    const record = await SealedRecord.open(deps.store, passphrase, deps.onKdf);
    const client = clientOf(deps);
    return BrowserSession.#open(deps, record, Wallet.load(record), client, await client.status());
  }

  static async #open(deps: SessionDeps, record: SealedRecord, wallet: Wallet, client: NodeClient, status: NodeStatus) {
    const { record: account, keys } = wallet.account(ACCOUNT);
    let state = wallet.state(account.name, status.chainId);
    if (!state) {
      state = await startAccountState(client, keys.viewing, account.birthday);
      wallet.setState(account.name, status.chainId, state);
      await wallet.save();
    }
    const scanner = await NoteScanner.create(keys.viewing);
    return new BrowserSession(deps, record, wallet, client, status, state, scanner);
  }

  get syncedHeight(): number {
    return this.#state.syncedHeight;
  }

  /** Scans to the tip, saving after every page (resumes where a reload stopped it). */
  sync(onProgress: (p: SyncProgress) => void, signal?: AbortSignal): Promise<SyncResult> {
    return syncAccount(this.#state, this.#client, this.#scanner, {
      save: () => this.#wallet.save(),
      onProgress,
      signal,
    });
  }

  async view(): Promise<WalletView> {
    const book = await AssetBook.load(this.#client);
    const { record, keys } = this.#account;
    const balances = [...this.#state.balances()].map(([asset, b]): BalanceRow => {
      const amount = (x: bigint) =>
        b.value.kind === "token" ? formatAmount(x, book.nameOf(b.value.asset).decimals) : x.toString();
      const label = b.value.kind === "token" ? book.nameOf(b.value.asset).symbol : book.describe(b.value);
      return {
        asset,
        kind: b.value.kind,
        label,
        spendable: amount(b.spendable),
        locked: amount(b.locked),
        incoming: amount(b.incoming),
      };
    });
    const history = this.#state.history.map((h): HistoryRow => {
      const say = (v: AssetValue) => book.describe(v);
      const lines = [
        ...h.received.map((r) => `received ${say(r.value)}`),
        ...h.sent.map((s) => `sent ${say(s.value)} to ${s.recipient}`),
        ...h.payouts.map((p) => `contract paid ${say(p.value)}`),
        ...(h.fee > 0n ? [`fee ${say({ kind: "token", asset: SERO_ASSET_ID, amount: h.fee })}`] : []),
      ];
      const memos = [...h.received, ...h.sent].map((x) => memoText(x.memo)).filter((m) => m !== "");
      return { txId: h.txId, height: h.height, lines: lines.length > 0 ? lines : [h.kind ?? "own transfer"], memos };
    });
    return {
      account: record.name,
      watchOnly: keys.spending === undefined,
      address: publicAddressText(keys),
      chainId: this.#status.chainId,
      syncedHeight: this.#state.syncedHeight,
      balances,
      history: history.reverse(),
    };
  }

  /** A fresh one-time address: a random index, so two payers' addresses cannot be linked. */
  oneTimeAddress(): string {
    return oneTimeAddressText(this.#account.keys, crypto.getRandomValues(new Uint32Array(1))[0] ?? 0);
  }

  /** The viewing key, for a watch-only copy elsewhere: it reveals every payment of the account, spends nothing. */
  viewingKey(): string {
    return viewingKeyText(this.#account.keys);
  }

  async #request(form: SendForm): Promise<SendRequest> {
    const book = await AssetBook.load(this.#client);
    const token = book.token(form.asset.trim() === "" ? "SERO" : form.asset.trim());
    const amount = parseAmount(form.amount, token.decimals, "the amount");
    if (amount === 0n) {
      throw new WalletError("bad_amount", "the amount must be more than 0");
    }
    const memo = utf8(form.memo);
    if (memo.length > MEMO_BYTES) {
      throw new WalletError("memo_too_long", `the memo is at most ${MEMO_BYTES} bytes`);
    }
    const to = parseRecipient(form.to.trim());
    return { to, value: { kind: "token", asset: token.id, amount }, memo, fee: this.#status.minFee };
  }

  #plan(request: SendRequest, book: AssetBook): Round[] {
    try {
      return planAll(plannerNotes(this.#state), request.value, request.fee);
    } catch (e) {
      if (e instanceof InsufficientFunds) {
        const say = (amount: bigint) => book.describe({ kind: "token", asset: e.asset, amount });
        throw new WalletError(
          e.code,
          `not enough: this needs ${say(e.needed)} with fees, the account can spend ${say(e.spendable)}`,
        );
      }
      throw e;
    }
  }

  /** What a send will do, before anything is proved. */
  async plan(form: SendForm): Promise<PlanView> {
    const request = await this.#request(form);
    const book = await AssetBook.load(this.#client);
    const rounds = this.#plan(request, book);
    const txs = rounds.flatMap((r) => r.txs);
    const sero = (amount: bigint) => book.describe({ kind: "token", asset: SERO_ASSET_ID, amount });
    return {
      description: `send ${book.describe(request.value)}`,
      rounds: rounds.map((r) => r.txs.map((t) => t.purpose)),
      transactions: txs.length,
      merges: txs.filter((t) => t.purpose === "merge").length,
      feeEach: sero(request.fee),
      totalFee: sero(request.fee * BigInt(txs.length)),
    };
  }

  /** Plans, fetches the proving files it needs (once), proves, submits, and waits for the commit. */
  async send(form: SendForm, onEvent: (e: SendEvent) => void, onBytes: (r: number, t: number) => void) {
    const keys = this.#account.keys.spending;
    if (!keys) {
      throw new WalletError("watch_only", "this account is watch-only: it cannot send");
    }
    const request = await this.#request(form);
    const rounds = this.#plan(request, await AssetBook.load(this.#client));
    const shapes = new Set(rounds.flatMap((r) => r.txs.map((t) => shapeFor(t.spends.length, 2))));
    const loaded = new Map<string, ProvingArtifacts>();
    for (const shape of shapes) {
      loaded.set(shape.name, await this.#loadShape(shape, onBytes));
    }
    return send(
      {
        chainId: this.#status.chainId,
        state: this.#state,
        keys,
        client: this.#client,
        artifacts: (shape: CircuitShape) => {
          const a = loaded.get(shape.name);
          if (!a) {
            throw new WalletError("artifact_unavailable", `no proving files loaded for ${shape.name}`);
          }
          return a;
        },
        anchorWindow: this.#status.anchorWindow,
        save: () => this.#wallet.save(),
        sync: async () => {
          await this.sync(() => {});
        },
        onEvent,
      },
      request,
      true,
    );
  }

  async #loadShape(shape: CircuitShape, onBytes: (r: number, t: number) => void): Promise<ProvingArtifacts> {
    const base = `${this.#deps.origin}/wallet/artifacts/`;
    this.#artifacts ??= this.#deps
      .fetch(`${base}index.json`)
      .then((r) => r.json())
      .then(parseArtifactIndex)
      .catch((e: unknown) => {
        this.#artifacts = undefined; // the next send asks again
        throw e;
      });
    const files = (await this.#artifacts).circuits[shape.name];
    if (!files) {
      throw new WalletError("artifact_unavailable", `the node serves no proving files for ${shape.name}`);
    }
    const options = { fetch: this.#deps.fetch, cache: this.#deps.cache, onBytes };
    return { wasm: await loadArtifact(files.wasm, base, options), zkey: await loadArtifact(files.zkey, base, options) };
  }

  /** Whether the node offers a faucet (test chains: the node forwards /v1/faucet to the faucet beside it). */
  async faucetAvailable(): Promise<boolean> {
    const r = await this.#deps.fetch(`${this.#deps.origin}/v1/faucet`).catch(() => undefined);
    return r?.ok === true;
  }

  /** Asks the faucet to pay a fresh one-time address, waits for the commit and syncs. */
  async faucet(onProgress: (p: SyncProgress) => void): Promise<string> {
    const response = await this.#deps.fetch(`${this.#deps.origin}/v1/faucet`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ to: this.oneTimeAddress() }),
    });
    const body = (await response.json().catch(() => undefined)) as
      | { txId?: unknown; amount?: unknown; error?: { code?: unknown; message?: unknown } }
      | undefined;
    if (!response.ok || typeof body?.txId !== "string" || !/^[0-9a-f]{64}$/.test(body.txId)) {
      const code = typeof body?.error?.code === "string" ? body.error.code : "faucet_failed";
      const message = typeof body?.error?.message === "string" ? body.error.message : `status ${response.status}`;
      throw new WalletError(code, `the faucet refused: ${message}`);
    }
    await waitForCommit(this.#client, [body.txId]);
    await this.sync(onProgress);
    const amount = typeof body.amount === "string" && /^\d+$/.test(body.amount) ? BigInt(body.amount) : 0n;
    return `received ${formatAmount(amount, SERO_DECIMALS)} SERO from the faucet`;
  }

  lock(): void {
    this.#record.lock();
  }
}

function clientOf(deps: SessionDeps): NodeClient {
  return new NodeClient(deps.origin, { fetch: deps.fetch });
}

function newAccount(account: NewAccount, status: NodeStatus): { record: AccountRecord; mnemonic?: string } {
  switch (account.kind) {
    case "new": {
      const seed = crypto.getRandomValues(new Uint8Array(SEED_BYTES));
      deriveSpendingKeys(seed); // refuses the (negligible) degenerate seed before it is shown
      // Nothing before the chain's next block can be a new account's.
      const birthday = status.height === null ? 0 : status.height + 1;
      return { record: { name: ACCOUNT, secret: { kind: "seed", seed }, birthday }, mnemonic: seedToMnemonic(seed) };
    }
    case "mnemonic": {
      const seed = mnemonicToSeed(account.words.trim().split(/\s+/).join(" "));
      deriveSpendingKeys(seed);
      return { record: { name: ACCOUNT, secret: { kind: "seed", seed }, birthday: 0 } };
    }
    case "viewing_key": {
      const text = account.text.trim();
      if (textKindOf(text) !== "viewingKey") {
        throw new WalletError("wrong_kind", "a viewing key starts with serovk1");
      }
      const viewingKey = decodeText("viewingKey", text);
      deriveViewingKeys(decodeViewingKey(viewingKey));
      return { record: { name: ACCOUNT, secret: { kind: "viewing_key", viewingKey }, birthday: 0 } };
    }
  }
}
