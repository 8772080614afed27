/**
 * Random schedules from a seed: network quality, at most f faulty replicas
 * (Byzantine with random behaviors, or crashed for good), crash/restarts of
 * correct replicas (a restart from the persisted log keeps a replica
 * correct), half of them at a storage write (it throws, or the process dies
 * before or after it), and healing partitions.
 */
import { BYZANTINE_BEHAVIORS, type ByzantineBehavior } from "./byzantine.ts";
import { Prng } from "./prng.ts";
import type { Scenario, ScenarioEvent } from "./scenario.ts";
import type { PersistFault } from "./simulation.ts";

/** Where a crash of a correct replica happens: at once (half the time) or at its next storage write. */
const CRASH_POINTS: readonly (PersistFault | undefined)[] = [
  undefined,
  undefined,
  undefined,
  "write-throws",
  "before-write",
  "after-write",
];

export function randomScenario(seed: number, n = 4): Scenario {
  const rng = new Prng(seed ^ 0x7a11ce);
  const f = (n - 1) / 3;
  const stabilizeAt = rng.int(200, 500);
  const events: ScenarioEvent[] = [];
  const maxDelay = rng.int(1, 8);
  const network = {
    minDelay: 1,
    maxDelay,
    loss: rng.pick([0, 0, 0.02, 0.1, 0.25]),
    duplicate: rng.pick([0, 0.05, 0.2]),
  };
  const ids = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const byzantine: Record<string, ByzantineBehavior[]> = {};
  const faultyCount = rng.int(0, f);
  const faulty = ids.slice(0, faultyCount);
  for (const id of faulty) {
    if (rng.chance(0.7)) {
      const behaviors = BYZANTINE_BEHAVIORS.filter(() => rng.chance(0.35));
      byzantine[String(id)] = behaviors.length > 0 ? behaviors : [rng.pick(BYZANTINE_BEHAVIORS)];
    } else {
      events.push({ at: rng.int(0, stabilizeAt - 1), crash: id, permanent: true });
    }
  }
  const correct = ids.slice(faultyCount);
  // Crash-and-restart of correct replicas: with the persisted log they stay correct.
  const crashes = rng.int(0, 2);
  for (let i = 0; i < crashes; i++) {
    const id = rng.pick(correct);
    const at = rng.int(0, stabilizeAt - 20);
    const during = rng.pick(CRASH_POINTS);
    events.push(during === undefined ? { at, crash: id } : { at, crash: id, during });
    if (rng.chance(0.7)) {
      events.push({ at: rng.int(at + 1, stabilizeAt), restart: id });
    }
  }
  if (rng.chance(0.4)) {
    const cut = rng.int(1, n - 1);
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const start = rng.int(0, stabilizeAt - 10);
    events.push({ at: start, partition: [order.slice(0, cut), order.slice(cut)] });
    events.push({ at: rng.int(start + 1, stabilizeAt), heal: true });
  }
  const submissions = rng.int(3, 12);
  for (let i = 0; i < submissions; i++) {
    events.push({ at: rng.int(0, stabilizeAt), submit: { to: rng.pick(correct), count: rng.int(1, 4) } });
  }
  events.sort((a, b) => a.at - b.at);
  // SE-Random settings from a stream of their own.
  const draw = new Prng(seed ^ 0x5e4a);
  const seRandom = draw.chance(0.75);
  return {
    name: `random-${n}-${seed}`,
    n,
    seed,
    signatures: "mac",
    seRandom,
    params: seRandom ? { epochLength: draw.pick([2, 3, 5, 8]) } : {},
    network,
    byzantine,
    events,
    stabilizeAt,
    deadline: stabilizeAt + 6000,
  };
}
