/**
 * A validator replica: the thin shell around the consensus core and the
 * ledger (ARCHITECTURE principle 1). It feeds peer messages, client requests
 * and alarms into `step`, persists what the core says to persist before
 * anything leaves (synchronous storage writes plus the output gate), keeps the
 * core's timers on the alarm, executes committed blocks on the ledger in
 * order, reports checkpoint state roots back, and projects blocks into D1.
 * After eviction or a restart it rebuilds everything from its own storage.
 */
import { DurableObject } from "cloudflare:workers";
import { buildChainConfig, type ChainDefinition } from "../src/chain/config.ts";
import { type ChainEnv, chainFromEnv } from "../src/chain/from-env.ts";
import { chainProofVerifier } from "../src/chain/proof-verifier.ts";
import { type Topology, type TopologyEnv, topologyFromEnv, validatorSecret } from "../src/chain/topology.ts";
import { fromHex, toHex } from "../src/codec/bytes.ts";
import {
  armedTimers,
  type CommittedBlock,
  type Committee,
  committeeFromGenesis,
  createReplica,
  digestKey,
  ed25519Signer,
  ed25519Verifier,
  type Input,
  type Outbound,
  openEnvelope,
  type ReplicaCore,
  type ReplicaState,
  requestDigest,
  type Verifier,
} from "../src/consensus/index.ts";
import { blockRows } from "../src/db/projection.ts";
import { AdmissionBatcher, type Submission } from "../src/ledger/admission-batcher.ts";
import { type BlockResult, executeBlock } from "../src/ledger/execute.ts";
import { type Admission, Mempool, type Refusal } from "../src/ledger/mempool.ts";
import { classifyTransaction } from "../src/ledger/request-class.ts";
import { type TxOutcome, TxOutcomes } from "../src/ledger/tx-outcomes.ts";
import { CachingProofVerifier } from "../src/ledger/verdict-cache.ts";
import type { ProofVerifier } from "../src/ledger/verifier.ts";
import { type TxId, txIdOfBytes } from "../src/protocol/tx/hashes.ts";
import { ConsensusLog } from "./consensus-log.ts";
import { SqliteLedgerStore } from "./ledger-store.ts";
import { checkHandshake, handshakeHeaders } from "./peer-handshake.ts";
import { type PeerReport, PeerReports } from "./peer-reports.ts";
import { ProjectionOutbox } from "./projection-outbox.ts";
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
  readonly primary: number;
  readonly stateRoot: string;
  readonly mempool: number;
  readonly peers: readonly number[];
  /** Each other validator heard from since this replica started, as its last STATUS message reported it. */
  readonly heard: readonly PeerReport[];
};

const NAME = /^replica-(\d+)$/;

/** Recent outcomes kept for replays and `GET /v1/tx/{id}`: a few full pools' worth. */
const OUTCOME_MEMORY = 50_000;

