/**
 * A wallet: named accounts and, per chain, each account's synced state, kept
 * in one payload that a WalletStore persists (the encrypted file of
 * ./keystore on Node; any sealed storage in a browser).
 */
import { utf8 } from "../codec/bytes.ts";
import {
  type AccountKeys,
  type AccountRecord,
  accountFromJson,
  accountKeys,
  accountKind,
  accountToJson,
  type PublicAccount,
  publicAddressText,
} from "./account.ts";
import { AccountState } from "./account-state.ts";
import { WalletError } from "./errors.ts";

export type WalletStore = {
  readonly payload: Uint8Array;
  save(payload: Uint8Array): Promise<void>;
};

const VERSION = 1;

type Entry = { record: AccountRecord; keys: AccountKeys; states: Map<string, AccountState> };

export class Wallet {
  readonly #store: WalletStore;
  readonly #accounts: Entry[] = [];

  private constructor(store: WalletStore) {
    this.#store = store;
  }

  /** The payload of a wallet with no account yet. */
  static emptyPayload(): Uint8Array {
    return utf8(JSON.stringify({ version: VERSION, accounts: [] }));
  }

  static load(store: WalletStore): Wallet {
    const wallet = new Wallet(store);
    let json: { version?: unknown; accounts?: unknown };
    try {
      json = JSON.parse(new TextDecoder().decode(store.payload));
    } catch {
      throw new WalletError("bad_wallet_file", "the wallet file does not hold a wallet");
    }
    if (json.version !== VERSION || !Array.isArray(json.accounts)) {
      throw new WalletError("bad_wallet_file", `unsupported wallet version ${String(json.version)}`);
    }
    for (const a of json.accounts as { states?: Record<string, unknown> }[]) {
      const record = accountFromJson(a);
      const keys = accountKeys(record);
      const states = new Map(
        Object.entries(a.states ?? {}).map(([chain, s]) => [chain, AccountState.fromJson(keys.viewing, s)]),
      );
      wallet.#accounts.push({ record, keys, states });
    }
    return wallet;
  }

  get accounts(): readonly AccountRecord[] {
    return this.#accounts.map((a) => a.record);
  }

  /** The named account, or the first one when no name is given. */
  account(name?: string): { record: AccountRecord; keys: AccountKeys } {
    const entry = name === undefined ? this.#accounts[0] : this.#accounts.find((a) => a.record.name === name);
    if (!entry) {
      throw new WalletError(
        "unknown_account",
        name === undefined
          ? "the wallet has no account: run sero account new (or import / watch)"
          : `no account named ${name} (see sero account list)`,
      );
    }
    return entry;
  }

  /** Each account's public data, in order. */
  publicAccounts(): PublicAccount[] {
    return this.#accounts.map(({ record, keys }) => ({
      name: record.name,
      kind: accountKind(record),
      birthday: record.birthday,
      address: publicAddressText(keys),
    }));
  }

  add(record: AccountRecord): AccountKeys {
    if (this.#accounts.some((a) => a.record.name === record.name)) {
      throw new WalletError("account_exists", `an account named ${record.name} exists: choose another --name`);
    }
    const keys = accountKeys(record);
    this.#accounts.push({ record, keys, states: new Map() });
    return keys;
  }

  state(account: string, chainId: string): AccountState | undefined {
    return this.#entry(account).states.get(chainId);
  }

  setState(account: string, chainId: string, state: AccountState): void {
    this.#entry(account).states.set(chainId, state);
  }

  #entry(name: string): Entry {
    const entry = this.#accounts.find((a) => a.record.name === name);
    if (!entry) {
      throw new WalletError("unknown_account", `no account named ${name}`);
    }
    return entry;
  }

  async save(): Promise<void> {
    const accounts = this.#accounts.map((a) => ({
      ...accountToJson(a.record),
      states: Object.fromEntries([...a.states].map(([chain, s]) => [chain, s.toJson()])),
    }));
    await this.#store.save(utf8(JSON.stringify({ version: VERSION, accounts })));
  }
}
