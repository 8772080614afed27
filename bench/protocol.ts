/**
 * npm run bench:protocol — protocol-core throughput on one core (the npm script
 * pins it with taskset). Prints rows, then one JSON line. Target (issue 2):
 * trial decryption of at least 20,000 notes per second.
 */
import { blake2b } from "@noble/hashes/blake2.js";
import { utf8 } from "../src/codec/bytes.ts";
import { deriveOneTimeAddress, publicAddressOf } from "../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../src/protocol/asset.ts";
import { type EncryptedOutputs, encryptOutputs } from "../src/protocol/encryption/encrypt.ts";
import { NoteScanner } from "../src/protocol/encryption/scan.ts";
import type { Fr } from "../src/protocol/field.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { IncrementalTree } from "../src/protocol/merkle/tree.ts";
import { randomFr } from "../src/protocol/note.ts";
import { poseidon } from "../src/protocol/poseidon.ts";
import { scalarMult } from "../src/protocol/x25519.ts";

const bytes32 = (label: string) => blake2b(utf8(label), { dkLen: 32 });

function rate(count: number, start: number): number {
  return Math.round(count / ((performance.now() - start) / 1000));
}

function benchPoseidon(): number {
  const n = 5_000;
  const start = performance.now();
  let acc = 1n as Fr;
  for (let i = 0; i < n; i++) {
    acc = poseidon([acc, BigInt(i) as Fr]);
  }
  return rate(n, start);
}

function benchTreeAppend(): number {
  const n = 20_000;
  const tree = new IncrementalTree();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    tree.append(BigInt(i + 1) as Fr);
  }
  tree.root(); // a block's worth of appends ends with one root
  return rate(n, start);
}

/** Transactions of two outputs each, none for the scanning wallet (the common case). */
function syntheticTransactions(count: number): EncryptedOutputs[] {
  const sender = deriveSpendingKeys(bytes32("bench sender"));
  return Array.from({ length: count }, (_, t) => {
    const recipient = deriveOneTimeAddress(publicAddressOf(sender), bytes32(`bench pkr ${t}`));
    const note = (k: number) => ({
      value: { kind: "token" as const, asset: SERO_ASSET_ID, amount: BigInt(t * 2 + k) },
      g: recipient.g,
      pk: recipient.pk,
      rcm: randomFr(bytes32(`bench rcm ${t} ${k}`)),
    });
    return encryptOutputs({
      base: recipient.base,
      esk: bytes32(`bench esk ${t}`),
      ovk: sender.ovk,
      outputs: [
        { note: note(0), memo: utf8("bench"), recipientKey: recipient.x },
        { note: note(1), memo: new Uint8Array(), recipientKey: scalarMult(sender.xsk, recipient.base) },
      ],
    });
  });
}

async function benchTrialDecrypt(txs: EncryptedOutputs[], preferNative: boolean, rounds: number): Promise<number> {
  const wallet = deriveSpendingKeys(bytes32("bench wallet"));
  const scanner = await NoteScanner.create(wallet, { preferNative });
  const outputs = txs.length * 2;
  await scanner.incomingMany(txs.slice(0, 50)); // warm-up
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    // A compact block's transactions at a time, as a syncing wallet sees them.
    for (let i = 0; i < txs.length; i += 256) {
      await scanner.incomingMany(txs.slice(i, i + 256));
    }
  }
  return rate(outputs * rounds, start);
}

const txs = syntheticTransactions(1_000);
const results = {
  poseidon2_per_s: benchPoseidon(),
  tree_append_per_s: benchTreeAppend(),
  trial_decrypt_per_s: await benchTrialDecrypt(txs, true, 5),
  trial_decrypt_noble_per_s: await benchTrialDecrypt(txs.slice(0, 200), false, 1),
};
console.log("metric                        value      note");
console.log(
  `poseidon2_per_s               ${String(results.poseidon2_per_s).padStart(8)}   circomlib Poseidon, 2 inputs (poseidon-lite)`,
);
console.log(
  `tree_append_per_s             ${String(results.tree_append_per_s).padStart(8)}   depth 32, root once per 20k appends`,
);
console.log(
  `trial_decrypt_per_s           ${String(results.trial_decrypt_per_s).padStart(8)}   notes/s, WebCrypto X25519, 1 agreement per 2-output tx (target 20000)`,
);
console.log(
  `trial_decrypt_noble_per_s     ${String(results.trial_decrypt_noble_per_s).padStart(8)}   notes/s, noble X25519`,
);
console.log(JSON.stringify(results));
