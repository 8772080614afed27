/** Names and decimals of assets, from the node's public registry, for reading and writing amounts. */
import { fromHex, toHex } from "../codec/bytes.ts";
import {
  type AssetId,
  type AssetValue,
  checkSymbol,
  SERO_ASSET_ID,
  SERO_DECIMALS,
  tokenId,
} from "../protocol/asset.ts";
import { type Fr, frFromBytes, frToBytes } from "../protocol/field.ts";
import { WalletError } from "../wallet/errors.ts";
import type { AssetInfo, NodeClient } from "../wallet/node-client.ts";
import { formatAmount } from "./amount.ts";

export class AssetBook {
  readonly #byId: Map<string, AssetInfo>;

  private constructor(assets: readonly AssetInfo[]) {
    this.#byId = new Map(assets.map((a) => [a.id, a]));
  }

  static async load(client: NodeClient): Promise<AssetBook> {
    return new AssetBook(await client.assets());
  }

  #info(id: Fr): AssetInfo | undefined {
    return this.#byId.get(toHex(frToBytes(id)));
  }

  /** A token named by symbol (SERO, USDX) or by its 64-hex id. */
  token(text: string): { id: AssetId; symbol: string; decimals: number } {
    const id = /^[0-9a-f]{64}$/.test(text) ? (frFromBytes(fromHex(text) as Uint8Array) as AssetId) : undefined;
    const asset = id ?? tokenId(checkSymbol(text.toUpperCase()));
    if (asset === SERO_ASSET_ID) {
      return { id: asset, symbol: "SERO", decimals: SERO_DECIMALS };
    }
    const info = this.#info(asset);
    if (info?.kind !== "token") {
      throw new WalletError("unknown_asset", `no token ${text} is registered on this chain (see GET /v1/assets)`);
    }
    return { id: asset, symbol: info.name, decimals: info.decimals };
  }

  /** A ticket category's registered name. */
  categoryName(category: Fr): string | undefined {
    const info = this.#info(category);
    return info?.kind === "ticket" ? info.name : undefined;
  }

  /**
   * How a note's value reads: "1.5 SERO", or "CONCERT ticket 0a1b…" with the whole 64-hex id, the one
   * form `--ticket ID` takes.
   */
  describe(value: AssetValue, amount?: bigint): string {
    if (value.kind === "ticket") {
      const category = this.categoryName(value.category) ?? `category ${toHex(frToBytes(value.category))}`;
      return `${category} ticket ${toHex(value.ticketId)}`;
    }
    const { symbol, decimals } = this.nameOf(value.asset);
    return `${formatAmount(amount ?? value.amount, decimals)} ${symbol}`;
  }

  nameOf(asset: AssetId): { symbol: string; decimals: number } {
    if (asset === SERO_ASSET_ID) {
      return { symbol: "SERO", decimals: SERO_DECIMALS };
    }
    const info = this.#info(asset);
    return info ? { symbol: info.name, decimals: info.decimals } : { symbol: toHex(frToBytes(asset)), decimals: 0 };
  }
}
