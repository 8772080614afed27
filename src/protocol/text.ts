/**
 * Human-facing encodings (PROTOCOL.md §3.5): bech32m (BIP 350) with one prefix
 * per kind, so a checksum or prefix check stops a viewing key from being used
 * where an address belongs.
 */
import { bech32m } from "@scure/base";
import { ProtocolError } from "./errors.ts";

export const TextPrefix = {
  publicAddress: "sero",
  oneTimeAddress: "seror",
  viewingKey: "serovk",
  contractAddress: "seroc",
} as const;

export type TextKind = keyof typeof TextPrefix;

// BIP 173's 90-character limit is too short for a 128-byte PKr.
const LIMIT = 1023;

const KIND_BY_PREFIX = new Map<string, TextKind>(
  Object.entries(TextPrefix).map(([kind, prefix]) => [prefix, kind as TextKind]),
);

export function encodeText(kind: TextKind, bytes: Uint8Array): string {
  return bech32m.encode(TextPrefix[kind], bech32m.toWords(bytes), LIMIT);
}

/** Which kind a string claims to be, or undefined when it is not one of ours. */
export function textKindOf(text: string): TextKind | undefined {
  const separator = text.lastIndexOf("1");
  return separator > 0 ? KIND_BY_PREFIX.get(text.slice(0, separator)) : undefined;
}

export function decodeText(kind: TextKind, text: string): Uint8Array {
  const claimed = textKindOf(text.toLowerCase());
  if (claimed !== kind) {
    const what = claimed ? `a ${claimed}` : "not a SERO string";
    throw new ProtocolError("wrong_kind", `expected a ${kind} (${TextPrefix[kind]}1...), got ${what}`);
  }
  if (text !== text.toLowerCase()) {
    throw new ProtocolError("bad_encoding", "SERO strings are lowercase");
  }
  try {
    const { words } = bech32m.decode(text as `${string}1${string}`, LIMIT);
    return bech32m.fromWords(words);
  } catch {
    throw new ProtocolError("bad_checksum", `${kind} has a bad checksum or characters`);
  }
}
