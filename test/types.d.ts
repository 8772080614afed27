// Minimal types for untyped reference implementations used as test oracles.
declare module "circomlibjs" {
  export function buildPoseidon(): Promise<
    ((inputs: bigint[]) => Uint8Array) & { F: { toObject(v: Uint8Array): bigint } }
  >;
  export function buildBabyjub(): Promise<unknown>;
}
declare module "snarkjs";
