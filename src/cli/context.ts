/**
 * What commands share: global options, the wallet file (opened on first use,
 * closed at exit), the node client, and an account's state on the node's
 * chain (started near the account's birthday from the node's frontier:
 * ../wallet/start.ts), checked to be of that chain before any use
 * (../wallet/chain-check.ts).
 */
import { NoteScanner } from "../protocol/encryption/scan.ts";
import type { AccountKeys, AccountRecord } from "../wallet/account.ts";
import type { AccountState } from "../wallet/account-state.ts";
import { checkChain, rescanStart } from "../wallet/chain-check.ts";
import { WalletError } from "../wallet/errors.ts";
import { ensureDataDir, obtainPassphrase, WalletFile } from "../wallet/keystore/index.ts";
import { nodeKeyAgreement } from "../wallet/node-agreement.ts";
import { NodeClient, type NodeStatus } from "../wallet/node-client.ts";
import { startAccountState } from "../wallet/start.ts";
import { syncAccount } from "../wallet/sync.ts";
import { Wallet } from "../wallet/wallet.ts";
import { Progress } from "./progress.ts";

export const DEFAULT_NODE = "http://127.0.0.1:8787";
const WALLET_NAME = "sero";

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

export class CliContext {
  readonly options: GlobalOptions;
  readonly progress: Progress;
  #file: WalletFile | undefined;
  #wallet: Wallet | undefined;
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
    this.#status ??= await this.client().status();
    return this.#status;
  }

  /** Opens the wallet; `create` makes a new one when there is none (account new / import / watch). */
  async wallet(create = false): Promise<Wallet> {
    if (this.#wallet) {
      return this.#wallet;
    }
    const dir = await ensureDataDir(this.options.walletDir === undefined ? {} : { override: this.options.walletDir });
    const exists = (await WalletFile.list(dir)).includes(WALLET_NAME);
    if (!exists && !create) {
      throw new WalletError("no_wallet", `no wallet in ${dir}: run sero account new (or import / watch)`);
    }
    const file = this.options.passphraseFile;
    const passphrase = await obtainPassphrase({
      ...(file === undefined ? {} : { passphraseFile: file }),
      confirm: !exists,
    });
    this.progress.note(exists ? "unlocking the wallet" : "creating the wallet");
    this.#file = exists
      ? await WalletFile.open(dir, WALLET_NAME, passphrase)
      : await WalletFile.create(dir, WALLET_NAME, passphrase, Wallet.emptyPayload());
    this.#wallet = Wallet.load(this.#file);
    return this.#wallet;
  }

  /**
   * The account's state on the node's chain, synced to the tip unless `sync` is false; `chain_changed`
   * when the node's chain is not the one the state was read from. `rescan` drops the state and starts over
   * (keys and other chains' states stay).
   */
  async session(sync = true, rescan = false): Promise<Session> {
    const wallet = await this.wallet();
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
    const session: Session = { wallet, record, keys, state, status, scanner, save: () => wallet.save() };
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

  async sync(session: Session, signal?: AbortSignal): Promise<{ height: number; tip: number; complete: boolean }> {
    return syncAccount(session.state, this.client(), session.scanner, {
      save: session.save,
      signal,
      onProgress: (p) => this.progress.sync(p),
    }).finally(() => this.progress.done());
  }

  async close(): Promise<void> {
    await this.#file?.close();
  }
}
