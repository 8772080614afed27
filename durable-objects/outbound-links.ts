/**
 * The links a replica opens to its peers (docs/OPERATING.md, "Peer links"):
 * one per peer, opened on first use (a challenge, then the signed upgrade),
 * shared by concurrent sends, forgotten when it closes. Messages leave in
 * frames below the platform's received-message limit (peer-frames.ts). A peer
 * that is down is simply not reached: status messages retransmit and state
 * transfer catches up (CONSENSUS.md §3.5).
 */
import type { Committee, Outbound, Signer } from "../src/consensus/index.ts";
import { framesOf } from "./peer-frames.ts";
import { challengeFromBody, handshakeHeaders } from "./peer-handshake.ts";

/** Sends `…/peer{path}` to `peer`: across deployments by URL, inside one to its Durable Object. */
export type PeerFetch = (peer: number, path: string, init?: RequestInit) => Promise<Response>;

export class OutboundLinks {
  readonly #committee: Committee;
  readonly #signer: Signer;
  readonly #fetch: PeerFetch;
  readonly #links = new Map<number, WebSocket>();
  /** Handshakes under way, so concurrent sends to one peer open one link. */
  readonly #opening = new Map<number, Promise<WebSocket | undefined>>();

  constructor(committee: Committee, signer: Signer, fetch: PeerFetch) {
    this.#committee = committee;
    this.#signer = signer;
    this.#fetch = fetch;
  }

  /** The peers this replica has an open link to. */
  open(): number[] {
    return [...this.#links.keys()].sort((a, b) => a - b);
  }

  /** Opens the link to every peer that has none (idempotent). */
  async connectAll(): Promise<void> {
    await Promise.all(this.#peers().map((peer) => this.#link(peer)));
  }

  transmit(out: Outbound): void {
    for (const peer of out.to === "others" ? this.#peers() : [out.to]) {
      void this.#link(peer).then((ws) => {
        try {
          for (const frame of framesOf(out.bytes)) {
            ws?.send(frame);
          }
        } catch {
          this.#forget(peer, ws);
        }
      });
    }
  }

  #peers(): number[] {
    return [...Array(this.#committee.n).keys()].filter((j) => j !== this.#signer.id);
  }

  #link(peer: number): Promise<WebSocket | undefined> {
    const open = this.#links.get(peer);
    if (open && open.readyState === WebSocket.OPEN) {
      return Promise.resolve(open);
    }
    let opening = this.#opening.get(peer);
    if (!opening) {
      opening = this.#connect(peer).finally(() => this.#opening.delete(peer));
      this.#opening.set(peer, opening);
    }
    return opening;
  }

  async #connect(peer: number): Promise<WebSocket | undefined> {
    try {
      const challenge = challengeFromBody(await (await this.#fetch(peer, "/challenge")).json());
      if (!challenge) {
        return undefined;
      }
      const headers = handshakeHeaders(this.#committee, this.#signer, peer, challenge);
      const ws = (await this.#fetch(peer, "", { headers })).webSocket;
      if (!ws) {
        return undefined;
      }
      ws.accept();
      ws.addEventListener("close", () => this.#forget(peer, ws));
      ws.addEventListener("error", () => this.#forget(peer, ws));
      this.#links.set(peer, ws);
      return ws;
    } catch {
      return undefined;
    }
  }

  #forget(peer: number, ws: WebSocket | undefined): void {
    if (this.#links.get(peer) === ws) {
      this.#links.delete(peer);
    }
  }
}
