/**
 * Contract accounts (PROTOCOL.md §10): a read-only call and a contract's
 * public state, answered by a replica from its ledger at its tip (never a
 * diverged one: replicas.ts), and a contract's events, from the index.
 * Addresses are `seroc1...` text (§3.5), bytes lowercase hex.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gt, gte, min } from "drizzle-orm";
import { bodyLimit } from "hono/body-limit";
import { bytesToBigintBE, fromHex, toHex } from "../../codec/bytes.ts";
import { OUTCOME_CODES } from "../../contracts/outcome.ts";
import type { ReadCall } from "../../contracts/read.ts";
import { contractEvents } from "../../db/schema.ts";
import { decodeOneTimeAddress } from "../../protocol/address.ts";
import { type Fr, frFromBytes, frToBytes } from "../../protocol/field.ts";
import { decodeText, encodeText } from "../../protocol/text.ts";
import { MAX_CALLDATA_BYTES } from "../../protocol/tx/types.ts";
import { type App, type Bindings, database } from "../context.ts";
import { deploymentOf } from "../deployment.ts";
import { ApiError, ErrorSchema, errorBody, errorResponses } from "../errors.ts";
import { callContract, contractState } from "../replicas.ts";
import { ContractAddress, Decimal, Height, Hex, Hex32, HexBytes } from "../schemas.ts";

export const MAX_EVENTS_PAGE = 1000;
/** Calldata at its limit, in hex, and room for the rest of the body. */
const MAX_CALL_BODY_BYTES = 2 * MAX_CALLDATA_BYTES + 4096;
const CONTRACT_ADDRESS_BYTES = 64;
const U128 = 1n << 128n;

const fe = (x: Fr) => toHex(frToBytes(x));
const hexBytes = (hex: string) => fromHex(hex) as Uint8Array;
const contractText = (bytes: Uint8Array) => encodeText("contractAddress", bytes);

const AddressParam = z.object({ address: ContractAddress });

/** The 64-byte address `text` names; a wrong kind, checksum or length is a 400 with a stable code. */
export function contractAddressOf(text: string): Uint8Array {
  const bytes = decodeText("contractAddress", text);
  if (bytes.length !== CONTRACT_ADDRESS_BYTES) {
    throw new ApiError(400, "bad_length", `a contract address is ${CONTRACT_ADDRESS_BYTES} bytes`);
  }
  return bytes;
}

const CallBody = z
  .object({
    calldata: Hex.openapi({ description: `at most ${MAX_CALLDATA_BYTES} bytes` }),
    gasLimit: Decimal.optional().openapi({
      description: "1 to the chain's maxTxGas (GET /v1/status); that by default",
    }),
    caller: z
      .object({ pkr: HexBytes(128), key: HexBytes(32) })
      .optional()
      .openapi({ description: "the msg.sender to run as (PROTOCOL.md §10.1); none by default" }),
    value: z
      .object({
        assetKind: z.enum(["token", "ticket"]),
        assetRef: Hex32.openapi({ description: "token id or ticket category id" }),
        value: Hex32.openapi({ description: "a u128 amount in the last 16 bytes, or a ticket id" }),
      })
      .optional()
      .openapi({ description: "what the call brings, as an opened output would (§10.3)" }),
  })
  .openapi("ContractCall");

type CallBody = z.infer<typeof CallBody>;

const Log = z.object({ contract: ContractAddress, topics: z.array(Hex32), data: Hex });

const CallResult = z
  .object({
    height: z.number().int().openapi({ description: "the tip the call ran at" }),
    outcome: z.object({
      code: z.enum(OUTCOME_CODES),
      gasUsed: Decimal,
      returnData: Hex,
      logs: z.array(Log),
    }),
  })
  .openapi("ContractCallResult");

const ContractInfo = z
  .object({
    address: ContractAddress,
    evmAddress: z.string().regex(/^0x[0-9a-f]{40}$/),
    codeHash: Hex32,
    createdAt: z.number().int().openapi({ description: "the height it was created at" }),
    balances: z.array(z.object({ asset: Hex32, name: z.string(), amount: Decimal })),
    tickets: z.array(z.object({ category: Hex32, name: z.string(), ticketId: Hex32 })),
  })
  .openapi("Contract");

