/**
 * The links peers open to a replica (docs/OPERATING.md, "Peer links"): the
 * challenge and the handshake that must answer it, one inbound link per peer
 * (hibernating sockets tagged with the peer's index), and what may arrive on
 * one: binary frames, within the peer's frame rate, assembled into messages
 * no larger than the committee's largest (peer-frames.ts, peer-limits.ts),
 * opened as signed envelopes. Anything else closes the link or is dropped.
 */
import { type Committee, openEnvelope, type Verified, type Verifier } from "../src/consensus/index.ts";
import { FrameAssembler } from "./peer-frames.ts";
import { acceptHandshake, challengeBody, PeerChallenges } from "./peer-handshake.ts";
import { maxMessageBytes, PEER_FRAME_RATE, PeerRateLimits } from "./peer-limits.ts";

const PEER_TAG = /^peer:(\d+)$/;
const peerTag = (peer: number) => `peer:${peer}`;

export class InboundLinks {
  readonly #ctx: DurableObjectState;
  readonly #committee: Committee;
  readonly #verifier: Verifier;
  readonly #self: number;
  readonly #challenges = new PeerChallenges(crypto.getRandomValues(new Uint8Array(32)));
  readonly #rates = new PeerRateLimits(PEER_FRAME_RATE);
  readonly #maxMessage: number;
  /** Messages arriving in parts, per link; lost with the object, as the link is. */
  readonly #assemblers = new WeakMap<WebSocket, FrameAssembler>();

  constructor(ctx: DurableObjectState, committee: Committee, verifier: Verifier, self: number) {
    this.#ctx = ctx;
    this.#committee = committee;
    this.#verifier = verifier;
    this.#self = self;
    this.#maxMessage = maxMessageBytes(committee);
  }

  /**
   * `…/peer/challenge` hands out a fresh challenge; a WebSocket upgrade must
   * answer one (peer-handshake.ts). A refused handshake gets 403 and its
   * reason, and no socket is made.
   */
  accept(request: Request, now: number): Response {
    if (new URL(request.url).pathname.endsWith("/challenge")) {
      const challenge = this.#challenges.issue(now, crypto.getRandomValues(new Uint8Array(16)));
      return Response.json(challengeBody(challenge), { headers: { "Cache-Control": "no-store" } });
    }
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("peer links only", { status: 426 });
    }
    const context = { committee: this.#committee, verifier: this.#verifier, self: this.#self };
    const verdict = acceptHandshake(request.headers, { ...context, challenges: this.#challenges }, now);
    if (!verdict.ok) {
      return new Response(verdict.reason, { status: 403 });
    }
    // One inbound link per peer: the newest authenticated one wins (the peer reconnected).
    for (const old of this.#ctx.getWebSockets(peerTag(verdict.from))) {
      old.close(4000, "replaced by a newer link");
    }
    const pair = new WebSocketPair();
    this.#ctx.acceptWebSocket(pair[1], [peerTag(verdict.from)]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** The signed envelope a frame completed, if any; closes the link on what breaks its rules. */
  receive(ws: WebSocket, frame: ArrayBuffer | string, now: number): Verified | undefined {
    const peer = this.#peerOf(ws);
    if (peer === undefined) {
      ws.close(1008, "not a peer link");
      return undefined;
    }
    if (typeof frame === "string") {
      ws.close(1003, "binary frames only");
      return undefined;
    }
    const verdict = this.#rates.admit(peer, now);
    if (verdict !== "accept") {
      if (verdict === "disconnect") {
        console.warn(
          `replica ${this.#self}: peer ${peer} far over its frame rate (${this.#rates.dropped(peer)} dropped)`,
        );
        ws.close(1008, "frame rate exceeded");
      }
      return undefined;
    }
    const assembled = this.#assemblerOf(ws).push(new Uint8Array(frame));
    if (assembled.kind === "refused") {
      ws.close(1009, assembled.reason);
      return undefined;
    }
    if (assembled.kind === "partial") {
      return undefined;
    }
    // A signed message from a validator is what counts, not which socket carried it; garbage is dropped.
    const opened = openEnvelope(assembled.message, { committee: this.#committee, verifier: this.#verifier });
    return opened.ok ? opened.envelope : undefined;
  }

  /** The validator an accepted socket belongs to, from its tag. */
  #peerOf(ws: WebSocket): number | undefined {
    for (const tag of this.#ctx.getTags(ws)) {
      const match = PEER_TAG.exec(tag);
      if (match) {
        return Number(match[1]);
      }
    }
    return undefined;
  }

  #assemblerOf(ws: WebSocket): FrameAssembler {
    let assembler = this.#assemblers.get(ws);
    if (assembler === undefined) {
      assembler = new FrameAssembler(this.#maxMessage);
      this.#assemblers.set(ws, assembler);
    }
    return assembler;
  }
}
