import { describe, expect, it } from "vitest";
import { MAX_SYNC_PAGE_BYTES } from "../../src/api/routes/sync.ts";
import { DEV_FAUCET_SEED, DEV_GENESIS_ENTROPY, devValidatorPublicKey } from "../../src/chain/dev-keys.ts";
import { buildGenesisAllocation } from "../../src/chain/genesis-allocation.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { publicAddressOf } from "../../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { GenesisTx } from "../../src/protocol/tx/types.ts";
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import { account } from "../protocol/fixtures.ts";

const faucet = deriveSpendingKeys(DEV_FAUCET_SEED);
const alice = account("alice");

function allocation() {
  const [tx, ...more] = buildGenesisAllocation(
    [
      { recipient: publicAddressOf(faucet), amounts: [10n ** 24n, 10n ** 24n, 5n], memo: "local faucet" },
      { recipient: publicAddressOf(alice), amounts: [7n], memo: "alice" },
    ],
    DEV_GENESIS_ENTROPY,
  );
  expect(more).toEqual([]);
  return tx as GenesisTx;
}

/** Block 0 made of `txs`, executed: its receipts and the commitments it appended, in order. */
async function executeGenesis(txs: readonly GenesisTx[]) {
  const committed = await executeBlock(
    new MemoryLedgerStore(emptyLedgerMeta()),
    { height: 0, transactions: txs.map(encodeTransaction) },
    {
      chainId: "sero-local-1",
      anchorWindow: 8,
      minFee: 0n,
      contracts: DEFAULT_CONTRACT_PARAMS,
      verifier: { verify: async () => [] },
    },
  );
  expect(committed.receipts.every((r) => r.status === "committed")).toBe(true);
  return committed;
}

describe("genesis allocation", () => {
  it("is deterministic and valid", () => {
    const tx = allocation();
    expect(encodeTransaction(allocation())).toEqual(encodeTransaction(tx));
    expect(() => validateBasic(tx)).not.toThrow();
  });

  it("every recipient finds exactly its notes by ordinary scanning, with one agreement", async () => {
    const tx = allocation();
    const committed = await executeGenesis([tx]);
    const outputs = tx.outputs.map((o, i) => ({
      ...o,
      commitment: committed.effects.commitments[i]?.commitment as never,
    }));
    const mine = async (keys: typeof faucet) =>
      (await (await NoteScanner.create(keys)).incoming(tx.epk, outputs)).map((f) => f.note.value);
    expect(await mine(faucet)).toEqual([
      { kind: "token", asset: SERO_ASSET_ID, amount: 10n ** 24n },
      { kind: "token", asset: SERO_ASSET_ID, amount: 10n ** 24n },
      { kind: "token", asset: SERO_ASSET_ID, amount: 5n },
    ]);
    expect(await mine(alice)).toEqual([{ kind: "token", asset: SERO_ASSET_ID, amount: 7n }]);
    expect(committed.changes.assets.get(SERO_ASSET_ID)?.issued).toBe(2n * 10n ** 24n + 12n);
  });

  it("splits a large allocation 255 notes to a transaction, each keyed apart, and every note is found", async () => {
    const amounts = Array.from({ length: 600 }, (_, i) => BigInt(i + 1));
    const txs = buildGenesisAllocation(
      [
        { recipient: publicAddressOf(faucet), amounts, memo: "faucet" },
        { recipient: publicAddressOf(alice), amounts: [7n], memo: "alice" },
      ],
      DEV_GENESIS_ENTROPY,
    );
    expect(txs.map((tx) => tx.outputs.length)).toEqual([255, 255, 91]);
    expect(new Set(txs.map((tx) => Buffer.from(tx.epk).toString("hex"))).size).toBe(3);
    // The first transaction is the one a smaller allocation would have made: existing chains keep their block 0.
    expect(encodeTransaction(txs[0] as GenesisTx)).toEqual(
      encodeTransaction(
        buildGenesisAllocation(
          [{ recipient: publicAddressOf(faucet), amounts: amounts.slice(0, 255), memo: "faucet" }],
          DEV_GENESIS_ENTROPY,
        )[0] as GenesisTx,
      ),
    );
    // The largest block 0 (16 full transactions) still fits one sync page, which never splits a block.
    expect(16 * encodeTransaction(txs[0] as GenesisTx).length).toBeLessThan(MAX_SYNC_PAGE_BYTES);
    const committed = await executeGenesis(txs);
    expect(committed.effects.commitments).toHaveLength(601);
    expect(committed.changes.assets.get(SERO_ASSET_ID)?.issued).toBe((600n * 601n) / 2n + 7n);
    let first = 0;
    const found = { faucet: [] as bigint[], alice: [] as bigint[] };
    for (const tx of txs) {
      const outputs = tx.outputs.map((o, j) => ({
        ...o,
        commitment: committed.effects.commitments[first + j]?.commitment as never,
      }));
      for (const [who, keys] of [
        ["faucet", faucet],
        ["alice", alice],
      ] as const) {
        const notes = await (await NoteScanner.create(keys)).incoming(tx.epk, outputs);
        found[who].push(...notes.map((f) => (f.note.value.kind === "token" ? f.note.value.amount : -1n)));
      }
      first += tx.outputs.length;
    }
    expect(found).toEqual({ faucet: amounts, alice: [7n] });
  });

  it("refuses more than 16 × 255 notes before deriving any", () => {
    const amounts = Array(16 * 255 + 1).fill(1n);
    expect(() =>
      buildGenesisAllocation([{ recipient: publicAddressOf(faucet), amounts, memo: "" }], DEV_GENESIS_ENTROPY),
    ).toThrow(/at most 4080 notes/);
  });

  it("dev validator keys are distinct and pinned (changing them changes every local chain)", () => {
    const keys = [0, 1, 2, 3].map((i) => Buffer.from(devValidatorPublicKey(i)).toString("hex"));
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe("1f56d1ae15a7b31283115bc425edbea627554f91609f1dc31f3859ca55ce2f02");
  });
});
