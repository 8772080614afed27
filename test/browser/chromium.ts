/**
 * The shared harness of the browser tests: Debian's Chromium (never a browser
 * build of Playwright's own), headless, driven by playwright-core. A page it
 * opens may reach only the node under test: any request to another origin is
 * refused and recorded, as are script errors, so a test can assert there were none.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const SCREENSHOT_DIR = resolve("test-output/screenshots");

/** The widths every main page is checked and photographed at: a laptop and a small phone. */
export const WIDTHS = { desktop: 1280, phone: 375 } as const;

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI and this machine run as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox"] });
}

export type GuardedPage = {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests to any origin but the node's, refused. */
  readonly foreignRequests: string[];
  /** Uncaught exceptions and console errors of the page's scripts. */
  readonly scriptErrors: string[];
};

/** A fresh context and page `width` pixels wide that may only talk to `origin`. */
export async function openGuardedPage(browser: Browser, origin: string, width: number): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const foreignRequests: string[] = [];
  const scriptErrors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      return route.continue();
    }
    foreignRequests.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => scriptErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      scriptErrors.push(msg.text());
    }
  });
  return { context, page, foreignRequests, scriptErrors };
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
