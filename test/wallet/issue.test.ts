/**
 * Registration and issuance paying their fee (PROTOCOL.md §8.9) end to end in
 * Node: the wallet proves real fee payments from the local genesis' faucet
 * notes, the ledger checks them with the real Groth16 verifier, and the
 * account finds its change and issued notes again by scanning. Two proofs
 * (a few seconds each): the only proving test of this feature.
 */

import { afterAll, describe, expect, it } from "vitest";
import { committedValue, SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { TransferOutput } from "../../src/protocol/tx/types.ts";
import { committedArtifacts } from "../../src/prover/node-artifacts.ts";
import { releaseProverThreads } from "../../src/prover/prover.ts";
import { type Issuer, issuerSecret, issueToSelf, registerAsset } from "../../src/wallet/issue.ts";
import { systemRandom } from "../../src/wallet/transfer.ts";
import { localLedger } from "../fixtures/chain/local-ledger.ts";

const CHAIN = "sero-local-1";

afterAll(async () => {
  await releaseProverThreads();
});

describe("paid registration and issuance (real proofs)", () => {
  it("the ledger's Groth16 verifier accepts the wallet's fee payments, refuses one lifted onto another registration", async () => {
    const { faucet, anchor, spends, store, config, apply } = await localLedger(CHAIN);
    const [first, second] = spends;
    if (!first || !second) {
      throw new Error("the local genesis gives the faucet notes");
    }

    const issuer: Issuer = { keys: faucet, chainId: CHAIN, random: systemRandom, artifacts: committedArtifacts };
    const fee = config.minFee;
    const gold = { assetKind: "token" as const, name: "GOLD", decimals: 2, supply: { kind: "unlimited" as const } };
    const register = await registerAsset(issuer, gold, { anchor, spends: [first], fee });
    // The same payment under another registration, validly signed: only the binding can tell.
    const lifted = signTransaction(
      { ...register, registration: { ...register.registration, name: "LIFTED" } },
      CHAIN,
      issuerSecret(faucet),
    );
    const registered = await apply([encodeTransaction(lifted), encodeTransaction(register)]);
    expect(registered.receipts.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "invalid_proof",
      "committed",
    ]);
    expect(store.asset(tokenId("LIFTED"))).toBeUndefined();
    expect(store.asset(SERO_ASSET_ID)?.fees).toBe(fee);

    const values = [{ kind: "token" as const, asset: tokenId("GOLD"), amount: 12_345n }];
    const issue = await issueToSelf(issuer, { asset: gold, nonce: 0n, values }, { anchor, spends: [second], fee });
    const issued = await apply([encodeTransaction(issue)]);
    expect(issued.receipts[0]?.status).toBe("committed");
    expect(store.asset(tokenId("GOLD"))).toMatchObject({ issued: 12_345n, nonce: 1n });
    expect(store.asset(SERO_ASSET_ID)?.fees).toBe(2n * fee);

    // What a wallet's sync sees (§9): the payment's outputs, then the issued ones, under one epk.
    const scanner = await NoteScanner.create(faucet);
    const commitments = issued.effects.commitments.map((c) => c.commitment);
    const outputs = [...issue.payment.outputs, ...issue.outputs].map(
      (o, i): TransferOutput => ({ ...o, commitment: commitments[i] as Fr }),
    );
    const found = await scanner.incoming(issue.epk, outputs);
    const amount = (v: (typeof found)[number]) => committedValue(v.note.value);
    expect(found.map((f) => [f.index, amount(f).asset, amount(f).amount])).toEqual([
      [0, SERO_ASSET_ID, committedValue(second.note.value).amount - fee],
      [2, tokenId("GOLD"), 12_345n],
    ]);
    // The change (and the dummy) are the account's outgoing outputs; the issued notes are income, not sent.
    expect(scanner.outgoing(issue.epk, outputs).map((o) => o.index)).toEqual([0, 1]);
  }, 120_000);
});
