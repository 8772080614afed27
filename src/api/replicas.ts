/**
 * Reaching the validator replicas from the API Worker (the one-deployment
 * topology: all replicas in this Worker's namespace). A request goes to one
 * replica and moves on to the next when that one does not answer.
 */
import { type ReplicaStatus, replicaName } from "../../durable-objects/replica.ts";
import { LOCAL_VALIDATORS } from "../chain/config.ts";
import type { Admission } from "../ledger/mempool.ts";
import type { Bindings } from "./context.ts";
import { ApiError } from "./errors.ts";

function stub(env: Bindings, index: number) {
  return env.REPLICA.get(env.REPLICA.idFromName(replicaName(index)));
}

let rotation = 0;

/** Runs `call` on the replicas in turn, starting with a rotating one, until one answers. */
export async function onSomeReplica<T>(
  env: Bindings,
  call: (replica: ReturnType<typeof stub>) => Promise<T>,
): Promise<T> {
  const first = rotation++ % LOCAL_VALIDATORS;
  for (let k = 0; k < LOCAL_VALIDATORS; k++) {
    try {
      return await call(stub(env, (first + k) % LOCAL_VALIDATORS));
    } catch (e) {
      console.error(`replica ${(first + k) % LOCAL_VALIDATORS} did not answer`, e);
    }
  }
  throw new ApiError(503, "no_quorum", "no validator replica answered: retry later");
}

/** Every replica's status; `null` for one that does not answer. */
export async function replicaStatuses(env: Bindings): Promise<(ReplicaStatus | null)[]> {
  return Promise.all(
    Array.from({ length: LOCAL_VALIDATORS }, async (_, i) => {
      try {
        return await stub(env, i).status();
      } catch {
        return null;
      }
    }),
  );
}

/** RPC hands back a stub-typed union; these restate the plain types the replica returns. */
export function submitTransaction(env: Bindings, bytes: Uint8Array, source: string): Promise<Admission> {
  return onSomeReplica(env, async (replica) => (await replica.submit(bytes, source)) as Admission);
}

export function checkTransaction(env: Bindings, bytes: Uint8Array): Promise<Admission> {
  return onSomeReplica(env, async (replica) => (await replica.check(bytes)) as Admission);
}

export async function isPending(env: Bindings, id: string): Promise<boolean> {
  const answers = await Promise.all(
    Array.from({ length: LOCAL_VALIDATORS }, (_, i) =>
      stub(env, i)
        .isPending(id)
        .catch(() => false),
    ),
  );
  return answers.some(Boolean);
}
