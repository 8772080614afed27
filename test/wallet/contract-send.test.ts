/**
 * Carrying out a call (PROTOCOL.md §10.1) against a fake node, with real
 * proofs: which identity acted on which contract is saved before the
 * transaction leaves (a crash after submitting never loses it); a refusal
 * forgets it and locks nothing; an admitted call locks its notes until it
 * commits, expecting its change back. Two proofs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concatBytes, toHex } from "../../src/codec/bytes.ts";
import { deriveContractAddress } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { decodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txId } from "../../src/protocol/tx/hashes.ts";
import type { CallTx } from "../../src/protocol/tx/types.ts";
import { committedArtifacts } from "../../src/prover/node-artifacts.ts";
import { releaseProverThreads } from "../../src/prover/prover.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { callerOf } from "../../src/wallet/caller.ts";
import { sendContractTx } from "../../src/wallet/contract-send.ts";
import type { ContractRequest } from "../../src/wallet/contract-tx.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import type { SendContext } from "../../src/wallet/send.ts";
import { contractNode } from "../fixtures/wallet/contract-node.ts";
import { payoutBlock, payoutTo } from "../fixtures/wallet/payouts.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const keys = account("contract sender");
const SERO = 10n ** 18n;
const contract = deriveContractAddress(concatBytes(bytes32("send sale"), bytes32("creator")), 0n).bytes;
const sero = (amount: bigint) => ({ kind: "token" as const, asset: SERO_ASSET_ID, amount });

let state: AccountState;
beforeAll(async () => {
  state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  const id = bytes32("refund to the sender");
  await state.apply(
    [payoutBlock(0, id, [payoutTo(keys, 0, id, 0, 0, sero(5n * SERO))])],
    await NoteScanner.create(keys),
  );
});

afterAll(async () => {
  await releaseProverThreads();
});

describe("carrying out a call", () => {
  it("saves the identity's use before submitting, forgets it on refusal, locks the notes once admitted", async () => {
    let refuse = true;
    const saved: { contracts: { txId: string; identity: number }[] }[] = [];
    const atSubmit: { id: string; saved: string[] }[] = [];
    const submitted: CallTx[] = [];
    const fetch = contractNode({
      submit: (bytes) => {
        const tx = decodeTransaction(bytes) as CallTx;
        const id = toHex(txId(tx));
        submitted.push(tx);
        atSubmit.push({ id, saved: (saved.at(-1)?.contracts ?? []).map((r) => r.txId) });
        return refuse
          ? [400, { error: { code: "fee_too_low", message: "the fee is below the minimum" } }]
          : [202, { id, status: "pending" }];
      },
    });
    const ctx: SendContext = {
      chainId: "sero-contract-test-1",
      state,
      keys,
      client: new NodeClient("http://node.test", { fetch }),
      artifacts: committedArtifacts,
      anchorWindow: 50,
      save: async () => {
        saved.push(JSON.parse(JSON.stringify(state.toJson())));
      },
      sync: async () => {},
    };
    const request: ContractRequest = {
      target: { kind: "call", contract, calldata: Uint8Array.of(0xa6, 0xf2, 0xae, 0x3a) },
      identity: 7,
      gasLimit: 50_000n,
      value: sero(SERO),
    };
    const fee = 51_000n;

    await expect(sendContractTx(ctx, request, fee, { kind: "submit", wait: false })).rejects.toMatchObject({
      code: "fee_too_low",
    });
    expect(atSubmit[0]?.saved).toEqual([atSubmit[0]?.id]);
    expect(state.contracts.all).toEqual([]);
    expect(saved.at(-1)?.contracts).toEqual([]);
    expect(state.pending).toEqual([]);
    expect(state.spendable().map((n) => n.position)).toEqual([0]);

    refuse = false;
    const sent = await sendContractTx(ctx, request, fee, { kind: "submit", wait: false });
    expect(atSubmit[1]).toEqual({ id: sent.txId, saved: [sent.txId] });
    expect(toHex(sent.contract)).toBe(toHex(contract));
    const tx = submitted[1] as CallTx;
    expect(toHex(tx.caller.pkr)).toBe(toHex(callerOf(keys, 7).pkr));
    expect(tx).toMatchObject({ kind: "call", gasLimit: 50_000n, payment: { fee } });
    expect(tx.value).toMatchObject({ assetKind: "token", output: tx.payment.outputs.length - 1 });
    expect(state.contracts.byTx(sent.txId)).toEqual({
      txId: sent.txId,
      kind: "call",
      identity: 7,
      contract: toHex(contract),
      gasLimit: 50_000n,
      value: sero(SERO),
    });
    expect(state.contracts.freshIdentity()).toBe(8);
    expect(state.pending).toEqual([
      { txId: sent.txId, positions: [0], change: [sero(4n * SERO - fee)], expiresAfter: 50 },
    ]);
    expect(state.spendable()).toEqual([]);
  }, 120_000);
});
