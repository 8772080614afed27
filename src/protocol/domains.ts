/**
 * Every domain-separation constant of the protocol, in one place (PROTOCOL.md §0.1).
 * Each use of a hash has its own tag, so an output of one use is never a valid
 * input of another.
 */
import { bytesToBigintBE, utf8 } from "../codec/bytes.ts";
import type { Fr } from "./field.ts";

/** A Poseidon tag: the ASCII name read as a big-endian integer (< 2^248 < r). */
function tag(name: string): Fr {
  if (name.length > 30) {
    throw new Error(`tag ${name} too long`);
  }
  return bytesToBigintBE(utf8(name)) as Fr;
}

export const PoseidonTag = {
  ak: tag("sero.ak"),
  ivk: tag("sero.ivk"),
  seal: tag("sero.note.seal"),
  note: tag("sero.note.cm"),
  nullifier: tag("sero.nf"),
  merkleNode: tag("sero.merkle.node"),
  ticket: tag("sero.asset.ticket"),
} as const;

/** A BLAKE2b personalization: exactly 16 ASCII bytes. */
function personalization(name: string): Uint8Array {
  const bytes = utf8(name);
  if (bytes.length !== 16) {
    throw new Error(`personalization ${name} must be 16 bytes`);
  }
  return bytes;
}

export const Blake2bPersonalization = {
  expandSeed: personalization("SERO_ExpandSeed_"),
  x25519Secret: personalization("SERO_X25519_sk__"),
  diversifier: personalization("SERO_Diversifier"),
  oneTimeIndex: personalization("SERO_PKr_Index__"),
  oneTimeBabyjub: personalization("SERO_PKr_Babyjub"),
  oneTimeX25519: personalization("SERO_PKr_X25519_"),
  noteKdf: personalization("SERO_NoteKDF____"),
  outgoingCipherKey: personalization("SERO_OutCiphKey_"),
  randomFr: personalization("SERO_RandomFr___"),
  tokenId: personalization("SERO_TokenId____"),
  ticketCategory: personalization("SERO_TicketCat__"),
  contractAddress: personalization("SERO_ContractAdr"),
  txBinding: personalization("SERO_TxBinding__"),
  txSignature: personalization("SERO_TxSigHash__"),
  txId: personalization("SERO_TxHash_____"),
  txIdUndecodable: personalization("SERO_TxRawHash__"),
  stateRoot: personalization("SERO_StateRoot__"),
  nullifierDigest: personalization("SERO_NfDigest___"),
  assetDigest: personalization("SERO_AssetDigest"),
  issuerKey: personalization("SERO_IssuerKey__"),
  callerKey: personalization("SERO_CallerKey__"),
  evmContract: personalization("SERO_EvmContract"),
  evmCaller: personalization("SERO_EvmCaller__"),
  evmChainId: personalization("SERO_EvmChainId_"),
  create2Address: personalization("SERO_Create2Adr_"),
  payoutRcm: personalization("SERO_PayoutRcm__"),
  ticketAllot: personalization("SERO_TicketAllot"),
  contractDigest: personalization("SERO_ContractDig"),
} as const;