const Event = z.object({
  height: z.number().int(),
  txId: Hex32,
  logIndex: z.number().int().openapi({ description: "its index among the block's events" }),
  topics: z.array(Hex32),
  data: Hex,
});

const EventsPage = z.object({ events: z.array(Event), next: z.number().int().nullable() }).openapi("ContractEvents");

const unavailable = {
  description: "No replica could answer",
  content: { "application/json": { schema: ErrorSchema } },
};

const call = createRoute({
  method: "post",
  path: "/v1/contracts/{address}/call",
  summary: "Runs a call at the tip and discards its changes: eth_call and gas estimation in one (PROTOCOL.md §10.7)",
  request: {
    params: AddressParam,
    body: { content: { "application/json": { schema: CallBody } }, required: true },
  },
  responses: {
    200: { description: "The outcome (§10.6)", content: { "application/json": { schema: CallResult } } },
    ...errorResponses,
    413: { description: "Body too large", content: { "application/json": { schema: ErrorSchema } } },
    415: { description: "The body is not JSON", content: { "application/json": { schema: ErrorSchema } } },
    503: unavailable,
  },
});

const info = createRoute({
  method: "get",
  path: "/v1/contracts/{address}",
  summary: "A contract's EVM address, code hash, creation height, token balances and tickets",
  request: { params: AddressParam },
  responses: {
    200: { description: "The contract", content: { "application/json": { schema: ContractInfo } } },
    ...errorResponses,
    503: unavailable,
  },
});

const events = createRoute({
  method: "get",
  path: "/v1/contracts/{address}/events",
  summary: `A contract's events from height \`from\`, at most ${MAX_EVENTS_PAGE} a page`,
  request: {
    params: AddressParam,
    query: z.object({
      from: Height.default(0),
      limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(MAX_EVENTS_PAGE),
    }),
  },
  responses: {
    200: {
      description:
        "Events in order; a page ends at a block boundary, so `next` is the height the following page starts at " +
        "(null at the end). A block holding more events than `limit` comes whole.",
      content: {
        "application/json": {
          schema: EventsPage,
        },
      },
    },
    400: errorResponses[400],
  },
});

/** A call as the ledger takes it; every rule a wallet could break is a 400 with the protocol's code. */
function readCall(contract: Uint8Array, body: CallBody, maxTxGas: bigint): ReadCall {
  const calldata = hexBytes(body.calldata);
  if (calldata.length > MAX_CALLDATA_BYTES) {
    throw new ApiError(400, "calldata_too_long", `calldata is at most ${MAX_CALLDATA_BYTES} bytes`);
  }
  const gasLimit = body.gasLimit === undefined ? maxTxGas : BigInt(body.gasLimit);
  if (gasLimit < 1n || gasLimit > maxTxGas) {
    throw new ApiError(400, "bad_gas_limit", `gasLimit is 1 to ${maxTxGas}`);
  }
  let caller: ReadCall["caller"] = null;
  if (body.caller) {
    const pkr = hexBytes(body.caller.pkr);
    decodeOneTimeAddress(pkr); // a caller's payouts go to it: it must be a one-time address (§3.2)
    caller = { pkr, key: hexBytes(body.caller.key) };
  }
  let value: ReadCall["value"] = null;
  if (body.value) {
    const amount = hexBytes(body.value.value);
    if (body.value.assetKind === "token") {
      const n = bytesToBigintBE(amount);
      if (n === 0n) {
        throw new ApiError(400, "zero_value", "a token value must be positive");
      }
      if (n >= U128) {
        throw new ApiError(400, "amount_out_of_range", "a token value is below 2^128");
      }
    }
    value = {
      assetKind: body.value.assetKind,
      assetRef: frFromBytes(hexBytes(body.value.assetRef), "assetRef"),
      value: amount,
    };
  }
  return { contract, calldata, gasLimit, caller, value };
}

