/**
 * The wallet's Web Worker: it alone holds the keys and the unlocked wallet,
 * runs the KDF, the sync and the SDK's sends, so the page stays responsive;
 * the proofs themselves run in the proving worker (./remote-snarkjs.ts). One
 * operation at a time: a send never interleaves with a sync around an await.
 */
import { WalletError } from "../../wallet/errors.ts";
import type { SendEvent } from "../../wallet/send.ts";
import type { ArtifactCache } from "./artifacts.ts";
import { indexedDbStore } from "./idb-store.ts";
import type { Reply, Request } from "./messages.ts";
import { BrowserSession, type SessionDeps } from "./session.ts";
import { SealedRecord } from "./vault.ts";

type Scope = {
  postMessage(message: Reply): void;
  onmessage: ((e: MessageEvent<{ id: number; request: Request }>) => void) | null;
  location: { origin: string };
};
const scope = self as unknown as Scope;
const post = (reply: Reply) => scope.postMessage(reply);

const CACHE = "sero-proving-files-v1";

/** Proving files by their sha256 in the Cache API (kept across reloads; fetched once). */
const cacheApi: ArtifactCache = {
  async get(sha256) {
    const hit = await (await caches.open(CACHE)).match(`/wallet/artifacts/by-hash/${sha256}`);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
  },
  async put(sha256, bytes) {
    await (await caches.open(CACHE)).put(
      `/wallet/artifacts/by-hash/${sha256}`,
      new Response(bytes as Uint8Array<ArrayBuffer>),
    );
  },
};

const deps: Promise<SessionDeps> = indexedDbStore().then((store) => ({
  store,
  origin: scope.location.origin,
  fetch: (input, init) => fetch(input, init),
  cache: cacheApi,
  onKdf: (fraction) => post({ event: "kdf", fraction }),
}));

let session: BrowserSession | undefined;
let releaseWalletLock: (() => void) | undefined;

/**
 * One tab at a time holds the wallet (Web Locks), as one process holds the
 * CLI's data directory: two tabs saving in turn would each overwrite the
 * other's sync. Held from unlock to lock, or until the tab closes.
 */
function holdWalletLock(): Promise<void> {
  if (releaseWalletLock) {
    return Promise.resolve();
  }
  return new Promise((acquired, refused) => {
    void navigator.locks.request("sero-wallet", { ifAvailable: true }, (lock) => {
      if (!lock) {
        refused(new WalletError("wallet_in_use", "the wallet is open in another tab: lock it there first"));
        return;
      }
      acquired();
      return new Promise<void>((release) => {
        releaseWalletLock = release;
      });
    });
  });
}
let queue: Promise<unknown> = Promise.resolve();

function opened(): BrowserSession {
  if (!session) {
    throw new WalletError("wallet_locked", "unlock the wallet first");
  }
  return session;
}

const onSend = (e: SendEvent) => {
  if (e.kind === "proving") {
    post({ event: "proving", purpose: e.purpose, progress: e.progress });
  } else if (e.kind === "round") {
    post({ event: "send", text: `round ${e.round}: ${e.txs.join(" + ")}` });
  } else if (e.kind === "committed") {
    post({ event: "send", text: `committed ${e.txId.slice(0, 16)}… at block ${e.height}` });
  } else {
    post({ event: "send", text: `${e.kind} ${e.purpose} ${e.txId.slice(0, 16)}…` });
  }
};

function syncing(s: BrowserSession) {
  const resumedFrom = s.syncedHeight + 1;
  return (progress: Parameters<Parameters<BrowserSession["sync"]>[0]>[0]) =>
    post({ event: "sync", progress, resumedFrom });
}

async function handle(request: Request): Promise<unknown> {
  const d = await deps;
  switch (request.op) {
    case "exists":
      return SealedRecord.exists(d.store);
    case "create": {
      await holdWalletLock();
      const created = await BrowserSession.create(d, request.passphrase, request.account);
      session = created.session;
      return created.mnemonic ?? null;
    }
    case "unlock":
      await holdWalletLock();
      session = await BrowserSession.unlock(d, request.passphrase);
      return null;
    case "lock":
      session?.lock();
      session = undefined;
      releaseWalletLock?.();
      releaseWalletLock = undefined;
      return null;
    case "sync": {
      const s = opened();
      return s.sync(syncing(s));
    }
    case "view":
      return opened().view();
    case "one_time_address":
      return opened().oneTimeAddress();
    case "viewing_key":
      return opened().viewingKey();
    case "plan":
      return opened().plan(request.form);
    case "send":
      return opened().send(request.form, onSend, (received, total) => post({ event: "download", received, total }));
    case "faucet_available":
      return opened().faucetAvailable();
    case "faucet": {
      const s = opened();
      return s.faucet(syncing(s));
    }
  }
}

scope.onmessage = (e) => {
  const { id, request } = e.data;
  const run = queue.then(() => handle(request));
  queue = run.catch(() => undefined);
  run.then(
    (value) => post({ id, ok: true, value }),
    (error: unknown) => {
      const { code, message } = error as { code?: unknown; message?: unknown };
      post({
        id,
        ok: false,
        code: typeof code === "string" ? code : "internal",
        message: typeof message === "string" ? message : String(error),
      });
    },
  );
};
