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

/** 32 bytes from the genesis entropy, named by purpose and index. */
function derive(entropy: Uint8Array, purpose: string, index: number): Uint8Array {
  const input = concatBytes(entropy, utf8(purpose), new ByteWriter().u32(index).finish());
  return blake2b(input, { dkLen: 32, personalization: utf8("SERO_GenesisRand") });
}

export function buildGenesisAllocation(grants: readonly GenesisGrant[], entropy: Uint8Array): GenesisTx {
  const [first] = grants;
  if (!first) {
    throw new ProtocolError("bad_output_count", "genesis needs at least one grant");
  }
  // One transaction, one ephemeral key (§5.2): every recipient is keyed with the same σ, hence the same base.
  const sigma = derive(entropy, "sigma", 0);
  const base = deriveOneTimeAddress(first.recipient, sigma).base;
  let index = 0;
  const outputs = grants.flatMap((grant) => {
    const recipientKey = deriveOneTimeAddress(grant.recipient, sigma).x;
    return grant.amounts.map((amount) => {
      const i = index++;
      const owner = deriveOneTimeAddress(grant.recipient, derive(entropy, "owner", i));
      const note: Note = {
        value: { kind: "token", asset: SERO_ASSET_ID, amount },
        g: owner.g,
        pk: owner.pk,
        rcm: randomFr(derive(entropy, "rcm", i)),
      };
      return { note, memo: utf8(grant.memo), recipientKey };
    });
  });
  return {
    kind: "genesis",
    ...issuedOutputs({ base, esk: derive(entropy, "esk", 0), ovk: derive(entropy, "ovk", 0), outputs }),
  };
}
