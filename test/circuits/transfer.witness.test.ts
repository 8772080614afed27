/**
 * The transfer statement (PROTOCOL.md §8.2) at the witness level: every rule
 * has an expect-pass case at its boundary and an expect-fail case that breaks
 * that rule alone (everything else recomputed honestly by `raw`).
 */
import { describe, expect, it } from "vitest";
import { CIRCUITS, circuitByShape } from "../../circuits/config.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { GENERATOR, multiply } from "../../src/protocol/babyjub.ts";
import type { Fr } from "../../src/protocol/field.ts";
import type { AuthenticationPath } from "../../src/protocol/merkle/marked-tree.ts";
import { type Note, noteCommitment } from "../../src/protocol/note.ts";
import { dummyOutput, dummySpend, ProverInputError, prepareTransfer } from "../../src/prover/input.ts";
import {
  alice,
  aliceSpend,
  curvePoint as babyPoint,
  bob,
  bobOwner,
  dummyRawSpend,
  expectAccepted,
  expectRefused,
  GOLD,
  noteFor,
  point,
  prepare,
  R,
  type RawSpend,
  type RawTransfer,
  raw,
  SILVER,
  seededRandom,
  TICKET,
  TWO128,
  toAlice,
  toBob,
  treeWith,
  witness,
} from "./fixtures.ts";

const T2 = circuitByShape(2, 2);
const M4 = circuitByShape(4, 2);
const SERO = SERO_ASSET_ID;

/** Alice pays Bob 500 GOLD and keeps 990 SERO of 1000 as change, fee 10. */
function payment(): RawTransfer {
  return {
    spends: [aliceSpend(SERO, 1000n, 0), aliceSpend(GOLD, 500n, 1)],
    outputs: [toBob(GOLD, 500n), toAlice(SERO, 990n)],
    fee: 10n,
  };
}

/** Mutates a copy of a built input. */
function tamper(t: RawTransfer, edit: (input: Record<string, unknown>) => void) {
  const built = raw(t);
  const input = structuredClone(built.input) as Record<string, unknown>;
  edit(input);
  return input as typeof built.input;
}

const at = (input: Record<string, unknown>, key: string) => input[key] as string[];

describe("transfer_2x2 accepts", () => {
  it("a two-asset payment, with public signals in the order anchor, nf, cm, fee, bind", async () => {
    await expectAccepted(T2, raw(payment()));
  });

  it("the same input from the prover as from the raw builder", async () => {
    const n0 = noteFor(alice, SERO, 1000n, 0);
    const n1 = noteFor(alice, GOLD, 500n, 1);
    const outs = [noteFor(alice, GOLD, 500n, 5), noteFor(alice, SERO, 990n, 6)];
    const prepared = prepare(T2, [n0, n1], outs, 10n, 77n as Fr);
    const w = await witness(T2, prepared.input);
    expect(w.slice(1, 8)).toEqual([...prepared.publicSignals]);
  });

  it("amount 2^128 - 1 (the largest)", async () => {
    const max = TWO128 - 1n;
    await expectAccepted(
      T2,
      raw({
        spends: [aliceSpend(SERO, max), dummyRawSpend("a")],
        outputs: [toBob(SERO, max - 1n), toAlice(SERO, 0n)],
        fee: 1n,
      }),
    );
  });

  it("fee 2^128 - 1 (the largest)", async () => {
    const max = TWO128 - 1n;
    await expectAccepted(
      T2,
      raw({
        spends: [aliceSpend(SERO, max), dummyRawSpend("a")],
        outputs: [toBob(SERO, 0n), toAlice(SERO, 0n)],
        fee: max,
      }),
    );
  });

  it("dummy inputs and outputs: amount 0, no tree position, unrelated paths", async () => {
    const t: RawTransfer = {
      spends: [dummyRawSpend("x"), dummyRawSpend("yy")],
      outputs: [toBob(SERO, 0n), toAlice(SERO, 0n)],
      fee: 0n,
    };
    await expectAccepted(T2, raw(t));
    // A dummy's path is not checked at all: arbitrary siblings, any anchor.
    const input = tamper(t, (i) => {
      (i.inSiblings as string[][])[0] = new Array(32).fill("12345");
      i.anchor = "999";
    });
    await witness(T2, input);
  });

  it("dummies from the prover (throw-away keys) next to a real note", async () => {
    const rng = seededRandom("dummies");
    const note = noteFor(alice, SERO, 50n, 3);
    const prepared = prepare(T2, [note], [noteFor(alice, SERO, 45n, 4), dummyOutput(rng)], 5n, 1n as Fr, [
      dummySpend(rng),
    ]);
    const w = await witness(T2, prepared.input);
    expect(w.slice(1, 8)).toEqual([...prepared.publicSignals]);
  });

  it("a ticket moved once (amount 1 in, amount 1 out)", async () => {
    await expectAccepted(
      T2,
      raw({
        spends: [aliceSpend(TICKET, 1n), aliceSpend(SERO, 10n, 2)],
        outputs: [toBob(TICKET, 1n), toAlice(SERO, 7n)],
        fee: 3n,
      }),
    );
  });

  it("SERO only (the second asset defaults to SERO)", async () => {
    await expectAccepted(
      T2,
      raw({
        spends: [aliceSpend(SERO, 6n), aliceSpend(SERO, 4n, 1)],
        outputs: [toBob(SERO, 9n), toAlice(SERO, 0n)],
        fee: 1n,
      }),
    );
  });
});

