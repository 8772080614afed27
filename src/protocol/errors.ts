/**
 * The refusal of untrusted input: bytes that do not decode, a value that does
 * not fit its field, or a rule of the protocol or the ledger broken
 * (PROTOCOL.md §8.7). `code` is stable (APIs, wallets and receipts report it);
 * `message` says what was wrong, for humans. The codec, the protocol core,
 * the consensus wire format and the ledger all refuse with this one type.
 */
export class ProtocolError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
  }
}
