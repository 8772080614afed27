/**
 * The explorer in a real Chromium against a local testnet (one deployment,
 * four validators): the home page shows the live height and every validator,
 * and advances without a reload when a faucet transfer commits; that
 * transaction's page shows no amount, memo or owner; search finds it. Saves
 * screenshots of the main pages at a laptop's and a phone's width.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWranglerDev, stopProcess, waitForValidators, waitUntil } from "../../scripts/local-testnet.ts";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { encodeOneTimeAddress, oneTimeAddressAt } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeText } from "../../src/protocol/text.ts";
import fixtures from "../fixtures/chain/transfers.json" with { type: "json" };
import { type GuardedPage, launchChromium, openGuardedPage, screenshot, WIDTHS } from "./chromium.ts";

const PORT = 48887;
const NODE = `http://127.0.0.1:${PORT}`;
/** payBob (test/fixtures/chain/make.ts): 3 SERO to Bob's first one-time address, memo "first payment". */
const BOB = oneTimeAddressAt(deriveSpendingKeys(new Uint8Array(32).fill(0xb0)), 0);
const PAYMENT_SECRETS = [
  "first payment",
  "3000000000000000000",
  "3 SERO",
  toHex(encodeOneTimeAddress(BOB)),
  encodeText("oneTimeAddress", encodeOneTimeAddress(BOB)),
];

const state = mkdtempSync(join(tmpdir(), "sero-explorer-"));
let node: ChildProcess;
let browser: Browser;
let home: GuardedPage;

beforeAll(async () => {
  node = startWranglerDev({ port: PORT, state });
  [browser] = await Promise.all([launchChromium(), waitForValidators(NODE, "all")]);
  home = await openGuardedPage(browser, NODE, WIDTHS.desktop);
}, 200_000);

afterAll(async () => {
  await browser?.close();
  if (node) {
    stopProcess(node);
  }
  rmSync(state, { recursive: true, force: true });
});

const heightShown = async (g: GuardedPage) => Number(await g.page.locator("#height").textContent());

async function settled(id: string): Promise<{ status: string; height: number }> {
  return waitUntil(
    async () => {
      const body = (await (await fetch(`${NODE}/v1/tx/${id}`)).json()) as { status: string; height: number };
      return body.status === "committed" || body.status === "rejected" ? body : undefined;
    },
    60_000,
    `transaction ${id} to settle`,
  );
}

/** Opens `path` at both widths, checks the page fits a phone's width, and saves both screenshots. */
async function photograph(path: string, name: string): Promise<void> {
  for (const [label, width] of Object.entries(WIDTHS)) {
    const g = await openGuardedPage(browser, NODE, width);
    const res = await g.page.goto(`${NODE}${path}`);
    expect(res?.status(), path).toBe(200);
    // Wide ids and tables scroll inside their own boxes: the page itself never scrolls sideways.
    // Expressions as text: this project's TypeScript has no DOM library, the page runs them as they are.
    const overflow = await g.page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
    await screenshot(g.page, `explorer-${name}-${label}`);
    expect(g.foreignRequests).toEqual([]);
    expect(g.scriptErrors).toEqual([]);
    await g.context.close();
  }
}

describe("the explorer in Chromium", () => {
  let txId = "";
  let txHeight = 0;

  it("shows the live height and the four validators, and advances without a reload when a transfer commits", async () => {
    const { page } = home;
    await page.goto(`${NODE}/`);
    await expect.poll(() => page.locator("tr[data-validator]").count()).toBe(4);
    const before = await heightShown(home);
    expect(before).toBeGreaterThanOrEqual(0);
    expect(await page.locator(".privacy").textContent()).toContain("never visible");

    const res = await fetch(`${NODE}/v1/tx`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: fromHex(fixtures.payBob) as Uint8Array,
    });
    expect(res.status).toBe(202);
    txId = ((await res.json()) as { id: string }).id;
    const outcome = await settled(txId);
    expect(outcome.status).toBe("committed");
    txHeight = outcome.height;

    // The live script swaps in the new fragment: the same document, no navigation.
    await page.evaluate("window.sameDocument = true");
    await page.waitForFunction(`Number(document.getElementById("height").textContent) >= ${txHeight}`, undefined, {
      timeout: 15_000,
    });
    expect(await page.evaluate("window.sameDocument")).toBe(true);
    await expect.poll(() => page.locator(`a[href="/tx/${txId}"]`).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator("#since").textContent()).toMatch(/^\d+ s$/);
    await screenshot(page, "explorer-home-live");
    expect(home.foreignRequests).toEqual([]);
    expect(home.scriptErrors).toEqual([]);
  });

  it("opens the transaction from the home page: kind and status, never its amount, memo or owner", async () => {
    const { page } = home;
    await page.locator(`a[href="/tx/${txId}"]`).first().click();
    await page.waitForURL(`${NODE}/tx/${txId}`);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("transfer");
    expect(text).toContain("committed");
    expect(text).toContain("Nullifiers");
    const html = await page.content();
    for (const secret of PAYMENT_SECRETS) {
      expect(html.includes(secret), `the tx page shows ${secret}`).toBe(false);
    }
  });

  it("searches by transaction id, height and asset symbol, by keyboard", async () => {
    const { page } = home;
    /** Types `q` into the header's search box and presses Enter; resolves once the browser is at `path`. */
    const search = async (q: string, path: string) => {
      await page.locator("#q").focus();
      await page.keyboard.type(q);
      await Promise.all([page.waitForURL((url) => url.pathname === path), page.keyboard.press("Enter")]);
    };
    await search(txId, `/tx/${txId}`);
    await search(String(txHeight), `/block/${txHeight}`);
    await search("sero", `/asset/${toHex(frToBytes(SERO_ASSET_ID))}`);
    await search("no such thing!", "/search");
    expect(await page.locator("h1").textContent()).toBe("Bad request");
  });

  it("saves the main pages at 1280 and 375 px", async () => {
    await photograph("/", "home");
    await photograph(`/block/${txHeight}`, "block");
    await photograph(`/tx/${txId}`, "tx");
    await photograph(`/asset/${toHex(frToBytes(SERO_ASSET_ID))}`, "asset");
  });
});
