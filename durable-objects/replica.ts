/**
 * A validator replica: the thin shell around the consensus core and the
 * ledger (ARCHITECTURE.md §2.1). It feeds peer messages, client requests
 * and alarms into `step`, persists what the core says to persist before
 * anything leaves (synchronous storage writes plus the output gate), keeps the
 * core's timers on the alarm, executes committed blocks on the ledger in
 * order, reports checkpoint state roots back, and projects blocks into D1.
 * After eviction or a restart it rebuilds everything from its own storage.
 * Once its ledger contradicts a stable checkpoint (diverged), it executes,
 * projects and answers nothing more from it, and rebuilds the ledger from
 * genesis when it can (recovery.ts, OPERATING.md "Diverged replica").
 */
import { DurableObject } from "cloudflare:workers";
import { buildChainConfig, type ChainDefinition } from "../src/chain/config.ts";
import { type ChainEnv, chainFromEnv } from "../src/chain/from-env.ts";
import { chainProofVerifier, sharedProofVerifier } from "../src/chain/proof-verifier.ts";
import { type Topology, type TopologyEnv, topologyFromEnv, validatorSecret } from "../src/chain/topology.ts";
import { fromHex, toHex } from "../src/codec/bytes.ts";
import {
  armedTimers,
  type CommittedBlock,
  type Committee,
  committeeFromGenesis,
  createReplica,
  type Divergence,
  digestKey,
  type EpochBeacon,
  ecvrfBeaconKeys,
  type Input,
  isolateSignatureMemo,
  isolateVerifier,
  type Randomness,
  type ReplicaCore,
  type ReplicaState,
  rememberingSigner,
  requestDigest,
  transactionsOf,
  type Verifier,
} from "../src/consensus/index.ts";
import type { ReadCall } from "../src/contracts/read.ts";
import { blockRows } from "../src/db/projection.ts";
import { AdmissionBatcher, type Submission } from "../src/ledger/admission-batcher.ts";
import { decodeWithId } from "../src/ledger/decoded-tx.ts";
import { type Block, type BlockResult, executeBlock, type LedgerConfig } from "../src/ledger/execute.ts";
import { FailureThrottle } from "../src/ledger/failure-throttle.ts";
import { type Admission, Mempool, type Refusal } from "../src/ledger/mempool.ts";
import { classifyTransaction } from "../src/ledger/request-class.ts";
import { type TxOutcome, TxOutcomes } from "../src/ledger/tx-outcomes.ts";
import type { ProofVerifier } from "../src/ledger/verifier.ts";
import { type TxId, txIdOfBytes } from "../src/protocol/tx/hashes.ts";
import { BlockStore } from "./block-store.ts";
import { ConsensusLog } from "./consensus-log.ts";
import { type CallAnswer, ContractReads, type ContractView } from "./contract-reads.ts";
import { InboundLinks } from "./inbound-links.ts";
import { SqliteLedgerStore } from "./ledger-store.ts";
import { OutboundLinks } from "./outbound-links.ts";
import { type PeerReport, PeerReports } from "./peer-reports.ts";
import { type ProjectionHealth, ProjectionOutbox } from "./projection-outbox.ts";
import { rebuildPlan } from "./recovery.ts";
import { TimerTable } from "./timer-table.ts";

export type ReplicaBindings = TopologyEnv &
  ChainEnv & {
    DB: D1Database;
    REPLICA: DurableObjectNamespace<Replica>;
  };

export type ReplicaStatus = {
  readonly index: number;
  readonly height: number;
  readonly view: number;
  /** Who proposes the next block: drawn from the beacon (CONSENSUS.md §8.4). */
  readonly primary: number;
  /** The SE-Random epoch the next block belongs to, and the beacon that drew its primaries. */
  readonly epoch: { readonly number: number; readonly firstHeight: number; readonly beacon: string } | null;
  readonly stateRoot: string;
  readonly mempool: number;
  readonly peers: readonly number[];
  /** Each other validator heard from since this replica started, as its last STATUS message reported it. */
  readonly heard: readonly PeerReport[];
  /** Whether its committed blocks reach D1, or which block D1 keeps refusing and why. */
  readonly projection: ProjectionHealth;
  /** "halted" once a storage write failed: the replica stopped stepping, sending and executing (CONSENSUS.md §3.7). */
  readonly persistence: Persistence;
  /** Set while this replica's ledger contradicts a stable checkpoint (OPERATING.md "Diverged replica"). */
  readonly divergence: ReplicaDivergence | null;
};

