/**
 * The browser wallet at rest: the same sealed bytes as the CLI's wallet file
 * (src/wallet/keystore/sealed.ts: scrypt + XChaCha20-Poly1305, one header),
 * kept under one key of a byte store (IndexedDB in the browser, ./idb-store.ts;
 * a Map in tests). The key is derived once per unlock and each save reseals
 * with a fresh nonce, as the CLI does, so a sync can save after every page.
 */
import { ProtocolError } from "../../protocol/errors.ts";
import {
  createSealingKey,
  type KdfParams,
  type KdfProgress,
  type SealingKey,
  seal,
  unlock,
} from "../../wallet/keystore/sealed.ts";
import type { WalletStore } from "../../wallet/wallet.ts";

/** Where sealed bytes live. */
export type ByteStore = {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  /** Stores `value` only if `key` holds nothing, atomically; false when it already did. */
  add(key: string, value: Uint8Array): Promise<boolean>;
  delete(key: string): Promise<void>;
};

/** The one wallet of a browser profile, under the CLI's default wallet name. */
export const WALLET_KEY = "sero.wallet";

/** An unlocked wallet's payload and the key its saves seal under. */
export class SealedRecord implements WalletStore {
  readonly #store: ByteStore;
  readonly #key: SealingKey;
  #payload: Uint8Array;
  #locked = false;

  private constructor(store: ByteStore, key: SealingKey, payload: Uint8Array) {
    this.#store = store;
    this.#key = key;
    this.#payload = payload;
  }

  static async exists(store: ByteStore): Promise<boolean> {
    return (await store.get(WALLET_KEY)) !== undefined;
  }

  /** A new sealed wallet; refuses to replace one already stored. */
  static async create(
    store: ByteStore,
    passphrase: string,
    payload: Uint8Array,
    params?: KdfParams,
    onProgress?: KdfProgress,
  ): Promise<SealedRecord> {
    if (passphrase === "") {
      throw new ProtocolError("empty_passphrase", "choose a passphrase");
    }
    if (await SealedRecord.exists(store)) {
      throw new ProtocolError("wallet_exists", "this browser already holds a wallet");
    }
    const key = await createSealingKey(passphrase, params, onProgress);
    // Checked again atomically: another tab may have created one during the KDF.
    if (!(await store.add(WALLET_KEY, seal(key, payload)))) {
      key.key.fill(0);
      throw new ProtocolError("wallet_exists", "this browser already holds a wallet");
    }
    return new SealedRecord(store, key, payload);
  }

  /** Unlocks the stored wallet (one KDF run); a wrong passphrase is `wrong_passphrase`. */
  static async open(store: ByteStore, passphrase: string, onProgress?: KdfProgress): Promise<SealedRecord> {
    const sealed = await store.get(WALLET_KEY);
    if (sealed === undefined) {
      throw new ProtocolError("wallet_not_found", "this browser holds no wallet yet: create or import one");
    }
    const { payload, key } = await unlock(sealed, passphrase, onProgress);
    return new SealedRecord(store, key, payload);
  }

  get payload(): Uint8Array {
    return this.#payload;
  }

  async save(payload: Uint8Array): Promise<void> {
    if (this.#locked) {
      throw new ProtocolError("wallet_locked", "the wallet is locked");
    }
    await this.#store.put(WALLET_KEY, seal(this.#key, payload));
    this.#payload = payload;
  }

  /** Wipes the key from memory; later saves are refused. */
  lock(): void {
    this.#locked = true;
    this.#key.key.fill(0);
  }
}
