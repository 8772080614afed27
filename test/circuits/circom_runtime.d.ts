// circom_runtime (a dependency of snarkjs) ships no types: the part the tests use.
declare module "circom_runtime" {
  export type WitnessCalculator = {
    calculateWitness(input: Record<string, unknown>, sanityCheck: boolean): Promise<bigint[]>;
    calculateWTNSBin(input: Record<string, unknown>, sanityCheck: boolean): Promise<Uint8Array>;
  };
  export function WitnessCalculatorBuilder(
    code: Uint8Array,
    options?: Record<string, unknown>,
  ): Promise<WitnessCalculator>;
}
