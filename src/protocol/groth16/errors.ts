/**
 * Refusals of untrusted Groth16 material: verification keys, proofs, public
 * inputs. A Groth16Error is a ProtocolError (../errors.ts), so the API
 * layer reports it like any other bad input: `{ code, message }` with a
 * stable `code`. A well-formed proof that does not verify is NOT an error:
 * `verify` returns false.
 *
 * Programming errors (a bad `chunkSize`, say) throw RangeError/TypeError.
 */
import { ProtocolError } from "../errors.ts";

/** Which object a point belongs to: a proof (untrusted, per request) or a verification key (configuration). */
export type Groth16Source = "proof" | "vk";

export type Groth16ErrorCode =
  | `${Groth16Source}_malformed`
  | `${Groth16Source}_wrong_length`
  | `${Groth16Source}_coordinate_out_of_range`
  | `${Groth16Source}_point_at_infinity`
  | `${Groth16Source}_point_not_on_curve`
  | `${Groth16Source}_point_not_in_subgroup`
  | "vk_unsupported"
  | "public_input_malformed"
  | "public_input_out_of_range"
  | "wrong_public_input_count";

export class Groth16Error extends ProtocolError {
  override readonly code: Groth16ErrorCode;
  constructor(code: Groth16ErrorCode, message: string) {
    super(code, message);
    this.name = "Groth16Error";
    this.code = code;
  }
}
