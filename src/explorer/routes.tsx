/**
 * The explorer's pages, served by the API's Worker (src/worker.ts) at `/`.
 * Every path parameter is checked before any read: malformed input is a 400
 * page, an unknown height or id a 404 page, never a 500.
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, Bindings } from "../api/context.ts";
import { ApiError } from "../api/errors.ts";
import { txPresence } from "../api/replicas.ts";
import { indexedAsset } from "../api/routes/assets.ts";
import { indexedBlock } from "../api/routes/blocks.ts";
import { contractAddressOf } from "../api/routes/contracts.ts";
import { nullifierSpend } from "../api/routes/nullifiers.ts";
import { indexedTransaction } from "../api/routes/transactions.ts";
import { fromHex } from "../codec/bytes.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { encodeText } from "../protocol/text.ts";
import { AssetPage, issuanceHistory } from "./pages/asset.tsx";
import { BlockPage } from "./pages/block.tsx";
import { ContractPage, loadContract } from "./pages/contract.tsx";
import { ErrorPage } from "./pages/error.tsx";
import { HomePage, Live, liveData } from "./pages/home.tsx";
import { NullifierPage } from "./pages/nullifier.tsx";
import { SearchResults } from "./pages/search.tsx";
import { loadTransaction, TxPage } from "./pages/tx.tsx";
import { classifyQuery, heightOf, hex32Of, MAX_QUERY_CHARS } from "./params.ts";
import { assetsNamed, indexedContract, tipHeight } from "./queries.ts";

const badRequest = (message: string) => new ApiError(400, "bad_request", message);
const notFound = (message: string) => new ApiError(404, "not_found", message);

function hex32Param(text: string, what: string): string {
  const hex = hex32Of(text);
  if (hex === undefined) {
    throw badRequest(`A ${what} is 64 hex digits.`);
  }
  return hex;
}

/** Where a 64-hex-digit search goes: a transaction, a spent nullifier or an asset, in that order. */
async function locateHex32(env: Bindings, hex: string): Promise<string | undefined> {
  const [tx, spend, asset] = await Promise.all([
    indexedTransaction(env, hex),
    nullifierSpend(env, hex),
    indexedAsset(env, hex),
  ]);
  if (tx) {
    return `/tx/${hex}`;
  }
  if (spend) {
    return `/nullifier/${hex}`;
  }
  if (asset) {
    return `/asset/${hex}`;
  }
  return (await txPresence(env, hex)).status === "unknown" ? undefined : `/tx/${hex}`;
}

export function explorerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => c.html(<HomePage data={await liveData(c.env)} />));

  app.get("/live", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(<Live data={await liveData(c.env)} />);
  });

  app.get("/block/:height", async (c) => {
    const height = heightOf(c.req.param("height"));
    if (height === undefined) {
      throw badRequest("A block height is a whole number, without leading zeros.");
    }
    const [found, tip] = await Promise.all([indexedBlock(c.env, height), tipHeight(c.env)]);
    if (!found) {
      throw notFound(`No block at height ${height} yet: the chain is at height ${tip}.`);
    }
    return c.html(<BlockPage found={found} tip={tip} />);
  });

  app.get("/tx/:id", async (c) => {
    const id = hex32Param(c.req.param("id"), "transaction id");
    const data = await loadTransaction(c.env, id);
    if (!data) {
      throw notFound("No transaction with this id is committed, rejected or pending here.");
    }
    return c.html(<TxPage data={data} />);
  });

  app.get("/asset/:id", async (c) => {
    const asset = await indexedAsset(c.env, hex32Param(c.req.param("id"), "asset id"));
    if (!asset) {
      throw notFound("No asset with this id is registered.");
    }
    const history = await issuanceHistory(c.env, asset, await tipHeight(c.env));
    return c.html(<AssetPage asset={asset} history={history} />);
  });

  app.get("/nullifier/:nf", async (c) => {
    const nf = hex32Param(c.req.param("nf"), "nullifier");
    return c.html(<NullifierPage nf={nf} spend={await nullifierSpend(c.env, nf)} />);
  });

  app.get("/contract/:address", async (c) => {
    const text = c.req.param("address").toLowerCase();
    const data = await loadContract(c.env, text, contractAddressOf(text));
    if (!data) {
      throw notFound("No contract has this address.");
    }
    return c.html(<ContractPage data={data} />);
  });

  app.get("/search", async (c) => {
    const raw = (c.req.query("q") ?? "").trim();
    if (raw.length === 0 || raw.length > MAX_QUERY_CHARS) {
      throw badRequest(
        "Search for a block height, a transaction id, a nullifier, an asset symbol or a contract address.",
      );
    }
    const query = classifyQuery(raw);
    if (query === undefined) {
      throw badRequest(`"${raw}" is not a height, a 64-digit id, an asset symbol or a contract address.`);
    }
    switch (query.kind) {
      case "height":
        return c.redirect(`/block/${query.height}`);
      case "contract":
        return c.redirect(`/contract/${query.text}`);
      case "hex32": {
        const target = await locateHex32(c.env, query.hex);
        if (target === undefined) {
          throw notFound("No transaction, spent nullifier or asset has this id.");
        }
        return c.redirect(target);
      }
      case "evm": {
        const row = await indexedContract(c.env, { evm: query.hex });
        if (!row) {
          throw notFound("No contract has this EVM address.");
        }
        return c.redirect(`/contract/${encodeText("contractAddress", fromHex(row.address) as Uint8Array)}`);
      }
      case "asset": {
        const found = await assetsNamed(c.env, query.name);
        if (found.length === 1 && found[0]) {
          return c.redirect(`/asset/${found[0].id}`);
        }
        if (found.length === 0) {
          throw notFound(`No asset is named ${query.name}.`);
        }
        return c.html(<SearchResults query={raw} assets={found} />);
      }
    }
  });

  app.onError((err, c) => {
    const page = (status: ContentfulStatusCode, code: string, message: string) =>
      c.html(<ErrorPage status={status} code={code} message={message} />, status);
    if (err instanceof ApiError) {
      return page(err.status, err.code, err.message);
    }
    if (err instanceof ProtocolError) {
      return page(400, err.code, err.message);
    }
    console.error(err);
    return page(500, "internal", "The node could not answer this page. Try again shortly.");
  });
  return app;
}

/** Whether a request no route matched came from a browser looking for a page rather than from an API client. */
export function wantsPage(c: Context<AppEnv>): boolean {
  return !c.req.path.startsWith("/v1/") && (c.req.header("Accept") ?? "").includes("text/html");
}

export function notFoundPage(c: Context<AppEnv>) {
  return c.html(<ErrorPage status={404} code="not_found" message={`There is no page at ${c.req.path}.`} />, 404);
}