describe("transfer_2x2 refuses", () => {
  it("an amount of 2^128, balanced: as an input, and as an output of in-range inputs", async () => {
    const input = {
      spends: [aliceSpend(SERO, TWO128), dummyRawSpend("a")],
      outputs: [toBob(SERO, TWO128 - 1n), toAlice(SERO, 0n)],
      fee: 1n,
    };
    await expectRefused(T2, raw(input).input, "Num2Bits<RangeCheck");
    // (2^128 - 1) + 1 in, 2^128 out: only the output's range check can refuse this.
    const output = {
      spends: [aliceSpend(SERO, TWO128 - 1n), aliceSpend(SERO, 1n, 1)],
      outputs: [toBob(SERO, TWO128), toAlice(SERO, 0n)],
      fee: 0n,
    };
    await expectRefused(T2, raw(output).input, "Num2Bits<RangeCheck");
  });

  it("a fee of 2^128", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, TWO128 - 1n), aliceSpend(SERO, 1n, 1)],
        outputs: [toBob(SERO, 0n), toAlice(SERO, 0n)],
        fee: TWO128,
      }).input,
      "Num2Bits<RangeCheck",
    );
  });

  it("field wrap-around: an output of r - 1 (= -1) to pay out one more than the input", async () => {
    // 100 in; out 101 and r - 1: sums agree mod r.
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 100n), dummyRawSpend("a")],
        outputs: [toBob(SERO, 101n), toAlice(SERO, R - 1n)],
        fee: 0n,
      }).input,
      "Num2Bits<RangeCheck",
    );
  });

  it("field wrap-around: a fee of r - 1000 to mint 1000", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 1n), dummyRawSpend("a")],
        outputs: [toBob(SERO, 1001n), toAlice(SERO, 0n)],
        fee: R - 1000n,
      }).input,
      "Num2Bits<RangeCheck",
    );
  });

  it("field wrap-around: two outputs of (r + 1) / 2 from an input of 1", async () => {
    const half = (R + 1n) / 2n;
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 1n), dummyRawSpend("a")],
        outputs: [toBob(SERO, half), toAlice(SERO, half)],
        fee: 0n,
      }).input,
      "Num2Bits<RangeCheck",
    );
  });

  it("an unbalanced fee, one unit either way", async () => {
    const t = payment();
    await expectRefused(T2, raw({ ...t, fee: 11n }).input, "Balance");
    await expectRefused(T2, raw({ ...t, fee: 9n }).input, "Balance");
  });

  it("value moved between assets (GOLD in, SERO out)", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 1000n), aliceSpend(GOLD, 500n, 1)],
        outputs: [toBob(SERO, 500n), toAlice(SERO, 990n)],
        fee: 10n,
      }).input,
      "Balance",
    );
  });

  it("an asset relabelled: GOLD spent, SILVER created", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 10n), aliceSpend(GOLD, 500n, 1)],
        outputs: [toBob(SILVER, 500n), toAlice(SERO, 10n)],
        fee: 0n,
      }).input,
      "AssetSelect",
    );
    // even claiming B = SILVER: the GOLD input is then neither SERO nor B
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 10n), aliceSpend(GOLD, 500n, 1)],
        outputs: [toBob(SILVER, 500n), toAlice(SERO, 10n)],
        fee: 0n,
        assetB: SILVER,
      }).input,
      "AssetSelect",
    );
  });

  it("an asset relabelled inside the opening (the spent note's asset changed)", async () => {
    const input = tamper(payment(), (i) => {
      at(i, "inAsset")[1] = SILVER.toString();
      i.assetB = SILVER.toString();
      at(i, "outAsset")[0] = SILVER.toString();
    });
    await expectRefused(T2, input, "Spend");
  });

  it("three assets (B chosen as the third)", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SILVER, 10n), aliceSpend(GOLD, 5n, 1)],
        outputs: [toBob(GOLD, 5n), toAlice(SILVER, 10n)],
        fee: 0n,
      }).input,
      "AssetSelect",
    );
  });

  it("a selector of 2, even where nothing else notices", async () => {
    // Why it matters: with selectors k ∉ {0, 1} an asset A is accepted when
    // A = SERO + k(B - SERO), and the B-balance becomes Σ k·amount: GOLD could be
    // converted into SILVER at the field ratio (GOLD - SERO)/(SILVER - SERO),
    // and in-range amounts for that ratio exist (a 2-dimensional lattice).
    // Here B = SERO, so the asset rule and both balances hold with k = 2;
    // only the explicit boolean constraint refuses it.
    const t: RawTransfer = {
      spends: [aliceSpend(SERO, 10n), dummyRawSpend("a")],
      outputs: [toBob(SERO, 10n), toAlice(SERO, 0n)],
      fee: 0n,
    };
    await expectAccepted(T2, raw(t));
    const input = tamper(t, (i) => {
      at(i, "inSel")[0] = "2";
      at(i, "outSel")[0] = "2";
    });
    await expectRefused(T2, input, "AssetSelect");
  });

  it("a selector that does not match the asset", async () => {
    const input = tamper(payment(), (i) => {
      at(i, "outSel")[1] = "1";
    });
    await expectRefused(T2, input, "AssetSelect");
  });

  it("a ticket duplicated (one in, two out)", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(TICKET, 1n), dummyRawSpend("a")],
        outputs: [toBob(TICKET, 1n), toAlice(TICKET, 1n)],
        fee: 0n,
      }).input,
      "Balance",
    );
  });

  it("a ticket created (none in, one out)", async () => {
    await expectRefused(
      T2,
      raw({
        spends: [aliceSpend(SERO, 10n), dummyRawSpend("a")],
        outputs: [toBob(TICKET, 1n), toAlice(SERO, 10n)],
        fee: 0n,
      }).input,
      "Balance",
    );
  });

  it("a wrong spending key (ask or nk of another account)", async () => {
    const t = payment();
    await expectRefused(
      T2,
      tamper(t, (i) => {
        at(i, "inAsk")[0] = "123456789";
      }),
      "Spend",
    );
    await expectRefused(
      T2,
      tamper(t, (i) => {
        at(i, "inNk")[1] = "123456789";
      }),
      "Spend",
    );
  });

  it("a note of another owner, spent with Alice's keys", async () => {
    // Bob's note is in the tree; Alice's ivk·g' ≠ Bob's pk', so the opening is not a leaf.
    const bobNote: RawSpend = { ...aliceSpend(SERO, 1000n), ...bobOwner(3) };
    const t: RawTransfer = {
      spends: [bobNote, dummyRawSpend("a")],
      outputs: [toBob(SERO, 1000n), toAlice(SERO, 0n)],
      fee: 0n,
    };
    await expectRefused(T2, raw(t).input, "Spend");
    // the same transfer with Bob's keys is fine
    await expectAccepted(
      T2,
      raw({ ...t, spends: [{ ...bobNote, ask: bob.ask, nk: bob.nk, pk: undefined as never }, dummyRawSpend("a")] }),
    );
  });

  it("a wrong path (one sibling changed) and a wrong position", async () => {
    const t = payment();
    await expectRefused(
      T2,
      tamper(t, (i) => {
        ((i.inSiblings as string[][])[0] as string[])[5] = "42";
      }),
      "Spend",
    );
    await expectRefused(
      T2,
      tamper(t, (i) => {
        at(i, "inPosition")[1] = "0";
      }),
      "Spend",
    );
    // position + 2^32: the same path bits, a different nullifier — refused by the 32-bit position range
    await expectRefused(
      T2,
      tamper(t, (i) => {
        at(i, "inPosition")[0] = (BigInt(at(i, "inPosition")[0] as string) + (1n << 32n)).toString();
      }),
      "Num2Bits<MerkleRoot",
    );
  });

  it("a wrong anchor", async () => {
    await expectRefused(
      T2,
      tamper(payment(), (i) => {
        i.anchor = "1";
      }),
      "Spend",
    );
  });

  it("a wrong nullifier or commitment", async () => {
    await expectRefused(
      T2,
      tamper(payment(), (i) => {
        at(i, "nf")[0] = "1";
      }),
      "Transfer",
    );
    await expectRefused(
      T2,
      tamper(payment(), (i) => {
        at(i, "cm")[1] = "1";
      }),
      "Transfer",
    );
  });

  it("the same note spent by both inputs (one nullifier twice), though it balances", async () => {
    const note = aliceSpend(SERO, 1000n);
    const t: RawTransfer = { spends: [note, { ...note }], outputs: [toBob(SERO, 1990n), toAlice(SERO, 0n)], fee: 10n };
    // The same commitment appended twice is two notes (two positions, two nullifiers): that is fine.
    await expectAccepted(T2, raw(t));
    // The same leaf twice: same position, same path, same nullifier.
    const input = tamper(t, (i) => {
      at(i, "inPosition")[1] = at(i, "inPosition")[0] as string;
      (i.inSiblings as string[][])[1] = (i.inSiblings as string[][])[0] as string[];
      at(i, "nf")[1] = at(i, "nf")[0] as string;
    });
    await expectRefused(T2, input, "AllDistinct");
  });

  it("a note of amount 1 whose path does not lead to the anchor (only amount 0 skips membership)", async () => {
    // Amount 1 with an all-zero path: only amount-0 inputs skip the membership check.
    await expectRefused(
      T2,
      raw({
        spends: [{ ...dummyRawSpend("a"), amount: 1n }, dummyRawSpend("b")],
        outputs: [toBob(SERO, 1n), toAlice(SERO, 0n)],
        fee: 0n,
      }).input,
      "Spend",
    );
  });

  it("g' the identity, of small order, or with a small-order component", async () => {
    const base = aliceSpend(SERO, 5n);
    const T2point: [bigint, bigint] = [0n, R - 1n]; // (0, -1), order 2
    // identity: ivk·O = O, so pk' = O for every key
    await expectRefused(
      T2,
      raw({
        spends: [{ ...base, g: [0n, 1n] }, dummyRawSpend("a")],
        outputs: [toBob(SERO, 5n), toAlice(SERO, 0n)],
        fee: 0n,
      }).input,
      "SubgroupPoint",
    );
    // order 2
    await expectRefused(
      T2,
      raw({
        spends: [{ ...base, g: T2point }, dummyRawSpend("a")],
        outputs: [toBob(SERO, 5n), toAlice(SERO, 0n)],
        fee: 0n,
      }).input,
      "SubgroupPoint",
    );
    // g' + T: a mixed point, honest pk' = ivk·(g' + T)
    const mixed = point(multiply(GENERATOR, 99n).add(babyPoint(T2point)));
    await expectRefused(
      T2,
      raw({
        spends: [{ ...base, g: mixed }, dummyRawSpend("a")],
        outputs: [toBob(SERO, 5n), toAlice(SERO, 0n)],
        fee: 0n,
      }).input,
      "SubgroupPoint",
    );
  });
});

