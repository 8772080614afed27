/** How the explorer writes public values: short ids, amounts with their decimals, ages. */

import { formatAmount } from "../cli/amount.ts";
import { bytesToBigintBE } from "../codec/bytes.ts";
import { SERO_DECIMALS } from "../protocol/asset.ts";

/** The first and last digits of a long hex id; the full id stays in the link and the title. */
export function shortHex(hex: string, keep = 8): string {
  return hex.length <= 2 * keep + 1 ? hex : `${hex.slice(0, keep)}…${hex.slice(-keep)}`;
}

export function sero(baseUnits: bigint | string): string {
  return `${formatAmount(BigInt(baseUnits), SERO_DECIMALS)} SERO`;
}

export { formatAmount };

/** A token value as an issued output or payout carries it: a u128 amount in the last 16 of 32 bytes (§8.4). */
export function tokenAmount(value: Uint8Array): bigint {
  return bytesToBigintBE(value.subarray(16));
}

export function bytesSize(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

export function age(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  return s < 3600
    ? `${Math.floor(s / 60)} min ${s % 60} s`
    : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
