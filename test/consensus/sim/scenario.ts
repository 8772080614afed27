/**
 * Scenarios: a schedule of client submissions, crashes, restarts, partitions
 * and network changes, plus the Byzantine cast, as plain data. Scripted ones
 * live as JSON files in test/consensus/scenarios/ (every bug found becomes
 * one); random ones are generated from a seed (random.ts). Both run here.
 *
 * At `stabilizeAt` the runner heals partitions, restarts every crashed
 * replica not marked `permanent`, and switches to a loss-free network; from
 * then on every request submitted to a correct replica must be delivered by
 * every correct replica by `deadline` (liveness). Safety is checked by the
 * simulator after every step from t = 0.
 */
import { type ConsensusParams, DEFAULT_PARAMS } from "../../../src/consensus/index.ts";
import { BYZANTINE_BEHAVIORS, type ByzantineBehavior } from "./byzantine.ts";
import type { SignatureScheme } from "./keys.ts";
import { type NetworkConfig, type PersistFault, Simulation, SimulationError } from "./simulation.ts";

export type ScenarioEvent =
  | { readonly at: number; readonly submit: { readonly to: number; readonly count: number; readonly size?: number } }
  | { readonly at: number; readonly crash: number; readonly during?: PersistFault; readonly permanent?: boolean }
  | { readonly at: number; readonly restart: number }
  | { readonly at: number; readonly partition: readonly (readonly number[])[] }
  | { readonly at: number; readonly heal: true }
  | { readonly at: number; readonly network: NetworkConfig };

export interface ScenarioExpect {
  /** Lowest/highest final view of every correct live replica. */
  readonly minView?: number;
  readonly maxView?: number;
  /** At least this many envelopes refused at the boundary, by code (bad_signature, malformed, ...). */
  readonly boundaryRejects?: Readonly<Record<string, number>>;
  /** At least this many inputs refused by the core, by reason substring. */
  readonly coreRejects?: Readonly<Record<string, number>>;
  /** At least this many blocks delivered by every correct live replica. */
  readonly minHeight?: number;
  /** Lowest stable checkpoint of every correct live replica. */
  readonly minStable?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly n: number;
  readonly seed: number;
  readonly signatures: SignatureScheme;
  /** Primaries drawn by SE-Random (CONSENSUS.md §8) instead of round-robin. */
  readonly seRandom?: boolean;
  readonly params?: Partial<ConsensusParams>;
  readonly network: NetworkConfig;
  readonly byzantine?: Readonly<Record<string, readonly ByzantineBehavior[]>>;
  readonly events: readonly ScenarioEvent[];
  readonly stabilizeAt: number;
  readonly deadline: number;
  readonly expect?: ScenarioExpect;
}

/** Small windows and short timers so that a few hundred time units exercise GC, view changes and transfer. */
export const SIM_PARAMS: ConsensusParams = {
  ...DEFAULT_PARAMS,
  checkpointInterval: 4,
  watermarkWindow: 8,
  maxBatchRequests: 4,
  batchTimeout: 2,
  viewTimeout: 60,
  maxViewTimeout: 480,
  statusInterval: 25,
  blockRetention: 64,
  maxBlocksPerResponse: 8,
};

export function checkScenarioShape(s: Scenario): void {
  const f = (s.n - 1) / 3;
  const faulty = new Set<number>();
  for (const [id, behaviors] of Object.entries(s.byzantine ?? {})) {
    faulty.add(Number(id));
    for (const b of behaviors) {
      if (!BYZANTINE_BEHAVIORS.includes(b)) {
        throw new Error(`${s.name}: unknown behavior ${b}`);
      }
    }
  }
  for (const e of s.events) {
    if ("crash" in e && e.permanent === true) {
      faulty.add(e.crash);
    }
  }
  if (faulty.size > f) {
    throw new Error(`${s.name}: ${faulty.size} faulty replicas, at most f = ${f}`);
  }
  if (s.deadline <= s.stabilizeAt) {
    throw new Error(`${s.name}: deadline before stabilization`);
  }
}