/** The beacon a block's contracts read (0x5e0a); none on blocks stored before SE-Random. */
function randomnessOf(block: CommittedBlock): { randomness?: Randomness } {
  return block.randomness === undefined ? {} : { randomness: block.randomness };
}

/** A sealed SE-Random epoch: its beacon with the shares that prove it, and the height that sealed it. */
export type SealedEpoch = { readonly height: number; readonly beacon: EpochBeacon };

/** Blocks past an epoch's K-th searched for its seal: null requests from view changes are rare. */
const MAX_SEAL_SEARCH = 1024;

export type Persistence = { readonly state: "ok" } | { readonly state: "halted"; readonly reason: string };

export type ReplicaDivergence = {
  /** The checkpoint height where it differs from what 2f + 1 replicas certified. */
  readonly height: number;
  /** What differs: its ledger's state root, or the chain of blocks itself. */
  readonly field: "stateRoot" | "chainHash";
  readonly own: string;
  readonly certified: string;
  /** Where its recovery stands, or why it cannot recover on its own. */
  readonly recovery: string;
};

/** What a replica answers from its ledger; a diverged one answers nothing, so the API asks another. */
export type Served<T> = { readonly served: true; readonly answer: T } | { readonly served: false };

const NOT_SERVED: Served<never> = { served: false };

/** A submission and the client address it came from (for the failure throttle only). */
type Submitted = { readonly bytes: Uint8Array; readonly source: string };

/**
 * Bytes of submissions a replica holds while checking them: far below a Durable Object's 128 MB,
 * and room for hundreds of the largest transactions (docs/ARCHITECTURE.md §2.13).
 */
const MAX_ADMITTING_BYTES = 16 << 20;

/** Refusals that cost this replica a verification the sender made for free. */
const AUTHORIZATION_FAILURES = new Set(["invalid_proof", "bad_signature"]);

const REBUILD_QUEUED = "waiting for the blocks in execution to finish, then rebuilding from genesis";

const NAME = /^replica-(\d+)$/;
/** Tag of an accepted link from validator `peer` (hibernation API: the tag survives hibernation). */
/** Recent outcomes kept for replays and `GET /v1/tx/{id}`: a few full pools' worth. */
const OUTCOME_MEMORY = 50_000;

/** Where a transaction is, as far as this replica knows without the index (PROTOCOL.md §8.10). */
export type TxPresence = { readonly status: "pending" } | TxOutcome | { readonly status: "unknown" };

const poolKey = (request: Uint8Array) => digestKey(requestDigest(request));

export function replicaName(index: number): string {
  return `replica-${index}`;
}

