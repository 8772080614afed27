/** A ByteStore in memory (IndexedDB's stand-in for Node tests); `map` shows what is stored. */
import type { ByteStore } from "../../src/web/wallet/vault.ts";

export function memoryStore(): ByteStore & { readonly map: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  return {
    map,
    async get(key) {
      return map.get(key)?.slice();
    },
    async put(key, value) {
      map.set(key, value.slice());
    },
    async add(key, value) {
      if (map.has(key)) {
        return false;
      }
      map.set(key, value.slice());
      return true;
    },
    async delete(key) {
      map.delete(key);
    },
  };
}
