/**
 * The wallet's HTTPS client for a SERO Edge node. Every answer is validated
 * before use: a node that is down, slow or answers garbage gives a
 * WalletError with a stable code and a message that says what to do.
 */
import { z } from "zod";
import { fromHex } from "../codec/bytes.ts";
import { type CompactPage, decodeCompactPage } from "../protocol/compact.ts";
import { type Fr, frFromBytes } from "../protocol/field.ts";
import { IncrementalTree } from "../protocol/merkle/tree.ts";
import { encodeTransaction } from "../protocol/tx/codec.ts";
import type { Transaction } from "../protocol/tx/types.ts";
import { WalletError } from "./errors.ts";

const Hex = z.string().regex(/^([0-9a-f]{2})*$/);
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const Int = z.number().int().nonnegative();

const Status = z.object({
  chainId: z.string(),
  height: Int.nullable(),
  anchor: Hex32.nullable(),
  minFee: z.string().regex(/^\d+$/),
  anchorWindow: z.number().int().positive(),
});

const TreeState = z.object({ height: Int, anchor: Hex32, size: Int, frontier: Hex });

const TxStatus = z.object({
  id: Hex32,
  status: z.enum(["pending", "committed", "rejected"]),
  height: Int.nullable(),
  code: z.string().nullable(),
});

const AssetJson = z.object({
  id: Hex32,
  kind: z.enum(["token", "ticket"]),
  name: z.string(),
  decimals: z.number().int().min(0).max(38),
  supply: z.string().regex(/^\d+$/),
});

export type AssetInfo = z.infer<typeof AssetJson>;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type NodeStatus = {
  chainId: string;
  height: number | null;
  anchor: Fr | null;
  minFee: bigint;
  anchorWindow: number;
};

export type TxStatus = z.infer<typeof TxStatus>;

/** Hex the schema already checked; decoding cannot fail, but the type says it may. */
function bytes(hex: string): Uint8Array {
  const decoded = fromHex(hex);
  if (!decoded) {
    throw new WalletError("bad_node_response", "the node sent invalid hex");
  }
  return decoded;
}

const fe = (hex: string): Fr => frFromBytes(bytes(hex));

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

  /** Registered assets (public): names, decimals and supply. */
  async assets(): Promise<AssetInfo[]> {
    return (await this.#get("/v1/assets", z.object({ assets: z.array(AssetJson) }))).assets;
  }

  async txStatus(id: string): Promise<TxStatus | undefined> {
    return this.#get(`/v1/tx/${id}`, TxStatus, true);
  }

  /** Submits the canonical bytes; answers the id once a replica admitted it. */
  async submit(tx: Transaction): Promise<string> {
    const answer = await this.#request(
      "/v1/tx",
      { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: encodeTransaction(tx) },
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
      throw new WalletError(error.data.error.code, error.data.error.message, response.status);
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
