import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bytesEqual, utf8 } from "../../src/codec/bytes.ts";
import {
  createSealingKey,
  DEFAULT_KDF_PARAMS,
  dataDirPath,
  ensureDataDir,
  type KdfParams,
  LOCK_FILE,
  lockDirectory,
  obtainPassphrase,
  readFileIfExists,
  removeStaleTempFiles,
  seal,
  unlock,
  WalletFile,
  writeFileAtomic,
} from "../../src/wallet/keystore/index.ts";
import { crashVersion } from "./keystore-crash-versions.ts";

// Spied on (still real) so a test can show hostile params are refused before any KDF work.
vi.mock("@noble/hashes/scrypt.js", async (original) => {
  const real = await original<typeof import("@noble/hashes/scrypt.js")>();
  return { ...real, scryptAsync: vi.fn(real.scryptAsync) };
});

// Cheap enough for hundreds of unlocks; the defaults are tested once, for the header.
const CHEAP: KdfParams = { log2N: 10, r: 8, p: 1 };
const HEADER_BYTES = 71;
const TAG_BYTES = 16;
const posix = process.platform !== "win32";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sero-keystore-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sealCheap(payload: Uint8Array, passphrase = "correct horse"): Promise<Uint8Array> {
  return seal(await createSealingKey(passphrase, CHEAP), payload);
}

describe("sealed payload", () => {
  it("round-trips, reseals under a fresh nonce without the KDF, and reports progress", async () => {
    const payload = utf8("spending keys and notes");
    const sealed = await sealCheap(payload);
    expect(sealed.length).toBe(HEADER_BYTES + payload.length + TAG_BYTES);
    const progress: number[] = [];
    const opened = await unlock(sealed, "correct horse", (f) => progress.push(f));
    expect(opened.payload).toEqual(payload);
    expect(progress.at(-1)).toBe(1);
    expect(opened.key.params).toEqual(CHEAP);

    const next = utf8("after a sync");
    const a = seal(opened.key, next);
    const b = seal(opened.key, next);
    expect(bytesEqual(a.subarray(47, HEADER_BYTES), b.subarray(47, HEADER_BYTES))).toBe(false);
    expect(a.subarray(15, 47)).toEqual(sealed.subarray(15, 47)); // same salt
    expect((await unlock(b, "correct horse")).payload).toEqual(next);
  });

  it("normalizes the passphrase (NFKC) so composed and decomposed spellings agree", async () => {
    const sealed = await sealCheap(utf8("x"), "caf\u00e9");
    expect((await unlock(sealed, "cafe\u0301")).payload).toEqual(utf8("x"));
  });

  it("refuses a wrong passphrase", async () => {
    const sealed = await sealCheap(utf8("secret"));
    await expect(unlock(sealed, "wrong horse")).rejects.toMatchObject({
      code: "wrong_passphrase",
      message: "wrong passphrase or damaged file",
    });
  });

  it("writes the documented header with the default params", async () => {
    const key = await createSealingKey("pw");
    const sealed = seal(key, new Uint8Array(3));
    expect(sealed.subarray(0, 15)).toEqual(
      new Uint8Array([
        ...utf8("SEROWALLET"),
        1,
        1,
        DEFAULT_KDF_PARAMS.log2N,
        DEFAULT_KDF_PARAMS.r,
        DEFAULT_KDF_PARAMS.p,
      ]),
    );
    expect(DEFAULT_KDF_PARAMS).toEqual({ log2N: 17, r: 8, p: 1 });
    expect(sealed.length).toBe(HEADER_BYTES + 3 + TAG_BYTES);
  });

  it("refuses every single-byte change of a sealed file", async () => {
    const sealed = await sealCheap(utf8("tiny"));
    for (let i = 0; i < sealed.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = sealed.slice();
        bad[i] = (bad[i] as number) ^ mask;
        const expected =
          i < 10
            ? "not_a_wallet"
            : i === 10
              ? "unsupported_version"
              : i < 15
                ? /bad_kdf_params|wrong_passphrase/
                : "wrong_passphrase";
        await expect(unlock(bad, "correct horse"), `byte ${i} ^ ${mask}`).rejects.toMatchObject({
          code: expect.stringMatching(expected),
        });
      }
    }
  });

  it("refuses truncated files and trailing bytes", async () => {
    const sealed = await sealCheap(utf8("tiny"));
    for (const length of [0, 5, 10, 11, 15, 46, 70, HEADER_BYTES, HEADER_BYTES + 15, sealed.length - 1]) {
      await expect(unlock(sealed.subarray(0, length), "correct horse"), `length ${length}`).rejects.toMatchObject({
        code: expect.stringMatching(/not_a_wallet|truncated|wrong_passphrase/),
      });
    }
    for (const extra of [[0], [1, 2, 3]]) {
      await expect(unlock(new Uint8Array([...sealed, ...extra]), "correct horse")).rejects.toMatchObject({
        code: "wrong_passphrase",
      });
    }
  });

  it("refuses absurd KDF params before any KDF work", async () => {
    const sealed = await sealCheap(utf8("tiny"));
    // [kdf id, log2 N, r, p]: unknown KDF, N too big, zero, 4 GiB of memory, too much work, r and p too big.
    const hostile = [
      [2, 10, 8, 1],
      [1, 30, 8, 1],
      [1, 0, 8, 1],
      [1, 10, 0, 1],
      [1, 10, 8, 0],
      [1, 22, 8, 1],
      [1, 20, 4, 16],
      [1, 10, 255, 1],
      [1, 10, 8, 255],
    ];
    for (const fields of hostile) {
      const bad = sealed.slice();
      bad.set(fields, 11);
      vi.mocked(scryptAsync).mockClear();
      await expect(unlock(bad, "correct horse"), `${fields}`).rejects.toMatchObject({ code: "bad_kdf_params" });
      expect(scryptAsync).not.toHaveBeenCalled();
    }
    await expect(createSealingKey("pw", { log2N: 23, r: 8, p: 1 })).rejects.toMatchObject({ code: "bad_kdf_params" });
  });

  it("refuses files that are not wallets or of another version", async () => {
    await expect(unlock(utf8("SEROWALLE"), "pw")).rejects.toMatchObject({ code: "not_a_wallet" });
    await expect(unlock(utf8('{"keys": []}'), "pw")).rejects.toMatchObject({ code: "not_a_wallet" });
    const sealed = await sealCheap(utf8("tiny"));
    sealed[10] = 2;
    await expect(unlock(sealed, "correct horse")).rejects.toMatchObject({ code: "unsupported_version" });
  });
});

