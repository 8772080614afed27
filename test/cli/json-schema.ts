/**
 * The rule every `sero --json` answer follows (src/cli/json-help.ts), as a
 * checker: the places in a JSON value that break it, none when it follows it.
 */
export const AMOUNT_KEYS = new Set(["amount", "fee", "supply", "spendable", "locked", "incoming"]);

const HEX64 = /^[0-9a-f]{64}$/;
const BASE_UNITS = /^\d+$/;
const DISPLAY = /^\d+(\.\d*[1-9])?$/;
const CATEGORY = /^[A-Z][A-Z0-9_]{0,31}$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function schemaViolations(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => schemaViolations(v, `${path}[${i}]`));
  }
  if (!isObject(value)) {
    return [];
  }
  const out: string[] = [];
  const bad = (key: string, why: string) => out.push(`${path}.${key}: ${why}`);
  for (const [key, v] of Object.entries(value)) {
    if (key === "id") {
      bad(key, "a transaction id is txId");
    }
    if ((key === "txId" || key.endsWith("TxId")) && !(typeof v === "string" && HEX64.test(v))) {
      bad(key, "a transaction id is 64 hex digits");
    }
    if (AMOUNT_KEYS.has(key)) {
      const shown = isObject(value.display) ? value.display[key] : undefined;
      if (!(typeof v === "string" && BASE_UNITS.test(v))) {
        bad(key, "an amount is base units as a decimal string");
      } else if (!(typeof shown === "string" && DISPLAY.test(shown))) {
        bad(key, "an amount has its display form beside it (display.<key>)");
      } else if ((BigInt(v) === 0n) !== (shown === "0")) {
        bad(key, "the display form is another amount");
      }
    }
    if (key === "display") {
      for (const shownKey of isObject(v) ? Object.keys(v) : ["(not an object)"]) {
        if (!(shownKey in value)) {
          bad(`display.${shownKey}`, "display holds only amounts of its object");
        }
      }
    }
    if (key === "category" && !(typeof v === "string" && CATEGORY.test(v))) {
      bad(key, "a ticket category is its name");
    }
    if (key === "ticketId" && !(typeof v === "string" && HEX64.test(v))) {
      bad(key, "a ticket id is 64 hex digits");
    }
    if (key === "recipient" && !(v === null || (typeof v === "string" && v.startsWith("seror1")))) {
      bad(key, "a recipient is the one-time address paid (seror1...)");
    }
    if (key === "address" && !(typeof v === "string" && /^sero(r|c)?1/.test(v))) {
      bad(key, "an address is as typed (sero1..., seror1..., seroc1...)");
    }
    if (key === "kind" && "birthday" in value && v !== "spending" && v !== "watch-only") {
      bad(key, "an account's kind is spending or watch-only");
    }
    if (key === "error" && !(isObject(v) && typeof v.code === "string" && typeof v.message === "string")) {
      bad(key, "an error is {code, message}");
    }
    if (key !== "display") {
      out.push(...schemaViolations(v, `${path}.${key}`));
    }
  }
  return out;
}
