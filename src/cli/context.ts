/**
 * What commands share: global options, the wallet file (opened on first use,
 * closed at exit), the node client, and an account's state on the node's
 * chain (started near the account's birthday from the node's frontier:
 * ../wallet/start.ts), checked to be of that chain before any use
 * (../wallet/chain-check.ts).
 */
import { NoteScanner } from "../protocol/encryption/scan.ts";
import type { AccountKeys, AccountRecord, PublicAccount } from "../wallet/account.ts";
import type { AccountState } from "../wallet/account-state.ts";
import { checkChain, rescanStart } from "../wallet/chain-check.ts";
import { WalletError } from "../wallet/errors.ts";
import {
  dataDirPath,
  ensureDataDir,
  lockHolder,
  obtainPassphrase,
  type PassphraseOptions,
  passphraseIsTyped,
  SHORT_PASSPHRASE,
  WalletFile,
} from "../wallet/keystore/index.ts";
import { readPublicPart, writePublicPart } from "../wallet/keystore/public-part.ts";
import { nodeKeyAgreement } from "../wallet/node-agreement.ts";
import { NodeClient, type NodeStatus } from "../wallet/node-client.ts";
import { startAccountState } from "../wallet/start.ts";
import { syncAccount } from "../wallet/sync.ts";
import { Wallet, type WalletStore } from "../wallet/wallet.ts";
import { faucetAsNode, isFaucet } from "./faucet-probe.ts";
import { Progress } from "./progress.ts";

export const DEFAULT_NODE = "http://127.0.0.1:8787";
const WALLET_NAME = "sero";
/** Tries at a wrong typed passphrase, as ssh and gpg allow. */
const PASSPHRASE_TRIES = 3;

export type GlobalOptions = {
  readonly node: string;
  readonly walletDir: string | undefined;
  readonly passphraseFile: string | undefined;
  readonly account: string | undefined;
  readonly json: boolean;
};

export type Session = {
  readonly wallet: Wallet;
  readonly record: AccountRecord;
  readonly keys: AccountKeys;
  readonly state: AccountState;
  readonly status: NodeStatus;
  readonly scanner: NoteScanner;
  save(): Promise<void>;
};

function lockedError(holder: number | undefined): WalletError {
  return new WalletError(
    "wallet_locked",
    `the wallet is in use by ${holder === undefined ? "another sero process" : `process ${holder}`} (a send?): ` +
      "run this again when it is done; balance, history and address answer meanwhile",
  );
}

export class CliContext {
  readonly options: GlobalOptions;
  readonly progress: Progress;
  #file: WalletFile | undefined;
  #wallet: Wallet | undefined;
  /** The wallet was read while another process held it: nothing may be saved or synced. */
  #readOnly = false;
  #savedHeight: number | undefined;
  readonly #submitted: string[] = [];
  readonly #interrupt = new AbortController();
  #syncing = false;
  #client: NodeClient | undefined;
  #status: NodeStatus | undefined;
  readonly #fetch: typeof fetch | undefined;

  /** `fetch` reaches the node (a test's fake node); the platform's by default. */
  constructor(options: GlobalOptions, fetcher?: typeof fetch) {
    this.options = options;
    this.#fetch = fetcher;
    this.progress = new Progress(process.stderr, options.json);
  }

  client(): NodeClient {
    this.#client ??= new NodeClient(this.options.node, this.#fetch ? { fetch: this.#fetch } : {});
    return this.#client;
  }

  async status(): Promise<NodeStatus> {
    try {
      this.#status ??= await this.client().status();
    } catch (e) {
      const node = this.options.node;
      if ((e as { code?: unknown }).code === "not_found" && (await isFaucet(node, this.#fetch))) {
        throw faucetAsNode(node);
      }
      throw e;
    }
    return this.#status;
  }

  /** The wallet directory; created only by the commands that add an account. */
  #dir(): string {
    return dataDirPath(this.options.walletDir === undefined ? {} : { override: this.options.walletDir });
  }

  /** Refuses at once, before any passphrase, when there is no wallet to read. */
  async #existing(): Promise<string> {
    const dir = this.#dir();
    if (!(await WalletFile.list(dir)).includes(WALLET_NAME)) {
      throw new WalletError("no_wallet", `no wallet in ${dir}: run sero account new (or import / watch)`);
    }
    return dir;
  }

