/**
 * The state root every replica computes after each block and puts in its
 * checkpoints, so a diverging replica is caught. It commits to the height,
 * the commitment tree (root and size), every nullifier ever spent and every
 * asset change (registration, issuance, fees), and every contract state
 * write (PROTOCOL.md §10.8), the last three as running hashes in execution order.
 */
import { concatBytes } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import { Blake2bPersonalization as P } from "../protocol/domains.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";
import { blake } from "../protocol/hash.ts";
import type { AssetRecord } from "./store.ts";

export const EMPTY_DIGEST = new Uint8Array(32);

export function stateRoot(
  height: number,
  treeRoot: Fr,
  treeSize: number,
  nullifierDigest: Uint8Array,
  assetDigest: Uint8Array,
  contractDigest: Uint8Array,
): Uint8Array {
  const w = new ByteWriter().uint(BigInt(height), 8).bytes(frToBytes(treeRoot)).uint(BigInt(treeSize), 8);
  return blake(P.stateRoot, w.bytes(nullifierDigest).bytes(assetDigest).bytes(contractDigest).finish(), 32);
}

/** One contract state entry written (`null`: deleted), as §10.8 hashes it. */
export function extendContractDigest(digest: Uint8Array, key: string, value: Uint8Array | null): Uint8Array {
  const w = new ByteWriter().bytes(digest).varText(key);
  if (value === null) {
    w.u8(0);
  } else {
    w.u8(1).longVarBytes(value);
  }
  return blake(P.contractDigest, w.finish(), 32);
}

export function extendNullifierDigest(digest: Uint8Array, nf: Fr): Uint8Array {
  return blake(P.nullifierDigest, concatBytes(digest, frToBytes(nf)), 32);
}

export function extendAssetDigest(digest: Uint8Array, id: Fr, record: AssetRecord): Uint8Array {
  const w = new ByteWriter().bytes(digest).bytes(frToBytes(id));
  w.uint(record.issued, 16).uint(record.fees, 16).uint(record.nonce, 8);
  return blake(P.assetDigest, w.finish(), 32);
}
