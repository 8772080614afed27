/**
 * The one canonical binary encoding of every transaction (PROTOCOL.md §8).
 * Decoding is strict: truncation, trailing bytes, unknown versions or kinds
 * and field elements >= r are refused, so `encode(decode(b))` equals `b`.
 */
import { ByteReader } from "../../codec/reader.ts";
import { ByteWriter } from "../../codec/writer.ts";
import { CONTRACT_ADDRESS_BYTES, ONE_TIME_ADDRESS_BYTES } from "../address.ts";
import type { AssetRegistration, SupplyRule } from "../asset.ts";
import { ProtocolError } from "../errors.ts";
import { frFromBytes, frToBytes } from "../field.ts";
import {
  CALLER_KEY_BYTES,
  type Caller,
  type ContractTx,
  ENC_CIPHERTEXT_BYTES,
  EPK_BYTES,
  type GenesisTx,
  type IssuedOutput,
  type IssueTx,
  MAX_INIT_CODE_BYTES,
  type NoteCiphertexts,
  OUT_CIPHERTEXT_BYTES,
  PROOF_BYTES,
  type ShieldedSpend,
  SIGNATURE_BYTES,
  type Transaction,
  type TransferOutput,
  type TransferTx,
  TX_VERSION,
  TxKind,
  type ValueOpening,
} from "./types.ts";

const ASSET_KINDS = ["token", "ticket"] as const;

/** The longest asset name (§4: a ticket category, 32 characters). */
export const MAX_NAME_BYTES = 32;

/** Names are printable ASCII (§4, §8.3), whichever form they arrive in: one encoding per name. */
export function checkNameCharacters(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) {
    throw new ProtocolError("bad_name", "asset names are printable ASCII");
  }
  return name;
}

/**
 * The encoding without its trailing proof and signature: what the binding
 * hash and issuer signatures cover (§8.2, §8.6), the fee payment's public
 * part included (§8.9).
 */
export function encodeUnsigned(tx: Transaction): Uint8Array {
  const w = new ByteWriter().u8(TX_VERSION).u8(TxKind[tx.kind]);
  switch (tx.kind) {
    case "transfer":
      writeOutputs(writeSpendHead(w, tx).bytes(tx.epk), tx.outputs);
      break;
    case "register":
      writeRegistration(w, tx.registration);
      writePayment(w.bytes(tx.epk), tx.payment);
      break;
    case "issue":
      w.u8(ASSET_KINDS.indexOf(tx.assetKind)).bytes(frToBytes(tx.assetRef)).uint(tx.nonce, 8).bytes(tx.epk);
      w.u8(tx.outputs.length);
      for (const o of tx.outputs) {
        writeIssuedOutput(w, o);
      }
      writePayment(w, tx.payment);
      break;
    case "genesis":
      w.bytes(tx.epk).u16(tx.outputs.length);
      for (const o of tx.outputs) {
        writeIssuedOutput(w, o);
      }
      break;
    case "deploy":
      writeContractCall(w, tx, tx.initCode);
      break;
    case "call":
      writeContractCall(w.bytes(tx.contract), tx, tx.calldata);
      break;
  }
  return w.finish();
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  const unsigned = encodeUnsigned(tx);
  switch (tx.kind) {
    case "transfer":
      return new ByteWriter().bytes(unsigned).bytes(tx.proof).finish();
    case "register":
    case "issue":
    case "deploy":
    case "call":
      return new ByteWriter().bytes(unsigned).bytes(tx.payment.proof).bytes(tx.signature).finish();
    case "genesis":
      return unsigned;
  }
}

export function decodeTransaction(bytes: Uint8Array): Transaction {
  const r = new ByteReader(bytes);
  if (r.u8("version") !== TX_VERSION) {
    throw new ProtocolError("unknown_version", "unknown transaction version");
  }
  const kind = r.u8("kind");
  let tx: Transaction;
  switch (kind) {
    case TxKind.transfer:
      tx = readTransfer(r);
      break;
    case TxKind.register: {
      const registration = readRegistration(r);
      const epk = r.bytesFixed(EPK_BYTES, "epk");
      const payment = readPayment(r);
      tx = { kind: "register", registration, epk, payment, signature: r.bytesFixed(SIGNATURE_BYTES, "signature") };
      break;
    }
    case TxKind.issue:
      tx = readIssue(r);
      break;
    case TxKind.genesis:
      tx = readGenesis(r);
      break;
    case TxKind.deploy:
      tx = readContractTx(r, "deploy");
      break;
    case TxKind.call:
      tx = readContractTx(r, "call");
      break;
    default:
      throw new ProtocolError("unknown_kind", `unknown transaction kind ${kind}`);
  }
  r.finish("transaction");
  return tx;
}

