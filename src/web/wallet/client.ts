/** The page's side of the wallet worker: requests as promises, events to a listener. */
import type { Reply, Request, WalletEvent } from "./messages.ts";

export class WalletFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export class WorkerClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: WalletFailure) => void }>();
  #next = 1;
  onEvent: (event: WalletEvent) => void = () => {};

  constructor(url: string) {
    this.#worker = new Worker(url, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent<Reply>) => {
      const reply = e.data;
      if ("event" in reply) {
        this.onEvent(reply);
        return;
      }
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) {
        waiting?.resolve(reply.value);
      } else {
        waiting?.reject(new WalletFailure(reply.code, reply.message));
      }
    };
  }

  call<T>(request: Request): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, request });
    });
  }
}
