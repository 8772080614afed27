/**
 * A deterministic discrete-event simulator for the consensus core: replicas
 * exchange real wire bytes over an in-memory network that delays, drops,
 * duplicates and reorders messages and can be partitioned; replicas crash
 * (also at a storage write: the write throws, or the process dies before or
 * after it) and restart from their persisted log and block store; Byzantine
 * replicas corrupt what they send. Every random choice comes from one seeded
 * PRNG, so a seed replays exactly.
 *
 * Each replica's storage is what a Durable Object keeps: the persisted log
 * and the block store (committed blocks, written with the log in one
 * transaction), and the application (ledger) state, which is never ahead of
 * them. Checked after every step: no two correct replicas deliver different
 * blocks at one height, each replica delivers heights 1, 2, 3, ... in order
 * (so delivered logs are prefixes of one another), no correct replica signs
 * two different PRE-PREPAREs/PREPAREs/COMMITs for one (view, seq) - not even
 * across a restart - a restored replica equals its last durable state, and
 * its consensus is never behind its application.
 */
import { isDeepStrictEqual } from "node:util";
import { toHex } from "../../../src/codec/bytes.ts";
import {
  armedTimers,
  type CommittedBlock,
  type Committee,
  type ConsensusParams,
  createReplica,
  type Digest,
  decodeEnvelope,
  hashTagged,
  type Input,
  type OpenResult,
  type Outbound,
  openEnvelope,
  type PersistRecord,
  type ReplicaCore,
  type ReplicaState,
  requestDigest,
  type StepResult,
  type TimerEvent,
  type TimerKind,
} from "../../../src/consensus/index.ts";
import { ByzantineAdversary, type ByzantineBehavior } from "./byzantine.ts";
import { EventQueue } from "./heap.ts";
import { type Keyring, makeKeyring, type SignatureScheme } from "./keys.ts";
import { Prng } from "./prng.ts";

export interface NetworkConfig {
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly loss: number;
  readonly duplicate: number;
}

export interface SimConfig {
  readonly n: number;
  readonly seed: number;
  readonly scheme: SignatureScheme;
  readonly params: ConsensusParams;
  readonly network: NetworkConfig;
  readonly byzantine?: ReadonlyMap<number, readonly ByzantineBehavior[]>;
  /** SE-Random (CONSENSUS.md §8): primaries drawn from the beacon instead of round-robin. */
  readonly seRandom?: boolean;
  /** Fraction of stale timer events delivered anyway, to check the core drops them. */
  readonly staleTimers?: number;
  /** Compare restore(log) with the live state at every crash (deep equality). */
  readonly checkRestore?: boolean;
  /** Test hook: run the correct replicas' cores with a different committee (to prove the checks catch a broken core). */
  readonly mutateCommittee?: (c: Committee) => Committee;
  /** Test hook: replica id -> the height from which its application's state root is wrong (a ledger bug). */
  readonly wrongRoots?: ReadonlyMap<number, number>;
  /** Replica id -> how long after delivering a checkpoint block its application reports the root (async execution). */
  readonly executionDelay?: ReadonlyMap<number, number>;
}

export class SimulationError extends Error {
  constructor(seed: number, what: string) {
    super(`seed ${seed}: ${what}`);
    this.name = "SimulationError";
  }
}

interface App {
  height: number;
  root: Digest;
  readonly roots: Map<number, Digest>;
  readonly requests: Set<string>;
}

/**
 * Where a crash meets the next step that writes storage (CONSENSUS.md §3.7): the write throws
 * (the transaction rolls back and the replica halts), the process dies before it, or after it but
 * before anything is sent. Here the first two are alike: storage stays as it was before the step
 * and the replica stops until it is restarted.
 */
export type PersistFault = "write-throws" | "before-write" | "after-write";

interface Node {
  readonly id: number;
  readonly core: ReplicaCore;
  state: ReplicaState | undefined;
  readonly log: PersistRecord[];
  /** The shell's block store: committed blocks, written in the same transaction as `log`. */
  readonly blocks: Map<number, CommittedBlock>;
  up: boolean;
  /** A crash waiting for the next step that writes storage. */
  fault: PersistFault | undefined;
  /** The durable state at the moment of the crash, compared with restore(log) on restart. */
  lastState: ReplicaState | undefined;
  readonly timers: Map<TimerKind, { token: number; event: TimerEvent }>;
  readonly app: App;
  readonly adversary: ByzantineAdversary | undefined;
}

