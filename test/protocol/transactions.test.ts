import { ed25519 } from "@noble/curves/ed25519.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigintToBytesBE, bytesToBigintBE, toHex } from "../../src/codec/bytes.ts";
import { FR_MODULUS, type Fr, frToBytes } from "../../src/protocol/field.ts";
import { decodeTransaction, encodeTransaction, encodeUnsigned } from "../../src/protocol/tx/codec.ts";
import { bindingHash, txId, txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { transactionFromJson, transactionToJson } from "../../src/protocol/tx/json.ts";
import { signTransaction, verifyTransactionSignature } from "../../src/protocol/tx/signature.ts";
import type { IssuedOutput, Transaction } from "../../src/protocol/tx/types.ts";
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import {
  bytes32,
  sampleCall,
  sampleDeploy,
  sampleGenesis,
  sampleIssue,
  sampleRegister,
  sampleTransfer,
} from "./fixtures.ts";

const samples: [string, Transaction][] = [
  ["transfer", sampleTransfer()],
  ["register", sampleRegister()],
  ["issue", sampleIssue()],
  ["genesis", sampleGenesis()],
  ["deploy", sampleDeploy()],
  ["call", sampleCall()],
];

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? "no_code";
  }
}

describe.each(samples)("%s transaction encodings", (_name, tx) => {
  const bytes = encodeTransaction(validateBasic(tx));

  it("round-trips through binary and JSON", () => {
    expect(encodeTransaction(decodeTransaction(bytes))).toEqual(bytes);
    const json = JSON.parse(JSON.stringify(transactionToJson(tx)));
    expect(encodeTransaction(validateBasic(transactionFromJson(json)))).toEqual(bytes);
  });

  it("refuses truncation and trailing bytes", () => {
    expect(code(() => decodeTransaction(bytes.subarray(0, bytes.length - 1)))).toBe("truncated");
    expect(code(() => decodeTransaction(Uint8Array.of(...bytes, 0)))).toBe("trailing_bytes");
  });

  it("a single-byte change is refused, or changes the id exactly when it is outside the proof or signature", () => {
    const id = toHex(txId(tx));
    const authorizedFrom = encodeUnsigned(tx).length;
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const mutated = Uint8Array.from(bytes);
        mutated[index] = ((mutated[index] as number) + delta) % 256;
        expect(toHex(txIdOfBytes(mutated)) === id).toBe(index >= authorizedFrom);
        let decoded: Transaction;
        try {
          decoded = validateBasic(decodeTransaction(mutated));
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^[a-z_]+$/);
          return;
        }
        expect(toHex(txId(decoded)) === id).toBe(index >= authorizedFrom);
        expect(encodeTransaction(decoded)).toEqual(mutated);
      }),
      { numRuns: 400 },
    );
  });

  it("bytes that do not decode have an id of their own, never that of the transaction they resemble", () => {
    const unsigned = encodeUnsigned(tx);
    expect(txIdOfBytes(bytes)).toEqual(txId(tx));
    if (unsigned.length < bytes.length) {
      // The encoding without its proof or signature is truncated: its raw-bytes id must not collide.
      expect(code(() => decodeTransaction(unsigned))).toBe("truncated");
      expect(txIdOfBytes(unsigned)).not.toEqual(txId(tx));
    }
    expect(txIdOfBytes(Uint8Array.of(...bytes, 0))).not.toEqual(txId(tx));
  });

  it("JSON with unknown fields, missing fields or wrong types is refused", () => {
    const json = transactionToJson(tx);
    expect(code(() => transactionFromJson({ ...json, extra: 1 }))).toBe("bad_json");
    const { epk: _epk, ...rest } = json;
    if ("epk" in json) {
      expect(code(() => transactionFromJson(rest))).toBe("bad_json");
    }
    expect(code(() => transactionFromJson({ ...json, version: "1" }))).toBe("bad_json");
    expect(code(() => transactionFromJson({ ...json, version: 2 }))).toBe("unknown_version");
    expect(code(() => transactionFromJson(null))).toBe("bad_json");
    expect(code(() => transactionFromJson([json]))).toBe("bad_json");
  });
});