/** `u8(nIn) || u8(nOut) || fe(anchor) || nIn × fe(nf) || u128(fee)`: the start of every shielded spend. */
function writeSpendHead(w: ByteWriter, spend: ShieldedSpend): ByteWriter {
  w.u8(spend.nullifiers.length).u8(spend.outputs.length).bytes(frToBytes(spend.anchor));
  for (const nf of spend.nullifiers) {
    w.bytes(frToBytes(nf));
  }
  return w.uint(spend.fee, 16);
}

function writeOutputs(w: ByteWriter, outputs: readonly TransferOutput[]): void {
  for (const o of outputs) {
    writeCiphertexts(w.bytes(frToBytes(o.commitment)), o);
  }
}

/** A fee payment's public part (§8.9): a transfer's fields but its epk, which the enclosing transaction holds. */
function writePayment(w: ByteWriter, payment: ShieldedSpend): void {
  writeOutputs(writeSpendHead(w, payment), payment.outputs);
}

type SpendHead = Pick<ShieldedSpend, "anchor" | "nullifiers" | "fee"> & { readonly outputCount: number };

function readSpendHead(r: ByteReader): SpendHead {
  const nIn = r.u8("input count");
  const outputCount = r.u8("output count");
  const anchor = frFromBytes(r.bytesFixed(32, "anchor"), "anchor");
  const nullifiers = Array.from({ length: nIn }, (_, i) =>
    frFromBytes(r.bytesFixed(32, "nullifier"), `nullifier ${i}`),
  );
  return { anchor, nullifiers, fee: r.uint(16, "fee"), outputCount };
}

function readOutputs(r: ByteReader, count: number): TransferOutput[] {
  return Array.from({ length: count }, (_, i): TransferOutput => {
    const commitment = frFromBytes(r.bytesFixed(32, "commitment"), `commitment ${i}`);
    return { commitment, ...readCiphertexts(r) };
  });
}

/** The public part, then the proof that follows the whole body (§8.9). */
function readPayment(r: ByteReader): ShieldedSpend {
  const { anchor, nullifiers, fee, outputCount } = readSpendHead(r);
  const outputs = readOutputs(r, outputCount);
  return { anchor, nullifiers, fee, outputs, proof: r.bytesFixed(PROOF_BYTES, "proof") };
}

function readTransfer(r: ByteReader): TransferTx {
  const { anchor, nullifiers, fee, outputCount } = readSpendHead(r);
  const epk = r.bytesFixed(EPK_BYTES, "epk");
  const outputs = readOutputs(r, outputCount);
  return { kind: "transfer", anchor, nullifiers, fee, epk, outputs, proof: r.bytesFixed(PROOF_BYTES, "proof") };
}

function readIssue(r: ByteReader): IssueTx {
  const assetKind = readAssetKind(r);
  const assetRef = frFromBytes(r.bytesFixed(32, "asset"), "asset");
  const nonce = r.uint(8, "nonce");
  const epk = r.bytesFixed(EPK_BYTES, "epk");
  const outputs = Array.from({ length: r.u8("output count") }, () => readIssuedOutput(r));
  const payment = readPayment(r);
  return {
    kind: "issue",
    assetKind,
    assetRef,
    nonce,
    epk,
    outputs,
    payment,
    signature: r.bytesFixed(SIGNATURE_BYTES, "signature"),
  };
}

function readGenesis(r: ByteReader): GenesisTx {
  const epk = r.bytesFixed(EPK_BYTES, "epk");
  const outputs = Array.from({ length: r.u16("output count") }, () => readIssuedOutput(r));
  return { kind: "genesis", epk, outputs };
}

/** §10.1: `Caller || u64(gasLimit) || var32(code or calldata) || Value || epk || FeePayment`, after the contract of a call. */
function writeContractCall(w: ByteWriter, tx: ContractTx, data: Uint8Array): void {
  w.bytes(tx.caller.pkr).bytes(tx.caller.key).uint(tx.gasLimit, 8).longVarBytes(data);
  if (tx.value === null) {
    w.u8(0);
  } else {
    const v = tx.value;
    w.u8(1).u8(v.output).u8(ASSET_KINDS.indexOf(v.assetKind)).bytes(frToBytes(v.assetRef));
    w.bytes(v.value).bytes(frToBytes(v.rcm));
  }
  writePayment(w.bytes(tx.epk), tx.payment);
}