type Event =
  | { time: number; order: number; kind: "deliver"; to: number; from: number; bytes: Uint8Array }
  | { time: number; order: number; kind: "timer"; node: number; token: number; event: TimerEvent }
  | { time: number; order: number; kind: "action"; run: () => void };

export interface Metrics {
  /** Messages handed to the network by correct replicas, by type. */
  readonly sent: Map<string, number>;
  /** Envelopes refused at the boundary (decode/signature), by code. */
  readonly boundaryRejects: Map<string, number>;
  /** Inputs the core refused, by reason. */
  readonly coreRejects: Map<string, number>;
  deliveries: number;
  steps: number;
}

export interface CommitObservation {
  readonly replica: number;
  readonly seq: number;
  readonly view: number;
  readonly time: number;
}

export class Simulation {
  readonly config: SimConfig;
  readonly keyring: Keyring;
  readonly rng: Prng;
  readonly nodes: Node[];
  readonly metrics: Metrics = {
    sent: new Map(),
    boundaryRejects: new Map(),
    coreRejects: new Map(),
    deliveries: 0,
    steps: 0,
  };
  /** seq -> block digest delivered by the first correct replica at that height. */
  readonly decided = new Map<number, string>();
  /** Request digests submitted to correct replicas (must commit everywhere once stable). */
  readonly tracked = new Set<string>();
  readonly commits: CommitObservation[] = [];
  /** time each PRE-PREPARE (view/seq) was first sent by a correct primary */
  readonly prePrepareSent = new Map<string, number>();
  /** time a correct replica first sent a message of each type */
  readonly firstSent = new Map<string, number>();
  now = 0;
  network: NetworkConfig;
  private readonly queue = new EventQueue<Event>();
  private order = 0;
  private token = 0;
  private partition: number[] | undefined;
  private readonly votes = new Map<string, string>();
  private readonly requestCounter = { next: 0 };

  constructor(config: SimConfig) {
    this.config = config;
    this.network = config.network;
    this.rng = new Prng(config.seed);
    this.keyring = makeKeyring(config.n, config.scheme, config.params, config.seed);
    this.nodes = [];
    for (let id = 0; id < config.n; id++) {
      const signer = this.keyring.signers[id];
      if (signer === undefined) {
        throw new Error("missing signer");
      }
      const committee = config.mutateCommittee?.(this.keyring.committee) ?? this.keyring.committee;
      const core = createReplica(
        config.seRandom === true ? { committee, signer, beacon: this.keyring.beaconKeys(id) } : { committee, signer },
      );
      const behaviors = config.byzantine?.get(id);
      const adversary =
        behaviors === undefined
          ? undefined
          : new ByzantineAdversary(
              id,
              behaviors,
              signer,
              this.keyring.committee,
              new Prng(config.seed ^ (0x5eed + id)),
            );
      const node: Node = {
        id,
        core,
        state: core.init(),
        log: [],
        blocks: new Map(),
        up: true,
        fault: undefined,
        lastState: undefined,
        timers: new Map(),
        app: { height: 0, root: new Uint8Array(32), roots: new Map(), requests: new Set() },
        adversary,
      };
      this.nodes.push(node);
      this.armAll(node);
    }
  }

  // ------------------------------------------------------------ public API

  isCorrect(id: number): boolean {
    return this.nodes[id]?.adversary === undefined;
  }

  node(id: number): Node {
    const node = this.nodes[id];
    if (node === undefined) {
      throw new Error(`no replica ${id}`);
    }
    return node;
  }

  at(time: number, run: () => void): void {
    this.queue.push({ time, order: this.order++, kind: "action", run });
  }

