/**
 * The chain seed → keys → PK → PKr → note → commitment → nullifier →
 * ciphertext → transaction (a transfer, a registration paying its fee,
 * PROTOCOL.md §8.9, and a contract call bringing value, §10), computed from
 * fixed inputs. `npm run vectors` writes it to protocol-v3.json; the test
 * recomputes it, so any change that
 * breaks compatibility with deployed wallets or chains fails loudly.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { toHex, utf8 } from "../../src/codec/bytes.ts";
import {
  deployedContractAddress,
  evmAddressOfCaller,
  evmAddressOfContract,
  evmChainId,
} from "../../src/contracts/addresses.ts";
import {
  deriveOneTimeAddress,
  encodeOneTimeAddress,
  encodePublicAddress,
  oneTimeAddressAt,
  publicAddressOf,
} from "../../src/protocol/address.ts";
import { SERO_ASSET_ID, ticketAssetId, ticketCategoryId, tokenId } from "../../src/protocol/asset.ts";
import { openedCommitment, payoutCommitment, payoutRcm } from "../../src/protocol/contract-notes.ts";
import { encryptOutputs } from "../../src/protocol/encryption/encrypt.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { deriveSpendingKeys, encodeViewingKey } from "../../src/protocol/keys.ts";
import { emptyRoot, TREE_DEPTH } from "../../src/protocol/merkle/hash.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { seedToMnemonic } from "../../src/protocol/mnemonic.ts";
import { type Note, noteCommitment, noteSeal } from "../../src/protocol/note.ts";
import { nullifier } from "../../src/protocol/nullifier.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { encodeTransaction, encodeUnsigned } from "../../src/protocol/tx/codec.ts";
import { bindingHash, signatureMessage, txId, txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type { CallTx, RegisterTx, TransferTx } from "../../src/protocol/tx/types.ts";
import { scalarMult } from "../../src/protocol/x25519.ts";

const fill = (byte: number) => new Uint8Array(32).fill(byte);
const fe = (x: Fr) => toHex(frToBytes(x));

export function computeProtocolVectors(): Record<string, unknown> {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
  const keys = deriveSpendingKeys(seed);
  const pk = publicAddressOf(keys);
  const pkrIndexed = oneTimeAddressAt(keys, 0);
  const pkr = deriveOneTimeAddress(pk, fill(0x11));
  const note: Note = {
    value: { kind: "token", asset: SERO_ASSET_ID, amount: 1_000_000_000_000_000_000n },
    g: pkr.g,
    pk: pkr.pk,
    rcm: 42n as Fr,
  };
  const cm = noteCommitment(note);
  const tree = new IncrementalTree();
  tree.append(7n as Fr);
  const position = tree.append(cm);
  const sender = deriveSpendingKeys(fill(0x22));
  const { epk, outputs } = encryptOutputs({
    base: pkr.base,
    esk: fill(0x33),
    ovk: sender.ovk,
    outputs: [
      { note, memo: utf8("vector memo"), recipientKey: pkr.x },
      {
        note: { ...note, value: { kind: "token", asset: SERO_ASSET_ID, amount: 0n }, rcm: 43n as Fr },
        memo: new Uint8Array(),
        recipientKey: scalarMult(sender.xsk, pkr.base),
      },
    ],
  });
  const tx: TransferTx = {
    kind: "transfer",
    anchor: tree.root(),
    nullifiers: [nullifier(keys.nk, cm, position), 99n as Fr],
    fee: 1000n,
    epk,
    outputs,
    proof: new Uint8Array(256),
  };
  // A registration paying its fee with the same spend (§8.9), signed by a fixed issuer key.
  const issuerSecret = fill(0x44);
  const register = signTransaction(
    {
      kind: "register",
      registration: {
        assetKind: "token",
        name: "USDX",
        decimals: 6,
        issuer: ed25519.getPublicKey(issuerSecret),
        supply: { kind: "capped", cap: 10n ** 15n },
      },
      epk,
      payment: { anchor: tx.anchor, nullifiers: tx.nullifiers, fee: tx.fee, outputs, proof: new Uint8Array(256) },
      signature: new Uint8Array(64),
    } satisfies RegisterTx,
    "sero-local-1",
    issuerSecret,
  );
  const category = ticketCategoryId("CONCERT");
  // A call bringing 2 SERO through the payment's last output, opened (§10.3), by a caller of fixed key.
  const callerSecret = fill(0x55);
  const caller = { pkr: encodeOneTimeAddress(pkrIndexed), key: ed25519.getPublicKey(callerSecret) };
  const value = {
    assetKind: "token" as const,
    assetRef: SERO_ASSET_ID,
    value: frToBytes(2_000_000_000_000_000_000n as Fr),
  };
  const contract = deployedContractAddress(txId(tx), tx.nullifiers[0] as Fr);
  const opened = openedCommitment(value, 44n as Fr);
  const call = signTransaction(
    {
      kind: "call",
      contract,
      caller,
      gasLimit: 100_000n,
      calldata: Uint8Array.of(0xa6, 0xf2, 0xae, 0x3a),
      value: { output: 1, ...value, rcm: 44n as Fr },
      epk,
      payment: {
        anchor: tx.anchor,
        nullifiers: tx.nullifiers,
        fee: 101_000n,
        outputs: [
          outputs[0] as TransferTx["outputs"][number],
          { ...(outputs[1] as TransferTx["outputs"][number]), commitment: opened },
        ],
        proof: new Uint8Array(256),
      },
      signature: new Uint8Array(64),
    } satisfies CallTx,
    "sero-local-1",
    callerSecret,
  );
  const rcm0 = payoutRcm(txId(call), 0);
  return {
    seed: toHex(seed),
    mnemonic: seedToMnemonic(seed),
    keys: {
      ask: fe(keys.ask),
      nk: fe(keys.nk),
      ovk: toHex(keys.ovk),
      ak: fe(keys.ak),
      ivk: fe(keys.ivk),
      xsk: toHex(keys.xsk),
      dk: toHex(keys.dk),
    },
    viewingKey: encodeText("viewingKey", encodeViewingKey(keys)),
    publicAddress: {
      bytes: toHex(encodePublicAddress(pk)),
      text: encodeText("publicAddress", encodePublicAddress(pk)),
    },
    oneTimeAddressIndex0: toHex(encodeOneTimeAddress(pkrIndexed)),
    oneTimeAddressFromRandomness11: toHex(encodeOneTimeAddress(pkr)),
    assets: {
      SERO: fe(SERO_ASSET_ID),
      USDX: fe(tokenId("USDX")),
      ticketCONCERT_ff: fe(ticketAssetId(category, fill(0xff))),
    },
    note: {
      seal: fe(noteSeal(note.g, note.pk, note.rcm)),
      commitment: fe(cm),
      position,
      nullifier: fe(tx.nullifiers[0] as Fr),
    },
    emptyTreeRoot: fe(emptyRoot(TREE_DEPTH)),
    anchor: fe(tree.root()),
    encryption: {
      epk: toHex(epk),
      viewTags: outputs.map((o) => o.viewTag),
      encCiphertext0: toHex(outputs[0]?.encCiphertext as Uint8Array),
      outCiphertext0: toHex(outputs[0]?.outCiphertext as Uint8Array),
    },
    transfer: {
      bindingHash: fe(bindingHash(tx, "sero-local-1")),
      txId: toHex(txId(tx)),
      encoding: toHex(encodeTransaction(tx)),
      // The encoding without its proof does not decode (truncated): its id hashes the raw bytes (§8.8).
      truncatedTxId: toHex(txIdOfBytes(encodeUnsigned(tx))),
    },
    register: {
      bindingHash: fe(bindingHash(register, "sero-local-1")),
      signatureMessage: toHex(signatureMessage(register, "sero-local-1")),
      txId: toHex(txId(register)),
      encoding: toHex(encodeTransaction(register)),
    },
    contracts: {
      // The contract a deploy with the transfer's id and first nullifier creates (§10.2).
      deployedAddress: toHex(contract),
      deployedAddressText: encodeText("contractAddress", contract),
      evmContract: toHex(evmAddressOfContract(contract)),
      evmCaller: toHex(evmAddressOfCaller(caller)),
      evmChainId: evmChainId("sero-local-1"),
      openedCommitment: fe(opened),
      payoutRcm0: fe(rcm0),
      payoutCommitment0: fe(payoutCommitment(caller.pkr, value, rcm0)),
      call: {
        bindingHash: fe(bindingHash(call, "sero-local-1")),
        signatureMessage: toHex(signatureMessage(call, "sero-local-1")),
        txId: toHex(txId(call)),
        encoding: toHex(encodeTransaction(call)),
      },
    },
  };
}
