/** Deterministic accounts, notes and transactions for protocol tests. */
import { blake2b } from "@noble/hashes/blake2.js";
import { utf8 } from "../../src/codec/bytes.ts";
import {
  deriveContractAddress,
  deriveOneTimeAddress,
  encodeOneTimeAddress,
  type OneTimeAddress,
  publicAddressOf,
} from "../../src/protocol/address.ts";
import { SERO_ASSET_ID, tokenId } from "../../src/protocol/asset.ts";
import { type EncryptedOutputs, encryptOutputs } from "../../src/protocol/encryption/encrypt.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { deriveSpendingKeys, type SpendingKeys } from "../../src/protocol/keys.ts";
import { type Note, randomFr } from "../../src/protocol/note.ts";
import type {
  CallTx,
  DeployTx,
  GenesisTx,
  IssueTx,
  RegisterTx,
  ShieldedSpend,
  TransferTx,
} from "../../src/protocol/tx/types.ts";
import { scalarMult } from "../../src/protocol/x25519.ts";

/** 32 deterministic bytes named by a label: test randomness that replays exactly. */
export function bytes32(label: string): Uint8Array {
  return blake2b(utf8(label), { dkLen: 32 });
}

export function account(name: string): SpendingKeys {
  return deriveSpendingKeys(bytes32(`seed:${name}`));
}

export function oneTimeAddress(keys: SpendingKeys, label: string): OneTimeAddress {
  return deriveOneTimeAddress(publicAddressOf(keys), bytes32(`pkr:${label}`));
}

export function tokenNote(owner: OneTimeAddress, amount: bigint, label: string, asset = SERO_ASSET_ID): Note {
  return { value: { kind: "token", asset, amount }, g: owner.g, pk: owner.pk, rcm: randomFr(bytes32(`rcm:${label}`)) };
}

/** A payment from `sender` to `recipient` with change: one epk, both outputs keyed to the recipient's base. */
export function payment(
  sender: SpendingKeys,
  recipient: OneTimeAddress,
  label: string,
): EncryptedOutputs & { notes: Note[] } {
  const change = oneTimeAddress(sender, `${label}:change`);
  const notes = [tokenNote(recipient, 700n, `${label}:0`), tokenNote(change, 290n, `${label}:1`)];
  const encrypted = encryptOutputs({
    base: recipient.base,
    esk: bytes32(`esk:${label}`),
    ovk: sender.ovk,
    outputs: [
      { note: notes[0] as Note, memo: utf8("for the coffee"), recipientKey: recipient.x },
      { note: notes[1] as Note, memo: new Uint8Array(), recipientKey: changeKey(sender, recipient.base) },
    ],
  });
  return { ...encrypted, notes };
}

export function changeKey(sender: SpendingKeys, base: Uint8Array): Uint8Array {
  return scalarMult(sender.xsk, base);
}

export function sampleTransfer(label = "transfer"): TransferTx {
  const alice = account("alice");
  const bob = account("bob");
  const { epk, outputs } = payment(alice, oneTimeAddress(bob, label), label);
  return {
    kind: "transfer",
    anchor: 12345n as Fr,
    nullifiers: [1n as Fr, 2n as Fr],
    fee: 10n,
    epk,
    outputs,
    proof: new Uint8Array(256).fill(7),
  };
}

/** A fee payment (PROTOCOL.md §8.9): a transfer's spend without its own epk. */
export function samplePayment(label = "fee"): ShieldedSpend {
  const { anchor, fee, outputs } = sampleTransfer(label);
  return { anchor, nullifiers: [3n as Fr, 4n as Fr], fee, outputs, proof: new Uint8Array(256).fill(8) };
}

/** A canonical X25519 u-coordinate named by a label. */
export function sampleEpk(label: string): Uint8Array {
  return bytes32(label).map((b, i) => (i === 31 ? b & 0x3f : b));
}

export function sampleRegister(): RegisterTx {
  return {
    kind: "register",
    registration: {
      assetKind: "token",
      name: "USDX",
      decimals: 6,
      issuer: bytes32("issuer"),
      supply: { kind: "capped", cap: 10n ** 15n },
    },
    epk: sampleEpk("register-epk"),
    payment: samplePayment("register-fee"),
    signature: new Uint8Array(64).fill(3),
  };
}

const issuedOutput = {
  value: new Uint8Array(32).fill(0, 0, 16).fill(9, 16),
  seal: 77n as Fr,
  viewTag: 5,
  encCiphertext: new Uint8Array(660).fill(1),
  outCiphertext: new Uint8Array(112).fill(2),
};

export function sampleIssue(): IssueTx {
  return {
    kind: "issue",
    assetKind: "token",
    assetRef: tokenId("USDX"),
    nonce: 0n,
    epk: sampleEpk("issue-epk"),
    outputs: [issuedOutput],
    payment: samplePayment("issue-fee"),
    signature: new Uint8Array(64).fill(4),
  };
}

export function sampleGenesis(): GenesisTx {
  return {
    kind: "genesis",
    epk: sampleEpk("genesis-epk"),
    outputs: [issuedOutput, { ...issuedOutput, seal: 78n as Fr }],
  };
}

/** A deploy (PROTOCOL.md §10.1) bringing no value. */
export function sampleDeploy(): DeployTx {
  return {
    kind: "deploy",
    caller: { pkr: encodeOneTimeAddress(oneTimeAddress(account("carol"), "deploy")), key: bytes32("caller key") },
    gasLimit: 1_000_000n,
    initCode: Uint8Array.of(0x60, 0x00, 0x60, 0x00, 0xf3),
    value: null,
    epk: sampleEpk("deploy-epk"),
    payment: samplePayment("deploy-fee"),
    signature: new Uint8Array(64).fill(5),
  };
}

/** A call bringing 700 SERO base units through the payment's last output, opened (§10.3). */
export function sampleCall(): CallTx {
  return {
    kind: "call",
    contract: deriveContractAddress(new Uint8Array(64).fill(1), 0n).bytes,
    caller: { pkr: encodeOneTimeAddress(oneTimeAddress(account("carol"), "call")), key: bytes32("caller key") },
    gasLimit: 200_000n,
    calldata: Uint8Array.of(0xa6, 0xf2, 0xae, 0x3a),
    value: {
      output: 1,
      assetKind: "token",
      assetRef: SERO_ASSET_ID,
      value: new Uint8Array(32).fill(0, 0, 30).fill(0x02, 30, 31).fill(0xbc, 31),
      rcm: randomFr(bytes32("call rcm")),
    },
    epk: sampleEpk("call-epk"),
    payment: samplePayment("call-fee"),
    signature: new Uint8Array(64).fill(6),
  };
}
