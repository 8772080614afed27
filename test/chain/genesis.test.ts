import { describe, expect, it } from "vitest";
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
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import { account } from "../protocol/fixtures.ts";

const faucet = deriveSpendingKeys(DEV_FAUCET_SEED);
const alice = account("alice");

function allocation() {
  return buildGenesisAllocation(
    [
      { recipient: publicAddressOf(faucet), amounts: [10n ** 24n, 10n ** 24n, 5n], memo: "local faucet" },
      { recipient: publicAddressOf(alice), amounts: [7n], memo: "alice" },
    ],
    DEV_GENESIS_ENTROPY,
  );
}

describe("genesis allocation", () => {
  it("is deterministic and valid", () => {
    const tx = allocation();
    expect(encodeTransaction(allocation())).toEqual(encodeTransaction(tx));
    expect(() => validateBasic(tx)).not.toThrow();
  });

  it("every recipient finds exactly its notes by ordinary scanning, with one agreement", async () => {
    const tx = allocation();
    const committed = await executeBlock(
      new MemoryLedgerStore(emptyLedgerMeta()),
      { height: 0, transactions: [encodeTransaction(tx)] },
      {
        chainId: "sero-local-1",
        anchorWindow: 8,
        minFee: 0n,
        contracts: DEFAULT_CONTRACT_PARAMS,
        verifier: { verify: async () => [] },
      },
    );
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

  it("dev validator keys are distinct and pinned (changing them changes every local chain)", () => {
    const keys = [0, 1, 2, 3].map((i) => Buffer.from(devValidatorPublicKey(i)).toString("hex"));
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe("1f56d1ae15a7b31283115bc425edbea627554f91609f1dc31f3859ca55ce2f02");
  });
});
