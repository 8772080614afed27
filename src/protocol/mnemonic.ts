/** BIP39: the 24-word mnemonic of an account is its 32-byte seed used as entropy (PROTOCOL.md §2). */
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { ProtocolError } from "./errors.ts";
import { SEED_BYTES } from "./keys.ts";

export function seedToMnemonic(seed: Uint8Array): string {
  if (seed.length !== SEED_BYTES) {
    throw new ProtocolError("bad_length", `a seed is ${SEED_BYTES} bytes`);
  }
  return entropyToMnemonic(seed, wordlist);
}

export function mnemonicToSeed(mnemonic: string): Uint8Array {
  const normalized = mnemonic.trim().toLowerCase().split(/\s+/).join(" ");
  if (!validateMnemonic(normalized, wordlist)) {
    throw new ProtocolError("bad_mnemonic", "not a valid BIP39 English mnemonic (wrong word or checksum)");
  }
  const seed = mnemonicToEntropy(normalized, wordlist);
  if (seed.length !== SEED_BYTES) {
    throw new ProtocolError("bad_mnemonic", "an account mnemonic has 24 words");
  }
  return seed;
}
