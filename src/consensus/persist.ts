/**
 * What the shell must write before it sends (ARCHITECTURE.md §2.3, etcd
 * raft's "persist, then send"): every input that changed the state, in order,
 * and from time to time a snapshot of the whole state. `restore` replays the
 * inputs after the last snapshot through the same deterministic `step`, so a
 * recreated replica is in exactly the state it had: it knows every PREPARE,
 * COMMIT and VIEW-CHANGE it may have sent and cannot contradict them.
 *
 * Records are plain data (Maps, arrays, Uint8Arrays, numbers, strings), so a
 * shell can encode them into storage rows of bounded size. A snapshot holds
 * block headers only: block bodies leave the core once, in `committed`, and
 * the shell stores them in the same transaction as the records of that step.
 * The shell drops every record before the latest snapshot in the transaction
 * that writes it (CONSENSUS.md §3.7).
 */

import type { Verified } from "./envelope.ts";
import type { Digest } from "./hash.ts";
import type { ReplicaState } from "./state.ts";
import type { TimerEvent } from "./timers.ts";

export type Input =
  /** A peer message, already opened by `openEnvelope` (decoded and signature-checked). */
  | { readonly type: "message"; readonly envelope: Verified }
  /** A client request (opaque transaction bytes) handed in by the API. */
  | { readonly type: "request"; readonly request: Uint8Array }
  /** The application found these pooled requests (by request digest) can never commit: forget them. */
  | { readonly type: "drop"; readonly requests: readonly Digest[] }
  /** A timer the core armed has fired. */
  | { readonly type: "timer"; readonly timer: TimerEvent }
  /** The application executed checkpoint block `seq` (committed with `checkpoint: true`); this is its state root. */
  | { readonly type: "executed"; readonly seq: number; readonly stateRoot: Digest };

export type PersistRecord =
  | { readonly type: "input"; readonly input: Input }
  | { readonly type: "snapshot"; readonly state: ReplicaState };