describe("transaction validation", () => {
  it("refuses field elements >= r in binary and JSON", () => {
    const tx = sampleTransfer();
    const bytes = encodeTransaction(tx);
    const anchorAt = 4;
    const bad = Uint8Array.from(bytes);
    bad.set(frToBytes((FR_MODULUS - 1n) as Fr), anchorAt);
    expect(code(() => decodeTransaction(bad))).toBeUndefined();
    bad.set(new Uint8Array(32).fill(0xff), anchorAt);
    expect(code(() => decodeTransaction(bad))).toBe("field_out_of_range");
    const json = transactionToJson(tx);
    expect(code(() => transactionFromJson({ ...json, anchor: FR_MODULUS.toString(16).padStart(64, "0") }))).toBe(
      "field_out_of_range",
    );
  });

  it("refuses duplicate nullifiers, unknown shapes and non-canonical keys", () => {
    const tx = sampleTransfer();
    expect(code(() => validateBasic({ ...tx, nullifiers: [5n as Fr, 5n as Fr] }))).toBe("duplicate_nullifier");
    expect(code(() => validateBasic({ ...tx, nullifiers: [1n as Fr, 2n as Fr, 3n as Fr] }))).toBe("unknown_shape");
    expect(code(() => validateBasic({ ...tx, epk: new Uint8Array(32).fill(0xff) }))).toBe("non_canonical_key");
    const [o] = tx.outputs;
    expect(code(() => validateBasic({ ...tx, outputs: [o, o] as never }))).toBe("duplicate_commitment");
  });

  it("refuses bad amounts, names, decimals and duplicate tickets", () => {
    const issue = sampleIssue();
    const [output] = issue.outputs as [IssuedOutput];
    const big = Uint8Array.from(output.value);
    big[15] = 1; // 2^128
    expect(code(() => validateBasic({ ...issue, outputs: [{ ...output, value: big }] }))).toBe("amount_out_of_range");
    const ticket = { ...issue, assetKind: "ticket" as const, outputs: [output, { ...output, seal: 1n as Fr }] };
    expect(code(() => validateBasic({ ...issue, outputs: [output, output] }))).toBe("duplicate_commitment");
    expect(code(() => validateBasic(ticket))).toBe("duplicate_ticket");
    const reg = sampleRegister();
    expect(code(() => validateBasic({ ...reg, registration: { ...reg.registration, name: "usd" } }))).toBe(
      "bad_symbol",
    );
    expect(code(() => validateBasic({ ...reg, registration: { ...reg.registration, decimals: 39 } }))).toBe(
      "bad_decimals",
    );
    const json = transactionToJson(sampleTransfer());
    expect(code(() => transactionFromJson({ ...json, fee: "-1" }))).toBe("bad_json");
    expect(code(() => transactionFromJson({ ...json, fee: "01" }))).toBe("bad_json");
    expect(code(() => transactionFromJson({ ...json, fee: (1n << 128n).toString() }))).toBe("bad_json");
  });

  it("refuses contract transactions out of bounds (PROTOCOL.md §10.1, §10.3)", () => {
    const call = sampleCall();
    const deploy = sampleDeploy();
    const value = call.value as NonNullable<typeof call.value>;
    const cases: [Transaction, string][] = [
      [{ ...deploy, initCode: new Uint8Array(49_153) }, "code_too_long"],
      [{ ...call, calldata: new Uint8Array(32_769) }, "calldata_too_long"],
      [{ ...call, gasLimit: 0n }, "bad_gas_limit"],
      [{ ...call, value: { ...value, output: 0 } }, "bad_value_output"],
      [{ ...call, value: { ...value, value: new Uint8Array(32) } }, "zero_value"],
      [{ ...call, value: { ...value, value: new Uint8Array(32).fill(1) } }, "amount_out_of_range"],
      [{ ...call, contract: new Uint8Array(64) }, "wrong_kind"],
      [{ ...call, caller: { ...call.caller, pkr: new Uint8Array(128) } }, "invalid_point"],
    ];
    for (const [tx, expected] of cases) {
      expect(code(() => validateBasic(tx))).toBe(expected);
    }
    // Longer than any kind allows: the decoder refuses it before reading on.
    expect(code(() => decodeTransaction(encodeTransaction(cases[0]?.[0] as Transaction)))).toBe("too_long");
    expect(code(() => validateBasic(call))).toBeUndefined();
    expect(code(() => validateBasic({ ...deploy, initCode: new Uint8Array(49_152) }))).toBeUndefined();
  });

  it("the binding hash changes with every public field and with the chain", () => {
    const tx = sampleTransfer();
    const base = bindingHash(tx, "sero-local-1");
    expect(bindingHash(tx, "sero-testnet-1")).not.toBe(base);
    expect(bindingHash({ ...tx, fee: tx.fee + 1n }, "sero-local-1")).not.toBe(base);
    const [o0, o1] = tx.outputs as [never, never];
    expect(bindingHash({ ...tx, outputs: [o1, o0] }, "sero-local-1")).not.toBe(base);
    // The proof is not covered: it is what the binding hash is an input of.
    expect(bindingHash({ ...tx, proof: new Uint8Array(256) }, "sero-local-1")).toBe(base);
  });

  it("validates a registration's or issuance's fee payment like a transfer (§8.9)", () => {
    for (const tx of [sampleRegister(), sampleIssue()]) {
      const p = tx.payment;
      const [o] = p.outputs;
      expect(code(() => validateBasic({ ...tx, payment: { ...p, nullifiers: [5n as Fr, 5n as Fr] } }))).toBe(
        "duplicate_nullifier",
      );
      expect(code(() => validateBasic({ ...tx, payment: { ...p, nullifiers: [1n as Fr] } }))).toBe("unknown_shape");
      expect(code(() => validateBasic({ ...tx, payment: { ...p, outputs: [o, o] as never } }))).toBe(
        "duplicate_commitment",
      );
      expect(code(() => validateBasic({ ...tx, epk: new Uint8Array(32).fill(0xff) }))).toBe("non_canonical_key");
      const json = transactionToJson(tx);
      const payment = json.payment as Record<string, unknown>;
      const { proof: _proof, ...unproven } = payment;
      expect(code(() => transactionFromJson({ ...json, payment: unproven }))).toBe("bad_json");
      expect(code(() => transactionFromJson({ ...json, payment: { ...payment, epk: json.epk } }))).toBe("bad_json");
      expect(code(() => transactionFromJson({ ...json, payment: { ...payment, fee: "-1" } }))).toBe("bad_json");
      const { payment: _payment, ...unpaid } = json;
      expect(code(() => transactionFromJson(unpaid))).toBe("bad_json");
    }
  });

  it("a fee payment's binding hash covers the whole enclosing transaction, not its proof or signature", () => {
    const reg = sampleRegister();
    const base = bindingHash(reg, "sero-local-1");
    expect(bindingHash(reg, "sero-testnet-1")).not.toBe(base);
    const p = reg.payment;
    const [o0, o1] = p.outputs as [never, never];
    for (const changed of [
      { ...reg, payment: { ...p, fee: p.fee + 1n } },
      { ...reg, payment: { ...p, nullifiers: [p.nullifiers[1], p.nullifiers[0]] as Fr[] } },
      { ...reg, payment: { ...p, outputs: [o1, o0] } },
      { ...reg, registration: { ...reg.registration, name: "USDY" } },
      { ...reg, registration: { ...reg.registration, issuer: bytes32("another issuer") } },
      { ...reg, epk: sampleIssue().epk },
    ]) {
      expect(bindingHash(changed, "sero-local-1")).not.toBe(base);
    }
    expect(bindingHash({ ...reg, payment: { ...p, proof: new Uint8Array(256) } }, "sero-local-1")).toBe(base);
    expect(bindingHash({ ...reg, signature: new Uint8Array(64) }, "sero-local-1")).toBe(base);
    // The same payment inside an issuance is bound to that issuance instead.
    const issue = { ...sampleIssue(), payment: p };
    expect(bindingHash(issue, "sero-local-1")).not.toBe(base);
    expect(bindingHash({ ...issue, nonce: 1n }, "sero-local-1")).not.toBe(bindingHash(issue, "sero-local-1"));
  });

  it("issuer signatures bind the transaction and the chain", () => {
    const secret = bytes32("issuer-secret");
    const issuer = ed25519.getPublicKey(secret);
    const reg = sampleRegister();
    const signed = signTransaction({ ...reg, registration: { ...reg.registration, issuer } }, "sero-local-1", secret);
    expect(() => verifyTransactionSignature(signed, "sero-local-1", issuer)).not.toThrow();
    expect(code(() => verifyTransactionSignature(signed, "sero-testnet-1", issuer))).toBe("bad_signature");
    const other = { ...signed, registration: { ...signed.registration, decimals: 7 } };
    expect(code(() => verifyTransactionSignature(other, "sero-local-1", issuer))).toBe("bad_signature");
    // The fee payment's public part is signed (§8.9); its proof is not (it proves over the signed bytes).
    const cheaper = { ...signed, payment: { ...signed.payment, fee: signed.payment.fee - 1n } };
    expect(code(() => verifyTransactionSignature(cheaper, "sero-local-1", issuer))).toBe("bad_signature");
    const otherNotes = { ...signed, payment: { ...signed.payment, nullifiers: [7n as Fr, 8n as Fr] } };
    expect(code(() => verifyTransactionSignature(otherNotes, "sero-local-1", issuer))).toBe("bad_signature");
    const reproved = { ...signed, payment: { ...signed.payment, proof: new Uint8Array(256).fill(9) } };
    expect(() => verifyTransactionSignature(reproved, "sero-local-1", issuer)).not.toThrow();
  });

  it("a signature is not malleable: S + L, the same scalar spelled otherwise, is refused (PROTOCOL.md §8.8)", () => {
    const secret = bytes32("issuer-secret");
    const issuer = ed25519.getPublicKey(secret);
    const reg = sampleRegister();
    const signed = signTransaction({ ...reg, registration: { ...reg.registration, issuer } }, "sero-local-1", secret);
    const s = bytesToBigintBE(signed.signature.slice(32).reverse()) + ed25519.Point.CURVE().n;
    const malleated = Uint8Array.of(...signed.signature.subarray(0, 32), ...bigintToBytesBE(s, 32).reverse());
    expect(code(() => verifyTransactionSignature({ ...signed, signature: malleated }, "sero-local-1", issuer))).toBe(
      "bad_signature",
    );
    expect(txId({ ...signed, signature: malleated })).toEqual(txId(signed));
  });
});
