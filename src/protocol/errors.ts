/**
 * A refusal of untrusted input by the protocol layer. `code` is stable
 * (APIs and wallets report it); `message` says what was wrong for humans.
 * Byte-level refusals come from the codec's DecodeError, which shares the shape.
 */
export { DecodeError as ProtocolError } from "../codec/reader.ts";
