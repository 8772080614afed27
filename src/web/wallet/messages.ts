/** The page ↔ wallet worker messages (./worker.ts): requests with an id, answers and events. */
import type { ProofProgress } from "../../prover/prover.ts";
import type { SyncProgress } from "../../wallet/sync.ts";
import type { NewAccount, PlanView, SendForm, WalletView } from "./session.ts";

export type Request =
  | { readonly op: "exists" }
  | { readonly op: "create"; readonly passphrase: string; readonly account: NewAccount }
  | { readonly op: "unlock"; readonly passphrase: string }
  | { readonly op: "lock" }
  | { readonly op: "sync" }
  | { readonly op: "view" }
  | { readonly op: "one_time_address" }
  | { readonly op: "viewing_key" }
  | { readonly op: "plan"; readonly form: SendForm }
  | { readonly op: "send"; readonly form: SendForm }
  | { readonly op: "faucet_available" }
  | { readonly op: "faucet" };

export type Answer =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };

export type WalletEvent =
  | { readonly event: "kdf"; readonly fraction: number }
  | { readonly event: "sync"; readonly progress: SyncProgress; readonly resumedFrom: number }
  | { readonly event: "download"; readonly received: number; readonly total: number }
  | { readonly event: "proving"; readonly purpose: string; readonly progress: ProofProgress }
  | { readonly event: "send"; readonly text: string };

export type Reply = Answer | WalletEvent;

export type { NewAccount, PlanView, SendForm, WalletView };
