/**
 * npm run bench:wallet — the wallet; sync pinned to one core (taskset):
 * syncing a synthetic chain of 100,000 outputs through the real client path
 * (JSON pages from an in-process node, validation, trial decryption with view
 * tags, spend detection, sharded tree), beside what hashing every leaf would
 * cost; then one 2x2 send: note selection, path, proof, submission.
 * Prints rows, then one JSON line. Target (issue 6): sync_outputs_per_s ≥ 20,000.
 */
import { spawnSync } from "node:child_process";
import { deriveOneTimeAddress, publicAddressOf } from "../src/protocol/address.ts";
import { SERO_ASSET_ID } from "../src/protocol/asset.ts";
import { NoteScanner } from "../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../src/protocol/keys.ts";
import { IncrementalTree } from "../src/protocol/merkle/tree.ts";
import { releaseProverThreads } from "../src/prover/index.ts";
import { committedArtifacts } from "../src/prover/node-artifacts.ts";
import { AccountState } from "../src/wallet/account-state.ts";
import { nodeKeyAgreement } from "../src/wallet/node-agreement.ts";
import { NodeClient } from "../src/wallet/node-client.ts";
import { NoteTree } from "../src/wallet/note-tree.ts";
import { send } from "../src/wallet/send.ts";
import { syncAccount } from "../src/wallet/sync.ts";
import { BENCH_CHAIN_SHAPE, fakeNode, syntheticChain } from "../test/fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x77));
const shape = BENCH_CHAIN_SHAPE;

/** Pins every thread of this process (the thread pool doing X25519 too) to `cpus`. */
function pin(cpus: string): boolean {
  return spawnSync("taskset", ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" }).status === 0;
}

/** Accepts every submission: the send figure is the wallet's work, not a chain's. */
const acceptingNode = (serve?: typeof fetch) =>
  new NodeClient("http://bench.node", {
    fetch: (async (input: string | URL | Request, init?: RequestInit) =>
      init?.method === "POST" || !serve
        ? new Response(JSON.stringify({ id: "00".repeat(32), status: "pending" }), { status: 202 })
        : serve(input, init)) as typeof fetch,
  });

/**
 * Builds the chain, syncs it 1 + 3 times (the first warms the JIT), and
 * returns the figures and the synced account; the chain is garbage once this
 * returns, so it does not weigh on the proofs after.
 */
async function measureSync() {
  process.stdout.write("building a synthetic chain of 100,000 outputs (hashing every leaf, as the node does)...\n");
  const chain = syntheticChain(shape, keys);
  const syncOnce = async () => {
    const client = acceptingNode(fakeNode(chain, 100));
    const state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
    const scanner = await NoteScanner.create(keys, { agreement: nodeKeyAgreement(keys.xsk) });
    const start = performance.now();
    await syncAccount(state, client, scanner, { save: async () => {} });
    return { state, ms: performance.now() - start };
  };
  const pinned = pin("0");
  await syncOnce();
  const runs = [await syncOnce(), await syncOnce(), await syncOnce()].sort((a, b) => a.ms - b.ms);
  const median = runs[1] as Awaited<ReturnType<typeof syncOnce>>;
  if (median.state.spendable().length !== chain.walletNotes) {
    throw new Error(`found ${median.state.spendable().length} notes, the chain holds ${chain.walletNotes}`);
  }
  // What a wallet that hashes every leaf would add: appending the same commitments to a full tree.
  const tree = new IncrementalTree();
  const sample = chain.blocks.slice(0, 100).flatMap((b) => b.txs.flatMap((t) => t.outputs.map((o) => o.commitment)));
  const start = performance.now();
  for (const commitment of sample) {
    tree.append(commitment);
  }
  return {
    pinned,
    state: median.state,
    outputs: chain.outputs,
    syncPerS: Math.round(chain.outputs / (median.ms / 1000)),
    blocksPerS: Math.round(shape.blocks / (median.ms / 1000)),
    fullTreePerS: Math.round(sample.length / ((performance.now() - start) / 1000)),
    walletNotes: chain.walletNotes,
  };
}

const to = deriveOneTimeAddress(publicAddressOf(deriveSpendingKeys(new Uint8Array(32).fill(1))), new Uint8Array(32));

/**
 * Sends from an account synced on a small chain, before anything is pinned:
 * proving uses every core, as on a user's machine. Returns the first send of
 * the process (it loads the proving key and starts the prover's threads) and
 * the median of the next three.
 */
async function measureSend(): Promise<{ cold: number; warm: number }> {
  const chain = syntheticChain({ ...shape, blocks: 50, spendAfter: 0, seed: "bench:wallet send" }, keys);
  const state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  const scanner = await NoteScanner.create(keys, { agreement: nodeKeyAgreement(keys.xsk) });
  await syncAccount(state, acceptingNode(fakeNode(chain, 100)), scanner, { save: async () => {} });
  const client = acceptingNode();
  const timedSend = async () => {
    const start = performance.now();
    await send(
      {
        chainId: "sero-synthetic-1",
        state,
        keys,
        client,
        artifacts: committedArtifacts,
        anchorWindow: 100,
        save: async () => {},
        sync: async () => {},
      },
      { to, value: { kind: "token", asset: SERO_ASSET_ID, amount: 10n ** 15n }, memo: new Uint8Array(), fee: 1_000n },
      false,
    );
    return Math.round(performance.now() - start);
  };
  const cold = await timedSend();
  const warm = [await timedSend(), await timedSend(), await timedSend()].sort((a, b) => a - b)[1] as number;
  await releaseProverThreads();
  return { cold, warm };
}

const sending = await measureSend();
const { pinned, state, outputs, syncPerS, blocksPerS, fullTreePerS, walletNotes } = await measureSync();
const sendMs = sending.warm;
const sendColdMs = sending.cold;

const results = {
  sync_outputs_per_s: syncPerS,
  sync_blocks_per_s: blocksPerS,
  outputs,
  wallet_notes_found: state.notes.length,
  hash_every_leaf_outputs_per_s: fullTreePerS,
  send_ms: sendMs,
  send_cold_ms: sendColdMs,
};
console.log("metric                          value      note");
const row = (name: string, value: number, note: string) =>
  console.log(`${name.padEnd(30)}  ${String(value).padStart(8)}   ${note}`);
row(
  "sync_outputs_per_s",
  syncPerS,
  `${outputs} outputs, ${shape.blocks} blocks, median of 3, ${pinned ? "one core" : "NOT pinned"} (target 20000)`,
);
row("sync_blocks_per_s", results.sync_blocks_per_s, `${shape.txsPerBlock} two-output transfers a block`);
row("wallet_notes_found", results.wallet_notes_found, `${walletNotes} unspent, the rest spent later`);
row(
  "hash_every_leaf_outputs_per_s",
  fullTreePerS,
  `tree appends alone: a wallet hashing every leaf syncs at most this fast (ours: ${(syncPerS / fullTreePerS).toFixed(1)}x)`,
);
row("send_ms", sendMs, "select notes, paths, prove 2x2 (all cores), submit to an in-process node; median of 3");
row(
  "send_cold_ms",
  sendColdMs,
  "the same, first send of a process (loads the 19 MB proving key, starts prover threads)",
);
console.log(JSON.stringify(results));
