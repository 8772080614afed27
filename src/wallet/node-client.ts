/**
 * The wallet's HTTPS client for a SERO Edge node. Every answer is validated
 * before use: a node that is down, slow or answers garbage gives a
 * WalletError with a stable code and a message that says what to do.
 */
import { z } from "zod";
import { fromHex, toHex } from "../codec/bytes.ts";
import { type CompactPage, decodeCompactPage } from "../protocol/compact.ts";
import type { PublicValue } from "../protocol/contract-notes.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import { IncrementalTree } from "../protocol/merkle/tree.ts";
import { encodeText } from "../protocol/text.ts";
import { encodeTransaction } from "../protocol/tx/codec.ts";
import type { Caller, Transaction } from "../protocol/tx/types.ts";
import type { ContractFeeParams } from "./contract-tx.ts";
import { WalletError } from "./errors.ts";

const Hex = z.string().regex(/^([0-9a-f]{2})*$/);
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const Int = z.number().int().nonnegative();
const Dec = z.string().regex(/^\d{1,78}$/);
const ContractText = z.string().regex(/^seroc1[02-9ac-hj-np-z]+$/);

const Status = z.object({
  chainId: z.string(),
  height: Int.nullable(),
  anchor: Hex32.nullable(),
  minFee: z.string().regex(/^\d+$/),
  anchorWindow: z.number().int().positive(),
  /** Absent on a node without contracts (PROTOCOL.md §10.1). */
  contracts: z.object({ hardfork: z.string(), gasPrice: Dec, maxTxGas: Dec, blockGasLimit: Dec }).nullish(),
});

const TreeState = z.object({ height: Int, anchor: Hex32, size: Int, frontier: Hex });

const BlockAnswer = z.object({ block: z.object({ height: Int, stateRoot: Hex32, anchor: Hex32 }) });

const TxStatus = z.object({
  id: Hex32,
  status: z.enum(["pending", "committed", "rejected"]),
  height: Int.nullable(),
  code: z.string().nullable(),
  /** A committed deploy's or call's outcome (§10.6). */
  outcome: z.object({ code: z.string(), gasUsed: Dec, returnData: Hex, contract: ContractText.nullable() }).nullish(),
});

const ContractCallAnswer = z.object({
  height: Int,
  outcome: z.object({
    code: z.string(),
    gasUsed: Dec,
    returnData: Hex,
    logs: z.array(z.object({ contract: ContractText, topics: z.array(Hex32), data: Hex })),
  }),
});

const ContractInfo = z.object({
  address: ContractText,
  evmAddress: z.string().regex(/^0x[0-9a-f]{40}$/),
  codeHash: Hex32,
  createdAt: Int,
  balances: z.array(z.object({ asset: Hex32, name: z.string(), amount: Dec })),
  tickets: z.array(z.object({ category: Hex32, name: z.string(), ticketId: Hex32 })),
});

const ContractEvents = z.object({
  events: z.array(z.object({ height: Int, txId: Hex32, logIndex: Int, topics: z.array(Hex32), data: Hex })),
  next: Int.nullable(),
});

export type ContractInfo = z.infer<typeof ContractInfo>;
export type ContractEvents = z.infer<typeof ContractEvents>;

/** A dry run of a call at the node's tip (§10.7), as POST /v1/contracts/{address}/call takes it. */
export type ContractCallRequest = {
  readonly calldata: Uint8Array;
  readonly gasLimit?: bigint;
  readonly caller?: Caller;
  readonly value?: PublicValue;
};

export type ContractCallResult = {
  readonly height: number;
  readonly outcome: {
    readonly code: string;
    readonly gasUsed: bigint;
    readonly returnData: Uint8Array;
    readonly logs: readonly { readonly contract: string; readonly topics: readonly string[]; readonly data: string }[];
  };
};

/** Most events one page answers. */
export const MAX_EVENTS_PAGE = 1000;

const AssetJson = z.object({
  id: Hex32,
  kind: z.enum(["token", "ticket"]),
  name: z.string(),
  decimals: z.number().int().min(0).max(38),
  supply: z.string().regex(/^\d+$/),
});

export type AssetInfo = z.infer<typeof AssetJson>;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