function readContractTx(r: ByteReader, kind: ContractTx["kind"]): ContractTx {
  const contract = kind === "call" ? r.bytesFixed(CONTRACT_ADDRESS_BYTES, "contract") : undefined;
  const caller: Caller = {
    pkr: r.bytesFixed(ONE_TIME_ADDRESS_BYTES, "caller address"),
    key: r.bytesFixed(CALLER_KEY_BYTES, "caller key"),
  };
  const gasLimit = r.uint(8, "gas limit");
  // Bounded by the larger limit here; validateBasic applies each kind's (§10.1).
  const data = r.longVarBytes(MAX_INIT_CODE_BYTES, kind === "call" ? "calldata" : "init code");
  const value = readValueOpening(r);
  const epk = r.bytesFixed(EPK_BYTES, "epk");
  const payment = readPayment(r);
  const body = { caller, gasLimit, value, epk, payment, signature: r.bytesFixed(SIGNATURE_BYTES, "signature") };
  return contract === undefined
    ? { kind: "deploy", initCode: data, ...body }
    : { kind: "call", contract, calldata: data, ...body };
}

function readValueOpening(r: ByteReader): ValueOpening | null {
  const present = r.u8("value flag");
  if (present === 0) {
    return null;
  }
  if (present !== 1) {
    throw new ProtocolError("out_of_range", "the value flag is 0 or 1");
  }
  const output = r.u8("value output");
  const assetKind = readAssetKind(r);
  const assetRef = frFromBytes(r.bytesFixed(32, "value asset"), "value asset");
  const value = r.bytesFixed(32, "value");
  return { output, assetKind, assetRef, value, rcm: frFromBytes(r.bytesFixed(32, "value rcm"), "value rcm") };
}

function writeCiphertexts(w: ByteWriter, c: NoteCiphertexts): ByteWriter {
  return w.u8(c.viewTag).bytes(c.encCiphertext).bytes(c.outCiphertext);
}

function readCiphertexts(r: ByteReader): NoteCiphertexts {
  return {
    viewTag: r.u8("view tag"),
    encCiphertext: r.bytesFixed(ENC_CIPHERTEXT_BYTES, "note ciphertext"),
    outCiphertext: r.bytesFixed(OUT_CIPHERTEXT_BYTES, "outgoing ciphertext"),
  };
}

function writeIssuedOutput(w: ByteWriter, o: IssuedOutput): void {
  writeCiphertexts(w.bytes(o.value).bytes(frToBytes(o.seal)), o);
}

function readIssuedOutput(r: ByteReader): IssuedOutput {
  const value = r.bytesFixed(32, "value");
  const seal = frFromBytes(r.bytesFixed(32, "seal"), "seal");
  return { value, seal, ...readCiphertexts(r) };
}

function readAssetKind(r: ByteReader): "token" | "ticket" {
  const kind = ASSET_KINDS[r.u8("asset kind")];
  if (!kind) {
    throw new ProtocolError("unknown_asset_kind", "asset kind must be 0 (token) or 1 (ticket)");
  }
  return kind;
}

function writeRegistration(w: ByteWriter, reg: AssetRegistration): void {
  w.u8(ASSET_KINDS.indexOf(reg.assetKind)).varText(reg.name).u8(reg.decimals);
  if (reg.supply.kind === "capped") {
    w.u8(0).uint(reg.supply.cap, 16);
  } else {
    w.u8(1);
  }
  w.bytes(reg.issuer);
}

function readRegistration(r: ByteReader): AssetRegistration {
  const assetKind = readAssetKind(r);
  const name = checkNameCharacters(r.varText(MAX_NAME_BYTES, "name"));
  const decimals = r.u8("decimals");
  const rule = r.u8("supply rule");
  let supply: SupplyRule;
  if (rule === 0) {
    supply = { kind: "capped", cap: r.uint(16, "supply cap") };
  } else if (rule === 1) {
    supply = { kind: "unlimited" };
  } else {
    throw new ProtocolError("unknown_supply_rule", "supply rule must be 0 (capped) or 1 (unlimited)");
  }
  return { assetKind, name, decimals, supply, issuer: r.bytesFixed(32, "issuer") };
}