export class Replica extends DurableObject<ReplicaBindings> {
  readonly #index: number;
  readonly #config: ChainDefinition;
  readonly #committee: Committee;
  readonly #topology: Topology;
  readonly #core: ReplicaCore;
  readonly #verifier: Verifier;
  readonly #proofs: ProofVerifier;
  readonly #log: ConsensusLog;
  readonly #blocks: BlockStore;
  readonly #timers: TimerTable;
  readonly #ledger: SqliteLedgerStore;
  readonly #contracts: ContractReads;
  readonly #outbox: ProjectionOutbox;
  readonly #mempool: Mempool;
  /** Links this replica opens to its peers (client sockets, in memory). */
  readonly #outbound: OutboundLinks;
  /** Links peers open to this replica (hibernating sockets). */
  readonly #inbound: InboundLinks;
  readonly #heard = new PeerReports();
  #state: ReplicaState;
  #persistence: Persistence = { state: "ok" };
  /** Committed blocks run on the ledger one after another, in sequence order. */
  #execution: Promise<void> = Promise.resolve();
  /** The divergence (its height) a ledger rebuild was started for, once per divergence and start. */
  #rebuildFor: number | undefined;
  /** Where recovery from the current divergence stands, for status(). */
  #recovery = REBUILD_QUEUED;
  /** Submissions arriving together are checked together, their proofs in one batch. */
  readonly #admission = new AdmissionBatcher<Submitted, Served<Admission>>(
    (batch) => this.#admit(batch),
    () => new Promise((r) => setTimeout(r, 0)),
    {
      maxBytes: MAX_ADMITTING_BYTES,
      sizeOf: (s) => s.bytes.length,
      refuse: (s) => ({
        served: true,
        answer: { ok: false, id: txIdOfBytes(s.bytes), code: "busy", message: "the validator is busy: retry shortly" },
      }),
    },
  );
  readonly #outcomes = new TxOutcomes(OUTCOME_MEMORY);
  /** Sources whose proofs or signatures fail are refused for a while (src/ledger/failure-throttle.ts). */
  readonly #failures = new FailureThrottle();

  constructor(ctx: DurableObjectState, env: ReplicaBindings) {
    super(ctx, env);
    const match = NAME.exec(ctx.id.name ?? "");
    if (!match) {
      throw new Error("a replica is addressed by name replica-<index>");
    }
    this.#index = Number(match[1]);
    this.#config = chainFromEnv(env);
    this.#committee = committeeFromGenesis(this.#config.consensus);
    this.#topology = topologyFromEnv(env, this.#committee.n);
    const secret = validatorSecret(env, this.#topology, this.#index, this.#committee.validators[this.#index]);
    this.#core = createReplica({
      committee: this.#committee,
      // Signatures this replica makes and checks enter the isolate's memo, so its peers here never check them again.
      signer: rememberingSigner(this.#committee, this.#index, secret, isolateSignatureMemo(this.#committee)),
      // SE-Random (CONSENSUS.md §8): the validator key is also its VRF key.
      beacon: ecvrfBeaconKeys(this.#config.consensus.chainId, this.#committee, secret),
      classify: classifyTransaction,
      maxBatchWeight: this.#config.contracts.blockGasLimit,
    });
    this.#verifier = isolateVerifier(this.#committee);
    this.#outbound = new OutboundLinks(this.#committee, this.#core.env.signer, (peer, path, init) =>
      this.#topology.kind === "validator"
        ? fetch(`${this.#topology.peers[peer]}/v1/peer${path}`, init)
        : this.env.REPLICA.get(this.env.REPLICA.idFromName(replicaName(peer))).fetch(
            `https://replica/peer${path}`,
            init,
          ),
    );
    this.#inbound = new InboundLinks(ctx, this.#committee, this.#verifier, this.#index);
    // A proof verified at admission, by this replica or another of this deployment, is not verified again (PROTOCOL.md §8.10).
    this.#proofs = sharedProofVerifier(this.#config.consensus.chainId);
    this.#log = new ConsensusLog(ctx.storage);
    this.#blocks = new BlockStore(ctx.storage.sql);
    this.#timers = new TimerTable(ctx.storage);
    this.#ledger = new SqliteLedgerStore(ctx.storage);
    this.#contracts = new ContractReads(
      this.#ledger,
      this.#config.consensus.chainId,
      this.#config.contracts,
      () => this.#core.leader(this.#state).randomness,
    );
    this.#outbox = new ProjectionOutbox(ctx.storage.sql);
    this.#mempool = new Mempool({
      anchorWindow: this.#config.anchorWindow,
      minFee: this.#config.minFee,
      contracts: this.#config.contracts,
    });
    const records = this.#log.load();
    this.#state = records.length > 0 ? this.#core.restore(records) : this.#core.init();
    ctx.blockConcurrencyWhile(async () => {
      if (this.#ledger.meta().height < 0) {
        await this.#executeGenesis();
      }
      await this.#timers.reset(armedTimers(this.#state), Date.now());
      this.#resume();
      await this.#execution;
      this.#noticeDivergence();
      await this.#project(); // blocks whose D1 write failed before a restart
    });
  }

  // ---- RPC from the API Worker --------------------------------------------

  /**
   * Every admission check, then into the consensus pool (PROTOCOL.md §8.10).
   * Idempotent for the same bytes. `ok` means the transaction is in the pool;
   * a refusal leaves nothing behind; a replay of a transaction already in a
   * block is refused with its outcome.
   */
  submit(bytes: Uint8Array, source: string): Promise<Served<Admission>> {
    const refused = this.#refuseEarly(bytes, source);
    return refused ?? this.#admission.submit({ bytes, source });
  }

  /**
   * What is answered before any check runs: a diverged replica serves nothing; a halted one cannot
   * order a transaction (the API hands it to another replica: CONSENSUS.md §3.7); a source whose
   * forgeries spent its failure budget is throttled.
   */
  #refuseEarly(bytes: Uint8Array, source: string): Promise<Served<Admission>> | undefined {
    if (this.#state.diverged !== undefined) {
      return Promise.resolve(NOT_SERVED);
    }
    if (this.#persistence.state === "halted") {
      return Promise.reject(new Error(`replica ${this.#index} halted: ${this.#persistence.reason}`));
    }
    if (!this.#failures.allows(source, Date.now())) {
      const id = txIdOfBytes(bytes);
      const message = "too many submissions from this address failed their proof or signature: retry later";
      return Promise.resolve({ served: true, answer: { ok: false, id, code: "throttled", message } });
    }
    return undefined;
  }

  /** Counts a failed proof or signature against its source. */
  #noteFailure(source: string, verdict: Admission): void {
    if (!verdict.ok && AUTHORIZATION_FAILURES.has(verdict.code)) {
      this.#failures.recordFailure(source, Date.now());
    }
  }

  async #admit(batch: readonly Submission<Submitted, Served<Admission>>[]): Promise<void> {
    this.#syncPool();
    const fresh: Submission<Submitted, Served<Admission>>[] = [];
    for (const submission of batch) {
      const replay = this.#replayed(submission.item.bytes);
      if (replay) {
        submission.settle({ served: true, answer: replay });
      } else {
        fresh.push(submission);
      }
    }
    const checked = await this.#mempool.checkMany(fresh, (s) => s.item.bytes, this.#admissionView());
    // The ledger and the pool (peers' relays) may have moved during the proof check: each is checked again as it enters.
    this.#syncPool();
    for (const { item: submission, admission } of checked) {
      this.#noteFailure(submission.item.source, admission);
      if (this.#state.diverged !== undefined) {
        // Found diverged while the proofs were checked: these verdicts came from a ledger the quorum contradicts.
        submission.settle(NOT_SERVED);
      } else if (this.#persistence.state !== "halted") {
        const verdict = admission.ok && !admission.duplicate ? this.#enter(submission.item.bytes) : admission;
        submission.settle({ served: true, answer: verdict });
      } // halted meanwhile: left unsettled, the submission fails and the API tries another replica
    }
  }

  /** A refusal with the recorded outcome when these bytes are already in a block. */
  #replayed(bytes: Uint8Array): Refusal | undefined {
    const id = decodeWithId(bytes).id;
    const outcome = this.#outcomes.get(id);
    const height = outcome?.status === "dropped" ? undefined : outcome?.height;
    const committedAt = this.#state.committedRequests.get(poolKey(bytes)) ?? height;
    if (committedAt === undefined) {
      return undefined;
    }
    if (outcome?.status === "rejected") {
      const message = `rejected in block ${outcome.height} (${outcome.code})`;
      return { ok: false, id, code: "already_rejected", message, height: outcome.height };
    }
    return { ok: false, id, code: "already_committed", message: `in block ${committedAt}`, height: committedAt };
  }

  /** Hands a checked transaction to consensus; it is indexed only if the pool took it. */
  #enter(bytes: Uint8Array): Admission {
    const id = decodeWithId(bytes).id;
    const refusal = this.#replayed(bytes) ?? this.#mempool.recheck(bytes, this.#ledger);
    if (refusal) {
      return refusal;
    }
    if (bytes.length > this.#committee.params.maxRequestBytes) {
      return { ok: false, id, code: "too_large", message: "the transaction exceeds the consensus request limit" };
    }
    const key = poolKey(bytes);
    const before = this.#state.pool.size;
    this.#step({ type: "request", request: bytes });
    const pooled = this.#state.pool.get(key);
    if (pooled === undefined) {
      return { ok: false, id, code: "mempool_full", message: "the pool is full of transactions paying more per byte" };
    }
    this.#mempool.record(key, pooled);
    if (this.#state.pool.size !== before + 1) {
      this.#syncPool(); // it evicted cheaper ones
    }
    return { ok: true, id, duplicate: false };
  }

  /**
   * Brings the admission index in step with the consensus pool. What left the
   * pool without being committed was dropped: `reasons` names why, otherwise
   * the pool evicted it for a higher fee rate.
   */
  #syncPool(reasons: ReadonlyMap<string, string> = new Map()): void {
    const height = this.#ledger.meta().height;
    for (const gone of this.#mempool.sync(this.#state.pool)) {
      if (!this.#state.committedRequests.has(gone.key)) {
        this.#outcomes.drop(gone.id, height, reasons.get(gone.key) ?? "evicted");
      }
    }
  }

  /** The same checks as `submit`, without admitting (POST /v1/verify). */
  async check(bytes: Uint8Array, source: string): Promise<Served<Admission>> {
    const refused = this.#refuseEarly(bytes, source);
    if (refused) {
      return refused;
    }
    this.#syncPool();
    const verdict = this.#replayed(bytes) ?? (await this.#mempool.check(bytes, this.#admissionView()));
    this.#noteFailure(source, verdict);
    // Found diverged while the proof was checked: the verdict came from a ledger the quorum contradicts.
    return this.#state.diverged === undefined ? { served: true, answer: verdict } : NOT_SERVED;
  }

  /** After a block: records its outcomes and drops pooled transactions that can no longer commit. */
  #afterBlock(height: number, result: BlockResult): void {
    for (const r of result.receipts) {
      this.#outcomes.settle(
        r.txId,
        r.status === "committed" ? { status: "committed", height } : { status: "rejected", height, code: r.code },
      );
    }
    this.#syncPool();
    const stale = this.#mempool.stale(this.#ledger);
    if (stale.length > 0) {
      const pooled = stale.flatMap((s) => this.#state.pool.get(s.key) ?? []);
      this.#step({ type: "drop", requests: pooled.map((p) => requestDigest(p.request)) });
      this.#syncPool(new Map(stale.map((s) => [s.key, s.reason])));
    }
  }

  #admissionView() {
    return { ledger: this.#ledger, chainId: this.#config.consensus.chainId, verifier: this.#proofs };
  }

  /** Whether a transaction (hex id) waits in this replica's pool, or what became of it lately. */
  txPresence(id: string): Served<TxPresence> {
    if (this.#state.diverged !== undefined) {
      return NOT_SERVED;
    }
    const bytes = fromHex(id);
    if (bytes === undefined || bytes.length !== 32) {
      return { served: true, answer: { status: "unknown" } };
    }
    this.#syncPool();
    if (this.#mempool.has(bytes as TxId)) {
      return { served: true, answer: { status: "pending" } };
    }
    return { served: true, answer: this.#outcomes.get(bytes as TxId) ?? { status: "unknown" } };
  }

  /** A read-only contract call at this replica's tip (PROTOCOL.md §10.7). */
  async callContract(call: ReadCall): Promise<Served<CallAnswer>> {
    if (this.#state.diverged !== undefined) {
      return NOT_SERVED;
    }
    const answer = await this.#contracts.call(call);
    // Found diverged while the EVM ran: the outcome came from a ledger the quorum contradicts.
    return this.#state.diverged === undefined ? { served: true, answer } : NOT_SERVED;
  }

  /** A contract's public state (PROTOCOL.md §10.8); null when there is none at `address`. */
  contractState(address: Uint8Array): Served<ContractView | null> {
    return this.#state.diverged === undefined ? { served: true, answer: this.#contracts.view(address) } : NOT_SERVED;
  }

  status(): ReplicaStatus {
    const { primary, epoch } = this.#core.leader(this.#state);
    return {
      index: this.#index,
      height: this.#ledger.meta().height,
      view: this.#state.view,
      primary,
      epoch:
        epoch === undefined ? null : { number: epoch.epoch, firstHeight: epoch.firstSeq, beacon: toHex(epoch.beacon) },
      stateRoot: toHex(this.#ledger.meta().stateRoot),
      mempool: this.#state.pool.size,
      peers: this.#outbound.open(),
      heard: this.#heard.list(Date.now()),
      projection: this.#outbox.health(),
      divergence: this.#divergence(),
      persistence: this.#persistence,
    };
  }

  #divergence(): ReplicaDivergence | null {
    const d = this.#state.diverged;
    if (d === undefined) {
      return null;
    }
    const { seq: height, field } = d;
    return { height, field, own: toHex(d.own), certified: toHex(d.certified), recovery: this.#recovery };
  }

  /**
   * The sealing block of `epoch` from the block store, with its beacon and shares (CONSENSUS.md §8.2);
   * null while the epoch is not sealed here. An epoch is sealed at its K-th block or, after null
   * requests there, a little later: the search starts at the earliest height and is bounded.
   */
  beacon(epoch: number): SealedEpoch | null {
    const earliest = (epoch + 1) * this.#committee.params.epochLength;
    const last = Math.min(this.#state.lastCommitted, earliest + MAX_SEAL_SEARCH);
    for (const block of this.#blocks.range(earliest, last)) {
      if (block.beacon !== undefined && block.beacon.epoch >= epoch) {
        return block.beacon.epoch === epoch ? { height: block.seq, beacon: block.beacon } : null;
      }
    }
    return null;
  }

  /** Opens the links to every peer (idempotent); the API calls it to wake the network. */
  async connectPeers(): Promise<void> {
    await this.#outbound.connectAll();
  }

  // ---- Peer links --------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    return this.#inbound.accept(request, Date.now());
  }

  override async webSocketMessage(ws: WebSocket, frame: ArrayBuffer | string): Promise<void> {
    const envelope = this.#inbound.receive(ws, frame, Date.now());
    if (envelope === undefined) {
      return;
    }
    const { from, message } = envelope;
    if (message.type === "status" && from !== this.#index) {
      this.#heard.record(from, message, Date.now());
    }
    this.#step({ type: "message", envelope });
  }

  // ---- The core ----------------------------------------------------------

  override async alarm(): Promise<void> {
    if (this.#persistence.state === "halted") {
      return; // and not re-armed: a halted replica's timers stop with it
    }
    for (const timer of this.#timers.takeDue(Date.now())) {
      this.#step({ type: "timer", timer });
    }
    await this.#timers.rearm();
    // The status timer keeps the alarm ticking: an idle chain still retries a refused D1 write.
    if (this.#outbox.pendingBlocks > 0) {
      await this.#project();
    }
  }

  /**
   * Persist, then act (CONSENSUS.md §3.7): the step's log records and the block bodies it
   * committed go to storage in one transaction before anything is sent, armed or executed. If the
   * write fails, nothing of the step is kept: the replica halts with the reason and goes back to
   * the state its storage holds.
   */
  #step(input: Input): void {
    if (this.#persistence.state === "halted") {
      return;
    }
    const result = this.#core.step(this.#state, input);
    try {
      if (result.persist.length > 0 || result.committed.length > 0) {
        this.ctx.storage.transactionSync(() => {
          this.#log.append(result.persist);
          this.#blocks.put(result.committed);
        });
      }
    } catch (e) {
      this.#halt(`persisting a ${input.type} step failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.#state = result.state;
    this.#timers.apply(result.timers, Date.now()).catch((e) => {
      // An alarm that failed to arm leaves the core's timers dead (no view change would fire):
      // restart from storage, where the constructor re-arms every timer the core holds.
      console.error(`replica ${this.#index}: arming the alarm failed`, e);
      this.ctx.abort("timer apply failed");
    });
    for (const out of result.send) {
      this.#outbound.transmit(out);
    }
    for (const request of result.serve) {
      const reply = this.#core.blocksReply(request.to, this.#blocks.range(request.fromSeq, request.toSeq));
      if (reply !== undefined) {
        this.#outbound.transmit(reply);
      }
    }
    for (const block of result.committed) {
      this.#enqueue(block);
    }
    this.#noticeDivergence();
  }

  /** Stops stepping, sending and executing for good (until the object restarts), loudly. */
  #halt(reason: string): void {
    console.error(`replica ${this.#index}: halted: ${reason}`);
    this.#persistence = { state: "halted", reason };
    try {
      // The stepped state was never persisted: drop it for what storage holds (for status).
      this.#state = this.#core.restore(this.#log.load());
    } catch (e) {
      console.error(`replica ${this.#index}: reloading the consensus log failed`, e);
    }
  }

  /**
   * After a restart, consensus and ledger agree again (CONSENSUS.md §3.7): blocks the core
   * delivered but the ledger had not run are run from the block store, and checkpoints the
   * ledger executed before the restart get their state root reported again. A consensus log
   * behind the ledger catches up by state transfer; `#execute` reports roots for the blocks it
   * receives that the ledger already ran.
   */
  #resume(): void {
    const height = this.#ledger.meta().height;
    const missing = this.#state.lastCommitted - height;
    const stored = this.#blocks.range(height + 1, this.#state.lastCommitted);
    if (missing > 0 && stored.length < missing) {
      this.#halt(`block store lacks block ${height + 1 + stored.length}, committed but not executed`);
      return;
    }
    for (const seq of [...this.#state.pendingCheckpoints.keys()].sort((a, b) => a - b)) {
      this.#reportExecuted(seq, height);
    }
    for (const block of stored) {
      this.#enqueue(block);
    }
  }

  /** The ledger ran checkpoint block `seq` before: report the root it had there. */
  #reportExecuted(seq: number, height: number): void {
    if (seq > height) {
      return;
    }
    const stateRoot = this.#blocks.stateRoot(seq);
    if (stateRoot !== undefined) {
      this.#step({ type: "executed", seq, stateRoot });
    } else if (this.#state.pendingCheckpoints.has(seq)) {
      // Only storage from before checkpoint roots were kept: this replica cannot vote at seq.
      console.error(`replica ${this.#index}: no state root kept for checkpoint ${seq}, ledger at ${height}`);
    }
  }

  #enqueue(block: CommittedBlock): void {
    this.#execution = this.#execution
      .then(() => this.#execute(block))
      .catch((e) => this.#executionFailed(`block ${block.seq}`, e));
  }

  #executionFailed(what: string, e: unknown): void {
    // A committed block that cannot run means this replica's state is suspect:
    // restart the object from storage rather than continue diverged.
    console.error(`replica ${this.#index}: ${what} failed`, e);
    this.ctx.abort("ledger execution failed");
  }

  async #execute(block: CommittedBlock): Promise<void> {
    if (this.#persistence.state === "halted" || this.#state.diverged !== undefined) {
      return; // halted, or contained: no block runs on a ledger the quorum contradicts (the rebuild catches up)
    }
    const meta = this.#ledger.meta();
    if (block.seq <= meta.height) {
      // Ran before a restart (the consensus log was behind the ledger): no re-execution, but the
      // core still needs the root of a checkpoint there, or that checkpoint never completes.
      if (block.checkpoint) {
        this.#reportExecuted(block.seq, meta.height);
      }
      return;
    }
    if (block.seq !== meta.height + 1) {
      throw new Error(`ledger at ${meta.height} cannot run block ${block.seq}`);
    }
    const result = await this.#run(
      { height: block.seq, transactions: [...transactionsOf(block.batch)], ...randomnessOf(block) },
      this.#ledgerConfig(),
    );
    const stateRoot = result.changes.meta.stateRoot;
    this.#afterBlock(block.seq, result);
    if (block.checkpoint) {
      this.#step({ type: "executed", seq: block.seq, stateRoot });
    }
    await this.#project();
  }

  /**
   * Runs one block on the ledger and commits, in one storage transaction, its changes, its D1 rows
   * and, at a checkpoint height, its state root (reported again after a restart: CONSENSUS.md §3.7).
   */
  async #run(block: Block, config: LedgerConfig): Promise<BlockResult> {
    const result = await executeBlock(this.#ledger, block, config);
    this.ctx.storage.transactionSync(() => {
      this.#ledger.commit(result.changes);
      this.#outbox.add(blockRows({ ...block, result }));
      if (block.height % this.#committee.params.checkpointInterval === 0) {
        this.#blocks.recordStateRoot(block.height, result.changes.meta.stateRoot);
      }
    });
    return result;
  }

  /** Writes the queued blocks into D1, unless the ledger they came from is diverged. */
  async #project(): Promise<void> {
    if (this.#state.diverged === undefined) {
      await this.#outbox.drain(this.env.DB);
    }
  }

  async #executeGenesis(): Promise<void> {
    await this.#run(this.#genesisBlock(), this.#ledgerConfig());
    await this.#project();
  }

  #genesisBlock(): Block {
    // Built here only: block 0 costs CPU per note and is needed once in a replica's life (or per rebuild).
    return { height: 0, transactions: buildChainConfig(this.#config).genesisBlock };
  }

  /**
   * Called after every step: a new divergence drops the blocks waiting for D1 (computed on the contradicted
   * ledger) and queues one rebuild from genesis behind the blocks in execution.
   */
  #noticeDivergence(): void {
    const d = this.#state.diverged;
    if (d === undefined || this.#rebuildFor === d.seq) {
      return;
    }
    this.#rebuildFor = d.seq;
    this.#recovery = REBUILD_QUEUED;
    this.#outbox.discard();
    console.error(
      `replica ${this.#index}: diverged at ${d.seq}: own ${d.field} ${toHex(d.own)}, certified ${toHex(d.certified)}`,
    );
    this.#execution = this.#execution
      .then(() => this.#rebuild(d))
      .catch((e) => {
        if (this.#state.diverged === undefined) {
          this.#executionFailed("catching up after the rebuild", e);
          return;
        }
        console.error(`replica ${this.#index}: rebuild failed`, e);
        this.#recovery = `rebuild from genesis failed (${e instanceof Error ? e.message : String(e)}); it is retried at restart`;
      });
  }

  /**
   * Re-executes the certified blocks 1..d.seq on an empty ledger, with a proof verifier that caches nothing
   * from the diverged run, and reports the root at d.seq: if it is the certified one the core clears the
   * divergence and execution resumes after d.seq; if not, the replica stays diverged and says why.
   */
  async #rebuild(d: Divergence): Promise<void> {
    this.#outbox.discard(); // rows of blocks that finished executing after the divergence was noticed
    const plan = rebuildPlan(d, (seq) => this.#blocks.get(seq));
    if (!plan.ok) {
      this.#recovery = plan.why;
      return;
    }
    this.#recovery = `rebuilding the ledger from genesis up to block ${d.seq}`;
    const config = { ...this.#ledgerConfig(), verifier: chainProofVerifier() };
    this.#ledger.reset();
    await this.#run(this.#genesisBlock(), config);
    for (const block of plan.blocks) {
      await this.#run(
        { height: block.seq, transactions: [...transactionsOf(block.batch)], ...randomnessOf(block) },
        config,
      );
    }
    const root = this.#ledger.meta().stateRoot;
    this.#step({ type: "executed", seq: d.seq, stateRoot: root });
    if (this.#state.diverged !== undefined) {
      this.#outbox.discard();
      this.#recovery =
        `rebuilt from genesis, block ${d.seq} gives state root ${toHex(root)} again: ` +
        "this replica's ledger code, configuration or storage differs from the quorum's";
      return;
    }
    console.error(`replica ${this.#index}: ledger rebuilt from genesis agrees with the quorum at ${d.seq}`);
    await this.#project();
    // Catch up here, ahead of the blocks queued while rebuilding: those are then skipped as already applied.
    for (const block of this.#blocks.range(d.seq + 1, this.#state.lastCommitted)) {
      await this.#execute(block);
    }
  }

  #ledgerConfig(): LedgerConfig {
    return {
      chainId: this.#config.consensus.chainId,
      anchorWindow: this.#config.anchorWindow,
      minFee: this.#config.minFee,
      contracts: this.#config.contracts,
      verifier: this.#proofs,
    };
  }
}
