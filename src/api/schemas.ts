/** Schemas shared by routes: the API's spellings of protocol values. */
import { z } from "@hono/zod-openapi";

/** 32 bytes as 64 lowercase hex digits: ids, field elements (big-endian), roots. */
export const Hex32 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits")
  .openapi({ example: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" });

/** `n` bytes as 2n lowercase hex digits. */
export const HexBytes = (n: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${2 * n}}$`), `must be ${2 * n} lowercase hex digits`);

/** Any number of bytes as lowercase hex. */
export const Hex = z.string().regex(/^(?:[0-9a-f]{2})*$/, "must be lowercase hex, two digits a byte");

/** A contract address as text, `seroc1...`; decoded and checked by the route (PROTOCOL.md §3.5). */
export const ContractAddress = z
  .string()
  .max(200)
  .openapi({ description: "a contract address, `seroc1...` (PROTOCOL.md §3.5)", example: "seroc1..." });

export const Height = z.coerce
  .number()
  .int()
  .min(0)
  .max(2 ** 40);

/** Integers that can exceed 2^53 travel as decimal strings. */
export const Decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/)
  .openapi({ example: "1000000" });

export const BlockSummary = z
  .object({ height: z.number().int(), stateRoot: Hex32, anchor: Hex32, txCount: z.number().int(), fees: Decimal })
  .openapi("BlockSummary");
