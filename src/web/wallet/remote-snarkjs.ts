/**
 * What the wallet worker's bundle gets for `import * as snarkjs` (an esbuild
 * alias in scripts/build-web.ts): the two calls src/prover/prover.ts makes,
 * forwarded to the proving worker (./prove-worker.ts). snarkjs' own logger
 * messages come back as they happen, so the prover's progress bar moves.
 */
import type { FileSource, Groth16Proof, Logger } from "snarkjs";
import type { ProveReply, ProveRequest } from "./prove-messages.ts";

type Pending = {
  readonly resolve: (reply: ProveReply) => void;
  readonly reject: (error: Error) => void;
  readonly logger: Logger | undefined;
};

const pending = new Map<number, Pending>();
let nextId = 1;
let worker: Worker | undefined;

function provingWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./prove-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<ProveReply>) => {
      const reply = e.data;
      const waiting = pending.get(reply.id);
      if (reply.kind === "debug") {
        waiting?.logger?.debug(reply.message);
        return;
      }
      pending.delete(reply.id);
      if (reply.kind === "error") {
        waiting?.reject(new Error(reply.message));
      } else {
        waiting?.resolve(reply);
      }
    };
  }
  return worker;
}

type Body<T> = T extends unknown ? Omit<T, "id"> : never;

function call(request: Body<ProveRequest>, logger?: Logger): Promise<ProveReply> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, logger });
    provingWorker().postMessage({ ...request, id });
  });
}

/** The wallet hands the prover bytes (./artifacts.ts loads them), never paths or URLs. */
function bytesOf(source: FileSource, what: string): Uint8Array {
  if (source instanceof Uint8Array) {
    return source;
  }
  if (typeof source === "object" && source.data instanceof Uint8Array) {
    return source.data;
  }
  throw new Error(`the browser prover takes ${what} as bytes`);
}

export const wtns = {
  async calculate(
    input: Record<string, unknown>,
    wasm: FileSource,
    out: { type: "mem"; data?: Uint8Array },
  ): Promise<void> {
    const reply = await call({ op: "witness", input, wasm: bytesOf(wasm, "the circuit's wasm") });
    if (reply.kind !== "witness") {
      throw new Error("the proving worker answered out of turn");
    }
    out.data = reply.witness;
  },
};

export const groth16 = {
  async prove(
    zkey: FileSource,
    witness: FileSource,
    logger?: Logger,
    options?: { singleThread?: boolean },
  ): Promise<{ proof: Groth16Proof; publicSignals: string[] }> {
    const reply = await call(
      {
        op: "prove",
        zkey: bytesOf(zkey, "the proving key"),
        witness: bytesOf(witness, "the witness"),
        singleThread: options?.singleThread === true,
      },
      logger,
    );
    if (reply.kind !== "proof") {
      throw new Error("the proving worker answered out of turn");
    }
    return { proof: reply.proof, publicSignals: reply.publicSignals };
  },
};
