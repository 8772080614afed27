import { describe, expect, it } from "vitest";
import { createReplica, type Input } from "../../src/consensus/index.ts";
import { classifyTransaction } from "../../src/ledger/request-class.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { makeKeyring } from "../consensus/sim/keys.ts";
import { SIM_PARAMS } from "../consensus/sim/scenario.ts";
import { bytes32, sampleCall, sampleIssue, sampleRegister, sampleTransfer } from "../protocol/fixtures.ts";

/** A registration by issuer `i`, paying `fee` with its fee payment. */
const registration = (i: number, fee = 1n) =>
  encodeTransaction({
    ...sampleRegister(),
    registration: { ...sampleRegister().registration, issuer: bytes32(`spam ${i}`) },
    payment: { ...sampleRegister().payment, fee },
  });
const transfer = (nf: bigint, fee: bigint) =>
  encodeTransaction({ ...sampleTransfer(`t${nf}`), nullifiers: [nf as Fr, (nf + 1n) as Fr], fee });

describe("ranking SERO transactions in the consensus pool", () => {
  it("gives transfers their fee and first note as lane, registrations their issuer, issuances their asset, each its fee", () => {
    expect(classifyTransaction(transfer(5n, 42n))).toEqual({ lane: "note:5", fee: 42n, weight: 0n });
    expect(classifyTransaction(registration(1))).not.toEqual(classifyTransaction(registration(2)));
    expect(classifyTransaction(registration(1, 77n)).fee).toBe(77n);
    const issue = classifyTransaction(encodeTransaction(sampleIssue()));
    expect(issue).toEqual(classifyTransaction(encodeTransaction({ ...sampleIssue(), nonce: 1n })));
    expect(issue.fee).toBe(sampleIssue().payment.fee);
    expect(classifyTransaction(Uint8Array.of(1, 2, 3))).toEqual({ lane: "malformed", fee: 0n, weight: 0n });
  });

  it("gives a contract transaction its payment's first note as lane and its declared gas as weight", () => {
    const call = sampleCall();
    expect(classifyTransaction(encodeTransaction(call))).toEqual({
      lane: `note:${call.payment.nullifiers[0]?.toString(16)}`,
      fee: call.payment.fee,
      weight: call.gasLimit,
    });
  });

  it("a pool full of cheap registrations from many issuers still takes a payment paying more, evicting one of them", () => {
    const keyring = makeKeyring(4, "mac", { ...SIM_PARAMS, maxPoolRequests: 8, maxBatchRequests: 64 }, 3);
    const core = createReplica({
      committee: keyring.committee,
      signer: keyring.signers[1] as never,
      classify: classifyTransaction,
    });
    let state = core.init();
    const add = (request: Uint8Array) => {
      const input: Input = { type: "request", request };
      const r = core.step(state, input);
      state = r.state;
      return r.rejected;
    };
    for (let i = 0; i < 8; i++) {
      expect(add(registration(i))).toBeUndefined();
    }
    expect(add(registration(99))).toBe("request pool full");
    expect(add(transfer(10n, 1_000n))).toBeUndefined();
    expect(state.pool.size).toBe(8);
    expect([...state.pool.values()].map((e) => e.fee)).toContain(1_000n);
  });
});
