import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatBytes, utf8 } from "../../src/codec/bytes.ts";
import { Blake2bPersonalization } from "../../src/protocol/domains.ts";
import { noteKeyAndTag, noteKeysOf } from "../../src/protocol/encryption/keys.ts";
import { decodePlaintext, encodePlaintext, MEMO_BYTES } from "../../src/protocol/encryption/plaintext.ts";
import { NoteScanner, type ScannableOutput } from "../../src/protocol/encryption/scan.ts";
import { blake } from "../../src/protocol/hash.ts";
import { deriveViewingKeys, viewingKeyOf } from "../../src/protocol/keys.ts";
import { noteCommitment } from "../../src/protocol/note.ts";
import { nullifier } from "../../src/protocol/nullifier.ts";
import { account, oneTimeAddress, payment, tokenNote } from "./fixtures.ts";

const alice = account("alice");
const bob = account("bob");
const carol = account("carol");

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

describe("note encryption", () => {
  const tx = payment(alice, oneTimeAddress(bob, "enc"), "enc");

  it("the recipient finds its note with one agreement per transaction, memo included", async () => {
    for (const preferNative of [true, false]) {
      const scanner = await NoteScanner.create(bob, { preferNative });
      const found = await scanner.incoming(tx.epk, tx.outputs);
      expect(found).toHaveLength(1);
      expect(found[0]?.index).toBe(0);
      expect(noteCommitment(found[0]?.note as never)).toBe(tx.outputs[0]?.commitment);
      expect(new TextDecoder().decode(found[0]?.memo)).toBe("for the coffee");
    }
  });

  it("the sender's viewing key finds its change as incoming and both outputs as sent", async () => {
    const watcher = deriveViewingKeys(viewingKeyOf(alice));
    const scanner = await NoteScanner.create(watcher);
    const incoming = await scanner.incoming(tx.epk, tx.outputs);
    expect(incoming.map((f) => f.index)).toEqual([1]);
    const sent = scanner.outgoing(tx.epk, tx.outputs);
    expect(sent.map((s) => [s.index, s.note.value])).toEqual([
      [0, { kind: "token", asset: tx.notes[0]?.value.kind === "token" ? tx.notes[0].value.asset : 0n, amount: 700n }],
      [1, { kind: "token", asset: tx.notes[1]?.value.kind === "token" ? tx.notes[1].value.asset : 0n, amount: 290n }],
    ]);
    expect(new TextDecoder().decode(sent[0]?.memo)).toBe("for the coffee");
  });

  it("many transactions at once: each gets the notes of its own outputs, in the order given", async () => {
    const other = payment(carol, oneTimeAddress(bob, "enc-2"), "enc-2");
    const lowOrder = { epk: new Uint8Array(32), outputs: tx.outputs };
    const batch = [other, lowOrder, tx, { epk: other.epk, outputs: tx.outputs }, tx];
    for (const preferNative of [true, false]) {
      const scanner = await NoteScanner.create(bob, { preferNative });
      const one = await Promise.all(batch.map((t) => scanner.incoming(t.epk, t.outputs)));
      expect(one.map((found) => found.map((f) => f.index))).toEqual([[0], [], [0], [], [0]]);
      expect(await scanner.incomingMany(batch)).toEqual(one);
    }
  });

  it("a foreign viewing key finds nothing, incoming or outgoing", async () => {
    const scanner = await NoteScanner.create(carol);
    expect(await scanner.incoming(tx.epk, tx.outputs)).toEqual([]);
    expect(scanner.outgoing(tx.epk, tx.outputs)).toEqual([]);
  });

  it("tampered ciphertexts, tags, commitments and keys are refused", async () => {
    const scanner = await NoteScanner.create(bob);
    const out = tx.outputs[0] as ScannableOutput;
    const cases: ScannableOutput[] = [
      { ...out, encCiphertext: flip(out.encCiphertext, 10) },
      { ...out, encCiphertext: flip(out.encCiphertext, out.encCiphertext.length - 1) }, // Poly1305 tag
      { ...out, viewTag: (out.viewTag + 1) % 256 },
      { ...out, commitment: (out.commitment + 1n) as never },
    ];
    for (const output of cases) {
      expect(await scanner.incoming(tx.epk, [output])).toEqual([]);
    }
    expect(await scanner.incoming(flip(tx.epk, 3), tx.outputs)).toEqual([]);
    expect(scanner.outgoing(tx.epk, [{ ...out, outCiphertext: flip(out.outCiphertext, 5) }])).toEqual([]);
  });

  it("the viewing key detects the spend of a found note through its nullifier", async () => {
    const watcher = deriveViewingKeys(viewingKeyOf(bob));
    const [found] = await (await NoteScanner.create(watcher)).incoming(tx.epk, tx.outputs);
    const cm = noteCommitment(found?.note as never);
    const position = 41;
    const spentOnChain = nullifier(bob.nk, cm, position); // what bob's spend publishes
    expect(nullifier(watcher.nk, cm, position)).toBe(spentOnChain);
    expect(nullifier(carol.nk, cm, position)).not.toBe(spentOnChain);
    expect(nullifier(bob.nk, cm, position + 1)).not.toBe(spentOnChain);
  });

  it("plaintexts are canonical: memo bounds and zero padding", () => {
    const owner = oneTimeAddress(bob, "pt");
    const note = tokenNote(owner, 5n, "pt");
    const bytes = encodePlaintext({ value: note.value, g: note.g, rcm: note.rcm, memo: utf8("hi") });
    expect(decodePlaintext(bytes).memo).toEqual(utf8("hi"));
    expect(() => decodePlaintext(flip(bytes, bytes.length - 1))).toThrow(
      expect.objectContaining({ code: "bad_padding" }),
    );
    expect(() =>
      encodePlaintext({ value: note.value, g: note.g, rcm: note.rcm, memo: new Uint8Array(MEMO_BYTES + 1) }),
    ).toThrow(expect.objectContaining({ code: "memo_too_long" }));
    expect(() => decodePlaintext(bytes.subarray(1))).toThrow();
  });
});

describe("note KDF (PROTOCOL.md §5.2)", () => {
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const definition = (shared: Uint8Array, epk: Uint8Array, j: number) =>
    blake(Blake2bPersonalization.noteKdf, concatBytes(shared, epk, Uint8Array.of(j)), 33);

  it("view tags and keys equal the definition, whatever order two transactions' outputs are asked in", () => {
    fc.assert(
      fc.property(
        bytes32,
        bytes32,
        bytes32,
        bytes32,
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 12 }),
        (sharedA, epkA, sharedB, epkB, asks) => {
          const a = noteKeysOf(sharedA, epkA);
          const b = noteKeysOf(sharedB, epkB);
          for (const [first, j, wantKey] of asks) {
            const expected = first ? definition(sharedA, epkA, j) : definition(sharedB, epkB, j);
            const keys = first ? a : b;
            if (wantKey) {
              const key = keys.key(j);
              keys.viewTag((j + 1) % 256); // a later derivation must not change a key already handed out
              expect(key).toEqual(expected.subarray(0, 32));
            } else {
              expect(keys.viewTag(j)).toBe(expected[32]);
            }
          }
          expect(noteKeyAndTag(sharedA, epkA, 7)).toEqual({
            key: definition(sharedA, epkA, 7).subarray(0, 32),
            viewTag: definition(sharedA, epkA, 7)[32],
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