export type NodeStatus = {
  chainId: string;
  height: number | null;
  anchor: Fr | null;
  minFee: bigint;
  anchorWindow: number;
  /** The chain's gas parameters, undefined when the node has no contracts. */
  contracts: ContractFeeParams | undefined;
};

export type TxStatus = z.infer<typeof TxStatus>;

/** What identifies a committed block: its state root and its anchor (the commitment tree's root after it). */
export type BlockIdentity = { readonly height: number; readonly stateRoot: string; readonly anchor: Fr };

/** Hex the schema already checked; decoding cannot fail, but the type says it may. */
function bytes(hex: string): Uint8Array {
  const decoded = fromHex(hex);
  if (!decoded) {
    throw new WalletError("bad_node_response", "the node sent invalid hex");
  }
  return decoded;
}

const fe = (hex: string): Fr => frFromBytes(bytes(hex));

/** What a refusal without a message means. */
const REFUSALS: Readonly<Record<string, string>> = {
  no_contract: "no contract lives at this address on the node's chain (check --to, or sero sync and try again)",
};

/** A contract's routes are under its text address (§3.5). */
const contractPath = (contract: Uint8Array) => `/v1/contracts/${encodeText("contractAddress", contract)}`;

export type NodeClientOptions = { readonly timeoutMs?: number; readonly fetch?: typeof fetch };

export class NodeClient {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(url: string, options: NodeClientOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WalletError("bad_node_url", `${url} is not a URL: give --node http(s)://host:port`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new WalletError("bad_node_url", `${url}: the node is reached over http(s)`);
    }
    this.url = parsed.origin;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
  }

  async status(): Promise<NodeStatus> {
    const s = await this.#get("/v1/status", Status);
    return {
      chainId: s.chainId,
      height: s.height,
      anchor: s.anchor === null ? null : fe(s.anchor),
      minFee: BigInt(s.minFee),
      anchorWindow: s.anchorWindow,
      contracts:
        s.contracts == null
          ? undefined
          : { gasPrice: BigInt(s.contracts.gasPrice), maxTxGas: BigInt(s.contracts.maxTxGas) },
    };
  }

