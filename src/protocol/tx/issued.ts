/**
 * Outputs with public values (genesis §8.5, issuance §8.4): the amount or
 * ticket id in the clear, the owner hidden in the seal, the note encrypted to
 * its owner like any other output (§5.2), so wallets find it by sync.
 */
import { ByteWriter } from "../../codec/writer.ts";
import { type EncryptedOutputs, encryptOutputs, type OutputToEncrypt } from "../encryption/encrypt.ts";
import { noteSeal } from "../note.ts";
import type { IssuedOutput, NoteCiphertexts } from "./types.ts";

export function issuedOutputs(params: {
  readonly base: Uint8Array;
  readonly esk: Uint8Array;
  readonly ovk: Uint8Array;
  readonly outputs: readonly OutputToEncrypt[];
}): { readonly epk: Uint8Array; readonly outputs: IssuedOutput[] } {
  const encrypted: EncryptedOutputs = encryptOutputs(params);
  return {
    epk: encrypted.epk,
    outputs: encrypted.outputs.map((o, i) => issuedOutput(params.outputs[i] as OutputToEncrypt, o)),
  };
}

/** The issued form of an output encrypted with others of its transaction (an issuance's fee payment's, §8.9). */
export function issuedOutput({ note }: OutputToEncrypt, encrypted: NoteCiphertexts): IssuedOutput {
  const value =
    note.value.kind === "token" ? new ByteWriter().uint(note.value.amount, 32).finish() : note.value.ticketId;
  return {
    value,
    seal: noteSeal(note.g, note.pk, note.rcm),
    viewTag: encrypted.viewTag,
    encCiphertext: encrypted.encCiphertext,
    outCiphertext: encrypted.outCiphertext,
  };
}
