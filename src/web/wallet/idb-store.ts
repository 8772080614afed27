/** ByteStore (./vault.ts) over IndexedDB: one object store of byte values by string key. */
import type { ByteStore } from "./vault.ts";

const DB_NAME = "sero-wallet";
const STORE = "sealed";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

export async function indexedDbStore(): Promise<ByteStore> {
  const db = await openDatabase();
  // One transaction per call: a put is durable once its transaction completes.
  const run = async <T>(mode: IDBTransactionMode, use: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const result = await request(use(tx.objectStore(STORE)));
    await done;
    return result;
  };
  return {
    async get(key) {
      const value: unknown = await run("readonly", (s) => s.get(key));
      return value instanceof Uint8Array ? value : undefined;
    },
    async put(key, value) {
      await run("readwrite", (s) => s.put(value, key));
    },
    async add(key, value) {
      try {
        await run("readwrite", (s) => s.add(value, key));
        return true;
      } catch (e) {
        // IndexedDB §add: a key already present fails the request with ConstraintError.
        if ((e as { name?: unknown } | null)?.name === "ConstraintError") {
          return false;
        }
        throw e;
      }
    },
    async delete(key) {
      await run("readwrite", (s) => s.delete(key));
    },
  };
}
