/**
 * Progress on stderr: a redrawn bar with rate and ETA on a terminal, plain
 * lines (at most one every few seconds) otherwise, so logs stay readable.
 */
import type { ProofProgress } from "../prover/index.ts";
import type { SyncProgress } from "../wallet/sync.ts";

type Output = { readonly isTTY?: boolean; write(text: string): unknown };

const PLAIN_EVERY_MS = 3_000;
const BAR = 24;

/** "1 output", "2 outputs". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export class Progress {
  readonly #out: Output;
  readonly #quiet: boolean;
  #drawn = false;
  #lastPlain = 0;

  constructor(out: Output, quiet: boolean) {
    this.#out = out;
    this.#quiet = quiet;
  }

  /** A one-off status line. */
  note(text: string): void {
    if (!this.#quiet) {
      this.done();
      this.#out.write(`${text}\n`);
    }
  }

  /** Nothing while no new block was read: an account already at the tip syncs silently. */
  sync(p: SyncProgress): void {
    if (p.blocks === 0) {
      return;
    }
    const total = Math.max(1, p.tip + 1);
    const fraction = Math.min(1, (p.height + 1) / total);
    const perSecond = p.elapsedMs > 0 ? (p.blocks * 1000) / p.elapsedMs : 0;
    const left = p.tip - p.height;
    const eta = perSecond > 0 ? `${Math.ceil(left / perSecond)} s left` : "";
    this.#show(
      fraction,
      `sync ${p.height}/${p.tip}  ${perSecond.toFixed(0)} blocks/s  ${plural(p.outputs, "output")}  ${eta}`,
      p.height >= p.tip,
    );
  }

  /** The proof's share done, not the prover's own log lines (snarkjs' "Reading B2 Points" means nothing to a user). */
  proof(label: string, p: ProofProgress): void {
    this.#show(p.fraction, `${label}: ${Math.floor(p.fraction * 100)}%`, p.stage === "done");
  }

  #show(fraction: number, text: string, last: boolean): void {
    if (this.#quiet) {
      return;
    }
    if (this.#out.isTTY) {
      const filled = Math.round(fraction * BAR);
      this.#out.write(`\r\x1b[2K[${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${text}`);
      this.#drawn = true;
      return;
    }
    const now = Date.now();
    if (last || now - this.#lastPlain >= PLAIN_EVERY_MS) {
      this.#lastPlain = now;
      this.#out.write(`${text}\n`);
    }
  }

  /** Ends a redrawn bar with a newline. */
  done(): void {
    if (this.#drawn) {
      this.#out.write("\n");
      this.#drawn = false;
    }
  }
}
