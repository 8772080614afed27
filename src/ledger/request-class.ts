/**
 * How the consensus pool ranks a SERO transaction (PROTOCOL.md §8.10): its lane
 * (the source it is attributed to) and its fee. Derived from the bytes alone,
 * so every replica ranks alike. A shielded transfer has no visible sender:
 * its lane is the first note it spends (two spends of one note share a lane),
 * and transfers compete by fee rate. A registration's lane is its issuer, an
 * issuance's its asset, so one issuer flooding delays another by at most one
 * round, and an asset's issuances stay in nonce order. A contract
 * transaction weighs its declared gas, so batches respect the block gas limit
 * (PROTOCOL.md §10.1).
 */
import { toHex } from "../codec/bytes.ts";
import type { RequestClass } from "../consensus/index.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { decodeTransaction } from "../protocol/tx/codec.ts";

export function classifyTransaction(bytes: Uint8Array): RequestClass {
  try {
    const tx = decodeTransaction(bytes);
    switch (tx.kind) {
      case "transfer":
        return { lane: `note:${(tx.nullifiers[0] ?? 0n).toString(16)}`, fee: tx.fee, weight: 0n };
      // Each pays with its fee payment (PROTOCOL.md §8.9), and ranks by it like a transfer.
      case "register":
        return { lane: `issuer:${toHex(tx.registration.issuer)}`, fee: tx.payment.fee, weight: 0n };
      case "issue":
        return { lane: `asset:${tx.assetRef.toString(16)}`, fee: tx.payment.fee, weight: 0n };
      case "genesis":
        return { lane: "genesis", fee: 0n, weight: 0n };
      // Anonymous like a transfer: the lane of the first note its payment spends (PROTOCOL.md §10.1).
      case "deploy":
      case "call":
        return {
          lane: `note:${(tx.payment.nullifiers[0] ?? 0n).toString(16)}`,
          fee: tx.payment.fee,
          weight: tx.gasLimit,
        };
    }
  } catch (e) {
    if (e instanceof ProtocolError) {
      return { lane: "malformed", fee: 0n, weight: 0n };
    }
    throw e;
  }
}
