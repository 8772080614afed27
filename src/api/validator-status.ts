/**
 * The validator list of GET /v1/status. A validator this deployment hosts
 * answers for itself; any other is shown as the hosted replicas last heard it
 * in its signed STATUS messages (the freshest report wins). `null` when a
 * hosted replica does not answer, or when nothing was ever heard of another.
 */
import type { PeerReport } from "../../durable-objects/peer-reports.ts";
import type { ReplicaStatus } from "../../durable-objects/replica.ts";

export type HostedValidator = Omit<ReplicaStatus, "heard" | "peers"> & {
  readonly hosted: true;
  readonly peers: number[];
};
export type ReportedValidator = PeerReport & { readonly hosted: false };
export type ValidatorStatus = HostedValidator | ReportedValidator;

/** `answers`: the status of each hosted replica that answered. */
export function validatorsView(
  validators: number,
  hosted: readonly number[],
  answers: readonly ReplicaStatus[],
): (ValidatorStatus | null)[] {
  const own = new Map(answers.map((s) => [s.index, s]));
  const heard = new Map<number, PeerReport>();
  for (const answer of answers) {
    for (const report of answer.heard) {
      const known = heard.get(report.index);
      if (known === undefined || report.lastSeenMs < known.lastSeenMs) {
        heard.set(report.index, report);
      }
    }
  }
  return Array.from({ length: validators }, (_, i): ValidatorStatus | null => {
    if (hosted.includes(i)) {
      const status = own.get(i);
      if (status === undefined) {
        return null;
      }
      // Everything the replica says of itself but what it heard of others (shown as those validators' entries).
      const { heard: _heard, ...self } = status;
      return { ...self, hosted: true, peers: [...self.peers] };
    }
    const report = heard.get(i);
    return report === undefined ? null : { ...report, hosted: false };
  });
}
