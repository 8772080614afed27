/**
 * The proving worker: the real snarkjs (its browser build, which starts its
 * own thread workers) behind the two calls src/prover/prover.ts makes,
 * witness and Groth16 proof. The wallet worker reaches it through
 * ./remote-snarkjs.ts, so the SDK's prover runs unchanged while the heavy
 * work has a worker of its own.
 */
import * as snarkjs from "snarkjs";
import type { ProveReply, ProveRequest } from "./prove-messages.ts";

type Scope = {
  postMessage(message: ProveReply): void;
  onmessage: ((e: MessageEvent<ProveRequest>) => void) | null;
};
const scope = self as unknown as Scope;

async function handle(request: ProveRequest): Promise<ProveReply> {
  if (request.op === "witness") {
    const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(request.input, request.wasm, out);
    if (!out.data) {
      throw new Error("the witness calculator wrote nothing");
    }
    return { id: request.id, kind: "witness", witness: out.data };
  }
  const quiet = () => {};
  const logger = {
    debug: (message: string) => scope.postMessage({ id: request.id, kind: "debug", message }),
    info: quiet,
    warn: quiet,
    error: quiet,
  };
  const { proof, publicSignals } = await snarkjs.groth16.prove(
    request.zkey,
    { type: "mem", data: request.witness },
    logger,
    request.singleThread ? { singleThread: true } : undefined,
  );
  return { id: request.id, kind: "proof", proof, publicSignals };
}

scope.onmessage = (e) => {
  handle(e.data).then(scope.postMessage.bind(scope), (error: unknown) =>
    scope.postMessage({ id: e.data.id, kind: "error", message: String((error as Error)?.message ?? error) }),
  );
};
