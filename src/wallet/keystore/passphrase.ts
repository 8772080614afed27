/**
 * Where the passphrase comes from, in order: an explicit --passphrase-file,
 * then $SERO_PASSPHRASE, then a prompt when a person is at a terminal. Scripts
 * without either get an error naming both rather than a hang on a prompt.
 */

import { readFile } from "node:fs/promises";
import { ProtocolError } from "../../protocol/errors.ts";

export const PASSPHRASE_ENV = "SERO_PASSPHRASE";

/** The slice of a TTY read stream the prompt uses (process.stdin, or a fake in tests). */
export type TtyInput = NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(raw: boolean): unknown };
export type TtyOutput = { readonly isTTY?: boolean; write(text: string): unknown };

export type PassphraseOptions = {
  /** The CLI's --passphrase-file. */
  readonly passphraseFile?: string;
  /** A new wallet: prompt twice and require the same answer. */
  readonly confirm?: boolean;
  // Injectable for tests; default to this process's.
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: TtyInput;
  readonly output?: TtyOutput;
};

export async function obtainPassphrase(options: PassphraseOptions = {}): Promise<string> {
  if (options.passphraseFile !== undefined) {
    return readPassphraseFile(options.passphraseFile);
  }
  const fromEnv = (options.env ?? process.env)[PASSPHRASE_ENV];
  if (fromEnv !== undefined) {
    return nonEmpty(fromEnv, `$${PASSPHRASE_ENV}`);
  }
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY || !output.isTTY) {
    throw new ProtocolError(
      "passphrase_required",
      `no terminal to ask for the passphrase: set ${PASSPHRASE_ENV} or pass --passphrase-file`,
    );
  }
  if (!options.confirm) {
    return nonEmpty(await promptPassphrase(input, output, "Passphrase: "), "the passphrase");
  }
  const first = nonEmpty(await promptPassphrase(input, output, "New passphrase: "), "the passphrase");
  if ((await promptPassphrase(input, output, "Repeat passphrase: ")) !== first) {
    throw new ProtocolError("passphrase_mismatch", "the two passphrases differ");
  }
  return first;
}

/** Whether the passphrase is typed at a prompt (not a file or $SERO_PASSPHRASE), so a wrong one may be asked again. */
export function passphraseIsTyped(options: PassphraseOptions = {}): boolean {
  return options.passphraseFile === undefined && (options.env ?? process.env)[PASSPHRASE_ENV] === undefined;
}

/** Shorter new passphrases get a warning: scrypt slows guessing, it cannot make a short one strong. */
export const SHORT_PASSPHRASE = 12;

/** The file's first line without its line ending (so `echo secret > file` works). */
export async function readPassphraseFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new ProtocolError("passphrase_file_unreadable", `cannot read the passphrase file ${path}: ${why}`);
  }
  return nonEmpty((text.split("\n")[0] as string).replace(/\r$/, ""), path);
}

/**
 * Reads one line from a terminal in raw mode, so nothing is echoed; handles
 * backspace, and Ctrl-C or Ctrl-D on an empty line cancels.
 */
export function promptPassphrase(input: TtyInput, output: TtyOutput, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (rest: string, error?: ProtocolError) => {
      input.removeListener("data", onData);
      // Keystrokes past the line (a pasted answer to the next prompt) stay for the next reader.
      if (rest !== "") {
        input.unshift(rest);
      }
      input.setRawMode?.(false);
      input.pause();
      output.write("\n");
      if (error) {
        reject(error);
      } else {
        resolve(typed);
      }
    };
    const onData = (chunk: string | Buffer) => {
      const chars = [...String(chunk)];
      for (const [i, ch] of chars.entries()) {
        const rest = () => chars.slice(i + 1).join("");
        if (ch === "\r" || ch === "\n") {
          return finish(rest());
        }
        if (ch === "\u0003" || (ch === "\u0004" && typed === "")) {
          return finish(rest(), new ProtocolError("passphrase_cancelled", "cancelled"));
        }
        if (ch === "\u007f" || ch === "\b") {
          typed = [...typed].slice(0, -1).join("");
        } else if (ch >= " ") {
          typed += ch;
        }
      }
    };
    output.write(prompt);
    input.setEncoding("utf8");
    input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
  });
}

function nonEmpty(passphrase: string, source: string): string {
  if (passphrase === "") {
    throw new ProtocolError("empty_passphrase", `${source} gives an empty passphrase`);
  }
  return passphrase;
}
