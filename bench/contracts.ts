/**
 * npm run bench:contracts — contract execution on one core, against the cost
 * of the proof every transaction also carries.
 *
 * Timed: `executeBlock` and the store's commit for blocks of token-sale
 * purchases (contracts/examples/TokenSale.sol `buy()` bringing SERO through
 * an opened output, paying tokens out to the buyer's PKr): decoding,
 * validateBasic, the caller's signature, the opening, the EVM with its
 * precompiles, payout commitments, tree appends and the state root. Not timed:
 * building and signing the transactions, and proof verification (a stand-in
 * verifier accepts the placeholder proofs at no cost). Side by side, also
 * timed: the EVM step alone (`ContractRuntime.execute` of the same purchase
 * over the same state, its changes discarded), and, as what every
 * transaction costs anyway, proof verification
 * by the production verifier checking one real transfer
 * proof (test/fixtures/chain/transfers.json), so `purchase_vs_proof` says how
 * many purchases fit in the time of one proof. Deploys are timed alone, one
 * per block. Data is an in-memory ledger growing over the run. Figures are
 * medians (deploys) and totals over all timed blocks (purchases).
 *
 * Prints rows, then one JSON line. Target (issue [contracts]): ≥ 1,000
 * purchases per second on one core, so contract execution is never the
 * chain's bottleneck.
 */
import { chainProofVerifier } from "../src/chain/proof-verifier.ts";
import { fromHex } from "../src/codec/bytes.ts";
import { runtimeFor } from "../src/contracts/runtime-cache.ts";
import { spendProof } from "../src/ledger/spend-proof.ts";
import { SERO_ASSET_ID } from "../src/protocol/asset.ts";
import { decodeTransaction, encodeTransaction } from "../src/protocol/tx/codec.ts";
import type { TransferTx } from "../src/protocol/tx/types.ts";
import { loadArtifact } from "../test/contracts/artifacts.ts";
import {
  ContractChain,
  calldata,
  SERO,
  type TestCaller,
  testCaller,
  tokenValue,
} from "../test/contracts/ledger-chain.ts";
import fixtures from "../test/fixtures/chain/transfers.json" with { type: "json" };

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const PER_BLOCK = Number(process.env.BENCH_PER_BLOCK ?? 200);
const DEPLOYS = 7;
const PROOFS = 15;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

async function main(): Promise<void> {
  const sale = loadArtifact("TokenSale");
  const chain = new ContractChain();
  await chain.genesis();

  const deployMs: number[] = [];
  let address: Uint8Array = new Uint8Array();
  for (let i = 0; i < DEPLOYS; i++) {
    const start = performance.now();
    address = (await chain.deploy(testCaller(`owner ${i}`), sale, [`TKN${i}`, 18, 10n ** 30n, 100n])).address;
    deployMs.push(performance.now() - start);
  }

  const buyers = Array.from({ length: PER_BLOCK }, (_, i) => testCaller(`buyer ${i}`));
  const buyBlock = () =>
    buyers.map((buyer) =>
      encodeTransaction(
        chain.contractTx(
          buyer,
          { kind: "call", contract: address, calldata: calldata(sale.abi, "buy") },
          { value: tokenValue(SERO_ASSET_ID, SERO), gasLimit: 120_000n },
        ),
      ),
    );
  await chain.apply(buyBlock()); // warm-up: JIT, first-touch code paths
  let timedMs = 0;
  let purchases = 0;
  let gas = 0n;
  for (let b = 0; b < BLOCKS; b++) {
    const block = buyBlock();
    const start = performance.now();
    const result = await chain.apply(block);
    timedMs += performance.now() - start;
    for (const r of result.receipts) {
      if (r.status !== "committed" || r.outcome?.code !== "ok") {
        throw new Error(`a purchase failed: ${r.status === "rejected" ? r.code : r.outcome?.code}`);
      }
      purchases++;
      gas += r.outcome.gasUsed;
    }
    console.log(`block ${b}: ${block.length} purchases in ${(performance.now() - start).toFixed(1)} ms`);
  }

  const runtime = runtimeFor(chain.config.chainId, chain.config.contracts, "reads");
  const purchase = {
    kind: "call" as const,
    caller: buyers[0] as TestCaller,
    contract: address,
    data: calldata(sale.abi, "buy"),
    gasLimit: 120_000n,
    value: tokenValue(SERO_ASSET_ID, SERO),
  };
  const evmStart = performance.now();
  for (let i = 0; i < purchases; i++) {
    await runtime.execute(chain.store, purchase, { height: chain.store.meta().height + 1, randomness: undefined });
  }
  const evmMs = (performance.now() - evmStart) / purchases;

  const verifier = chainProofVerifier();
  const proof = spendProof(decodeTransaction(fromHex(fixtures.payBob) as Uint8Array) as TransferTx, fixtures.chainId);
  const proofMs: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const start = performance.now();
    const [valid] = await verifier.verify([proof]);
    proofMs.push(performance.now() - start);
    if (!valid) {
      throw new Error("the fixture proof does not verify");
    }
  }

  const perSecond = (purchases / timedMs) * 1000;
  const purchaseMs = timedMs / purchases;
  const figures = {
    evm_calls_per_s: Math.round(perSecond),
    purchase_ms: Number(purchaseMs.toFixed(3)),
    evm_step_calls_per_s: Math.round(1000 / evmMs),
    gas_per_s: Math.round((Number(gas) / timedMs) * 1000),
    deploy_ms: Number(median(deployMs).toFixed(1)),
    proof_verify_ms: Number(median(proofMs).toFixed(2)),
    purchase_vs_proof: Number((median(proofMs) / purchaseMs).toFixed(2)),
    purchases,
    target_calls_per_s: 1000,
  };
  console.log(`deploy (median of ${DEPLOYS}): ${figures.deploy_ms} ms`);
  console.log(
    `purchases: ${purchases} in ${timedMs.toFixed(0)} ms = ${figures.evm_calls_per_s}/s, ${figures.gas_per_s} gas/s`,
  );
  console.log(`the EVM step alone: ${evmMs.toFixed(3)} ms = ${figures.evm_step_calls_per_s}/s`);
  console.log(
    `one proof verification (median of ${PROOFS}): ${figures.proof_verify_ms} ms = ${figures.purchase_vs_proof} purchases`,
  );
  console.log(JSON.stringify(figures));
}

await main();
