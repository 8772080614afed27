/**
 * Reaching the validator replicas this deployment hosts: all of them in the
 * one-deployment topology, its own in the validator topology. A request goes
 * to one replica and moves on to the next when that one does not answer, or
 * has diverged from the quorum: a diverged replica's ledger is never used to
 * answer (OPERATING.md "Diverged replica").
 */
import type { CallAnswer, ContractView } from "../../durable-objects/contract-reads.ts";
import {
  type ReplicaStatus,
  replicaName,
  type SealedEpoch,
  type Served,
  type TxPresence,
} from "../../durable-objects/replica.ts";
import { hostedReplicas } from "../chain/topology.ts";
import type { ReadCall } from "../contracts/read.ts";
import type { Admission } from "../ledger/mempool.ts";
import type { Bindings } from "./context.ts";
import { deploymentOf } from "./deployment.ts";
import { ApiError } from "./errors.ts";
import { type ValidatorStatus, validatorsView } from "./validator-status.ts";

export function replicaStub(env: Bindings, index: number) {
  return env.REPLICA.get(env.REPLICA.idFromName(replicaName(index)));
}

export function hosted(env: Bindings): number[] {
  return hostedReplicas(deploymentOf(env).topology);
}

let rotation = 0;

/** Runs `call` on the replicas in turn, starting with a rotating one, until one serves an answer. */
export async function onSomeReplica<T>(
  env: Bindings,
  call: (replica: ReturnType<typeof replicaStub>) => Promise<Served<T>>,
): Promise<T> {
  const replicas = hosted(env);
  const first = rotation++;
  const diverged: number[] = [];
  for (let k = 0; k < replicas.length; k++) {
    const index = replicas[(first + k) % replicas.length] as number;
    try {
      const result = await call(replicaStub(env, index));
      if (result.served) {
        return result.answer;
      }
      diverged.push(index);
    } catch (e) {
      console.error(`replica ${index} did not answer`, e);
    }
  }
  if (diverged.length > 0) {
    throw new ApiError(
      503,
      "replica_diverged",
      `replica ${diverged.sort((a, b) => a - b).join(", ")} diverged from the quorum and no other replica here answered: see GET /v1/status`,
    );
  }
  throw new ApiError(503, "no_quorum", "no validator replica answered: retry later");
}

/** Every validator's status (validator-status.ts); a hosted replica that does not answer is left out. */
export async function validatorStatuses(env: Bindings): Promise<(ValidatorStatus | null)[]> {
  const { chain, topology } = deploymentOf(env);
  const mine = hostedReplicas(topology);
  const answers = await Promise.all(
    mine.map((i) =>
      replicaStub(env, i)
        .status()
        .then(
          (s) => s as ReplicaStatus,
          (e) => {
            console.error(`replica ${i} did not answer`, e); // a replica refusing to start says why here
            return null;
          },
        ),
    ),
  );
  return validatorsView(
    chain.consensus.validators.length,
    mine,
    answers.filter((s) => s !== null),
  );
}

/** RPC hands back a stub-typed union; these restate the plain types the replica returns. */
export function submitTransaction(env: Bindings, bytes: Uint8Array, source: string): Promise<Admission> {
  return onSomeReplica(env, async (replica) => (await replica.submit(bytes, source)) as Served<Admission>);
}

export function checkTransaction(env: Bindings, bytes: Uint8Array, source: string): Promise<Admission> {
  return onSomeReplica(env, async (replica) => (await replica.check(bytes, source)) as Served<Admission>);
}

export function callContract(env: Bindings, call: ReadCall): Promise<CallAnswer> {
  return onSomeReplica(env, async (replica) => (await replica.callContract(call)) as Served<CallAnswer>);
}

/** A sealed SE-Random epoch from the block store of a hosted replica (consensus data: served even by a diverged one). */
export function sealedEpoch(env: Bindings, epoch: number): Promise<SealedEpoch | null> {
  return onSomeReplica(env, async (replica) => ({
    served: true,
    answer: (await replica.beacon(epoch)) as SealedEpoch | null,
  }));
}

export function contractState(env: Bindings, address: Uint8Array): Promise<ContractView | null> {
  return onSomeReplica(env, async (replica) => (await replica.contractState(address)) as Served<ContractView | null>);
}

const PRESENCE_ORDER: readonly TxPresence["status"][] = ["pending", "committed", "rejected", "dropped", "unknown"];
const UNKNOWN: TxPresence = { status: "unknown" };

/**
 * What the hosted replicas that have not diverged know of a transaction: pending in any of them
 * first, then the most final outcome.
 */
export async function txPresence(env: Bindings, id: string): Promise<TxPresence> {
  const answers = await Promise.all(
    hosted(env).map((i) =>
      replicaStub(env, i)
        .txPresence(id)
        .then(
          (r) => {
            const served = r as Served<TxPresence>;
            return served.served ? served.answer : UNKNOWN;
          },
          () => UNKNOWN,
        ),
    ),
  );
  const rank = (p: TxPresence) => PRESENCE_ORDER.indexOf(p.status);
  return answers.reduce<TxPresence>((best, p) => (rank(p) < rank(best) ? p : best), UNKNOWN);
}
