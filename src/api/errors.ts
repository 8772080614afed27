/**
 * The one error shape of every route: `{ error: { code, message } }`, `code`
 * stable for programs (PROTOCOL.md §8.7 for protocol refusals).
 */
import { z } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorBody = { error: { code: string; message: string } };

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string().openapi({ example: "not_found" }), message: z.string() }) })
  .openapi("Error");

/** A refusal a handler raises; `onError` turns it into the error shape with its status. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const errorResponses = {
  400: { description: "Malformed request", content: { "application/json": { schema: ErrorSchema } } },
  404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
} as const;