  /** Compact blocks [from, to] (one page, binary: PROTOCOL.md §9); `next` is where the following page starts. */
  async sync(from: number, to: number): Promise<CompactPage> {
    const response = await this.#send(`/v1/sync?from=${from}&to=${to}`, {
      method: "GET",
      headers: { Accept: "application/octet-stream" },
    });
    if (!response.ok || response.headers.get("Content-Type") !== "application/octet-stream") {
      await this.#refusal(response);
    }
    try {
      return decodeCompactPage(new Uint8Array(await response.arrayBuffer()));
    } catch (e) {
      throw new WalletError("bad_node_response", `the node sent an invalid compact page: ${(e as Error).message}`);
    }
  }

  /** The commitment tree after block `height`, checked against that block's anchor. */
  async treeAfter(height: number): Promise<{ tree: IncrementalTree; anchor: Fr }> {
    const state = await this.#get(`/v1/tree/${height}`, TreeState);
    let tree: IncrementalTree;
    try {
      tree = IncrementalTree.decode(bytes(state.frontier));
    } catch (e) {
      throw new WalletError("bad_node_response", `the node sent an invalid frontier: ${(e as Error).message}`);
    }
    const anchor = fe(state.anchor);
    if (tree.size !== state.size || tree.root() !== anchor) {
      throw new WalletError("tree_mismatch", "the node's frontier does not match its anchor: use another node");
    }
    return { tree, anchor };
  }

  /** A committed block's roots (GET /v1/blocks/{height}); `not_found` above the node's tip. */
  async block(height: number): Promise<BlockIdentity> {
    const { block } = await this.#get(`/v1/blocks/${height}`, BlockAnswer);
    if (block.height !== height) {
      throw new WalletError("bad_node_response", `asked for block ${height}, the node answered block ${block.height}`);
    }
    return { height, stateRoot: block.stateRoot, anchor: fe(block.anchor) };
  }

  /** Registered assets (public): names, decimals and supply. */
  async assets(): Promise<AssetInfo[]> {
    return (await this.#get("/v1/assets", z.object({ assets: z.array(AssetJson) }))).assets;
  }

  async txStatus(id: string): Promise<TxStatus | undefined> {
    return this.#get(`/v1/tx/${id}`, TxStatus, true);
  }

  /**
   * Runs a call at the node's tip with its changes discarded (§10.7): a read, and a gas estimate for a
   * transaction with the same caller and value. `no_contract` when nothing lives at `contract`.
   */
  async callContract(contract: Uint8Array, request: ContractCallRequest): Promise<ContractCallResult> {
    const body = {
      calldata: toHex(request.calldata),
      ...(request.gasLimit === undefined ? {} : { gasLimit: request.gasLimit.toString() }),
      ...(request.caller === undefined
        ? {}
        : { caller: { pkr: toHex(request.caller.pkr), key: toHex(request.caller.key) } }),
      ...(request.value === undefined
        ? {}
        : {
            value: {
              assetKind: request.value.assetKind,
              assetRef: toHex(frToBytes(request.value.assetRef)),
              value: toHex(request.value.value),
            },
          }),
    };
    const answer = (await this.#request(
      `${contractPath(contract)}/call`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
      ContractCallAnswer,
    )) as z.infer<typeof ContractCallAnswer>;
    const { code, gasUsed, returnData, logs } = answer.outcome;
    return { height: answer.height, outcome: { code, gasUsed: BigInt(gasUsed), returnData: bytes(returnData), logs } };
  }

  /** A contract's public record: EVM address, code hash, creation height, what it holds. */
  async contractInfo(contract: Uint8Array): Promise<ContractInfo> {
    return this.#get(contractPath(contract), ContractInfo);
  }

  /** A contract's logs from block `from` on, at most `limit` (≤ 1000); `next` is where the following page starts. */
  async contractEvents(contract: Uint8Array, from: number, limit = MAX_EVENTS_PAGE): Promise<ContractEvents> {
    return this.#get(`${contractPath(contract)}/events?from=${from}&limit=${limit}`, ContractEvents);
  }

  /** Submits the canonical bytes; answers the id once a replica admitted it. */
  async submit(tx: Transaction): Promise<string> {
    const answer = await this.#request(
      "/v1/tx",
      {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: encodeTransaction(tx) as Uint8Array<ArrayBuffer>,
      },
      z.object({ id: Hex32 }),
    );
    return (answer as { id: string }).id;
  }

  #get<T>(path: string, schema: z.ZodType<T>, notFoundIsUndefined?: false): Promise<T>;
  #get<T>(path: string, schema: z.ZodType<T>, notFoundIsUndefined: true): Promise<T | undefined>;
  #get<T>(path: string, schema: z.ZodType<T>, notFoundIsUndefined = false): Promise<T | undefined> {
    return this.#request(path, { method: "GET" }, schema, notFoundIsUndefined);
  }

  async #send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(`${this.url}${path}`, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      const reason = (e as Error).name === "TimeoutError" ? "did not answer in time" : "is unreachable";
      throw new WalletError("node_unreachable", `the node at ${this.url} ${reason}: is it running? (--node URL)`);
    }
  }

  /** The node's refusal as a WalletError with its code, or bad_node_response. */
  async #refusal(response: Response): Promise<never> {
    const error = ErrorBody.safeParse(await response.json().catch(() => undefined));
    if (!response.ok && error.success) {
      const { code, message } = error.data.error;
      throw new WalletError(code, message ?? REFUSALS[code] ?? `the node refused (${code})`, response.status);
    }
    throw new WalletError("bad_node_response", `the node at ${this.url} answered ${response.status} unexpectedly`);
  }

  async #request<T>(
    path: string,
    init: RequestInit,
    schema: z.ZodType<T>,
    notFoundIsUndefined = false,
  ): Promise<T | undefined> {
    const response = await this.#send(path, init);
    if (response.status === 404 && notFoundIsUndefined) {
      return undefined;
    }
    if (!response.ok) {
      await this.#refusal(response);
    }
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch {
      throw new WalletError("bad_node_response", `the node at ${this.url} answered ${response.status} with non-JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new WalletError("bad_node_response", `the node at ${this.url} answered ${path} with an unexpected shape`);
    }
    return parsed.data;
  }
}