/** Where a transaction is, as far as this replica knows without the index (PROTOCOL.md §8.8). */
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
  readonly #timers: TimerTable;
  readonly #ledger: SqliteLedgerStore;
  readonly #outbox: ProjectionOutbox;
  readonly #mempool: Mempool;
  /** Outgoing links (client sockets live in memory; incoming ones hibernate). */
  readonly #links = new Map<number, WebSocket>();
  readonly #heard = new PeerReports();
  #state: ReplicaState;
  /** Committed blocks run on the ledger one after another, in sequence order. */
  #execution: Promise<void> = Promise.resolve();
  /** Submissions arriving together are checked together, their proofs in one batch. */
  readonly #admission = new AdmissionBatcher<Uint8Array, Admission>(
    (batch) => this.#admit(batch),
    () => new Promise((r) => setTimeout(r, 0)),
  );
  readonly #outcomes = new TxOutcomes(OUTCOME_MEMORY);

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
    this.#core = createReplica({
      committee: this.#committee,
      signer: ed25519Signer(
        this.#index,
        validatorSecret(env, this.#topology, this.#index, this.#committee.validators[this.#index]),
      ),
      classify: classifyTransaction,
    });
    this.#verifier = ed25519Verifier(this.#committee.validators);
    // Proofs verified at admission are not verified again when their block runs.
    this.#proofs = new CachingProofVerifier(chainProofVerifier());
    this.#log = new ConsensusLog(ctx.storage.kv);
    this.#timers = new TimerTable(ctx.storage);
    this.#ledger = new SqliteLedgerStore(ctx.storage);
    this.#outbox = new ProjectionOutbox(ctx.storage.sql);
    this.#mempool = new Mempool({ anchorWindow: this.#config.anchorWindow, minFee: this.#config.minFee });
    const records = this.#log.load();
    this.#state = records.length > 0 ? this.#core.restore(records) : this.#core.init();
    ctx.blockConcurrencyWhile(async () => {
      if (this.#ledger.meta().height < 0) {
        await this.#executeGenesis();
      }
      await this.#timers.reset(armedTimers(this.#state), Date.now());
      // Blocks the core committed before a crash but the ledger had not run yet.
      for (const block of [...this.#state.chain.values()].sort((a, b) => a.seq - b.seq)) {
        this.#enqueue(block);
      }
      await this.#execution;
      await this.#outbox.drain(env.DB); // blocks whose D1 write failed before a restart
    });
  }

  // ---- RPC from the API Worker --------------------------------------------

  /**
   * Every admission check, then into the consensus pool (PROTOCOL.md §8.8).
   * Idempotent for the same bytes. `ok` means the transaction is in the pool;
   * a refusal leaves nothing behind; a replay of a transaction already in a
   * block is refused with its outcome.
   */
  submit(bytes: Uint8Array): Promise<Admission> {
    return this.#admission.submit(bytes);
  }

  async #admit(batch: readonly Submission<Uint8Array, Admission>[]): Promise<void> {
    this.#syncPool();
    const fresh: Submission<Uint8Array, Admission>[] = [];
    for (const submission of batch) {
      const replay = this.#replayed(submission.item);
      if (replay) {
        submission.settle(replay);
      } else {
        fresh.push(submission);
      }
    }
    const checked = await this.#mempool.checkMany(fresh, (s) => s.item, this.#admissionView());
    // The ledger and the pool (peers' relays) may have moved during the proof check: each is checked again as it enters.
    this.#syncPool();
    for (const { item: submission, admission } of checked) {
      submission.settle(admission.ok && !admission.duplicate ? this.#enter(submission.item) : admission);
    }
  }

  /** A refusal with the recorded outcome when these bytes are already in a block. */
  #replayed(bytes: Uint8Array): Refusal | undefined {
    const id = txIdOfBytes(bytes);
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
    const id = txIdOfBytes(bytes);
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

  /** The same checks as `submit`, without admitting (POST /v1/verify). */
  async check(bytes: Uint8Array): Promise<Admission> {
    this.#syncPool();
    return this.#replayed(bytes) ?? this.#mempool.check(bytes, this.#admissionView());
  }

  /** Whether a transaction (hex id) waits in this replica's pool, or what became of it lately. */
  txPresence(id: string): TxPresence {
    const bytes = fromHex(id);
    if (bytes === undefined || bytes.length !== 32) {
      return { status: "unknown" };
    }
    this.#syncPool();
    if (this.#mempool.has(bytes as TxId)) {
      return { status: "pending" };
    }
    return this.#outcomes.get(bytes as TxId) ?? { status: "unknown" };
  }

  status(): ReplicaStatus {
    return {
      index: this.#index,
      height: this.#ledger.meta().height,
      view: this.#state.view,
      primary: this.#core.env.selector.primary(this.#state.view),
      stateRoot: toHex(this.#ledger.meta().stateRoot),
      mempool: this.#state.pool.size,
      peers: [...this.#links.keys()].sort(),
      heard: this.#heard.list(Date.now()),
    };
  }

  /** Opens the links to every peer (idempotent); the API calls it to wake the network. */
  async connectPeers(): Promise<void> {
    await Promise.all(
      Array.from({ length: this.#committee.n }, (_, j) => j)
        .filter((j) => j !== this.#index)
        .map((j) => this.#link(j)),
    );
  }

  // ---- Peer links --------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("peer links only", { status: 426 });
    }
    const verdict = checkHandshake(request.headers, this.#committee, this.#verifier, this.#index, Date.now());
    if (!verdict.ok) {
      return new Response(verdict.reason, { status: 403 });
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [`peer:${verdict.from}`]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    if (typeof message === "string") {
      ws.close(1003, "binary frames only");
      return;
    }
    const opened = openEnvelope(new Uint8Array(message), { committee: this.#committee, verifier: this.#verifier });
    // A signed message from a validator is what counts, not which socket carried it; garbage is dropped.
    if (opened.ok) {
      const { from, message: m } = opened.envelope;
      if (m.type === "status" && from !== this.#index) {
        this.#heard.record(from, m, Date.now());
      }
      this.#step({ type: "message", envelope: opened.envelope });
    }
  }

  async #link(peer: number): Promise<WebSocket | undefined> {
    const open = this.#links.get(peer);
    if (open && open.readyState === WebSocket.OPEN) {
      return open;
    }
    try {
      const headers = handshakeHeaders(this.#committee, this.#core.env.signer, peer, Date.now());
      const response =
        this.#topology.kind === "validator"
          ? await fetch(`${this.#topology.peers[peer]}/v1/peer`, { headers })
          : await this.env.REPLICA.get(this.env.REPLICA.idFromName(replicaName(peer))).fetch("https://replica/peer", {
              headers,
            });
      const ws = response.webSocket;
      if (!ws) {
        return undefined;
      }
      ws.accept();
      ws.addEventListener("close", () => this.#links.delete(peer));
      ws.addEventListener("error", () => this.#links.delete(peer));
      this.#links.set(peer, ws);
      return ws;
    } catch {
      return undefined; // the peer is down: status messages retry, state transfer catches up
    }
  }

  #transmit(out: Outbound): void {
    const targets =
      out.to === "others" ? [...Array(this.#committee.n).keys()].filter((j) => j !== this.#index) : [out.to];
    for (const peer of targets) {
      void this.#link(peer).then((ws) => {
        try {
          ws?.send(out.bytes);
        } catch {
          this.#links.delete(peer);
        }
      });
    }
  }

  // ---- The core ----------------------------------------------------------

  override async alarm(): Promise<void> {
    for (const timer of this.#timers.takeDue(Date.now())) {
      this.#step({ type: "timer", timer });
    }
    await this.#timers.apply([], Date.now());
  }

  #step(input: Input): void {
    const result = this.#core.step(this.#state, input);
    this.#state = result.state;
    // Synchronous storage: durable before any output leaves the object (output gate).
    this.#log.append(result.persist);
    void this.#timers.apply(result.timers, Date.now());
    for (const out of result.send) {
      this.#transmit(out);
    }
    for (const block of result.committed) {
      this.#enqueue(block);
    }
  }

  #enqueue(block: CommittedBlock): void {
    this.#execution = this.#execution
      .then(() => this.#execute(block))
      .catch((e) => {
        // A committed block that cannot run means this replica's state is suspect:
        // restart the object from storage rather than continue diverged.
        console.error(`replica ${this.#index}: block ${block.seq} failed`, e);
        this.ctx.abort("ledger execution failed");
      });
  }

  async #execute(block: CommittedBlock): Promise<void> {
    const meta = this.#ledger.meta();
    if (block.seq <= meta.height) {
      return; // already applied before a restart
    }
    if (block.seq !== meta.height + 1) {
      throw new Error(`ledger at ${meta.height} cannot run block ${block.seq}`);
    }
    const transactions = [...block.batch];
    const result = await executeBlock(this.#ledger, { height: block.seq, transactions }, this.#ledgerConfig());
    this.#ledger.commit(result.changes);
    this.#afterBlock(block.seq, result);
    if (block.checkpoint) {
      this.#step({ type: "executed", seq: block.seq, stateRoot: result.changes.meta.stateRoot });
    }
    this.#outbox.add(blockRows({ height: block.seq, transactions, result }));
    await this.#outbox.drain(this.env.DB);
  }

  async #executeGenesis(): Promise<void> {
    // Built here only: block 0 costs CPU per note and is needed once in a replica's life.
    const block = { height: 0, transactions: buildChainConfig(this.#config).genesisBlock };
    const result = await executeBlock(this.#ledger, block, this.#ledgerConfig());
    this.#ledger.commit(result.changes);
    this.#outbox.add(blockRows({ ...block, result }));
    await this.#outbox.drain(this.env.DB);
  }

  #ledgerConfig() {
    return { chainId: this.#config.consensus.chainId, anchorWindow: this.#config.anchorWindow, verifier: this.#proofs };
  }
}