describe("atomic file", () => {
  it("replaces a file owner-only and leaves no temp file", async () => {
    const path = join(dir, "f.bin");
    expect(await readFileIfExists(path)).toBeUndefined();
    await writeFileAtomic(path, utf8("one"));
    await writeFileAtomic(path, utf8("two"));
    expect(await readFileIfExists(path)).toEqual(utf8("two"));
    expect(await readdir(dir)).toEqual(["f.bin"]);
    if (posix) {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
  });

  it("leaves one complete version when the writer is killed at random moments", async () => {
    const path = join(dir, "big.bin");
    const versions = [crashVersion(0), crashVersion(1)];
    await writeFile(path, versions[0] as Uint8Array);
    const script = fileURLToPath(new URL("./keystore-crash-writer.ts", import.meta.url));
    const random = mulberry32(0x5e20);
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, [script, path], { stdio: ["ignore", "pipe", "inherit"] });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.once("data", () => resolve());
        child.once("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, random() * 40));
      child.kill("SIGKILL");
      await exited;
      const after = new Uint8Array(await readFile(path));
      expect(
        versions.some((v) => bytesEqual(v, after)),
        `round ${round}: ${after.length} bytes`,
      ).toBe(true);
    }
    // Kills mid-write leave temp files (proof the kills landed there); the cleanup removes them.
    expect((await readdir(dir)).length).toBeGreaterThan(1);
    await removeStaleTempFiles(path);
    expect(await readdir(dir)).toEqual(["big.bin"]);
  });
});