  /** A client submits a fresh request to replica `to`; tracked if `to` is correct and up. */
  submit(to: number, size = 32): Uint8Array {
    const id = this.requestCounter.next++;
    const request = new Uint8Array(Math.max(8, size));
    new DataView(request.buffer).setUint32(0, this.config.seed >>> 0);
    new DataView(request.buffer).setUint32(4, id);
    const node = this.node(to);
    if (!node.up) {
      return request;
    }
    // A request whose step never reached storage is lost with the crash: its client has to retry.
    if (this.input(node, { type: "request", request }) && this.isCorrect(to)) {
      this.tracked.add(toHex(requestDigest(request)));
    }
    return request;
  }

  /** Crash now, or at the next storage write (`during`). */
  crash(id: number, during?: PersistFault): void {
    const node = this.node(id);
    if (!node.up) {
      return;
    }
    if (during !== undefined) {
      node.fault = during;
      return;
    }
    this.crashNow(node);
  }

  restart(id: number): void {
    const node = this.node(id);
    if (node.up) {
      return;
    }
    node.fault = undefined;
    const state = node.core.restore(node.log);
    if (this.config.checkRestore !== false && node.lastState !== undefined && this.isCorrect(id)) {
      if (!isDeepStrictEqual(state, node.lastState)) {
        this.fail(`replica ${id}: restore(log) differs from the state at crash`);
      }
    }
    if (state.lastCommitted < node.app.height) {
      this.fail(`replica ${id}: consensus restored at ${state.lastCommitted}, behind its ledger at ${node.app.height}`);
    }
    node.state = state;
    node.up = true;
    this.armAll(node);
    // The ledger is durable but may miss blocks delivered by a step that crashed before handing them over.
    for (let seq = node.app.height + 1; seq <= state.lastCommitted; seq++) {
      const block = node.blocks.get(seq);
      if (block === undefined) {
        this.fail(`replica ${id}: block ${seq} neither executed nor in the block store`);
      } else {
        this.deliverToApp(node, block);
      }
    }
    for (const seq of [...state.pendingCheckpoints.keys(), ...state.certifiedAhead.keys()]) {
      const root = node.app.roots.get(seq);
      if (root !== undefined) {
        this.input(node, { type: "executed", seq, stateRoot: root });
      }
    }
  }

  setPartition(groups: readonly (readonly number[])[] | undefined): void {
    if (groups === undefined) {
      this.partition = undefined;
      return;
    }
    const p = new Array<number>(this.config.n).fill(-1);
    groups.forEach((g, i) => {
      for (const id of g) {
        p[id] = i;
      }
    });
    this.partition = p;
  }

