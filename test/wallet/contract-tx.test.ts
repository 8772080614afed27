/**
 * Deploys and calls as the wallet builds them (PROTOCOL.md §10.1, §10.3),
 * end to end in Node: real fee-payment proofs from the local genesis'
 * faucet notes, checked by the ledger's Groth16 verifier and run by the real
 * EVM. TokenSale is deployed, then bought from with SERO brought in an opened
 * output; the tokens come back as a payout the wallet recognizes, and the
 * call's change is still found by trial decryption (the opened output is
 * last, so dropping it shifts no other output's index). Two proofs.
 */

import { encodeDeployData, encodeFunctionData } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import type { Receipt } from "../../src/ledger/execute.ts";
import { committedValue, SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { compactParts } from "../../src/protocol/compact.ts";
import { openedCommitment } from "../../src/protocol/contract-notes.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { verifyTransactionSignature } from "../../src/protocol/tx/signature.ts";
import type { ContractTx, TransferOutput } from "../../src/protocol/tx/types.ts";
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import { committedArtifacts } from "../../src/prover/node-artifacts.ts";
import { releaseProverThreads } from "../../src/prover/prover.ts";
import { callerOf } from "../../src/wallet/caller.ts";
import { buildContractTx, contractFee, contractOf } from "../../src/wallet/contract-tx.ts";
import type { PaidTxBuilder } from "../../src/wallet/paid-tx.ts";
import { payoutNote } from "../../src/wallet/payout.ts";
import { publicValueOf } from "../../src/wallet/public-value.ts";
import { systemRandom } from "../../src/wallet/transfer.ts";
import { loadArtifact } from "../contracts/artifacts.ts";
import { localLedger } from "../fixtures/chain/local-ledger.ts";

const CHAIN = "sero-local-1";
const sale = loadArtifact("TokenSale");

afterAll(async () => {
  await releaseProverThreads();
});

/** What the ledger and a validator check before execution: canonical bytes, basic rules, the caller's signature. */
function checkPublicParts(tx: ContractTx): void {
  const decoded = decodeTransaction(encodeTransaction(tx));
  expect(toHex(encodeTransaction(validateBasic(decoded)))).toBe(toHex(encodeTransaction(tx)));
  expect(() => verifyTransactionSignature(tx, CHAIN, tx.caller.key)).not.toThrow();
}

describe("deploy and call transactions (real proofs)", () => {
  it("deploys TokenSale, buys from it with SERO, and finds the payout and the change", async () => {
    const { faucet, anchor, spends, config, apply: applyBlock } = await localLedger(CHAIN);
    const [first, second] = spends;
    if (!first || !second) {
      throw new Error("the local genesis gives the faucet notes");
    }
    const apply = async (tx: ContractTx) => {
      const result = await applyBlock([encodeTransaction(tx)]);
      return { result, receipt: result.receipts[0] as Receipt };
    };
    const builder: PaidTxBuilder = {
      keys: faucet,
      chainId: CHAIN,
      random: systemRandom,
      artifacts: committedArtifacts,
    };

    const initCode = fromHex(
      encodeDeployData({ abi: sale.abi, bytecode: sale.bytecode, args: ["GOLD", 0, 1_000_000n, 10n ** 18n] }).slice(2),
    ) as Uint8Array;
    const deployGas = 3_000_000n;
    const deploy = await buildContractTx(
      builder,
      { target: { kind: "deploy", initCode }, identity: 0, gasLimit: deployGas, value: null },
      { anchor, spends: [first], fee: contractFee(config.minFee, DEFAULT_CONTRACT_PARAMS, deployGas) },
    );
    checkPublicParts(deploy);
    expect(deploy.value).toBeNull();
    expect(toHex(deploy.caller.pkr)).toBe(toHex(callerOf(faucet, 0).pkr));
    const deployed = await apply(deploy);
    expect(deployed.receipt).toMatchObject({ status: "committed", outcome: { code: "ok" } });
    const contract = contractOf(deploy);
    expect(deployed.receipt.status === "committed" && toHex(deployed.receipt.outcome?.contract as Uint8Array)).toBe(
      toHex(contract),
    );

    const paid = 1_000n;
    const value = { kind: "token" as const, asset: SERO_ASSET_ID, amount: paid };
    const callGas = 200_000n;
    const callFee = contractFee(config.minFee, DEFAULT_CONTRACT_PARAMS, callGas);
    const calldata = fromHex(encodeFunctionData({ abi: sale.abi, functionName: "buy" }).slice(2)) as Uint8Array;
    const call = await buildContractTx(
      builder,
      { target: { kind: "call", contract, calldata }, identity: 1, gasLimit: callGas, value },
      { anchor, spends: [second], fee: callFee },
    );
    checkPublicParts(call);
    // The opened output is the payment's last, and its opening is the commitment it proves.
    const opening = call.value;
    expect(opening?.output).toBe(call.payment.outputs.length - 1);
    if (!opening) {
      throw new Error("the call brings a value");
    }
    expect(call.payment.outputs[opening.output]?.commitment).toBe(openedCommitment(opening, opening.rcm));
    expect(opening).toMatchObject(publicValueOf(value));
    const bought = await apply(call);
    expect(bought.receipt).toMatchObject({ status: "committed", outcome: { code: "ok" } });

    // The tokens come back as a payout to identity 1's PKr, which the wallet recognizes and can spend.
    const [payout] = bought.result.effects.payouts;
    expect(toHex(payout?.pkr as Uint8Array)).toBe(toHex(callerOf(faucet, 1).pkr));
    const note = payoutNote(faucet, payout as never);
    expect(note?.value).toEqual({ kind: "token", asset: tokenId("GOLD"), amount: paid });

    // The change is found where the sync finds it: among the appended outputs, by its index there.
    const parts = compactParts(call);
    const appended = bought.result.effects.commitments.map((c) => c.commitment);
    const outputs = parts.outputs.map((o, i): TransferOutput => ({ ...o, commitment: appended[i] as Fr }));
    const found = await (await NoteScanner.create(faucet)).incoming(call.epk, outputs);
    expect(found.map((f) => committedValue(f.note.value).amount)).toEqual([
      committedValue(second.note.value).amount - paid - callFee,
    ]);
  }, 120_000);
});
