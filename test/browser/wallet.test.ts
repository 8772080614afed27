/**
 * The browser wallet in a real Chromium (Debian's, driven by playwright-core)
 * against a local testnet on port 58887 with its faucet on 58888: two
 * wallets in two browser contexts, the faucet, a payment to a one-time
 * address with a memo, exact balances on both sides; a wrong passphrase
 * refused; a reload in the middle of a sync resumes from the last saved page
 * (a synthetic chain served as the node's pages, so there are several).
 * Screenshots of the main screens go to test-output/screenshots/.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWranglerDev, stopProcess, waitForValidators } from "../../scripts/local-testnet.ts";
import { DEV_FAUCET_SEED } from "../../src/chain/dev-keys.ts";
import { formatAmount } from "../../src/cli/amount.ts";
import { Faucet } from "../../src/faucet/faucet.ts";
import { type FaucetServer, serveFaucet } from "../../src/faucet/server.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { seedToMnemonic } from "../../src/protocol/mnemonic.ts";
import { releaseProverThreads } from "../../src/prover/index.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";
import { type GuardedPage, launchChromium, openGuardedPage, screenshot, WIDTHS } from "./chromium.ts";
import { routeSyntheticNode } from "./synthetic-node.ts";

const PORT = 58887;
const FAUCET_PORT = 58888;
const NODE = `http://127.0.0.1:${PORT}`;
const SERO = 10n ** 18n;
/** The wallet worker answers one request at a time: a click may wait behind a sync. */
const WORKER_BUSY = { timeout: 30_000 };

let root: string;
let testnet: ChildProcess | undefined;
let faucet: FaucetServer | undefined;
let browser: Browser | undefined;

const shot = (page: Page, name: string) => screenshot(page, `wallet-${name}`);
/** Every page the suite opens: 375 px wide, refused any host but the node, script errors recorded. */
const opened: GuardedPage[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sero-browser-wallet-"));
  testnet = startWranglerDev({
    port: PORT,
    state: join(root, "testnet"),
    vars: { FAUCET_URL: `http://127.0.0.1:${FAUCET_PORT}` },
  });
  await waitForValidators(NODE, "all");
  const drip = await Faucet.create(deriveSpendingKeys(DEV_FAUCET_SEED), new NodeClient(NODE), 1_000n * SERO);
  faucet = await serveFaucet(drip, FAUCET_PORT);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await faucet?.close();
  await releaseProverThreads();
  if (testnet) {
    stopProcess(testnet);
  }
  rmSync(root, { recursive: true, force: true });
});

/** A wallet page in a fresh browser profile; `before` runs first (a route for a synthetic node). */
async function openWallet(before?: (g: GuardedPage) => Promise<void>): Promise<Page> {
  if (!browser) {
    throw new Error("no browser");
  }
  const guarded = await openGuardedPage(browser, NODE, WIDTHS.phone);
  opened.push(guarded);
  await before?.(guarded);
  await guarded.page.goto(`${NODE}/wallet/`);
  return guarded.page;
}

/** Creates a wallet with a new account by keyboard alone; answers its 24 words. */
async function createWallet(page: Page, passphrase: string, name: string): Promise<string> {
  await page.locator("#create-form-passphrase").fill(passphrase);
  await page.locator("#create-form-passphrase2").fill(passphrase);
  await page.keyboard.press("Enter");
  const words = (await page.locator("#mnemonic").textContent({ timeout: 30_000 })) ?? "";
  await shot(page, `${name}-mnemonic`);
  await page.locator("#mnemonic-done").press("Enter");
  await page.locator("#tab-balances").waitFor();
  return words;
}

async function spendable(page: Page, symbol: string, expected: string, timeout = 60_000): Promise<void> {
  await page.locator("#tab-balances").click();
  await expect
    .poll(
      async () =>
        page
          .locator(`tr[data-asset="${symbol}"] .spendable`)
          .textContent({ timeout: 1_000 })
          .catch(() => ""),
      {
        timeout,
      },
    )
    .toBe(expected);
}