describe("directory lock", () => {
  it("refuses a second holder while the first is alive, and frees on release", async () => {
    const first = await lockDirectory(dir);
    await expect(lockDirectory(dir)).rejects.toMatchObject({
      code: "wallet_locked",
      message: expect.stringContaining(`process ${process.pid}`),
    });
    await first.release();
    await first.release();
    const second = await lockDirectory(dir);
    await second.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("takes over a stale lock whose process is dead, or a garbled one", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    for (const content of [`${dead}\n`, "garbage"]) {
      await writeFile(join(dir, LOCK_FILE), content);
      const lock = await lockDirectory(dir);
      expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
      await lock.release();
    }
  });
});

describe("WalletFile", () => {
  it("creates, lists, opens, saves and closes", async () => {
    const created = await WalletFile.create(dir, "main", "pw", utf8("v1"), CHEAP);
    expect(created.payload).toEqual(utf8("v1"));
    await expect(WalletFile.open(dir, "main", "pw")).rejects.toMatchObject({ code: "wallet_locked" });
    await created.close();
    await expect(WalletFile.create(dir, "main", "pw", utf8("again"), CHEAP)).rejects.toMatchObject({
      code: "wallet_exists",
    });
    await (await WalletFile.create(dir, "cold_2", "pw", utf8("c"), CHEAP)).close();
    await writeFile(join(dir, "notes.txt"), "not a wallet");
    expect(await WalletFile.list(dir)).toEqual(["cold_2", "main"]);

    const wallet = await WalletFile.open(dir, "main", "pw");
    expect(wallet.payload).toEqual(utf8("v1"));
    await wallet.save(utf8("v2"));
    await wallet.save(utf8("v3"));
    expect(wallet.payload).toEqual(utf8("v3"));
    await wallet.close();
    await expect(wallet.save(utf8("v4"))).rejects.toMatchObject({ code: "wallet_closed" });

    const reopened = await WalletFile.open(dir, "main", "pw");
    expect(reopened.payload).toEqual(utf8("v3"));
    await reopened.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
  });

  it("releases the lock when opening fails", async () => {
    await (await WalletFile.create(dir, "main", "pw", utf8("v1"), CHEAP)).close();
    await expect(WalletFile.open(dir, "main", "nope")).rejects.toMatchObject({ code: "wrong_passphrase" });
    await expect(WalletFile.open(dir, "other", "pw")).rejects.toMatchObject({ code: "wallet_not_found" });
    await (await WalletFile.open(dir, "main", "pw")).close();
  });

  it("refuses bad names and lists nothing in a missing directory", async () => {
    for (const name of ["", "Main", "../x", "a.b", "x".repeat(65)]) {
      await expect(WalletFile.open(dir, name, "pw")).rejects.toMatchObject({ code: "bad_wallet_name" });
    }
    expect(await WalletFile.list(join(dir, "missing"))).toEqual([]);
  });

  it("deletes temp files a killed writer left behind when it opens", async () => {
    await (await WalletFile.create(dir, "main", "pw", utf8("v1"), CHEAP)).close();
    await writeFile(join(dir, "main.wallet.0123456789abcdef.tmp"), "half a write");
    await writeFile(join(dir, "main.wallet.notes"), "someone else's");
    await (await WalletFile.open(dir, "main", "pw")).close();
    expect((await readdir(dir)).sort()).toEqual(["main.wallet", "main.wallet.notes"]);
  });
});

describe("data directory", () => {
  const home = "/home/ann";
  it("follows each platform's convention and lets an override win", () => {
    expect(dataDirPath({ platform: "linux", home, env: {} })).toBe("/home/ann/.local/share/sero");
    expect(dataDirPath({ platform: "linux", home, env: { XDG_DATA_HOME: "/data" } })).toBe("/data/sero");
    expect(dataDirPath({ platform: "linux", home, env: { XDG_DATA_HOME: "rel" } })).toBe("/home/ann/.local/share/sero");
    expect(dataDirPath({ platform: "darwin", home, env: {} })).toBe("/home/ann/Library/Application Support/sero");
    expect(dataDirPath({ platform: "win32", home: "C:\\Users\\ann", env: { APPDATA: "D:\\AppData" } })).toBe(
      "D:\\AppData\\sero",
    );
    expect(dataDirPath({ platform: "win32", home: "C:\\Users\\ann", env: {} })).toBe(
      "C:\\Users\\ann\\AppData\\Roaming\\sero",
    );
    expect(dataDirPath({ override: "/srv/w", platform: "linux", home, env: { XDG_DATA_HOME: "/data" } })).toBe(
      "/srv/w",
    );
  });

  it("creates the directory owner-only", async () => {
    const created = await ensureDataDir({ platform: "linux", home: dir, env: {} });
    expect(created).toBe(join(dir, ".local", "share", "sero"));
    if (posix) {
      expect((await stat(created)).mode & 0o777).toBe(0o700);
    }
  });
});

describe("passphrase", () => {
  function fakeTerminal(tty = true) {
    const input = Object.assign(new PassThrough(), { isTTY: tty, setRawMode: vi.fn() });
    let shown = "";
    const output = { isTTY: tty, write: (text: string) => (shown += text) };
    return { input, output, shown: () => shown };
  }

  it("reads the first line of a passphrase file and refuses an empty one", async () => {
    const file = join(dir, "pass");
    await writeFile(file, "hunter2 with spaces\r\nsecond line\n");
    const env = { SERO_PASSPHRASE: "from env" };
    expect(await obtainPassphrase({ passphraseFile: file, env })).toBe("hunter2 with spaces");
    await writeFile(file, "\n");
    await expect(obtainPassphrase({ passphraseFile: file, env })).rejects.toMatchObject({ code: "empty_passphrase" });
  });

  it("takes SERO_PASSPHRASE before prompting", async () => {
    const { input, output } = fakeTerminal();
    expect(await obtainPassphrase({ env: { SERO_PASSPHRASE: "from env" }, input, output })).toBe("from env");
    expect(input.setRawMode).not.toHaveBeenCalled();
  });

  it("prompts without echo on a terminal, handling backspace", async () => {
    const { input, output, shown } = fakeTerminal();
    input.write("sex\u007fcret\r");
    expect(await obtainPassphrase({ env: {}, input, output })).toBe("secret");
    expect(shown()).toBe("Passphrase: \n");
    expect(input.setRawMode.mock.calls).toEqual([[true], [false]]);
  });

  it("asks twice for a new wallet's passphrase", async () => {
    const same = fakeTerminal();
    same.input.write("n\u00e9w pass\r");
    same.input.write("n\u00e9w pass\r");
    expect(await obtainPassphrase({ env: {}, confirm: true, input: same.input, output: same.output })).toBe(
      "n\u00e9w pass",
    );
    expect(same.shown()).toBe("New passphrase: \nRepeat passphrase: \n");

    const differ = fakeTerminal();
    differ.input.write("one\r");
    differ.input.write("two\r");
    await expect(
      obtainPassphrase({ env: {}, confirm: true, input: differ.input, output: differ.output }),
    ).rejects.toMatchObject({ code: "passphrase_mismatch" });
  });

  it("cancels on Ctrl-C and refuses an empty entry", async () => {
    const cancel = fakeTerminal();
    cancel.input.write("abc\u0003");
    await expect(obtainPassphrase({ env: {}, input: cancel.input, output: cancel.output })).rejects.toMatchObject({
      code: "passphrase_cancelled",
    });
    const empty = fakeTerminal();
    empty.input.write("\r");
    await expect(obtainPassphrase({ env: {}, input: empty.input, output: empty.output })).rejects.toMatchObject({
      code: "empty_passphrase",
    });
  });

  it("fails with directions when there is no file, no env and no terminal", async () => {
    const { input, output } = fakeTerminal(false);
    await expect(obtainPassphrase({ env: {}, input, output })).rejects.toMatchObject({
      code: "passphrase_required",
      message: expect.stringMatching(/SERO_PASSPHRASE.*--passphrase-file/),
    });
  });
});

/** Small seeded PRNG so the kill moments are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
