/**
 * The GENESIS var of a deployed chain (docs/OPERATING.md, "The GENESIS
 * document"): public JSON naming the validators, the genesis allocation and
 * the chain's parameters. It is checked completely when loaded, because a
 * deployment whose GENESIS is wrong must refuse to start, never run some
 * other chain.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { z } from "zod";
import { bytesEqual, fromHex, utf8 } from "../codec/bytes.ts";
import { committeeFromGenesis, type Genesis, GenesisError } from "../consensus/index.ts";
import { type ContractParams, DEFAULT_CONTRACT_PARAMS, EVM_HARDFORKS } from "../contracts/params.ts";
import { decodePublicAddress, encodePublicAddress, type PublicAddress, publicAddressOf } from "../protocol/address.ts";
import { AMOUNT_LIMIT } from "../protocol/asset.ts";
import { MEMO_BYTES } from "../protocol/encryption/plaintext.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { deriveSpendingKeys } from "../protocol/keys.ts";
import { decodeText } from "../protocol/text.ts";
import { type ChainDefinition, DEFAULT_ANCHOR_WINDOW, DEFAULT_CHAIN_PARAMS, DEFAULT_MIN_FEE } from "./config.ts";
import { DEV_FAUCET_SEED, devValidatorPublicKey, isLocalChain } from "./dev-keys.ts";
import { type GenesisGrant, MAX_GENESIS_NOTES } from "./genesis-allocation.ts";
import { GenesisConfigError } from "./genesis-error.ts";
import { checkTrustedKeys } from "./verifying-keys.ts";

export { GenesisConfigError };

/** Anchors are rows every replica keeps; a window this long is already days of blocks. */
export const MAX_ANCHOR_WINDOW = 10_000;
/** An hour: longer consensus timers would only hide a fault. */
const MAX_MILLIS = 3_600_000;

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits (32 bytes)");
// Strings, because JSON numbers lose precision beyond 2^53 and SERO amounts reach 2^128.
const BaseUnits = z
  .string({ error: "must be a string of SERO base units in decimal (1 SERO = 10^18)" })
  .regex(/^(0|[1-9][0-9]*)$/, "must be SERO base units in decimal: digits only, no sign, point or leading zero");
/** A circuit shape, `<inputs>x<outputs>` as in circuits/artifacts. */
const Shape = z.string().regex(/^[1-9][0-9]*x[1-9][0-9]*$/, 'must be a circuit shape such as "2x2"');
/** Gas, in decimal like base units: a block's limit can pass 2^53 on a generous chain. */
const GasAmount = z
  .string({ error: "must be a string of gas units in decimal" })
  .regex(/^[1-9][0-9]{0,18}$/, "must be a positive decimal integer below 10^19, no sign or leading zero");
/** A validator's weight in the primary draw (CONSENSUS.md §8.4): a positive u64 in decimal. */
const Stake = z
  .string({ error: "must be a positive decimal integer below 2^64" })
  .regex(/^[1-9][0-9]{0,19}$/, "must be a positive decimal integer below 2^64, no sign or leading zero")
  .refine((s) => BigInt(s) < 1n << 64n, "must be below 2^64");
/** Blocks per SE-Random epoch: long enough to amortise the sealing block, short enough to rotate often. */
const EPOCH_LENGTH_MAX = 100_000;
const Millis = z.int({ error: "must be an integer number of milliseconds" }).min(1).max(MAX_MILLIS);

const Document = z.strictObject({
  chainId: z.string(),
  validators: z.array(Hex32),
  stakes: z.array(Stake).optional(),
  entropy: Hex32,
  grants: z
    .array(z.strictObject({ recipient: z.string(), amounts: z.array(BaseUnits).min(1), memo: z.string() }))
    .min(1),
  anchorWindow: z.int().min(1).max(MAX_ANCHOR_WINDOW).optional(),
  minFee: BaseUnits.optional(),
  consensus: z
    .strictObject({
      batchTimeout: Millis,
      viewTimeout: Millis,
      maxViewTimeout: Millis,
      statusInterval: Millis,
      epochLength: z.int().min(2).max(EPOCH_LENGTH_MAX),
    })
    .partial()
    .optional(),
  verifyingKeys: z.record(Shape, Hex32).optional(),
  contracts: z
    .strictObject({
      hardfork: z.enum(EVM_HARDFORKS),
      gasPrice: BaseUnits,
      maxTxGas: GasAmount,
      blockGasLimit: GasAmount,
    })
    .partial()
    .optional(),
});

type Document = z.infer<typeof Document>;

