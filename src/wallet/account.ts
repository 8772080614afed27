/**
 * An account: a seed (spends) or a viewing key (watch-only: sees incoming
 * notes, their spends and the outgoing history, cannot spend), a birthday
 * height before which it owns nothing, and the next one-time address index.
 */
import { fromHex, toHex } from "../codec/bytes.ts";
import { encodeOneTimeAddress, encodePublicAddress, oneTimeAddressAt, publicAddressOf } from "../protocol/address.ts";
import {
  decodeViewingKey,
  deriveSpendingKeys,
  deriveViewingKeys,
  encodeViewingKey,
  type SpendingKeys,
  type ViewingKeys,
  viewingKeyOf,
} from "../protocol/keys.ts";
import { encodeText } from "../protocol/text.ts";
import { WalletError } from "./errors.ts";

export type AccountSecret =
  | { readonly kind: "seed"; readonly seed: Uint8Array }
  | { readonly kind: "viewing_key"; readonly viewingKey: Uint8Array };

export type AccountRecord = {
  readonly name: string;
  readonly secret: AccountSecret;
  /** First block that may hold the account's notes; sync starts here. */
  readonly birthday: number;
};

export type AccountKeys = {
  readonly viewing: ViewingKeys;
  /** Absent for a watch-only account. */
  readonly spending: SpendingKeys | undefined;
};

/** An account's kind, one word in every output: it can spend, or only watch. */
export type AccountKind = "spending" | "watch-only";

/** What anyone may know of an account (the wallet's public part: ./keystore/public-part.ts). */
export type PublicAccount = {
  readonly name: string;
  readonly kind: AccountKind;
  readonly birthday: number;
  readonly address: string;
};

export const accountKind = (record: AccountRecord): AccountKind =>
  record.secret.kind === "seed" ? "spending" : "watch-only";

const NAME = /^[a-z0-9_-]{1,32}$/;

export function checkAccountName(name: string): string {
  if (!NAME.test(name)) {
    throw new WalletError("bad_account_name", "an account name is 1-32 of a-z, 0-9, _ and -");
  }
  return name;
}

export function accountKeys(record: AccountRecord): AccountKeys {
  if (record.secret.kind === "seed") {
    const spending = deriveSpendingKeys(record.secret.seed);
    return { viewing: spending, spending };
  }
  return { viewing: deriveViewingKeys(decodeViewingKey(record.secret.viewingKey)), spending: undefined };
}

export function publicAddressText(keys: AccountKeys): string {
  return encodeText("publicAddress", encodePublicAddress(publicAddressOf(keys.viewing)));
}

export function oneTimeAddressText(keys: AccountKeys, index: number): string {
  return encodeText("oneTimeAddress", encodeOneTimeAddress(oneTimeAddressAt(keys.viewing, index)));
}

export function viewingKeyText(keys: AccountKeys): string {
  return encodeText("viewingKey", encodeViewingKey(viewingKeyOf(keys.viewing)));
}

/** The JSON form kept (encrypted) in the wallet file. */
export function accountToJson(record: AccountRecord): Record<string, unknown> {
  const secret =
    record.secret.kind === "seed"
      ? { kind: "seed", seed: toHex(record.secret.seed) }
      : { kind: "viewing_key", viewingKey: toHex(record.secret.viewingKey) };
  return { name: record.name, birthday: record.birthday, secret };
}

export function accountFromJson(value: unknown): AccountRecord {
  const v = value as {
    name?: unknown;
    birthday?: unknown;
    secret?: { kind?: unknown; seed?: unknown; viewingKey?: unknown };
  };
  const hex = (x: unknown) => (typeof x === "string" ? fromHex(x) : undefined);
  const birthday = v.birthday;
  if (typeof v.name !== "string" || typeof birthday !== "number" || !Number.isSafeInteger(birthday) || birthday < 0) {
    throw new WalletError("bad_wallet_file", "an account record is malformed");
  }
  const seed = v.secret?.kind === "seed" ? hex(v.secret.seed) : undefined;
  const viewingKey = v.secret?.kind === "viewing_key" ? hex(v.secret.viewingKey) : undefined;
  const secret: AccountSecret | undefined = seed
    ? { kind: "seed", seed }
    : viewingKey
      ? { kind: "viewing_key", viewingKey }
      : undefined;
  if (!secret) {
    throw new WalletError("bad_wallet_file", `account ${v.name} has no key`);
  }
  return { name: checkAccountName(v.name), birthday, secret };
}
