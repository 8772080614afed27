/** A wallet refusal: a stable `code` for scripts, a message that says what to do. */
export class WalletError extends Error {
  readonly code: string;
  /** The node's HTTP status when the node refused. */
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = "WalletError";
    this.code = code;
    this.status = status;
  }
}