  /** Run events up to and including `time`. */
  runUntil(time: number): void {
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.time > time) {
        break;
      }
      this.queue.pop();
      this.now = next.time;
      this.handle(next);
    }
    this.now = Math.max(this.now, time);
  }

  /** Replicas that must be live and agree: not Byzantine and currently up. */
  correctUp(): number[] {
    return this.nodes.filter((n) => n.adversary === undefined && n.up).map((n) => n.id);
  }

  /** Every tracked request delivered by every correct replica that is up. */
  allTrackedCommitted(): boolean {
    for (const id of this.correctUp()) {
      const app = this.node(id).app;
      for (const r of this.tracked) {
        if (!app.requests.has(r)) {
          return false;
        }
      }
    }
    return true;
  }

  missing(): string {
    const parts: string[] = [];
    for (const id of this.correctUp()) {
      const app = this.node(id).app;
      let m = 0;
      for (const r of this.tracked) {
        if (!app.requests.has(r)) {
          m++;
        }
      }
      const s = this.node(id).state as ReplicaState;
      parts.push(
        `r${id}: missing ${m}/${this.tracked.size}, height ${app.height}, view ${s.view}${s.active ? "" : "*"}, stable ${s.stable.seq}, pool ${s.pool.size}`,
      );
    }
    return parts.join("; ");
  }

  /** Runs until every tracked request committed everywhere, or fails at `deadline`. */
  runUntilLive(deadline: number, checkEvery = 10): void {
    while (!this.allTrackedCommitted()) {
      if (this.now >= deadline) {
        this.fail(`liveness: not all requests committed by t=${deadline}: ${this.missing()}`);
      }
      this.runUntil(Math.min(deadline, this.now + checkEvery));
    }
  }

  fail(what: string): never {
    throw new SimulationError(this.config.seed, `t=${this.now}: ${what}`);
  }

  // ------------------------------------------------------------ internals

  /** `durable`: the state storage holds, when it is not the live one (a step whose write did not happen). */
  private crashNow(node: Node, durable = node.state): void {
    node.lastState = durable === undefined ? undefined : structuredClone(durable);
    node.up = false;
    node.state = undefined;
    node.timers.clear();
  }

  private armAll(node: Node): void {
    node.timers.clear();
    if (node.state === undefined) {
      return;
    }
    for (const t of armedTimers(node.state)) {
      this.arm(node, t.kind, { kind: t.kind, view: t.view, seq: t.seq }, t.after);
    }
  }

  private arm(node: Node, kind: TimerKind, event: TimerEvent, after: number): void {
    const token = ++this.token;
    node.timers.set(kind, { token, event });
    this.queue.push({ time: this.now + after, order: this.order++, kind: "timer", node: node.id, token, event });
  }

  private handle(e: Event): void {
    switch (e.kind) {
      case "action":
        e.run();
        return;
      case "timer": {
        const node = this.node(e.node);
        if (!node.up) {
          return;
        }
        const armed = node.timers.get(e.event.kind);
        if (armed === undefined || armed.token !== e.token) {
          // A shell might race and deliver a superseded timer: the core must drop it.
          if (this.config.staleTimers !== undefined && this.rng.chance(this.config.staleTimers)) {
            this.input(node, { type: "timer", timer: e.event });
          }
          return;
        }
        node.timers.delete(e.event.kind);
        this.input(node, { type: "timer", timer: e.event });
        return;
      }
      case "deliver": {
        const node = this.node(e.to);
        if (!node.up) {
          return;
        }
        this.metrics.deliveries++;
        node.adversary?.observe(e.bytes);
        const opened: OpenResult = openEnvelope(e.bytes, this.keyring);
        if (!opened.ok) {
          bump(this.metrics.boundaryRejects, opened.code);
          return;
        }
        this.input(node, { type: "message", envelope: opened.envelope });
        return;
      }
    }
  }

  /** Steps `node`; false if the step's storage write did not happen (a fault dropped it). */
  private input(node: Node, input: Input): boolean {
    if (node.state === undefined) {
      return false;
    }
    // A write that does not happen leaves the state before this step durable: keep it to compare on restart.
    const before = node.fault !== undefined && node.fault !== "after-write" ? structuredClone(node.state) : undefined;
    const result: StepResult = node.core.step(node.state, input);
    this.metrics.steps++;
    if (result.rejected !== undefined) {
      bump(this.metrics.coreRejects, result.rejected);
    }
    const writes = result.persist.length > 0 || result.committed.length > 0;
    const fault = writes ? node.fault : undefined;
    if (fault === "write-throws" || fault === "before-write") {
      // Nothing was written and the stepped state is dropped: the shell halts (or dies) before sending.
      this.crashNow(node, before);
      return false;
    }
    node.state = result.state;
    // Persist before anything leaves the replica (ARCHITECTURE.md §2.3): log records and block bodies in one transaction.
    for (const r of result.persist) {
      node.log.push(r);
    }
    for (const block of result.committed) {
      node.blocks.set(block.seq, block);
    }
    if (fault === "after-write") {
      this.crashNow(node);
      return true;
    }
    for (const t of result.timers) {
      if (t.op === "set") {
        this.arm(node, t.timer.kind, { kind: t.timer.kind, view: t.timer.view, seq: t.timer.seq }, t.timer.after);
      } else {
        node.timers.delete(t.kind);
      }
    }
    for (const out of result.send) {
      this.transmit(node, out);
    }
    for (const request of result.serve) {
      const reply = node.core.blocksReply(request.to, storedRange(node.blocks, request.fromSeq, request.toSeq));
      if (reply !== undefined) {
        this.transmit(node, reply);
      }
    }
    for (const block of result.committed) {
      this.deliverToApp(node, block);
    }
    return true;
  }

  /** The application: a hash chain over delivered digests stands in for the ledger's state root. */
  private deliverToApp(node: Node, block: CommittedBlock): void {
    const app = node.app;
    const correct = node.adversary === undefined;
    if (block.seq !== app.height + 1) {
      this.fail(`replica ${node.id} delivered ${block.seq} after ${app.height}`);
    }
    const d = toHex(block.digest);
    if (correct) {
      const prev = this.decided.get(block.seq);
      if (prev === undefined) {
        this.decided.set(block.seq, d);
      } else if (prev !== d) {
        this.fail(
          `SAFETY: replica ${node.id} committed ${d.slice(0, 12)} at ${block.seq}, others ${prev.slice(0, 12)}`,
        );
      }
      this.commits.push({ replica: node.id, seq: block.seq, view: block.view, time: this.now });
    }
    app.height = block.seq;
    app.root = hashTagged("sim-app", app.root, block.digest);
    if (this.config.wrongRoots?.get(node.id) === block.seq) {
      app.root = hashTagged("sim-app-bug", app.root); // every later root differs too, as with a real ledger
    }
    for (const r of block.batch) {
      app.requests.add(toHex(requestDigest(r)));
    }
    if (block.checkpoint) {
      const stateRoot = app.root;
      app.roots.set(block.seq, stateRoot);
      const report = () => {
        if (node.up) {
          this.input(node, { type: "executed", seq: block.seq, stateRoot });
        }
      };
      const delay = this.config.executionDelay?.get(node.id);
      if (delay === undefined) {
        report();
      } else {
        this.at(this.now + delay, report);
      }
    }
  }

  private transmit(node: Node, out: Outbound): void {
    if (node.adversary !== undefined) {
      for (const t of node.adversary.corrupt(out)) {
        this.link(node.id, t.to, t.bytes);
      }
      return;
    }
    bump(this.metrics.sent, out.type, out.to === "others" ? this.config.n - 1 : 1);
    if (!this.firstSent.has(out.type)) {
      this.firstSent.set(out.type, this.now);
    }
    if (out.type === "pre-prepare" || out.type === "prepare" || out.type === "commit") {
      this.checkNoEquivocation(node, out);
    }
    if (out.to === "others") {
      for (let to = 0; to < this.config.n; to++) {
        if (to !== node.id) {
          this.link(node.id, to, out.bytes);
        }
      }
    } else {
      this.link(node.id, out.to, out.bytes);
    }
  }

  private checkNoEquivocation(node: Node, out: Outbound): void {
    const m = decodeEnvelope(out.bytes).envelope.message;
    if (m.type !== "pre-prepare" && m.type !== "prepare" && m.type !== "commit") {
      return;
    }
    const key = `${node.id}/${m.type}/${m.view}/${m.seq}`;
    const d = toHex(m.digest);
    const prev = this.votes.get(key);
    if (prev === undefined) {
      this.votes.set(key, d);
    } else if (prev !== d) {
      this.fail(`EQUIVOCATION: correct replica ${node.id} sent two ${m.type}s for v${m.view} n${m.seq}`);
    }
    if (m.type === "pre-prepare" && !this.prePrepareSent.has(`${m.view}/${m.seq}`)) {
      this.prePrepareSent.set(`${m.view}/${m.seq}`, this.now);
    }
  }

  private link(from: number, to: number, bytes: Uint8Array): void {
    if (this.partition !== undefined && this.partition[from] !== this.partition[to]) {
      return;
    }
    const net = this.network;
    if (this.rng.chance(net.loss)) {
      return;
    }
    const copies = this.rng.chance(net.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.rng.int(net.minDelay, net.maxDelay);
      this.queue.push({ time: this.now + delay, order: this.order++, kind: "deliver", from, to, bytes });
    }
  }
}

/** Consecutive stored blocks from `fromSeq`, up to `toSeq`. */
function storedRange(blocks: ReadonlyMap<number, CommittedBlock>, fromSeq: number, toSeq: number): CommittedBlock[] {
  const out: CommittedBlock[] = [];
  for (let seq = fromSeq; seq <= toSeq; seq++) {
    const block = blocks.get(seq);
    if (block === undefined) {
      break;
    }
    out.push(block);
  }
  return out;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
