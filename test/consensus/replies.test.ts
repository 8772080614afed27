import { describe, expect, it } from "vitest";
import { batchDigest, type CommittedBlock, checkCommitProof, ReplyQuorum } from "../../src/consensus/index.ts";
import { request } from "./sim/fixtures.ts";
import { loadScenarios } from "./sim/load.ts";
import { runScenario } from "./sim/scenario.ts";

describe("telling clients 'committed'", () => {
  it("confirms a request after f + 1 replicas report the same block, not before", () => {
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "normal-case-ed25519-n4") as never);
    const quorum = new ReplyQuorum(sim.keyring.committee);
    const block = sim.node(0).blocks.get(1) as CommittedBlock;
    expect(quorum.observe({ replica: 0, ...block })).toEqual([]);
    // Replica 0 again does not count twice.
    expect(quorum.observe({ replica: 0, ...block })).toEqual([]);
    // A replica claiming a different batch under the same digest is ignored.
    expect(quorum.observe({ replica: 3, ...block, batch: [request(999)] })).toEqual([]);
    const confirmed = quorum.observe({ replica: 2, ...block });
    expect(confirmed.map((c) => c.seq)).toEqual(block.batch.map(() => 1));
  });

  it("checks a commit certificate with real ed25519 signatures, and refuses a tampered one", () => {
    const { sim } = runScenario(loadScenarios().find((s) => s.name === "normal-case-ed25519-n4") as never);
    const { committee, verifier } = sim.keyring;
    const block = sim.node(1).blocks.get(2) as CommittedBlock;
    expect(checkCommitProof(2, block.batch, block.certificate, committee, verifier)).toBeUndefined();
    expect(checkCommitProof(3, block.batch, block.certificate, committee, verifier)).toMatch(/does not match/);
    expect(checkCommitProof(2, [request(1)], block.certificate, committee, verifier)).toMatch(/does not match/);
    expect(checkCommitProof(2, block.batch, block.certificate.slice(0, 2), committee, verifier)).toMatch(/2f \+ 1/);
    const forged = block.certificate.map((c, i) => (i === 1 ? { ...c, signature: new Uint8Array(64) } : c));
    expect(checkCommitProof(2, block.batch, forged, committee, verifier)).toMatch(/bad signature/);
    expect(batchDigest(block.batch)).toEqual(block.digest);
  });
});
