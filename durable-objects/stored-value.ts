/**
 * Plain data (what the consensus core persists: numbers, bigints, strings, booleans,
 * undefined/null, Uint8Arrays, arrays, Maps, Sets, plain objects) to bytes
 * and back, so a value of any size can be split into rows below the storage
 * row limit (CONSENSUS.md §3.7). An object met twice (a batch shared by a
 * slot's pre-prepare and its commit) is written once and referenced after,
 * as structured clone does, so sharing does not multiply the size.
 * Local storage only: never hashed, never sent.
 */
import { ByteWriter } from "../src/codec/writer.ts";

const TAG = {
  undefined: 0,
  null: 1,
  false: 2,
  true: 3,
  number: 4,
  string: 5,
  bytes: 6,
  array: 7,
  map: 8,
  set: 9,
  object: 10,
  ref: 11,
  bigint: 12,
} as const;

export function encodeStored(value: unknown): Uint8Array {
  const w = new ByteWriter();
  const seen = new Map<object, number>();
  const f64 = new DataView(new ArrayBuffer(8));
  const write = (v: unknown): void => {
    if (v === undefined || v === null || typeof v === "boolean") {
      w.u8(v === undefined ? TAG.undefined : v === null ? TAG.null : v ? TAG.true : TAG.false);
      return;
    }
    if (typeof v === "number") {
      f64.setFloat64(0, v);
      w.u8(TAG.number).bytes(new Uint8Array(f64.buffer.slice(0)));
      return;
    }
    if (typeof v === "string") {
      w.u8(TAG.string).longVarBytes(new TextEncoder().encode(v));
      return;
    }
    if (typeof v === "bigint") {
      // Its decimal digits: any size and sign, and exact.
      w.u8(TAG.bigint).longVarBytes(new TextEncoder().encode(v.toString()));
      return;
    }
    if (typeof v !== "object") {
      throw new TypeError(`stored value: cannot encode ${typeof v}`);
    }
    const ref = seen.get(v);
    if (ref !== undefined) {
      w.u8(TAG.ref).u32(ref);
      return;
    }
    seen.set(v, seen.size);
    if (v instanceof Uint8Array) {
      w.u8(TAG.bytes).longVarBytes(v);
    } else if (Array.isArray(v)) {
      w.u8(TAG.array).u32(v.length);
      v.forEach(write);
    } else if (v instanceof Map) {
      w.u8(TAG.map).u32(v.size);
      for (const [k, x] of v) {
        write(k);
        write(x);
      }
    } else if (v instanceof Set) {
      w.u8(TAG.set).u32(v.size);
      v.forEach(write);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.entries(v);
      w.u8(TAG.object).u32(entries.length);
      for (const [k, x] of entries) {
        w.longVarBytes(new TextEncoder().encode(k));
        write(x);
      }
    } else {
      throw new TypeError(`stored value: cannot encode ${v.constructor?.name ?? "object"}`);
    }
  };
  write(value);
  return w.finish();
}

export function decodeStored(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const objects: unknown[] = [];
  let at = 0;
  const take = (n: number): number => {
    if (at + n > bytes.length) {
      throw new RangeError("stored value: truncated");
    }
    const start = at;
    at += n;
    return start;
  };
  const u32 = () => view.getUint32(take(4));
  const chunk = () => {
    const n = u32();
    const start = take(n);
    return bytes.subarray(start, start + n);
  };
  const read = (): unknown => {
    const tag = view.getUint8(take(1));
    switch (tag) {
      case TAG.undefined:
        return undefined;
      case TAG.null:
        return null;
      case TAG.false:
        return false;
      case TAG.true:
        return true;
      case TAG.number:
        return view.getFloat64(take(8));
      case TAG.string:
        return decoder.decode(chunk());
      case TAG.bigint:
        return BigInt(decoder.decode(chunk()));
      case TAG.ref: {
        const i = u32();
        if (i >= objects.length) {
          throw new RangeError("stored value: bad reference");
        }
        return objects[i];
      }
      case TAG.bytes: {
        const out = chunk().slice();
        objects.push(out);
        return out;
      }
      case TAG.array: {
        const out: unknown[] = [];
        objects.push(out);
        for (let n = u32(); n > 0; n--) {
          out.push(read());
        }
        return out;
      }
      case TAG.map: {
        const out = new Map<unknown, unknown>();
        objects.push(out);
        for (let n = u32(); n > 0; n--) {
          const k = read();
          out.set(k, read());
        }
        return out;
      }
      case TAG.set: {
        const out = new Set<unknown>();
        objects.push(out);
        for (let n = u32(); n > 0; n--) {
          out.add(read());
        }
        return out;
      }
      case TAG.object: {
        const out: Record<string, unknown> = {};
        objects.push(out);
        for (let n = u32(); n > 0; n--) {
          const k = decoder.decode(chunk());
          out[k] = read();
        }
        return out;
      }
      default:
        throw new RangeError(`stored value: unknown tag ${tag}`);
    }
  };
  const value = read();
  if (at !== bytes.length) {
    throw new RangeError("stored value: trailing bytes");
  }
  return value;
}
