/** Decimal amounts as people write them, to and from base units (`1.5` SERO = 1.5 × 10^18). */
import { AMOUNT_LIMIT, SERO_DECIMALS } from "../protocol/asset.ts";
import { WalletError } from "../wallet/errors.ts";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseAmount(text: string, decimals: number, what = "amount"): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    const hint = text.trim().startsWith("-") ? "it cannot be negative" : "write it like 12 or 1.5";
    throw new WalletError("bad_amount", `${what} ${JSON.stringify(text)} is not an amount: ${hint}`);
  }
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > decimals) {
    throw new WalletError("bad_amount", `${what} ${text} has more than the asset's ${decimals} decimals`);
  }
  const value = BigInt(whole + fraction.padEnd(decimals, "0"));
  if (value >= AMOUNT_LIMIT) {
    throw new WalletError("bad_amount", `${what} ${text} is too large (at most 2^128 - 1 base units)`);
  }
  return value;
}

export function formatAmount(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Below a millionth of a SERO a fee reads as its base units: "1000 base units" beats "0.000000000000001". */
const TINY_FEE = 10n ** BigInt(SERO_DECIMALS - 6);

/** A fee (always SERO) as people read it: "0.5 SERO", or "1000 base units of SERO" when tiny. */
export function feeText(fee: bigint): string {
  return fee > 0n && fee < TINY_FEE ? `${fee} base units of SERO` : `${formatAmount(fee, SERO_DECIMALS)} SERO`;
}
