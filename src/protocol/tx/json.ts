/**
 * The JSON form of transactions (the API's), mirroring the binary encoding
 * field by field (PROTOCOL.md §8): byte strings as lowercase hex, field
 * elements as 64 hex digits, u64/u128 as decimal strings. Parsing is strict:
 * unknown or missing keys, wrong types and non-canonical spellings are refused.
 */
import { fromHex, toHex } from "../../codec/bytes.ts";
import { CONTRACT_ADDRESS_BYTES, ONE_TIME_ADDRESS_BYTES } from "../address.ts";
import type { AssetRegistration, SupplyRule } from "../asset.ts";
import { ProtocolError } from "../errors.ts";
import { type Fr, frFromBytes, frToBytes } from "../field.ts";
import { checkNameCharacters, MAX_NAME_BYTES } from "./codec.ts";
import {
  CALLER_KEY_BYTES,
  type Caller,
  type ContractTx,
  ENC_CIPHERTEXT_BYTES,
  EPK_BYTES,
  type IssuedOutput,
  MAX_INIT_CODE_BYTES,
  type NoteCiphertexts,
  OUT_CIPHERTEXT_BYTES,
  PROOF_BYTES,
  type ShieldedSpend,
  SIGNATURE_BYTES,
  type Transaction,
  type TransferOutput,
  TX_VERSION,
  type ValueOpening,
} from "./types.ts";

export type TransactionJson = Record<string, unknown>;

const fr = (value: Fr): string => toHex(frToBytes(value));

function ciphertextsJson(c: NoteCiphertexts) {
  return { viewTag: c.viewTag, encCiphertext: toHex(c.encCiphertext), outCiphertext: toHex(c.outCiphertext) };
}

function issuedJson(o: IssuedOutput) {
  return { value: toHex(o.value), seal: fr(o.seal), ...ciphertextsJson(o) };
}

function spendJson(s: ShieldedSpend) {
  return {
    anchor: fr(s.anchor),
    nullifiers: s.nullifiers.map(fr),
    fee: s.fee.toString(),
    outputs: s.outputs.map((o) => ({ commitment: fr(o.commitment), ...ciphertextsJson(o) })),
    proof: toHex(s.proof),
  };
}

function supplyJson(s: SupplyRule) {
  return s.kind === "capped" ? { kind: "capped", cap: s.cap.toString() } : { kind: "unlimited" };
}

function valueJson(v: ValueOpening | null) {
  return (
    v && { output: v.output, assetKind: v.assetKind, assetRef: fr(v.assetRef), value: toHex(v.value), rcm: fr(v.rcm) }
  );
}

/** §10.1's fields after the contract of a call, named as in the binary form. */
function contractJson(tx: ContractTx) {
  return {
    caller: { pkr: toHex(tx.caller.pkr), key: toHex(tx.caller.key) },
    gasLimit: tx.gasLimit.toString(),
    ...(tx.kind === "deploy" ? { initCode: toHex(tx.initCode) } : { calldata: toHex(tx.calldata) }),
    value: valueJson(tx.value),
    epk: toHex(tx.epk),
    payment: spendJson(tx.payment),
    signature: toHex(tx.signature),
  };
}

export function transactionToJson(tx: Transaction): TransactionJson {
  const head = { version: TX_VERSION, kind: tx.kind };
  switch (tx.kind) {
    case "transfer":
      return { ...head, ...spendJson(tx), epk: toHex(tx.epk) };
    case "register": {
      const r = tx.registration;
      return {
        ...head,
        assetKind: r.assetKind,
        name: r.name,
        decimals: r.decimals,
        supply: supplyJson(r.supply),
        issuer: toHex(r.issuer),
        epk: toHex(tx.epk),
        payment: spendJson(tx.payment),
        signature: toHex(tx.signature),
      };
    }
    case "issue":
      return {
        ...head,
        assetKind: tx.assetKind,
        assetRef: fr(tx.assetRef),
        nonce: tx.nonce.toString(),
        epk: toHex(tx.epk),
        outputs: tx.outputs.map(issuedJson),
        payment: spendJson(tx.payment),
        signature: toHex(tx.signature),
      };
    case "genesis":
      return { ...head, epk: toHex(tx.epk), outputs: tx.outputs.map(issuedJson) };
    case "deploy":
      return { ...head, ...contractJson(tx) };
    case "call":
      return { ...head, contract: toHex(tx.contract), ...contractJson(tx) };
  }
}

/** Reads one JSON object, tracking which keys were used so unknown ones are refused. */
class JsonObject {
  readonly #value: Record<string, unknown>;
  readonly #path: string;
  readonly #used = new Set<string>();

