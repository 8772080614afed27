/**
 * Byzantine replicas for the simulator. A Byzantine replica runs the real
 * core (so it looks plausible) and then corrupts what it sends. It holds only
 * its own signing key: everything it can sign is signed as itself.
 */

import type { Committee } from "../../../src/consensus/index.ts";
import {
  type Batch,
  batchDigest,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  type Outbound,
  type Signer,
  seal,
  transactionsOf,
} from "../../../src/consensus/index.ts";
import { encodeSeal, sealOf } from "../../../src/consensus/seal.ts";
import type { Prng } from "./prng.ts";

export type ByzantineBehavior =
  /** Sends nothing at all (a crashed-but-connected replica). */
  | "silent"
  /** Runs normally but never sends PRE-PREPARE or NEW-VIEW: a silent primary. */
  | "silent-primary"
  /** As primary, sends different batches (different digests) to different backups. */
  | "equivocate"
  /** PREPAREs and COMMITs name random digests. */
  | "wrong-digest"
  /** Sends copies of messages claiming another sender, and messages with corrupted signatures. */
  | "forge"
  /** Re-sends old messages it has seen (from anyone) to random replicas. */
  | "replay"
  /** Sends random bytes and mangled encodings. */
  | "garbage"
  /** SE-Random: never sends its VRF share, nor puts it in a sealing block it proposes (CONSENSUS.md §8.3). */
  | "withhold-share"
  /** As proposer, pre-prepares only blocks without client requests (sealing blocks): a censoring primary. */
  | "censor";

export const BYZANTINE_BEHAVIORS: readonly ByzantineBehavior[] = [
  "silent",
  "silent-primary",
  "equivocate",
  "wrong-digest",
  "forge",
  "replay",
  "garbage",
  "withhold-share",
  "censor",
];

export interface Transmission {
  readonly to: number;
  readonly bytes: Uint8Array;
}

export class ByzantineAdversary {
  readonly behaviors: ReadonlySet<ByzantineBehavior>;
  private readonly seen: Uint8Array[] = [];
  private readonly id: number;
  private readonly n: number;
  private readonly signer: Signer;
  private readonly committee: Committee;
  private readonly rng: Prng;

  constructor(id: number, behaviors: readonly ByzantineBehavior[], signer: Signer, committee: Committee, rng: Prng) {
    this.id = id;
    this.behaviors = new Set(behaviors);
    this.signer = signer;
    this.committee = committee;
    this.n = committee.n;
    this.rng = rng;
  }

  /** Remember traffic for later replays (bounded). */
  observe(bytes: Uint8Array): void {
    if (!this.behaviors.has("replay")) {
      return;
    }
    if (this.seen.length < 400) {
      this.seen.push(bytes);
    } else {
      this.seen[this.rng.int(0, this.seen.length - 1)] = bytes;
    }
  }

  /** What the Byzantine replica actually transmits for one honest outbound message. */
  corrupt(honest: Outbound): Transmission[] {
    let out = honest;
    const b = this.behaviors;
    const recipients = out.to === "others" ? this.others() : [out.to];
    if (b.has("silent")) {
      return [];
    }
    this.observe(out.bytes);
    if (b.has("silent-primary") && (out.type === "pre-prepare" || out.type === "new-view")) {
      return [];
    }
    if (b.has("withhold-share") && out.type === "share") {
      return [];
    }
    if (b.has("withhold-share") && out.type === "pre-prepare") {
      const withheld = this.withoutOwnShare(out.bytes);
      if (withheld === undefined) {
        return [];
      }
      out = { ...out, bytes: withheld };
    }
    if (
      b.has("censor") &&
      out.type === "pre-prepare" &&
      transactionsOf(decodeEnvelope(out.bytes).envelope.batches[0] ?? []).length > 0
    ) {
      return [];
    }
    const sends: Transmission[] = [];
    if (b.has("equivocate") && out.type === "pre-prepare") {
      const alt = this.equivocal(out.bytes);
      recipients.forEach((to, i) => {
        sends.push({ to, bytes: i % 2 === 0 ? out.bytes : alt });
      });
    } else if (b.has("wrong-digest") && (out.type === "prepare" || out.type === "commit")) {
      const bad = this.resign(out.bytes, (e) => ({ ...e, message: { ...e.message, digest: this.rng.bytes(32) } }));
      for (const to of recipients) {
        sends.push({ to, bytes: bad });
      }
    } else {
      for (const to of recipients) {
        sends.push({ to, bytes: out.bytes });
      }
    }
    if (b.has("forge")) {
      for (const to of recipients) {
        if (this.rng.chance(0.5)) {
          sends.push({ to, bytes: this.forged(out.bytes) });
        }
      }
    }
    if (b.has("replay") && this.seen.length > 0) {
      for (let i = 0; i < 2; i++) {
        sends.push({ to: this.rng.pick(this.others()), bytes: this.rng.pick(this.seen) });
      }
    }
    if (b.has("garbage")) {
      for (const to of recipients) {
        if (this.rng.chance(0.5)) {
          sends.push({ to, bytes: this.garbage(out.bytes) });
        }
      }
    }
    return sends;
  }