describe("browser wallet", () => {
  let alice: Page;
  let bob: Page;

  it("two wallets: the faucet pays one, it pays the other's one-time address with a memo, balances exact", async () => {
    // The page and its workers may reach this node and no other host (src/web/wallet/_headers).
    const csp = (await fetch(`${NODE}/wallet/`)).headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    // Static assets under /wallet/ only: the explorer and the API still reach the Worker first.
    const home = await fetch(`${NODE}/`);
    expect(home.headers.get("Content-Type")).toContain("text/html");
    expect(await home.text()).not.toContain("SERO wallet</title>");
    expect((await fetch(`${NODE}/v1/status`)).headers.get("Content-Type")).toContain("application/json");
    expect((await fetch(`${NODE}/wallet`, { redirect: "manual" })).headers.get("Location")).toMatch(/\/wallet\/$/);
    alice = await openWallet();
    bob = await openWallet();
    await shot(alice, "welcome");
    const words = await createWallet(alice, "alice passphrase", "alice");
    expect(words.split(" ")).toHaveLength(24);
    await createWallet(bob, "bob passphrase", "bob");

    await alice.locator("#faucet:not([hidden])").click({ timeout: 30_000 });
    await expect
      .poll(() => alice.locator("#notice").textContent(), { timeout: 120_000 })
      .toContain("received 1000 SERO");
    await spendable(alice, "SERO", "1000");
    await shot(alice, "balances");

    await bob.locator("#tab-receive").click();
    await expect.poll(() => bob.locator("#one-time-address").textContent(), WORKER_BUSY).toMatch(/^seror1/);
    const oneTime = (await bob.locator("#one-time-address").textContent()) ?? "";
    await expect(bob.locator("#public-address").textContent()).resolves.toMatch(/^sero1/);
    expect(await bob.locator(".qr svg").count()).toBe(2);
    await shot(bob, "receive");

    const { minFee } = await new NodeClient(NODE).status();
    await alice.locator("#tab-send").click();
    await alice.locator("#to").fill(oneTime);
    await alice.locator("#amount").fill("12.5");
    await alice.locator("#memo").fill("lunch at the edge");
    await alice.locator("#memo").press("Enter");
    await expect
      .poll(() => alice.locator("#plan-summary").textContent(), WORKER_BUSY)
      .toContain("1 transaction (payment), 0 merges");
    await shot(alice, "send-plan");
    await alice.locator("#confirm-send").press("Enter");
    await expect
      .poll(() => alice.locator("#notice").textContent(), { timeout: 240_000, interval: 1_000 })
      .toContain("Sent and committed");
    await shot(alice, "sent");
    await spendable(alice, "SERO", formatAmount(1_000n * SERO - (125n * SERO) / 10n - minFee, 18));

    await bob.locator("#sync").click();
    await spendable(bob, "SERO", "12.5");
    await bob.locator("#tab-history").click();
    await expect(bob.locator("#history").textContent()).resolves.toContain("received 12.5 SERO");
    await expect(bob.locator("#history").textContent()).resolves.toContain("memo: lunch at the edge");
    await shot(bob, "history");
    await alice.locator("#tab-history").click();
    await expect(alice.locator("#history").textContent()).resolves.toContain("memo: lunch at the edge");
  }, 420_000);

  it("refuses a wrong passphrase and unlocks with the right one", async () => {
    await bob.locator("#lock").click();
    await bob.locator("#unlock-passphrase").fill("not bob's passphrase");
    await bob.locator("#unlock-passphrase").press("Enter");
    await expect.poll(() => bob.locator("#error").textContent(), { timeout: 30_000 }).toContain("(wrong_passphrase)");
    await shot(bob, "unlock-refused");
    await bob.locator("#unlock-passphrase").fill("bob passphrase");
    await bob.locator("#unlock-passphrase").press("Enter");
    await spendable(bob, "SERO", "12.5");
  }, 60_000);

  it("a watch-only wallet from the payee's viewing key sees the payment and its memo, and cannot send", async () => {
    await bob.locator("#tab-receive").click();
    await bob.locator("#show-viewing-key").press("Enter");
    await expect.poll(() => bob.locator("#viewing-key").textContent(), WORKER_BUSY).toMatch(/^serovk1/);
    const viewingKey = (await bob.locator("#viewing-key").textContent()) ?? "";
    const watcher = await openWallet();
    await watcher.locator("#viewkey").fill(viewingKey);
    await watcher.locator("#watch-form-passphrase").fill("watcher passphrase");
    await watcher.locator("#watch-form-passphrase2").fill("watcher passphrase");
    await watcher.locator("#watch-form-passphrase2").press("Enter");
    await spendable(watcher, "SERO", "12.5");
    await watcher.locator("#tab-history").click();
    await expect(watcher.locator("#history").textContent()).resolves.toContain("memo: lunch at the edge");
    await watcher.locator("#tab-send").click();
    await expect(watcher.locator("#panel").textContent()).resolves.toContain("watch-only: it cannot send");
    await shot(watcher, "watch-only");
  }, 90_000);

  it("a reload in the middle of a sync resumes from the last saved page", async () => {
    const seed = new Uint8Array(32).fill(0x42);
    const chain = syntheticChain(
      { blocks: 450, txsPerBlock: 4, outputsPerTx: 2, walletEvery: 9, spendAfter: 0, seed: "browser-resume" },
      deriveSpendingKeys(seed),
    );
    const syncs: number[] = [];
    const page = await openWallet(async ({ context }) => {
      await routeSyntheticNode(context, chain, { syncDelayMs: 700 });
      context.on("request", (r) => {
        const from = /\/v1\/sync\?from=(\d+)/.exec(r.url());
        if (from) {
          syncs.push(Number(from[1]));
        }
      });
    });
    await page.locator("#words").fill(seedToMnemonic(seed));
    await page.locator("#import-form-passphrase").fill("carol passphrase");
    await page.locator("#import-form-passphrase2").fill("carol passphrase");
    await page.locator("#import-form-passphrase2").press("Enter");
    const synced = async () =>
      Number(/[Bb]lock (\d+) of/.exec((await page.locator("#sync-text").textContent()) ?? "")?.[1] ?? -1);
    await expect.poll(synced, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(199);
    await shot(page, "sync-progress");
    await page.reload();
    const before = syncs.length;
    await page.locator("#unlock-passphrase").fill("carol passphrase");
    await page.locator("#unlock-passphrase").press("Enter");
    await expect.poll(synced, { timeout: 60_000 }).toBe(449);
    const resumed = syncs.slice(before);
    expect(resumed[0]).toBeGreaterThanOrEqual(200);
    expect(resumed).not.toContain(0);
    await expect(page.locator("#sync-text").textContent()).resolves.toMatch(/from (\d{3})/);
    await spendable(page, "SERO", formatAmount(chain.walletBalance, 18));
  }, 120_000);

  it("no page asked any host but the node, and no script failed", () => {
    expect(opened.length).toBeGreaterThanOrEqual(4);
    for (const { foreignRequests, scriptErrors } of opened) {
      expect(foreignRequests).toEqual([]);
      expect(scriptErrors).toEqual([]);
    }
  });
});