/** `raw` is the var as the Worker sees it: a JSON string, or an object when wrangler.toml gives a table. */
export function parseGenesisDocument(raw: unknown, chainId: string): ChainDefinition {
  const parsed = Document.safeParse(typeof raw === "string" ? parseJson(raw) : raw);
  if (!parsed.success) {
    // Every problem at once (up to a few): a deployment is fixed in one round, not one field per redeploy.
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${at(issue.path)}: ${issue.message}`);
    throw new GenesisConfigError(issues.join("; "));
  }
  const doc = parsed.data;
  if (doc.chainId !== chainId) {
    throw new GenesisConfigError(
      `GENESIS.chainId is "${doc.chainId}" but CHAIN_ID is "${chainId}": a genesis made for one chain never starts another`,
    );
  }
  const local = isLocalChain(chainId);
  checkTrustedKeys(doc.verifyingKeys, chainId);
  const consensus = consensusGenesis(doc, chainId, local);
  const minFee = doc.minFee === undefined ? DEFAULT_MIN_FEE : BigInt(doc.minFee);
  if (minFee >= AMOUNT_LIMIT) {
    throw new GenesisConfigError("GENESIS.minFee: must be below 2^128");
  }
  return {
    consensus,
    anchorWindow: doc.anchorWindow ?? DEFAULT_ANCHOR_WINDOW,
    minFee,
    contracts: contractParams(doc),
    grants: grantsOf(doc, local),
    entropy: fromHex(doc.entropy) as Uint8Array,
  };
}

function contractParams(doc: Document): ContractParams {
  const c = doc.contracts ?? {};
  const d = DEFAULT_CONTRACT_PARAMS;
  const params = {
    hardfork: c.hardfork ?? d.hardfork,
    gasPrice: c.gasPrice === undefined ? d.gasPrice : BigInt(c.gasPrice),
    maxTxGas: c.maxTxGas === undefined ? d.maxTxGas : BigInt(c.maxTxGas),
    blockGasLimit: c.blockGasLimit === undefined ? d.blockGasLimit : BigInt(c.blockGasLimit),
  };
  if (params.maxTxGas > params.blockGasLimit) {
    throw new GenesisConfigError("GENESIS.contracts: maxTxGas must not exceed blockGasLimit");
  }
  if (params.gasPrice * params.maxTxGas >= AMOUNT_LIMIT) {
    throw new GenesisConfigError("GENESIS.contracts: gasPrice × maxTxGas must be below 2^128, a fee's range");
  }
  return params;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GenesisConfigError(`GENESIS is not JSON: ${(e as Error).message}`);
  }
}

function at(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, key) => (typeof key === "number" ? `${s}[${key}]` : `${s}.${String(key)}`), "GENESIS");
}

function consensusGenesis(doc: Document, chainId: string, local: boolean): Genesis {
  const validators = doc.validators.map((hex, i) => validatorKey(hex, i, local));
  const c = doc.consensus ?? {};
  const d = DEFAULT_CHAIN_PARAMS;
  const params = {
    ...d,
    batchTimeout: c.batchTimeout ?? d.batchTimeout,
    viewTimeout: c.viewTimeout ?? d.viewTimeout,
    maxViewTimeout: c.maxViewTimeout ?? d.maxViewTimeout,
    statusInterval: c.statusInterval ?? d.statusInterval,
    epochLength: c.epochLength ?? d.epochLength,
  };
  const genesis: Genesis =
    doc.stakes === undefined
      ? { chainId, validators, params }
      : { chainId, validators, params, stakes: doc.stakes.map(BigInt) };
  try {
    committeeFromGenesis(genesis); // n = 3f + 1, distinct keys, coherent timers: what every replica will check
  } catch (e) {
    if (e instanceof GenesisError) {
      const field = e.code === "bad_param" ? "consensus" : e.code === "bad_stake" ? "stakes" : "validators";
      throw new GenesisConfigError(`GENESIS.${field}: ${e.message}`);
    }
    throw e;
  }
  return genesis;
}

function validatorKey(hex: string, i: number, local: boolean): Uint8Array {
  const key = fromHex(hex) as Uint8Array;
  let smallOrder: boolean;
  try {
    smallOrder = ed25519.Point.fromBytes(key).isSmallOrder();
  } catch {
    throw new GenesisConfigError(`GENESIS.validators[${i}]: not an ed25519 public key`);
  }
  if (smallOrder) {
    throw new GenesisConfigError(`GENESIS.validators[${i}]: a small-order point, not a usable public key`);
  }
  // Dev keys are public (dev-keys.ts): anyone could sign as that validator.
  if (!local && bytesEqual(key, devValidatorPublicKey(i))) {
    throw new GenesisConfigError(
      `GENESIS.validators[${i}]: the public DEV key of validator ${i}, allowed only on sero-local-* chains`,
    );
  }
  return key;
}

function grantsOf(doc: Document, local: boolean): GenesisGrant[] {
  const devFaucet = local ? undefined : encodePublicAddress(publicAddressOf(deriveSpendingKeys(DEV_FAUCET_SEED)));
  let notes = 0;
  let total = 0n;
  const grants = doc.grants.map((g, i): GenesisGrant => {
    const where = `GENESIS.grants[${i}]`;
    let bytes: Uint8Array;
    let recipient: PublicAddress;
    try {
      bytes = decodeText("publicAddress", g.recipient);
      recipient = decodePublicAddress(bytes);
    } catch (e) {
      if (e instanceof ProtocolError) {
        throw new GenesisConfigError(`${where}.recipient: ${e.message}`);
      }
      throw e;
    }
    if (devFaucet && bytesEqual(bytes, devFaucet)) {
      throw new GenesisConfigError(`${where}.recipient: the public DEV faucet, allowed only on sero-local-* chains`);
    }
    if (utf8(g.memo).length > MEMO_BYTES) {
      throw new GenesisConfigError(`${where}.memo: at most ${MEMO_BYTES} bytes of UTF-8`);
    }
    const amounts = g.amounts.map((s, j) => {
      const amount = BigInt(s);
      if (amount === 0n) {
        throw new GenesisConfigError(`${where}.amounts[${j}]: a genesis note holds a positive amount`);
      }
      total += amount;
      return amount;
    });
    notes += amounts.length;
    return { recipient, amounts, memo: g.memo };
  });
  if (notes > MAX_GENESIS_NOTES) {
    throw new GenesisConfigError(`GENESIS.grants: ${notes} notes, at most ${MAX_GENESIS_NOTES} in block 0`);
  }
  if (total >= AMOUNT_LIMIT) {
    throw new GenesisConfigError("GENESIS.grants: the total supply must be below 2^128 base units");
  }
  return grants;
}