  constructor(value: unknown, path: string) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      fail(path, "must be an object");
    }
    this.#value = value as Record<string, unknown>;
    this.#path = path;
  }

  #get(key: string): unknown {
    this.#used.add(key);
    if (!Object.hasOwn(this.#value, key)) {
      fail(this.#at(key), "is missing");
    }
    return this.#value[key];
  }

  #at(key: string): string {
    return this.#path ? `${this.#path}.${key}` : key;
  }

  /** A string with a UTF-8 encoding: JSON's \ud800-style escapes can spell lone surrogates, which have none. */
  string(key: string): string {
    const v = this.#get(key);
    if (typeof v !== "string") {
      fail(this.#at(key), "must be a string");
    }
    if (!v.isWellFormed()) {
      fail(this.#at(key), "is not well-formed Unicode (a lone surrogate)");
    }
    return v;
  }

  /** Text bounded like its binary field, in UTF-8 bytes, so the parsed value always encodes. */
  text(key: string, maxBytes: number): string {
    const v = this.string(key);
    if (v.length > maxBytes || new TextEncoder().encode(v).length > maxBytes) {
      fail(this.#at(key), `must be at most ${maxBytes} bytes of UTF-8`);
    }
    return v;
  }

  smallInt(key: string, max: number): number {
    const v = this.#get(key);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
      fail(this.#at(key), `must be an integer 0..${max}`);
    }
    return v;
  }

  bytes(key: string, length: number): Uint8Array {
    const v = fromHex(this.string(key));
    if (!v || v.length !== length) {
      fail(this.#at(key), `must be ${length} bytes of lowercase hex`);
    }
    return v;
  }

  /** Hex of any length up to `maxLength` bytes. */
  varBytes(key: string, maxLength: number): Uint8Array {
    const v = fromHex(this.string(key));
    if (!v || v.length > maxLength) {
      fail(this.#at(key), `must be at most ${maxLength} bytes of lowercase hex`);
    }
    return v;
  }

  fr(key: string): Fr {
    return frFromBytes(this.bytes(key, 32), this.#at(key));
  }

  /** A decimal string without sign or leading zeros, below 2^(8·bytes). */
  uint(key: string, bytes: number): bigint {
    const s = this.string(key);
    if (!/^(0|[1-9][0-9]*)$/.test(s)) {
      fail(this.#at(key), "must be a decimal string");
    }
    const v = BigInt(s);
    if (v >= 1n << BigInt(8 * bytes)) {
      fail(this.#at(key), `must be below 2^${8 * bytes}`);
    }
    return v;
  }

  object(key: string): JsonObject {
    return new JsonObject(this.#get(key), this.#at(key));
  }

  /** An object, or `null` where the binary form has an absent-flag. */
  objectOrNull(key: string): JsonObject | null {
    const v = this.#get(key);
    return v === null ? null : new JsonObject(v, this.#at(key));
  }

  array<T>(key: string, maxLength: number, item: (value: unknown, path: string) => T): T[] {
    const v = this.#get(key);
    if (!Array.isArray(v) || v.length > maxLength) {
      fail(this.#at(key), `must be an array of at most ${maxLength}`);
    }
    return v.map((x, i) => item(x, `${this.#at(key)}[${i}]`));
  }

  oneOf<const T extends string>(key: string, options: readonly T[]): T {
    const v = this.string(key);
    if (!(options as readonly string[]).includes(v)) {
      fail(this.#at(key), `must be one of ${options.join(", ")}`);
    }
    return v as T;
  }

  done(): void {
    for (const key of Object.keys(this.#value)) {
      if (!this.#used.has(key)) {
        fail(this.#at(key), "is not a known field");
      }
    }
  }
}

function fail(path: string, message: string): never {
  throw new ProtocolError("bad_json", `${path || "transaction"} ${message}`);
}

function ciphertexts(o: JsonObject): NoteCiphertexts {
  return {
    viewTag: o.smallInt("viewTag", 255),
    encCiphertext: o.bytes("encCiphertext", ENC_CIPHERTEXT_BYTES),
    outCiphertext: o.bytes("outCiphertext", OUT_CIPHERTEXT_BYTES),
  };
}

function transferOutput(value: unknown, path: string): TransferOutput {
  const o = new JsonObject(value, path);
  const out = { commitment: o.fr("commitment"), ...ciphertexts(o) };
  o.done();
  return out;
}

function issuedOutput(value: unknown, path: string): IssuedOutput {
  const o = new JsonObject(value, path);
  const out = { value: o.bytes("value", 32), seal: o.fr("seal"), ...ciphertexts(o) };
  o.done();
  return out;
}

/** The fields of a shielded spend (§8.2, §8.9), read from `o`. */
function spend(o: JsonObject): ShieldedSpend {
  return {
    anchor: o.fr("anchor"),
    nullifiers: o.array("nullifiers", 255, (v, p) => frFromBytes(fromHexOrFail(v, p, 32), p)),
    fee: o.uint("fee", 16),
    outputs: o.array("outputs", 255, transferOutput),
    proof: o.bytes("proof", PROOF_BYTES),
  };
}

function payment(o: JsonObject): ShieldedSpend {
  const p = o.object("payment");
  const read = spend(p);
  p.done();
  return read;
}

function registration(o: JsonObject): AssetRegistration {
  const assetKind = o.oneOf("assetKind", ["token", "ticket"] as const);
  const name = checkNameCharacters(o.text("name", MAX_NAME_BYTES));
  const decimals = o.smallInt("decimals", 255);
  const s = o.object("supply");
  const kind = s.oneOf("kind", ["capped", "unlimited"] as const);
  const supply: SupplyRule = kind === "capped" ? { kind, cap: s.uint("cap", 16) } : { kind };
  s.done();
  return { assetKind, name, decimals, supply, issuer: o.bytes("issuer", 32) };
}

function caller(o: JsonObject): Caller {
  const c = o.object("caller");
  const read = { pkr: c.bytes("pkr", ONE_TIME_ADDRESS_BYTES), key: c.bytes("key", CALLER_KEY_BYTES) };
  c.done();
  return read;
}

function valueOpening(o: JsonObject): ValueOpening | null {
  const v = o.objectOrNull("value");
  if (v === null) {
    return null;
  }
  const read: ValueOpening = {
    output: v.smallInt("output", 255),
    assetKind: v.oneOf("assetKind", ["token", "ticket"] as const),
    assetRef: v.fr("assetRef"),
    value: v.bytes("value", 32),
    rcm: v.fr("rcm"),
  };
  v.done();
  return read;
}

/** A deploy's or call's fields (§10.1) in binary order, after `contract` and the code or calldata. */
function contractBody(o: JsonObject) {
  return {
    caller: caller(o),
    gasLimit: o.uint("gasLimit", 8),
    value: valueOpening(o),
    epk: o.bytes("epk", EPK_BYTES),
    payment: payment(o),
    signature: o.bytes("signature", SIGNATURE_BYTES),
  };
}

/** Parses the JSON form; the result still needs `validateBasic`, like a decoded binary transaction. */
export function transactionFromJson(value: unknown): Transaction {
  const o = new JsonObject(value, "");
  if (o.smallInt("version", 255) !== TX_VERSION) {
    throw new ProtocolError("unknown_version", "unknown transaction version");
  }
  const kind = o.oneOf("kind", ["transfer", "register", "issue", "genesis", "deploy", "call"] as const);
  let tx: Transaction;
  switch (kind) {
    case "transfer":
      tx = { kind, ...spend(o), epk: o.bytes("epk", EPK_BYTES) };
      break;
    case "register":
      tx = {
        kind,
        registration: registration(o),
        epk: o.bytes("epk", EPK_BYTES),
        payment: payment(o),
        signature: o.bytes("signature", SIGNATURE_BYTES),
      };
      break;
    case "issue":
      tx = {
        kind,
        assetKind: o.oneOf("assetKind", ["token", "ticket"] as const),
        assetRef: o.fr("assetRef"),
        nonce: o.uint("nonce", 8),
        epk: o.bytes("epk", EPK_BYTES),
        outputs: o.array("outputs", 255, issuedOutput),
        payment: payment(o),
        signature: o.bytes("signature", SIGNATURE_BYTES),
      };
      break;
    case "genesis":
      tx = { kind, epk: o.bytes("epk", EPK_BYTES), outputs: o.array("outputs", 65535, issuedOutput) };
      break;
    case "deploy":
      tx = { kind, initCode: o.varBytes("initCode", MAX_INIT_CODE_BYTES), ...contractBody(o) };
      break;
    case "call":
      tx = {
        kind,
        contract: o.bytes("contract", CONTRACT_ADDRESS_BYTES),
        calldata: o.varBytes("calldata", MAX_INIT_CODE_BYTES),
        ...contractBody(o),
      };
      break;
  }
  o.done();
  return tx;
}

function fromHexOrFail(value: unknown, path: string, length: number): Uint8Array {
  const bytes = typeof value === "string" ? fromHex(value) : undefined;
  if (!bytes || bytes.length !== length) {
    fail(path, `must be ${length} bytes of lowercase hex`);
  }
  return bytes;
}
