/**
 * One process at a time per wallet directory: two writers would each save
 * their own view and the last rename would silently drop the other's.
 * The lock is a file holding the owner's pid, created exclusively; a process
 * that dies without releasing it leaves a stale lock the next opener takes over.
 */

import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { ProtocolError } from "../../protocol/errors.ts";

export const LOCK_FILE = "wallet.lock";

export type DirLock = {
  readonly path: string;
  /** Deletes the lock file; later calls do nothing. */
  release(): Promise<void>;
};

export async function lockDirectory(dir: string): Promise<DirLock> {
  const path = join(dir, LOCK_FILE);
  for (;;) {
    if (await tryCreate(path)) {
      return heldLock(path);
    }
    const holder = await readPid(path);
    if (holder === undefined) {
      continue; // released between our attempt and the read: try again
    }
    if (isAlive(holder)) {
      throw new ProtocolError(
        "wallet_locked",
        `the wallet directory is in use by process ${holder}; if no sero process is running, delete ${path}`,
      );
    }
    await takeOver(path, holder);
  }
}

/** The pid of the live process holding `dir`'s lock, if any (a hint: it may change right after). */
export async function lockHolder(dir: string): Promise<number | undefined> {
  const holder = await readPid(join(dir, LOCK_FILE));
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

/**
 * Writes the pid to a private file (O_EXCL) and links it into place: link fails
 * if the lock exists, as O_EXCL does, and other openers never see a lock
 * without its pid (which they could not tell from one whose creator died).
 */
async function tryCreate(path: string): Promise<boolean> {
  const own = `${path}.${randomBytes(8).toString("hex")}.new`;
  const file = await open(own, "wx", 0o600);
  try {
    await file.writeFile(`${process.pid}\n`);
  } finally {
    await file.close();
  }
  try {
    await link(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return false;
    }
    throw error;
  } finally {
    await unlink(own);
  }
}

function heldLock(path: string): DirLock {
  let held = true;
  return {
    path,
    async release() {
      if (held) {
        held = false;
        await unlink(path).catch(() => {});
      }
    },
  };
}

async function readPid(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
  const pid = Number(text.trim());
  // Locks are never written partially, so a garbled one is damage: treat it as stale.
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

function isAlive(pid: number): boolean {
  if (pid === 0) {
    return false;
  }
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves the lock aside (atomic, so of two racing openers only one gets it) and
 * checks it was the stale one; if a racer had already replaced it with its
 * live lock, puts that back (link refuses to overwrite) and the loop reports it.
 */
async function takeOver(path: string, stalePid: number): Promise<void> {
  const aside = `${path}.${randomBytes(8).toString("hex")}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return;
    }
    throw error;
  }
  if ((await readPid(aside)) !== stalePid) {
    await link(aside, path).catch(() => {});
  }
  await unlink(aside);
}
