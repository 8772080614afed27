/**
 * Builds the genesis allocation (PROTOCOL.md §8.5): SERO notes with public
 * amounts, owned by one-time addresses of the recipients and encrypted to
 * them, so a recipient's wallet finds them by ordinary sync. Randomness comes
 * from `entropy`: the same inputs give byte-identical genesis, so every
 * replica of a testnet derives the same block 0.
 */
import { blake2b } from "@noble/hashes/blake2.js";
import { concatBytes, utf8 } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import { deriveOneTimeAddress, type PublicAddress } from "../protocol/address.ts";
import { SERO_ASSET_ID } from "../protocol/asset.ts";
import { MAX_OUTPUTS_PER_TX, type OutputToEncrypt } from "../protocol/encryption/encrypt.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Note, randomFr } from "../protocol/note.ts";
import { issuedOutputs } from "../protocol/tx/issued.ts";
import type { GenesisTx } from "../protocol/tx/types.ts";

export type GenesisGrant = {
  readonly recipient: PublicAddress;
  /** One note per amount, in SERO base units. */
  readonly amounts: readonly bigint[];
  readonly memo: string;
};

/** Block 0 holds at most this many genesis transactions (§8.5), so at most 16 × 255 notes. */
export const MAX_GENESIS_TRANSACTIONS = 16;
export const MAX_GENESIS_NOTES = MAX_GENESIS_TRANSACTIONS * MAX_OUTPUTS_PER_TX;

/** 32 bytes from the genesis entropy, named by purpose and index. */
function derive(entropy: Uint8Array, purpose: string, index: number): Uint8Array {
  const input = concatBytes(entropy, utf8(purpose), new ByteWriter().u32(index).finish());
  return blake2b(input, { dkLen: 32, personalization: utf8("SERO_GenesisRand") });
}

type GenesisNote = { readonly grant: GenesisGrant; readonly amount: bigint };

/**
 * Block 0's transactions: the grants' notes in order, 255 to a transaction
 * (outputs are encrypted with a one-byte index, §5.2). Note i's owner and
 * randomness are derived from its index in the whole allocation, each
 * transaction's keys from the transaction's index in block 0.
 */
export function buildGenesisAllocation(grants: readonly GenesisGrant[], entropy: Uint8Array): GenesisTx[] {
  const notes: GenesisNote[] = grants.flatMap((grant) => grant.amounts.map((amount) => ({ grant, amount })));
  if (notes.length === 0) {
    throw new ProtocolError("bad_output_count", "genesis needs at least one note");
  }
  if (notes.length > MAX_GENESIS_NOTES) {
    throw new ProtocolError("too_many_outputs", `genesis holds at most ${MAX_GENESIS_NOTES} notes`);
  }
  const txs: GenesisTx[] = [];
  for (let first = 0; first < notes.length; first += MAX_OUTPUTS_PER_TX) {
    txs.push(genesisTransaction(notes, first, txs.length, entropy));
  }
  return txs;
}

function genesisTransaction(notes: readonly GenesisNote[], first: number, k: number, entropy: Uint8Array): GenesisTx {
  const chunk = notes.slice(first, first + MAX_OUTPUTS_PER_TX);
  // One transaction, one ephemeral key (§5.2): every recipient is keyed with the same σ, hence the same base.
  const sigma = derive(entropy, "sigma", k);
  const base = deriveOneTimeAddress((chunk[0] as GenesisNote).grant.recipient, sigma).base;
  const recipientKeys = new Map<GenesisGrant, OutputToEncrypt["recipientKey"]>();
  const outputs = chunk.map(({ grant, amount }, j) => {
    const i = first + j;
    let recipientKey = recipientKeys.get(grant);
    if (recipientKey === undefined) {
      recipientKey = deriveOneTimeAddress(grant.recipient, sigma).x;
      recipientKeys.set(grant, recipientKey);
    }
    const owner = deriveOneTimeAddress(grant.recipient, derive(entropy, "owner", i));
    const note: Note = {
      value: { kind: "token", asset: SERO_ASSET_ID, amount },
      g: owner.g,
      pk: owner.pk,
      rcm: randomFr(derive(entropy, "rcm", i)),
    };
    return { note, memo: utf8(grant.memo), recipientKey };
  });
  return {
    kind: "genesis",
    ...issuedOutputs({ base, esk: derive(entropy, "esk", k), ovk: derive(entropy, "ovk", k), outputs }),
  };
}
