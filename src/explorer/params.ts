/** The explorer's path and query inputs, checked at the boundary: anything else is a 400 page. */
import { Height } from "../api/schemas.ts";

const HEX32 = /^[0-9a-fA-F]{64}$/;
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Token symbols and ticket categories (PROTOCOL.md §4), in any case: they are stored upper-case. */
const ASSET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const CONTRACT_PREFIX = "seroc1";
/** Longer than any id, address or name the explorer looks up. */
export const MAX_QUERY_CHARS = 300;

export function heightOf(text: string): number | undefined {
  const parsed = Height.safeParse(text);
  return /^(0|[1-9][0-9]*)$/.test(text) && parsed.success ? parsed.data : undefined;
}

/** 32 bytes as hex, lower-cased as the index stores them. */
export function hex32Of(text: string): string | undefined {
  return HEX32.test(text) ? text.toLowerCase() : undefined;
}

export type Query =
  | { readonly kind: "height"; readonly height: number }
  | { readonly kind: "hex32"; readonly hex: string }
  | { readonly kind: "contract"; readonly text: string }
  | { readonly kind: "evm"; readonly hex: string }
  | { readonly kind: "asset"; readonly name: string };

/** What a search box entry can name; undefined when it names nothing the explorer knows how to find. */
export function classifyQuery(raw: string): Query | undefined {
  const q = raw.trim();
  const height = heightOf(q);
  if (height !== undefined) {
    return { kind: "height", height };
  }
  const hex = hex32Of(q);
  if (hex !== undefined) {
    return { kind: "hex32", hex };
  }
  if (q.toLowerCase().startsWith(CONTRACT_PREFIX)) {
    return { kind: "contract", text: q.toLowerCase() };
  }
  if (EVM_ADDRESS.test(q)) {
    return { kind: "evm", hex: q.slice(2).toLowerCase() };
  }
  return ASSET_NAME.test(q) ? { kind: "asset", name: q.toUpperCase() } : undefined;
}
