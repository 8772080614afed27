/**
 * The browser wallet's page (served at /wallet/): screens for a new or
 * locked wallet, then balances, history, receive and send. All key
 * material and chain work stays in the wallet worker (./worker.ts); this
 * file renders its answers. Forms submit with Enter and every control is a
 * button or a field, so the keyboard alone is enough.
 */
import qrcode from "qrcode-generator";
import { WalletFailure, WorkerClient } from "./client.ts";
import { field, h } from "./dom.ts";
import type { NewAccount, PlanView, SendForm, WalletEvent, WalletView } from "./messages.ts";

const app = document.getElementById("app") as HTMLElement;
const wallet = new WorkerClient(new URL("./worker.js", import.meta.url).toString());
const errorLine = h("p", { id: "error", role: "alert", class: "error" });
const notice = h("p", { id: "notice", class: "ok", role: "status" });

type Tab = "balances" | "history" | "receive" | "send";
const AUTO_SYNC_MS = 20_000;
let tab: Tab = "balances";
let view: WalletView | undefined;

/** Errors in plain words with their stable code. */
function showError(e: unknown): void {
  errorLine.textContent =
    e instanceof WalletFailure ? `${e.message} (${e.code})` : `Something went wrong: ${String(e)} (internal)`;
}

async function guarded(button: HTMLButtonElement | undefined, work: () => Promise<void>): Promise<void> {
  errorLine.textContent = "";
  if (button) {
    button.disabled = true;
  }
  try {
    await work();
  } catch (e) {
    showError(e);
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

function screen(...children: (Node | string)[]): void {
  app.replaceChildren(errorLine, notice, ...children);
  const first = app.querySelector<HTMLElement>("input, textarea, button");
  first?.focus();
}

/** Passphrase fields of the form `form` (ids unique per form, so every label names its field). */
function passphraseFields(form: string, confirm: boolean): Node[] {
  return [
    h("label", { for: `${form}-passphrase` }, "Passphrase"),
    h("input", {
      id: `${form}-passphrase`,
      name: "passphrase",
      type: "password",
      autocomplete: confirm ? "new-password" : "current-password",
      required: true,
    }),
    ...(confirm
      ? [
          h("label", { for: `${form}-passphrase2` }, "Repeat the passphrase"),
          h("input", { id: `${form}-passphrase2`, name: "passphrase2", type: "password", required: true }),
        ]
      : []),
  ];
}

function welcome(): void {
  const make = (id: string, title: string, account: (f: HTMLFormElement) => NewAccount, extra: Node[]) => {
    const form = h("form", { id }, h("h2", {}, title), ...extra, ...passphraseFields(id, true), h("button", {}, title));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void guarded(form.querySelector("button") ?? undefined, async () => {
        const passphrase = field(form, "passphrase");
        if (passphrase !== field(form, "passphrase2")) {
          throw new WalletFailure("passphrase_mismatch", "the two passphrases differ");
        }
        notice.textContent = "Sealing the wallet with your passphrase…";
        const mnemonic = await wallet.call<string | null>({ op: "create", passphrase, account: account(form) });
        notice.textContent = "";
        if (mnemonic) {
          showMnemonic(mnemonic);
        } else {
          await openWallet();
        }
      });
    });
    return form;
  };
  screen(
    h("p", {}, "This browser holds no wallet yet. Its keys are sealed with your passphrase and stay on this device."),
    make("create-form", "Create a new account", () => ({ kind: "new" }), []),
    make("import-form", "Import 24 words", (f) => ({ kind: "mnemonic", words: field(f, "words") }), [
      h("label", { for: "words" }, "The 24 words"),
      h("textarea", { id: "words", name: "words", required: true, autocomplete: "off", spellcheck: "false" }),
    ]),
    make("watch-form", "Watch with a viewing key", (f) => ({ kind: "viewing_key", text: field(f, "viewkey") }), [
      h("label", { for: "viewkey" }, "Viewing key (serovk1…): sees payments, cannot spend"),
      h("input", { id: "viewkey", name: "viewkey", required: true, autocomplete: "off" }),
    ]),
  );
}

function showMnemonic(words: string): void {
  const done = h("button", { id: "mnemonic-done" }, "I wrote them down");
  done.addEventListener("click", () => void guarded(done, openWallet));
  screen(
    h(
      "section",
      {},
      h("h2", {}, "Your 24 words"),
      h(
        "p",
        {},
        "Write them down and keep them offline. They are shown once and are the only way to restore this account.",
      ),
      h("p", { id: "mnemonic", class: "words" }, words),
      done,
    ),
  );
}

