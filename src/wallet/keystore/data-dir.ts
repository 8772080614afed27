/** Where the wallet keeps its files: the platform's per-user data directory, or the CLI's --wallet-dir. */

import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { posix, resolve, win32 } from "node:path";

export type DataDirOptions = {
  /** An explicit directory (the CLI's --wallet-dir); wins over the platform default. */
  readonly override?: string;
  // Injectable for tests; default to this process's.
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
};

/**
 * Linux and other Unixes: $XDG_DATA_HOME/sero, else ~/.local/share/sero;
 * macOS: ~/Library/Application Support/sero; Windows: %APPDATA%\sero.
 */
export function dataDirPath(options: DataDirOptions = {}): string {
  if (options.override !== undefined) {
    return resolve(options.override);
  }
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  if (platform === "win32") {
    return win32.join(env.APPDATA || win32.join(home, "AppData", "Roaming"), "sero");
  }
  if (platform === "darwin") {
    return posix.join(home, "Library", "Application Support", "sero");
  }
  // The XDG spec says to ignore a relative XDG_DATA_HOME.
  const xdg = env.XDG_DATA_HOME;
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, ".local", "share"), "sero");
}

/** The data directory, created owner-only (0o700) if missing: it holds the sealed keys. */
export async function ensureDataDir(options: DataDirOptions = {}): Promise<string> {
  const dir = dataDirPath(options);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
