/**
 * Divergence at a glance: what the home page flags about each validator.
 * Replicas at the same height must hold the same state root (CONSENSUS.md
 * §3); one far behind the tip, halted, stalled or silent needs an operator.
 */
import type { ValidatorStatus } from "../api/validator-status.ts";

/** Blocks a validator may trail the highest one before it is flagged as behind. */
export const BEHIND_BLOCKS = 2;

export type ValidatorFlag = "ok" | "silent" | "diverged" | "halted" | "index stalled" | "behind" | "root differs";

export function validatorFlags(validators: readonly (ValidatorStatus | null)[]): ValidatorFlag[] {
  const top = Math.max(0, ...validators.map((v) => v?.height ?? 0));
  const rootsAt = new Map<number, Set<string>>();
  for (const v of validators) {
    if (v?.hosted) {
      rootsAt.set(v.height, (rootsAt.get(v.height) ?? new Set()).add(v.stateRoot));
    }
  }
  return validators.map((v): ValidatorFlag => {
    if (v === null) {
      return "silent";
    }
    if (v.hosted) {
      if (v.divergence !== null) {
        return "diverged";
      }
      if (v.persistence.state === "halted") {
        return "halted";
      }
      if ((rootsAt.get(v.height)?.size ?? 1) > 1) {
        return "root differs";
      }
      if (v.projection.state === "index_stalled") {
        return "index stalled";
      }
    }
    return top - v.height > BEHIND_BLOCKS ? "behind" : "ok";
  });
}
