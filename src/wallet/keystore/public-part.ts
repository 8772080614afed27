/**
 * The wallet's public part, `<name>.public.json` beside the sealed file: each
 * account's name, kind, birthday and public address, so `sero address` and
 * `sero account list` answer without the passphrase (as bitcoind and zcashd
 * answer from a locked wallet). It holds nothing secret: an address is made to
 * be published. It is rewritten from the sealed file at every unlock, so a
 * wallet from before it existed gains it at its first unlock (the sealed file
 * is not touched), and a stale or altered copy is repaired then.
 */
import { join } from "node:path";
import { z } from "zod";
import { utf8 } from "../../codec/bytes.ts";
import { ProtocolError } from "../../protocol/errors.ts";
import type { PublicAccount } from "../account.ts";
import { readFileIfExists, writeFileAtomic } from "./atomic-file.ts";

const PublicPart = z.object({
  version: z.literal(1),
  accounts: z.array(
    z.object({
      name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
      kind: z.enum(["spending", "watch-only"]),
      birthday: z.number().int().nonnegative(),
      address: z.string().regex(/^sero1[0-9a-z]+$/),
    }),
  ),
});

const pathOf = (dir: string, name: string) => join(dir, `${name}.public.json`);

/** The accounts' public part, or undefined when the file is missing (a wallet from before it). */
export async function readPublicPart(dir: string, name: string): Promise<readonly PublicAccount[] | undefined> {
  const bytes = await readFileIfExists(pathOf(dir, name));
  if (bytes === undefined) {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    json = undefined;
  }
  const parsed = PublicPart.safeParse(json);
  if (!parsed.success) {
    throw new ProtocolError(
      "bad_public_part",
      `${pathOf(dir, name)} is damaged: delete it, the next command that asks for the passphrase rewrites it`,
    );
  }
  return parsed.data.accounts;
}

/** Writes the public part when it differs from the file's (only under the wallet's lock: one writer). */
export async function writePublicPart(dir: string, name: string, accounts: readonly PublicAccount[]): Promise<void> {
  const text = `${JSON.stringify({ version: 1, accounts }, null, 2)}\n`;
  const old = await readFileIfExists(pathOf(dir, name));
  if (old === undefined || new TextDecoder().decode(old) !== text) {
    await writeFileAtomic(pathOf(dir, name), utf8(text));
  }
}
