/** A deployment's GENESIS (or the chain vars around it) is wrong: it answers 503 `misconfigured` and never starts. */
export class GenesisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenesisConfigError";
  }
}