describe("the prover's checks", () => {
  /** The `code` of the ProverInputError `fn` throws. */
  function refusal(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      if (e instanceof ProverInputError) {
        return e.code;
      }
      throw e;
    }
    return "accepted";
  }

  it("refuse what the circuit refuses, before proving", () => {
    const n0 = noteFor(alice, SERO, 1000n, 0);
    const outs = [noteFor(alice, SERO, 995n, 5), dummyOutput(seededRandom("o"))];
    const dummy = dummySpend(seededRandom("d"));
    expect(refusal(() => prepare(T2, [n0], outs, 5n, 1n as Fr, [dummy]))).toBe("accepted");
    expect(refusal(() => prepare(T2, [n0], outs, 4n, 1n as Fr, [dummy]))).toBe("unbalanced");
    expect(refusal(() => prepare(T2, [n0], outs, 5n, 1n as Fr))).toBe("wrong_shape");
    expect(refusal(() => prepare(T2, [n0], outs, 5n, 1n as Fr, [{ ...dummy, keys: bob }]))).toBe("not_owner");
    expect(refusal(() => prepare(T2, [n0], outs, 1n << 128n, 1n as Fr, [dummy]))).toBe("fee_out_of_range");
    const gold = noteFor(alice, GOLD, 1n, 1);
    const silver = noteFor(alice, SILVER, 1n, 2);
    expect(refusal(() => prepare(T2, [gold, silver], [gold, silver], 0n, 1n as Fr))).toBe("too_many_assets");
    const ok = prepare(T2, [n0], outs, 5n, 1n as Fr, [dummy]);
    const request = { anchor: ok.publicSignals[0] as Fr, spends: [], outputs: outs, fee: 5n, bind: 1n as Fr };
    // A wrong anchor for a real note, and the same note twice.
    const { anchor, paths } = treeWith([noteCommitment(n0)]);
    const path = paths[0] as AuthenticationPath;
    const spend = { keys: alice, note: n0, path };
    expect(refusal(() => prepareTransfer(T2, { ...request, anchor, spends: [spend, dummy] }))).toBe("accepted");
    expect(refusal(() => prepareTransfer(T2, { ...request, anchor: 5n as Fr, spends: [spend, dummy] }))).toBe(
      "bad_path",
    );
    const twice = prepareTransfer.bind(null, T2, {
      ...request,
      anchor,
      spends: [spend, spend],
      outputs: [noteFor(alice, SERO, 1995n, 5), outs[1] as Note],
    });
    expect(refusal(twice)).toBe("duplicate_nullifier");
  });
});

