/**
 * Serves a synthetic chain (test/fixtures/wallet/synthetic-chain.ts) to a
 * browser context as the node's own API: the wallet page still comes from a
 * real local testnet, but its /v1 requests (page and wallet worker alike) are
 * answered with the synthetic chain's real node page format.
 */
import type { BrowserContext } from "playwright-core";
import { fakeNode, type SyntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

export type RouteOptions = {
  /** Held back before each sync page is answered, so a test can act mid-sync. */
  readonly syncDelayMs?: number;
};

export async function routeSyntheticNode(
  context: BrowserContext,
  chain: SyntheticChain,
  options: RouteOptions = {},
): Promise<void> {
  const node = fakeNode(chain, 100);
  await context.route(/\/v1\//, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === "/v1/assets") {
      await route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ assets: [] }) });
      return;
    }
    if (url.pathname === "/v1/sync" && options.syncDelayMs) {
      await new Promise((r) => setTimeout(r, options.syncDelayMs));
    }
    const answer = await node(url.toString(), { method: route.request().method() });
    await route.fulfill({
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: Buffer.from(await answer.arrayBuffer()),
    });
  });
}
