/**
 * The wallet's storage at rest: one sealed file per wallet, `<name>.wallet`,
 * in a data directory that one process at a time may hold.
 */

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { ProtocolError } from "../../protocol/errors.ts";
import { readFileIfExists, removeStaleTempFiles, writeFileAtomic } from "./atomic-file.ts";
import { type DirLock, lockDirectory } from "./lock.ts";
import { createSealingKey, type KdfParams, type KdfProgress, type SealingKey, seal, unlock } from "./sealed.ts";

export { readFileIfExists, removeStaleTempFiles, writeFileAtomic } from "./atomic-file.ts";
export { type DataDirOptions, dataDirPath, ensureDataDir } from "./data-dir.ts";
export { type DirLock, LOCK_FILE, lockDirectory, lockHolder } from "./lock.ts";
export {
  obtainPassphrase,
  PASSPHRASE_ENV,
  type PassphraseOptions,
  passphraseIsTyped,
  promptPassphrase,
  readPassphraseFile,
  SHORT_PASSPHRASE,
  type TtyInput,
  type TtyOutput,
} from "./passphrase.ts";
export {
  createSealingKey,
  DEFAULT_KDF_PARAMS,
  type KdfParams,
  type KdfProgress,
  type SealingKey,
  seal,
  type Unlocked,
  unlock,
} from "./sealed.ts";

const EXTENSION = ".wallet";
const NAME = /^[a-z0-9_-]{1,64}$/;

/** An open wallet: holds its directory's lock and its key, so saves skip the KDF. */
export class WalletFile {
  readonly path: string;
  private readonly lock: DirLock;
  private readonly key: SealingKey;
  private current: Uint8Array;
  private closed = false;

  private constructor(path: string, lock: DirLock, key: SealingKey, payload: Uint8Array) {
    this.path = path;
    this.lock = lock;
    this.key = key;
    this.current = payload;
  }

  /** A new wallet file, left open. Refuses to replace an existing one. */
  static async create(
    dir: string,
    name: string,
    passphrase: string,
    payload: Uint8Array,
    params?: KdfParams,
  ): Promise<WalletFile> {
    const path = walletPath(dir, name);
    return withLock(dir, path, async (lock) => {
      if ((await readFileIfExists(path)) !== undefined) {
        throw new ProtocolError("wallet_exists", `a wallet named ${name} already exists in ${dir}`);
      }
      const key = await createSealingKey(passphrase, params);
      await writeFileAtomic(path, seal(key, payload));
      return new WalletFile(path, lock, key, payload);
    });
  }

  /** Takes the directory's lock and unlocks the wallet (the slow step: one KDF run). */
  static async open(dir: string, name: string, passphrase: string, onProgress?: KdfProgress): Promise<WalletFile> {
    const path = walletPath(dir, name);
    return withLock(dir, path, async (lock) => {
      const sealed = await readFileIfExists(path);
      if (sealed === undefined) {
        throw new ProtocolError("wallet_not_found", `no wallet named ${name} in ${dir}`);
      }
      const { payload, key } = await unlock(sealed, passphrase, onProgress);
      return new WalletFile(path, lock, key, payload);
    });
  }

  /**
   * The payload as last saved, read without the directory's lock (while another process holds it, e.g. a
   * send): saves are atomic renames (./atomic-file.ts), so this is one whole saved version. Read-only.
   */
  static async read(dir: string, name: string, passphrase: string): Promise<Uint8Array> {
    const sealed = await readFileIfExists(walletPath(dir, name));
    if (sealed === undefined) {
      throw new ProtocolError("wallet_not_found", `no wallet named ${name} in ${dir}`);
    }
    const { payload, key } = await unlock(sealed, passphrase);
    key.key.fill(0);
    return payload;
  }

  /** Names of the wallets in `dir`, sorted; none if it does not exist. */
  static async list(dir: string): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return [];
      }
      throw error;
    }
    return entries
      .filter((e) => e.endsWith(EXTENSION))
      .map((e) => e.slice(0, -EXTENSION.length))
      .filter((n) => NAME.test(n))
      .sort();
  }

  get payload(): Uint8Array {
    return this.current;
  }

  /** Reseals under the unlocked key with a fresh nonce and replaces the file atomically. */
  async save(payload: Uint8Array): Promise<void> {
    if (this.closed) {
      throw new ProtocolError("wallet_closed", "the wallet is closed");
    }
    await writeFileAtomic(this.path, seal(this.key, payload));
    this.current = payload;
  }

  /** Releases the lock and wipes the key from memory; later calls do nothing. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.key.key.fill(0);
      await this.lock.release();
    }
  }
}

function walletPath(dir: string, name: string): string {
  if (!NAME.test(name)) {
    throw new ProtocolError("bad_wallet_name", "a wallet name is 1 to 64 of a-z, 0-9, _ and -");
  }
  return join(dir, `${name}${EXTENSION}`);
}

/**
 * Runs `use` holding the directory's lock, first deleting temp files a killed
 * writer left behind (safe now that no one else writes here); releases the
 * lock if `use` fails, else hands it to the WalletFile.
 */
async function withLock(dir: string, path: string, use: (lock: DirLock) => Promise<WalletFile>): Promise<WalletFile> {
  const lock = await lockDirectory(dir);
  try {
    await removeStaleTempFiles(path);
    return await use(lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}