  private others(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (i !== this.id) {
        out.push(i);
      }
    }
    return out;
  }

  private resign(bytes: Uint8Array, change: (e: Envelope) => Envelope): Uint8Array {
    const e = change(decodeEnvelope(bytes).envelope);
    return seal(e.message, e.batches, this.signer, this.committee).bytes;
  }

  /** Same (v, n), another batch: a second valid-looking PRE-PREPARE signed by the primary. */
  private equivocal(bytes: Uint8Array): Uint8Array {
    return this.resign(bytes, (e) => {
      // Same size as the honest batch (so it passes every limit), last request replaced.
      const honest = e.batches[0] ?? [];
      const batch: Batch = [...honest.slice(0, Math.max(0, honest.length - 1)), this.rng.bytes(24)];
      return { ...e, message: { ...e.message, digest: batchDigest(batch) } as Envelope["message"], batches: [batch] };
    });
  }

  /**
   * A sealing PRE-PREPARE without our own share, re-signed; undefined if that leaves fewer than 2f + 1
   * shares (then it stays silent and the view timer replaces it). Anything else unchanged.
   */
  private withoutOwnShare(bytes: Uint8Array): Uint8Array | undefined {
    const e = decodeEnvelope(bytes).envelope;
    const record = sealOf(e.batches[0] ?? []);
    if (typeof record !== "object" || !record.shares.some((s) => s.validator === this.id)) {
      return bytes;
    }
    const shares = record.shares.filter((s) => s.validator !== this.id);
    if (shares.length < this.committee.quorum) {
      return undefined;
    }
    const batch: Batch = [encodeSeal({ epoch: record.epoch, shares })];
    return this.resign(bytes, (env) => ({
      ...env,
      message: { ...env.message, digest: batchDigest(batch) } as Envelope["message"],
      batches: [batch],
    }));
  }

  /** Another replica's name on our message (signature no longer matches), or a flipped signature bit. */
  private forged(bytes: Uint8Array): Uint8Array {
    const e = decodeEnvelope(bytes).envelope;
    if (this.rng.chance(0.5)) {
      let victim = this.rng.int(0, this.n - 1);
      if (victim === this.id) {
        victim = (victim + 1) % this.n;
      }
      return encodeEnvelope({ ...e, from: victim });
    }
    const signature = e.signature.slice();
    const i = this.rng.int(0, 63);
    signature[i] = (signature[i] as number) ^ (1 << this.rng.int(0, 7));
    return encodeEnvelope({ ...e, signature });
  }

  private garbage(bytes: Uint8Array): Uint8Array {
    switch (this.rng.int(0, 3)) {
      case 0:
        return this.rng.bytes(this.rng.int(0, 200));
      case 1:
        return bytes.slice(0, this.rng.int(0, Math.max(0, bytes.length - 1)));
      case 2: {
        const out = bytes.slice();
        const i = this.rng.int(0, Math.max(0, out.length - 1));
        if (out.length > 0) {
          out[i] = (out[i] as number) ^ 0xff;
        }
        return out;
      }
      default: {
        const out = new Uint8Array(bytes.length + 1);
        out.set(bytes);
        return out;
      }
    }
  }
}