export interface ScenarioResult {
  readonly sim: Simulation;
  readonly stabilizedAt: number;
  readonly liveAt: number;
}

export function runScenario(s: Scenario, options: { checkRestore?: boolean } = {}): ScenarioResult {
  checkScenarioShape(s);
  const byzantine = new Map<number, ByzantineBehavior[]>();
  for (const [id, behaviors] of Object.entries(s.byzantine ?? {})) {
    byzantine.set(Number(id), [...behaviors]);
  }
  const sim = new Simulation({
    n: s.n,
    seed: s.seed,
    scheme: s.signatures,
    seRandom: s.seRandom === true,
    params: { ...SIM_PARAMS, ...s.params },
    network: s.network,
    byzantine,
    staleTimers: 0.2,
    checkRestore: options.checkRestore ?? true,
  });
  const permanent = new Set<number>();
  for (const e of s.events) {
    if ("submit" in e) {
      sim.at(e.at, () => {
        for (let i = 0; i < e.submit.count; i++) {
          sim.submit(e.submit.to, e.submit.size);
        }
      });
    } else if ("crash" in e) {
      if (e.permanent === true) {
        permanent.add(e.crash);
      }
      sim.at(e.at, () => sim.crash(e.crash, e.during));
    } else if ("restart" in e) {
      sim.at(e.at, () => sim.restart(e.restart));
    } else if ("partition" in e) {
      sim.at(e.at, () => sim.setPartition(e.partition));
    } else if ("heal" in e) {
      sim.at(e.at, () => sim.setPartition(undefined));
    } else {
      sim.at(e.at, () => {
        sim.network = e.network;
      });
    }
  }
  sim.at(s.stabilizeAt, () => {
    sim.setPartition(undefined);
    sim.network = { ...sim.network, loss: 0 };
    for (const node of sim.nodes) {
      if (!node.up && !permanent.has(node.id)) {
        sim.restart(node.id);
      }
      // A crash scheduled at a storage write that never met one is called off.
      node.fault = undefined;
    }
  });
  sim.runUntil(s.stabilizeAt);
  sim.runUntilLive(s.deadline);
  const liveAt = sim.now;
  // Let retransmission settle (stable checkpoints reach laggards), still checking safety, before the expectations.
  sim.runUntil(sim.now + 3 * sim.config.params.statusInterval);
  checkExpectations(sim, s);
  return { sim, stabilizedAt: s.stabilizeAt, liveAt };
}

function checkExpectations(sim: Simulation, s: Scenario): void {
  const x = s.expect;
  if (x === undefined) {
    return;
  }
  const fail = (what: string) => {
    throw new SimulationError(s.seed, `${s.name}: ${what}`);
  };
  for (const id of sim.correctUp()) {
    const state = sim.node(id).state;
    if (state === undefined) {
      continue;
    }
    if (x.minView !== undefined && state.view < x.minView) {
      fail(`replica ${id} in view ${state.view} < ${x.minView}`);
    }
    if (x.maxView !== undefined && state.view > x.maxView) {
      fail(`replica ${id} in view ${state.view} > ${x.maxView}`);
    }
    if (x.minHeight !== undefined && sim.node(id).app.height < x.minHeight) {
      fail(`replica ${id} below height ${x.minHeight}`);
    }
    if (x.minStable !== undefined && state.stable.seq < x.minStable) {
      fail(`replica ${id} stable ${state.stable.seq} < ${x.minStable}`);
    }
  }
  for (const [code, min] of Object.entries(x.boundaryRejects ?? {})) {
    const got = sim.metrics.boundaryRejects.get(code) ?? 0;
    if (got < min) {
      fail(`expected >= ${min} boundary rejects "${code}", got ${got}`);
    }
  }
  for (const [reason, min] of Object.entries(x.coreRejects ?? {})) {
    let got = 0;
    for (const [r, c] of sim.metrics.coreRejects) {
      if (r.includes(reason)) {
        got += c;
      }
    }
    if (got < min) {
      fail(`expected >= ${min} core rejects "${reason}", got ${got}`);
    }
  }
}