describe("merge_4x2", () => {
  it("accepts four notes merged into one, and refuses an unbalanced merge", async () => {
    const t: RawTransfer = {
      spends: [aliceSpend(SERO, 1n), aliceSpend(SERO, 2n, 1), aliceSpend(SERO, 3n, 2), dummyRawSpend("m")],
      outputs: [toAlice(SERO, 5n, 7), toAlice(SERO, 0n, 8)],
      fee: 1n,
    };
    await expectAccepted(M4, raw(t));
    await expectRefused(M4, raw({ ...t, fee: 2n }).input, "Balance");
  });

  it("refuses one note spent by inputs 1 and 3 (every pair of nullifiers is distinct)", async () => {
    const note = aliceSpend(GOLD, 4n, 3);
    const t: RawTransfer = {
      spends: [aliceSpend(SERO, 2n), note, aliceSpend(SERO, 1n, 1), { ...note }],
      outputs: [toBob(GOLD, 8n), toAlice(SERO, 2n, 9)],
      fee: 1n,
    };
    await expectAccepted(M4, raw(t)); // two leaves with one commitment: two notes
    const input = tamper(t, (i) => {
      at(i, "inPosition")[3] = at(i, "inPosition")[1] as string;
      (i.inSiblings as string[][])[3] = (i.inSiblings as string[][])[1] as string[];
      at(i, "nf")[3] = at(i, "nf")[1] as string;
    });
    await expectRefused(M4, input, "AllDistinct");
  });

  it("every configured circuit is one of the two shapes of PROTOCOL.md §8.2", () => {
    expect(CIRCUITS.map((c) => [c.nIn, c.nOut])).toEqual([
      [2, 2],
      [4, 2],
    ]);
  });
});
