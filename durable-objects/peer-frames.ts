/**
 * Consensus messages over a peer link in frames the platform accepts. A
 * Worker receives WebSocket messages of at most 1 MiB and closes the socket
 * (1009) on a larger one, while a PRE-PREPARE carrying a full batch, a
 * BLOCKS reply or a NEW-VIEW can be larger (CONSENSUS.md §7). So a message
 * travels whole when it fits one frame, otherwise in parts sent in order on
 * the same socket (WebSocket frames arrive in order), reassembled by the
 * receiver:
 *
 *   whole = u8(0) || message
 *   part  = u8(1) || u32(message length) || u32(offset) || bytes
 *
 * The receiver keeps at most one message in assembly per link and refuses
 * anything out of order, overlapping, or longer than the largest message the
 * committee can send, so a peer cannot make it hold more than one message.
 */
import { ByteWriter } from "../src/codec/writer.ts";

/** What a Worker accepts in one received WebSocket message. */
export const PLATFORM_FRAME_LIMIT = 1 << 20;
/** Bytes of a message per part: with its 9-byte head, well inside the platform's limit. */
export const PART_BYTES = PLATFORM_FRAME_LIMIT - (64 << 10);

const WHOLE = 0;
const PART = 1;

/** The frames that carry `message`. */
export function framesOf(message: Uint8Array): Uint8Array[] {
  if (message.length + 1 <= PART_BYTES) {
    return [new ByteWriter().u8(WHOLE).bytes(message).finish()];
  }
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < message.length; offset += PART_BYTES) {
    const bytes = message.subarray(offset, offset + PART_BYTES);
    frames.push(new ByteWriter().u8(PART).u32(message.length).u32(offset).bytes(bytes).finish());
  }
  return frames;
}

export type Assembled =
  /** A whole message arrived. */
  | { readonly kind: "message"; readonly message: Uint8Array }
  /** A part was taken; more are due. */
  | { readonly kind: "partial" }
  /** The link broke the framing: close it (the sender retransmits what matters, CONSENSUS.md §3.5). */
  | { readonly kind: "refused"; readonly reason: string };

/** Reassembles the messages of one link. */
export class FrameAssembler {
  readonly #maxMessage: number;
  #message: Uint8Array | undefined;
  #received = 0;

  /** `maxMessage`: the largest message the committee can send (peer-limits.ts). */
  constructor(maxMessage: number) {
    this.#maxMessage = maxMessage;
  }

  push(frame: Uint8Array): Assembled {
    if (frame.length === 0 || frame.length > PLATFORM_FRAME_LIMIT) {
      return refused(`a frame is 1 to ${PLATFORM_FRAME_LIMIT} bytes`);
    }
    if (frame[0] === WHOLE) {
      if (this.#message !== undefined) {
        return refused("a whole message inside a message in parts");
      }
      return frame.length - 1 > this.#maxMessage
        ? refused("message too large")
        : { kind: "message", message: frame.subarray(1) };
    }
    if (frame[0] !== PART || frame.length < 10) {
      return refused("unknown frame");
    }
    const head = new DataView(frame.buffer, frame.byteOffset, 9);
    return this.#part(head.getUint32(1), head.getUint32(5), frame.subarray(9));
  }

  #part(length: number, offset: number, bytes: Uint8Array): Assembled {
    if (offset === 0) {
      if (this.#message !== undefined) {
        return refused("a new message before the last one ended");
      }
      if (length <= PART_BYTES - 1 || length > this.#maxMessage) {
        return refused("a message in parts that fits one frame, or exceeds the largest message");
      }
      this.#message = new Uint8Array(length);
      this.#received = 0;
    }
    const message = this.#message;
    if (message === undefined || length !== message.length || offset !== this.#received) {
      return refused("a part out of order");
    }
    if (bytes.length === 0 || offset + bytes.length > length) {
      return refused("a part past the message's end");
    }
    message.set(bytes, offset);
    this.#received += bytes.length;
    if (this.#received < length) {
      return { kind: "partial" };
    }
    this.#message = undefined;
    return { kind: "message", message };
  }
}

const refused = (reason: string): Assembled => ({ kind: "refused", reason });