  /**
   * Opens the wallet holding its directory's lock (commands that write); `create` makes a new one when
   * there is none (account new / import / watch). A wallet in use by another process is refused before
   * the passphrase is asked.
   */
  async wallet(create = false): Promise<Wallet> {
    if (this.#wallet && !this.#readOnly) {
      return this.#wallet;
    }
    const dir = create ? await ensureDataDir({ override: this.#dir() }) : await this.#existing();
    const exists = (await WalletFile.list(dir)).includes(WALLET_NAME);
    const holder = await lockHolder(dir);
    if (holder !== undefined) {
      throw lockedError(holder);
    }
    if (!exists) {
      const passphrase = await obtainPassphrase({ ...this.#passphraseOptions(), confirm: true });
      if ([...passphrase].length < SHORT_PASSPHRASE) {
        process.stderr.write(
          `warning: the passphrase is short (under ${SHORT_PASSPHRASE} characters): anyone who copies the wallet ` +
            "file can guess it offline; several random words are better\n",
        );
      }
      this.progress.note("creating the wallet");
      this.#file = await WalletFile.create(dir, WALLET_NAME, passphrase, Wallet.emptyPayload());
    } else {
      this.#file = await this.#unlock((passphrase) => WalletFile.open(dir, WALLET_NAME, passphrase));
    }
    this.#wallet = Wallet.load(this.#file);
    this.#readOnly = false;
    await this.savePublicPart();
    return this.#wallet;
  }

  /**
   * The wallet for a command that only reads (balance, history, address): opened as `wallet()` does, or,
   * while another process holds it (a send proving), its last saved version, read-only (`readOnly`).
   */
  async readableWallet(): Promise<Wallet> {
    if (this.#wallet) {
      return this.#wallet;
    }
    const dir = await this.#existing();
    const holder = await lockHolder(dir);
    if (holder === undefined) {
      try {
        return await this.wallet();
      } catch (e) {
        if ((e as { code?: unknown }).code !== "wallet_locked") {
          throw e;
        }
      }
    }
    const payload = await this.#unlock((passphrase) => WalletFile.read(dir, WALLET_NAME, passphrase));
    this.progress.note(
      `the wallet is in use by another sero process${holder === undefined ? "" : ` (${holder})`}: ` +
        "showing what it last saved, without syncing",
    );
    const store: WalletStore = {
      payload,
      save: () => Promise.reject(lockedError(holder)),
    };
    this.#wallet = Wallet.load(store);
    this.#readOnly = true;
    return this.#wallet;
  }

  /** The accounts' public data, without the passphrase when the wallet has its public part. */
  async publicAccounts(): Promise<readonly PublicAccount[]> {
    const saved = await readPublicPart(await this.#existing(), WALLET_NAME);
    return saved ?? (await this.readableWallet()).publicAccounts();
  }

  /** Keeps the public part (./keystore/public-part.ts) in step with the sealed wallet; needs the lock. */
  async savePublicPart(): Promise<void> {
    if (this.#wallet && !this.#readOnly) {
      await writePublicPart(this.#dir(), WALLET_NAME, this.#wallet.publicAccounts());
    }
  }

  #passphraseOptions(): PassphraseOptions {
    const file = this.options.passphraseFile;
    return file === undefined ? {} : { passphraseFile: file };
  }

  /** Unlocks with the passphrase; a wrong one typed at the terminal is asked again, three tries in all. */
  async #unlock<T>(open: (passphrase: string) => Promise<T>): Promise<T> {
    const options = this.#passphraseOptions();
    for (let attempt = 1; ; attempt++) {
      const passphrase = await obtainPassphrase(options);
      this.progress.note("unlocking the wallet");
      try {
        return await open(passphrase);
      } catch (e) {
        if ((e as { code?: unknown }).code !== "wrong_passphrase" || !passphraseIsTyped(options)) {
          throw e;
        }
        if (attempt === PASSPHRASE_TRIES) {
          throw new WalletError("wrong_passphrase", `wrong passphrase (${PASSPHRASE_TRIES} tries)`);
        }
        process.stderr.write("wrong passphrase, try again\n");
      }
    }
  }

  /**
   * The account's state on the node's chain, synced to the tip unless `sync` is false; `chain_changed`
   * when the node's chain is not the one the state was read from. `rescan` drops the state and starts over
   * (keys and other chains' states stay). `read`: a command that only reads, answered from the last saved
   * state, unsynced, while another process holds the wallet (readableWallet).
   */
  async session(options: { sync?: boolean; rescan?: boolean; read?: boolean } = {}): Promise<Session> {
    const { rescan = false, read = false } = options;
    const wallet = read ? await this.readableWallet() : await this.wallet();
    const sync = (options.sync ?? true) && !this.#readOnly;
    const { record, keys } = wallet.account(this.options.account);
    const status = await this.status();
    let state = wallet.state(record.name, status.chainId);
    if (!state || rescan) {
      const from = state ? await rescanStart(state, this.client(), status, record.birthday) : record.birthday;
      if (rescan) {
        this.progress.note(`rescanning from block ${from}`);
      }
      state = await this.#startState(keys, from);
      wallet.setState(record.name, status.chainId, state);
    }
    await checkChain(state, this.client(), status);
    const scanner = await NoteScanner.create(keys.viewing, { agreement: nodeKeyAgreement(keys.viewing.xsk) });
    const saved = state;
    const save = async () => {
      await wallet.save();
      this.#savedHeight = saved.syncedHeight;
    };
    const session: Session = { wallet, record, keys, state, status, scanner, save };
    if (sync) {
      await this.sync(session);
    }
    return session;
  }

  #startState(keys: AccountKeys, birthday: number): Promise<AccountState> {
    return startAccountState(this.client(), keys.viewing, birthday, {
      onFallback: (height) => this.progress.note(`the node has no tree state at block ${height}: syncing from block 0`),
    });
  }

  /** Syncs to the tip; Ctrl-C stops it between pages, saved (`interrupt`), and it throws `interrupted`. */
  async sync(session: Session): Promise<{ height: number; tip: number; complete: boolean }> {
    this.#syncing = true;
    try {
      const result = await syncAccount(session.state, this.client(), session.scanner, {
        save: session.save,
        signal: this.#interrupt.signal,
        onProgress: (p) => this.progress.sync(p),
      });
      if (this.#interrupt.signal.aborted) {
        throw new WalletError("interrupted", this.interruptedMessage());
      }
      return result;
    } finally {
      this.#syncing = false;
      this.progress.done();
    }
  }

  /**
   * Ctrl-C: a sync stops at its next page, saves and says so (true); anything else (proving, waiting on
   * the node) cannot stop cleanly, and the caller exits with interruptedMessage (false).
   */
  interrupt(): boolean {
    if (!this.#syncing || this.#interrupt.signal.aborted) {
      return false;
    }
    this.#interrupt.abort();
    return true;
  }

  /** What an interrupted run leaves: what the wallet file holds, and what (if anything) reached the node. */
  interruptedMessage(): string {
    const saved =
      this.#savedHeight === undefined
        ? "the wallet file is as it was before this command"
        : `the wallet is saved synced to block ${this.#savedHeight} (sero sync continues from there)`;
    const sent =
      this.#submitted.length === 0
        ? "nothing was sent"
        : `sent to the node: ${this.#submitted.join(", ")} (the last may not have arrived; sero tx status ID tells)`;
    return `interrupted: ${saved}; ${sent}`;
  }

  /** Records a transaction about to be handed to the node (what an interrupt must not claim was not sent). */
  submitted(txId: string): void {
    this.#submitted.push(txId);
  }

  /** The synced height the wallet file last saved in this run, if it saved (what Ctrl-C keeps). */
  get savedHeight(): number | undefined {
    return this.#savedHeight;
  }

  async close(): Promise<void> {
    await this.#file?.close();
  }
}
