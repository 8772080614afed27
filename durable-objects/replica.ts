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
  ed25519Signer,
  ed25519Verifier,
  type Input,
  type Outbound,
  openEnvelope,
  type ReplicaCore,
  type ReplicaState,
  type Verifier,
} from "../src/consensus/index.ts";
import { blockRows } from "../src/db/projection.ts";
import { executeBlock } from "../src/ledger/execute.ts";
import { type Admission, Mempool } from "../src/ledger/mempool.ts";
import { CachingProofVerifier } from "../src/ledger/verdict-cache.ts";
import type { ProofVerifier } from "../src/ledger/verifier.ts";
import type { TxId } from "../src/protocol/tx/hashes.ts";
import { ConsensusLog } from "./consensus-log.ts";
import { SqliteLedgerStore } from "./ledger-store.ts";
import { checkHandshake, handshakeHeaders } from "./peer-handshake.ts";
import { type PeerReport, PeerReports } from "./peer-reports.ts";
import { type ProjectionHealth, ProjectionOutbox } from "./projection-outbox.ts";
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
  /** Whether its committed blocks reach D1, or which block D1 keeps refusing and why. */
  readonly projection: ProjectionHealth;
};

const NAME = /^replica-(\d+)$/;

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
  /** Submissions waiting to be checked together, and the check that will take them. */
  readonly #waiting: {
    bytes: Uint8Array;
    source: string;
    resolve: (a: Admission) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #admitting: Promise<void> | undefined;

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
    });
    this.#verifier = ed25519Verifier(this.#committee.validators);
    // Proofs verified at admission are not verified again when their block runs.
    this.#proofs = new CachingProofVerifier(chainProofVerifier());
    this.#log = new ConsensusLog(ctx.storage.kv);
    this.#timers = new TimerTable(ctx.storage);
    this.#ledger = new SqliteLedgerStore(ctx.storage);
    this.#outbox = new ProjectionOutbox(ctx.storage.sql);
    this.#mempool = new Mempool({
      maxTransactions: 10_000,
      maxBytes: 64 << 20,
      anchorWindow: this.#config.anchorWindow,
      minFee: this.#config.minFee,
    });
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
   * Every admission check, then into consensus. Idempotent for the same bytes.
   * Submissions arriving together are checked together, so their proofs are
   * verified in one batch.
   */
  submit(bytes: Uint8Array, source: string): Promise<Admission> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ bytes, source, resolve, reject });
      this.#admitting ??= this.#admitWaiting();
    });
  }

  async #admitWaiting(): Promise<void> {
    // One macrotask lets the submissions already on their way join this batch.
    await new Promise((r) => setTimeout(r, 0));
    const batch = this.#waiting.splice(0);
    this.#admitting = undefined;
    try {
      const chainId = this.#config.consensus.chainId;
      const checked = await this.#mempool.checkMany(
        batch.map((w) => w.bytes),
        this.#ledger,
        chainId,
        this.#proofs,
      );
      for (const [i, w] of batch.entries()) {
        const verdict = checked[i] as Admission;
        if (!verdict.ok || verdict.duplicate) {
          w.resolve(verdict);
          continue;
        }
        const admitted = this.#mempool.admit(w.bytes, w.source, this.#ledger);
        if (admitted.ok && !admitted.duplicate) {
          this.#step({ type: "request", request: w.bytes });
        }
        w.resolve(admitted);
      }
    } catch (e) {
      for (const w of batch) {
        w.reject(e);
      }
    }
  }

  /** The same checks as `submit`, without admitting (POST /v1/verify). */
  async check(bytes: Uint8Array): Promise<Admission> {
    return this.#mempool.check(bytes, this.#ledger, this.#config.consensus.chainId, this.#proofs);
  }

  /** Whether a transaction (hex id) waits in this replica's mempool. */
  isPending(id: string): boolean {
    const bytes = fromHex(id);
    return bytes !== undefined && this.#mempool.has(bytes as TxId);
  }

  status(): ReplicaStatus {
    return {
      index: this.#index,
      height: this.#ledger.meta().height,
      view: this.#state.view,
      primary: this.#core.env.selector.primary(this.#state.view),
      stateRoot: toHex(this.#ledger.meta().stateRoot),
      mempool: this.#mempool.size,
      peers: [...this.#links.keys()].sort(),
      heard: this.#heard.list(Date.now()),
      projection: this.#outbox.health(),
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
    // The status timer keeps the alarm ticking: an idle chain still retries a refused D1 write.
    if (this.#outbox.pendingBlocks > 0) {
      await this.#outbox.drain(this.env.DB);
    }
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
    this.#mempool.removeCommitted(
      result.receipts.map((r) => r.txId),
      this.#ledger,
    );
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
    return {
      chainId: this.#config.consensus.chainId,
      anchorWindow: this.#config.anchorWindow,
      minFee: this.#config.minFee,
      verifier: this.#proofs,
    };
  }
}