/** A contract's public state, as a replica at its tip holds it; null when no contract has the address. */
export async function contractInfo(env: Bindings, address: Uint8Array): Promise<z.infer<typeof ContractInfo> | null> {
  const view = await contractState(env, address);
  if (view === null) {
    return null;
  }
  return {
    address: contractText(view.address),
    evmAddress: `0x${toHex(view.evm)}`,
    codeHash: toHex(view.codeHash),
    createdAt: view.createdAt,
    balances: view.balances.map((b) => ({ asset: fe(b.asset), name: b.name, amount: b.amount.toString() })),
    tickets: view.tickets.map((t) => ({ category: fe(t.category), name: t.name, ticketId: toHex(t.ticketId) })),
  };
}

/** A page of a contract's events (`contract`: its 64-byte address, hex) from height `from`, cut at a block boundary. */
export async function contractEventsPage(
  env: Bindings,
  contract: string,
  from: number,
  limit: number,
): Promise<z.infer<typeof EventsPage>> {
  const db = database(env);
  const ofContract = eq(contractEvents.contract, contract);
  const rows = await db
    .select()
    .from(contractEvents)
    .where(and(ofContract, gte(contractEvents.height, from)))
    .orderBy(asc(contractEvents.height), asc(contractEvents.logIndex))
    .limit(limit + 1);
  let page = rows;
  let next: number | null = null;
  const beyond = rows[limit];
  if (beyond !== undefined) {
    // Cut at a block boundary, so `next` (a height) resumes exactly after the page.
    const cut = beyond.height;
    if ((rows[0] as typeof beyond).height < cut) {
      page = rows.filter((r) => r.height < cut);
      next = cut;
    } else {
      page = await db
        .select()
        .from(contractEvents)
        .where(and(ofContract, eq(contractEvents.height, cut)))
        .orderBy(asc(contractEvents.logIndex));
      const [after] = await db
        .select({ height: min(contractEvents.height) })
        .from(contractEvents)
        .where(and(ofContract, gt(contractEvents.height, cut)));
      next = after?.height ?? null;
    }
  }
  return {
    events: page.map((e) => ({
      height: e.height,
      txId: e.txId,
      logIndex: e.logIndex,
      topics: e.topics.match(/.{64}/g) ?? [],
      data: e.data,
    })),
    next,
  };
}

const noContract = () => new ApiError(404, "no_contract", "no contract has this address");

export function registerContractRoutes(app: App): void {
  app.use(
    "/v1/contracts/:address/call",
    bodyLimit({
      maxSize: MAX_CALL_BODY_BYTES,
      onError: (c) => c.json(errorBody("too_large", `a call body is at most ${MAX_CALL_BODY_BYTES} bytes`), 413),
    }),
  );

  app.openapi(call, async (c) => {
    const contract = contractAddressOf(c.req.valid("param").address);
    const request = readCall(contract, c.req.valid("json"), deploymentOf(c.env).chain.contracts.maxTxGas);
    const answer = await callContract(c.env, request);
    switch (answer.status) {
      case "no_contract":
        throw noContract();
      case "refused":
        throw new ApiError(400, answer.code, answer.message);
      case "busy":
        throw new ApiError(
          503,
          "busy",
          "the node is busy with other reads, or blocks kept committing during the call: retry",
        );
    }
    const { outcome } = answer;
    return c.json(
      {
        height: answer.height,
        outcome: {
          code: outcome.code,
          gasUsed: outcome.gasUsed.toString(),
          returnData: toHex(outcome.returnData),
          logs: outcome.logs.map((l) => ({
            contract: contractText(l.contract),
            topics: l.topics.map(toHex),
            data: toHex(l.data),
          })),
        },
      },
      200,
    );
  });

  app.openapi(info, async (c) => {
    const view = await contractInfo(c.env, contractAddressOf(c.req.valid("param").address));
    if (view === null) {
      throw noContract();
    }
    return c.json(view, 200);
  });

  app.openapi(events, async (c) => {
    const contract = toHex(contractAddressOf(c.req.valid("param").address));
    const { from, limit } = c.req.valid("query");
    return c.json(await contractEventsPage(c.env, contract, from, limit), 200);
  });
}