function locked(): void {
  const form = h(
    "form",
    { id: "unlock-form" },
    h("h2", {}, "Unlock"),
    ...passphraseFields("unlock", false),
    h("button", {}, "Unlock"),
    h("progress", { id: "kdf-bar", max: "1", value: "0", "aria-label": "unlocking" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void guarded(form.querySelector("button") ?? undefined, async () => {
      await wallet.call({ op: "unlock", passphrase: field(form, "passphrase") });
      await openWallet();
    });
  });
  screen(form);
}

const syncText = h("p", { id: "sync-text", class: "muted" }, "Not synced yet");
const syncBar = h("progress", { id: "sync-bar", max: "1", value: "0", "aria-label": "sync progress" });
const panel = h("div", { id: "panel" });

function onEvent(e: WalletEvent): void {
  if (e.event === "kdf") {
    document.getElementById("kdf-bar")?.setAttribute("value", String(e.fraction));
  } else if (e.event === "sync") {
    const { height, tip, blocks, outputs, elapsedMs } = e.progress;
    const total = Math.max(1, tip - e.resumedFrom + 1);
    const done = Math.min(total, height - e.resumedFrom + 1);
    syncBar.value = done / total;
    const rate = blocks / Math.max(elapsedMs, 1);
    const eta = rate > 0 ? Math.ceil((tip - height) / rate / 1000) : 0;
    const scanned = `${blocks} blocks, ${outputs} outputs scanned`;
    syncText.textContent =
      height < tip
        ? `Block ${height} of ${tip} (from ${e.resumedFrom}): ${scanned}, about ${eta} s left`
        : `Synced: block ${height} of ${tip} (from ${e.resumedFrom}): ${scanned}`;
  } else if (e.event === "download") {
    notice.textContent = `Fetching the proving files (once): ${(e.received / 2 ** 20).toFixed(1)} of ${(e.total / 2 ** 20).toFixed(1)} MiB`;
  } else if (e.event === "proving") {
    notice.textContent = `Proving the ${e.purpose} on this device: ${Math.round(e.progress.fraction * 100)}%`;
    document.getElementById("proof-bar")?.setAttribute("value", String(e.progress.fraction));
  } else {
    notice.textContent = e.text;
  }
}
wallet.onEvent = onEvent;

async function refresh(): Promise<void> {
  view = await wallet.call<WalletView>({ op: "view" });
  renderPanel();
}

/** What a sync changes shows in the lists; a form being filled in, or a key just revealed, stays as it is. */
function redrawLists(): void {
  if (tab === "balances" || tab === "history") {
    renderPanel();
  }
}

async function sync(): Promise<void> {
  await wallet.call({ op: "sync" });
  view = await wallet.call<WalletView>({ op: "view" });
  redrawLists();
}

async function openWallet(): Promise<void> {
  const faucet = h("button", { id: "faucet", class: "secondary", hidden: true }, "Get test SERO (faucet)");
  faucet.addEventListener(
    "click",
    () =>
      void guarded(faucet, async () => {
        notice.textContent = "Asking the faucet; waiting for the payment to commit…";
        notice.textContent = await wallet.call<string>({ op: "faucet" });
        await refresh();
      }),
  );
  const syncNow = h("button", { id: "sync", class: "secondary" }, "Sync");
  syncNow.addEventListener("click", () => void guarded(syncNow, sync));
  const lock = h("button", { id: "lock", class: "secondary" }, "Lock");
  lock.addEventListener(
    "click",
    () =>
      void guarded(lock, async () => {
        await wallet.call({ op: "lock" });
        view = undefined;
        locked();
      }),
  );
  const tabs = (["balances", "history", "receive", "send"] as const).map((t) => {
    const b = h(
      "button",
      { id: `tab-${t}`, role: "tab", "aria-selected": String(t === tab) },
      t[0]?.toUpperCase() + t.slice(1),
    );
    b.addEventListener("click", () => {
      tab = t;
      for (const other of b.parentElement?.children ?? []) {
        other.setAttribute("aria-selected", String(other === b));
      }
      renderPanel();
    });
    return b;
  });
  screen(
    h("section", {}, syncText, syncBar, h("div", {}, syncNow, faucet, lock)),
    h("nav", { role: "tablist" }, ...tabs),
    panel,
  );
  await refresh();
  if (await wallet.call<boolean>({ op: "faucet_available" })) {
    faucet.hidden = false;
  }
  await guarded(undefined, sync);
  watchChain();
}

let watching: ReturnType<typeof setInterval> | undefined;
let autoSyncing = false;

/**
 * Syncs every AUTO_SYNC_MS while unlocked, so payments show up without a
 * click; redraws only lists, never a form being filled in.
 */
function watchChain(): void {
  clearInterval(watching);
  watching = setInterval(() => {
    if (!view) {
      clearInterval(watching);
      return;
    }
    if (autoSyncing) {
      return; // the last one still waits behind a send or a long sync
    }
    autoSyncing = true;
    const before = view.syncedHeight;
    void wallet
      .call({ op: "sync" })
      .then(() => wallet.call<WalletView>({ op: "view" }))
      .then((fresh) => {
        if (view && fresh.syncedHeight !== before) {
          view = fresh;
          redrawLists();
        }
      })
      .catch(() => {})
      .finally(() => {
        autoSyncing = false;
      });
  }, AUTO_SYNC_MS);
}

function copyButton(id: string, text: () => string): HTMLButtonElement {
  const b = h("button", { id, class: "secondary" }, "Copy");
  b.addEventListener("click", () => {
    void navigator.clipboard.writeText(text()).then(
      () => {
        notice.textContent = "Copied";
      },
      () => showError(new WalletFailure("clipboard_denied", "the browser refused the clipboard: select the text")),
    );
  });
  return b;
}

function qr(text: string): HTMLElement {
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const box = h("div", { class: "qr", role: "img", "aria-label": "QR code of the address" });
  box.innerHTML = code.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
  return box;
}

function renderPanel(): void {
  if (!view) {
    return;
  }
  const v = view;
  switch (tab) {
    case "balances":
      panel.replaceChildren(
        h(
          "section",
          { id: "balances" },
          h("h2", {}, `Balances (${v.account}${v.watchOnly ? ", watch-only" : ""})`),
          h("p", { class: "muted" }, `Chain ${v.chainId}, synced to block ${v.syncedHeight}`),
          v.balances.length === 0
            ? h("p", {}, "No notes yet. Receive a payment, or use the faucet on a test chain.")
            : h(
                "table",
                {},
                h("tr", {}, h("th", {}, "Asset"), h("th", {}, "Spendable"), h("th", {}, "Locked / incoming")),
                ...v.balances.map((b) =>
                  h(
                    "tr",
                    { "data-asset": b.label },
                    h("td", {}, b.label),
                    h("td", { class: "num spendable" }, b.spendable),
                    h("td", { class: "num" }, `${b.locked} / ${b.incoming}`),
                  ),
                ),
              ),
        ),
      );
      return;
    case "history":
      panel.replaceChildren(
        h(
          "section",
          { id: "history" },
          h("h2", {}, "History"),
          v.history.length === 0
            ? h("p", {}, "Nothing yet.")
            : h(
                "ul",
                { class: "history" },
                ...v.history.map((e) =>
                  h(
                    "li",
                    {},
                    h("div", { class: "muted" }, `Block ${e.height} · `, h("span", { class: "mono" }, e.txId)),
                    ...e.lines.map((l) => h("div", { class: "mono" }, l)),
                    ...e.memos.map((m) => h("div", { class: "memo" }, `memo: ${m}`)),
                  ),
                ),
              ),
        ),
      );
      return;
    case "receive":
      panel.replaceChildren(receivePanel(v));
      return;
    case "send":
      panel.replaceChildren(sendPanel(v));
      return;
  }
}

function receivePanel(v: WalletView): HTMLElement {
  const oneTime = h("p", { id: "one-time-address", class: "mono" });
  const oneTimeQr = h("div", {});
  const fresh = h("button", { id: "new-one-time" }, "New one-time address");
  const next = async () => {
    const text = await wallet.call<string>({ op: "one_time_address" });
    oneTime.textContent = text;
    oneTimeQr.replaceChildren(qr(text));
  };
  fresh.addEventListener("click", () => void guarded(fresh, next));
  void guarded(undefined, next);
  const viewingKey = h("p", { id: "viewing-key", class: "mono" });
  const reveal = h("button", { id: "show-viewing-key", class: "secondary" }, "Show viewing key");
  reveal.addEventListener(
    "click",
    () =>
      void guarded(reveal, async () => {
        viewingKey.textContent = await wallet.call<string>({ op: "viewing_key" });
        reveal.after(copyButton("copy-viewing-key", () => viewingKey.textContent ?? ""));
        reveal.remove();
      }),
  );
  return h(
    "section",
    { id: "receive" },
    h("h2", {}, "Public address"),
    h("p", { class: "muted" }, "For publishing: each payer derives a fresh one-time address from it."),
    h("p", { id: "public-address", class: "mono" }, v.address),
    copyButton("copy-public", () => v.address),
    qr(v.address),
    h("h2", {}, "One-time address"),
    h("p", { class: "muted" }, "For one payer: payments to different one-time addresses cannot be linked."),
    oneTime,
    copyButton("copy-one-time", () => oneTime.textContent ?? ""),
    fresh,
    oneTimeQr,
    h("h2", {}, "Viewing key"),
    h(
      "p",
      { class: "muted" },
      "For a watch-only wallet: it reveals every payment of this account and its memos, and cannot spend. Share it with care.",
    ),
    viewingKey,
    reveal,
  );
}

function sendPanel(v: WalletView): HTMLElement {
  if (v.watchOnly) {
    return h("section", {}, h("p", {}, "This account is watch-only: it cannot send."));
  }
  const plan = h("div", { id: "plan" });
  const form = h(
    "form",
    { id: "send-form" },
    h("h2", {}, "Send"),
    h("label", { for: "to" }, "To (sero1… or seror1…)"),
    h("input", { id: "to", name: "to", required: true, autocomplete: "off" }),
    h("label", { for: "asset" }, "Asset"),
    h(
      "select",
      { id: "asset", name: "asset" },
      ...v.balances.filter((b) => b.kind === "token").map((b) => h("option", { value: b.label }, b.label)),
      v.balances.some((b) => b.label === "SERO") ? undefined : h("option", { value: "SERO" }, "SERO"),
    ),
    h("label", { for: "amount" }, "Amount"),
    h("input", { id: "amount", name: "amount", required: true, inputmode: "decimal", autocomplete: "off" }),
    h("label", { for: "memo" }, "Memo (only the recipient can read it)"),
    h("input", { id: "memo", name: "memo", autocomplete: "off" }),
    h("button", { id: "review" }, "Review"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const request: SendForm = {
      to: field(form, "to"),
      asset: field(form, "asset"),
      amount: field(form, "amount"),
      memo: field(form, "memo"),
    };
    void guarded(form.querySelector("button") ?? undefined, async () => {
      const p = await wallet.call<PlanView>({ op: "plan", form: request });
      plan.replaceChildren(planSection(p, request));
      plan.querySelector<HTMLButtonElement>("#confirm-send")?.focus();
    });
  });
  return h("div", {}, form, plan);
}

function planSection(p: PlanView, request: SendForm): HTMLElement {
  const confirm = h("button", { id: "confirm-send" }, "Confirm and prove");
  const status = h("p", { id: "send-status", role: "status" });
  confirm.addEventListener(
    "click",
    () =>
      void guarded(confirm, async () => {
        status.textContent = "Fetching the proving files if needed, then proving on this device…";
        const txId = await wallet.call<string>({ op: "send", form: request });
        notice.textContent = `Sent and committed: ${txId}`;
        await refresh();
      }),
  );
  return h(
    "section",
    {},
    h("h2", {}, "Plan"),
    h("p", {}, `${p.description} to ${request.to.slice(0, 24)}…`),
    h(
      "p",
      { id: "plan-summary" },
      `${p.transactions} transaction${p.transactions > 1 ? "s" : ""}` +
        ` (${p.rounds.map((r) => r.join(" + ")).join(", then ")}), ${p.merges} merge${p.merges === 1 ? "" : "s"}, ` +
        `fee ${p.feeEach} each, ${p.totalFee} in all`,
    ),
    confirm,
    h("progress", { id: "proof-bar", max: "1", value: "0", "aria-label": "proving progress" }),
    status,
  );
}

void guarded(undefined, async () => {
  (await wallet.call<boolean>({ op: "exists" })) ? locked() : welcome();
});
