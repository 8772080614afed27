/**
 * `sero send --out` and `sero tx submit` at the wallet's level: a send
 * proved and kept without the node hearing of it, its notes locked; the file
 * read back strictly and submitted byte for byte.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toHex, utf8 } from "../../src/codec/bytes.ts";
import { deriveOneTimeAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txId } from "../../src/protocol/tx/hashes.ts";
import type { TransferTx } from "../../src/protocol/tx/types.ts";
import { releaseProverThreads } from "../../src/prover/index.ts";
import { committedArtifacts } from "../../src/prover/node-artifacts.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { WalletError } from "../../src/wallet/errors.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { type SendContext, sendUnsubmitted } from "../../src/wallet/send.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { parseTransactionFile, transactionFileText } from "../../src/wallet/tx-file.ts";
import { fakeNode, type SeenRequest, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x6d));
const chain = syntheticChain(
  { blocks: 40, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 4, spendAfter: 0, seed: "send unsubmitted test" },
  keys,
);
const payee = deriveOneTimeAddress(
  publicAddressOf(deriveSpendingKeys(new Uint8Array(32).fill(0x11))),
  new Uint8Array(32),
);
const seen: SeenRequest[] = [];
const client = new NodeClient("http://node.test", { fetch: fakeNode(chain, 10, seen) });
const state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);

const context = (): SendContext => ({
  chainId: "sero-synthetic-1",
  state,
  keys,
  client,
  artifacts: committedArtifacts,
  anchorWindow: 100,
  save: async () => {},
  sync: async () => {},
});
const pay = (amount: bigint) => ({
  to: payee,
  value: { kind: "token" as const, asset: SERO_ASSET_ID, amount },
  memo: utf8("kept"),
  fee: 1000n,
});

let kept: { tx: TransferTx; id: string; text: string } | undefined;

beforeAll(async () => {
  await syncAccount(state, client, await NoteScanner.create(keys), { save: async () => {}, pageBlocks: 10 });
  seen.length = 0;
  const id = await sendUnsubmitted(context(), pay(10n ** 15n), async (tx, txid) => {
    kept = { tx, id: txid, text: transactionFileText(tx) };
  });
  expect(id).toBe(kept?.id);
}, 120_000);

afterAll(releaseProverThreads);

const file = () => {
  if (!kept) {
    throw new Error("the send was not kept");
  }
  return kept;
};

describe("a send kept unsubmitted (sero send --out)", () => {
  it("tells the node nothing and locks the notes it spends as a pending send", () => {
    expect(seen.filter((r) => r.method !== "GET")).toEqual([]);
    expect(seen.map((r) => r.path).filter((p) => p.startsWith("/v1/tx"))).toEqual([]);
    const { id, tx } = file();
    expect(id).toBe(toHex(txId(tx)));
    const [pending] = state.pending;
    expect(state.pending).toHaveLength(1);
    expect(pending?.txId).toBe(id);
    expect(pending?.expiresAfter).toBe(state.syncedHeight + 100);
    for (const position of pending?.positions ?? []) {
      expect(state.notes.find((n) => n.position === position)?.lockedBy).toBe(id);
    }
  });

  it("locks nothing when keeping the transaction fails (a file that cannot be written)", async () => {
    const before = state.toJson();
    const failure = new WalletError("file_exists", "payment.json exists");
    await expect(
      sendUnsubmitted(context(), pay(2n * 10n ** 15n), async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(state.toJson()).toEqual(before);
  }, 60_000);

  it("refuses, before proving or locking anything, a send that needs more than one transaction", async () => {
    const all = state.spendable().reduce((s, n) => s + (n.note.value.kind === "token" ? n.note.value.amount : 0n), 0n);
    let proved = false;
    await expect(
      sendUnsubmitted(context(), pay(all - 100_000n), async () => {
        proved = true;
      }),
    ).rejects.toMatchObject({ code: "needs_several_transactions" });
    expect(proved).toBe(false);
    expect(state.pending).toHaveLength(1);
  });
});

describe("a transaction file (sero tx submit)", () => {
  it("reads back the very transaction and submits its canonical bytes", async () => {
    const { tx, id, text } = file();
    const read = parseTransactionFile(utf8(text), "payment.json");
    expect(encodeTransaction(read)).toEqual(encodeTransaction(tx));
    const posted: SeenRequest[] = [];
    const node = new NodeClient("http://node.test", { fetch: fakeNode(chain, 10, posted) });
    expect(await node.submit(read)).toBe(id);
    expect(posted).toEqual([{ method: "POST", path: "/v1/tx", body: encodeTransaction(tx) }]);
  });

  it("refuses what is not a transaction with a code, before anything is sent", () => {
    const refused = (bytes: Uint8Array) => {
      try {
        parseTransactionFile(bytes, "f.json");
      } catch (e) {
        return (e as WalletError).code;
      }
      return "accepted";
    };
    const json = JSON.parse(file().text) as Record<string, unknown>;
    expect(refused(utf8("not json"))).toBe("bad_tx_file");
    expect(refused(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))).toBe("bad_tx_file");
    expect(refused(new Uint8Array(64 * 1024 + 1).fill(0x20))).toBe("tx_file_too_large");
    expect(refused(utf8("[]"))).toBe("bad_json");
    expect(refused(utf8(JSON.stringify({ ...json, extra: 1 })))).toBe("bad_json");
    expect(refused(utf8(JSON.stringify({ ...json, version: 9 })))).toBe("unknown_version");
    const nullifiers = json.nullifiers as string[];
    expect(refused(utf8(JSON.stringify({ ...json, nullifiers: [nullifiers[0], nullifiers[0]] })))).toBe(
      "duplicate_nullifier",
    );
  });

  it("never fails on a damaged file except with a coded refusal", () => {
    const text = file().text;
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.string({ maxLength: 3 }), (at, insert) => {
        const damaged = utf8(text.slice(0, at) + insert + text.slice(at + 1));
        try {
          parseTransactionFile(damaged, "f.json");
        } catch (e) {
          expect(e).toBeInstanceOf(WalletError);
          expect((e as WalletError).code).toMatch(/^[a-z_]+$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
