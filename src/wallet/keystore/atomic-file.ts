/**
 * Crash-safe file replacement: a reader (or the next run after a crash or
 * power loss) sees either the old complete file or the new complete file,
 * never a mix or a truncation.
 */

import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// Temp files are `<target>.<16 hex>.tmp` beside the target: rename is atomic only within one filesystem.
const TEMP_SUFFIX = /^\.[0-9a-f]{16}\.tmp$/;

/**
 * Writes to a fresh temp file (owner-only), fsyncs it so the data is on disk
 * before the name points at it, renames it over the target, then fsyncs the
 * directory so the rename itself survives a power loss.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  const file = await open(temp, "wx", 0o600);
  try {
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** The file's bytes, or undefined if there is no such file. */
export async function readFileIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
}

/**
 * Deletes temp files a killed writer left beside `path`. Only safe while no
 * other process may be writing it, i.e. under the wallet lock.
 */
export async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(base) && TEMP_SUFFIX.test(entry.slice(base.length))) {
      await unlink(join(dir, entry)).catch(() => {});
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Node cannot open a directory on Windows; there the rename is still atomic, only its durability waits.
  if (process.platform === "win32") {
    return;
  }
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
