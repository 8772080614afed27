/**
 * Secrets never come on the command line, where the shell's history and any
 * user's `ps` see them: `sero account import` reads the mnemonic (or seed)
 * from a hidden prompt, from stdin when it is not a terminal, or from a file,
 * as `cast wallet import --interactive` and `solana-keygen recover` do.
 */
import { readFile } from "node:fs/promises";
import { fromHex } from "../codec/bytes.ts";
import { SEED_BYTES } from "../protocol/keys.ts";
import { mnemonicToSeed } from "../protocol/mnemonic.ts";
import { WalletError } from "../wallet/errors.ts";
import { promptPassphrase, type TtyInput } from "../wallet/keystore/index.ts";

/** More than any mnemonic or seed: a larger input is not one. */
const MAX_SECRET_BYTES = 4096;

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    if (text.length > MAX_SECRET_BYTES) {
      throw new WalletError("bad_mnemonic", "stdin holds more than a mnemonic");
    }
  }
  return text;
}

async function readSecretFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WalletError(
      "mnemonic_file_unreadable",
      `cannot read ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
}

/** The seed from its 24 words or its 64 hex digits, whichever the text is. */
export function seedOfSecret(text: string): Uint8Array {
  const secret = text.trim().split(/\s+/).join(" ");
  if (secret === "") {
    throw new WalletError(
      "missing_mnemonic",
      "no mnemonic given: type it at the prompt, pipe it on stdin, or give --mnemonic-file FILE",
    );
  }
  if (/^[0-9a-fA-F]{64}$/.test(secret)) {
    return fromHex(secret.toLowerCase()) as Uint8Array;
  }
  if (/^[0-9a-fA-F]+$/.test(secret)) {
    throw new WalletError("bad_seed", `a seed is 64 hex digits (${SEED_BYTES} bytes)`);
  }
  return mnemonicToSeed(secret);
}

/** Reads the secret: --mnemonic-file, else a hidden prompt on a terminal, else stdin. */
export async function readAccountSecret(
  file: string | undefined,
  input: TtyInput = process.stdin,
): Promise<Uint8Array> {
  if (file !== undefined) {
    return seedOfSecret(await readSecretFile(file));
  }
  if (input.isTTY && process.stderr.isTTY) {
    return seedOfSecret(await promptPassphrase(input, process.stderr, "Mnemonic (24 words) or seed (hex), hidden: "));
  }
  return seedOfSecret(await readAll(input));
}
