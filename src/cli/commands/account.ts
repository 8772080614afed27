/** sero account new | import | watch | list */
import { decodeViewingKey, deriveSpendingKeys, deriveViewingKeys, SEED_BYTES } from "../../protocol/keys.ts";
import { seedToMnemonic } from "../../protocol/mnemonic.ts";
import { decodeText, textKindOf } from "../../protocol/text.ts";
import {
  type AccountRecord,
  type AccountSecret,
  accountKind,
  checkAccountName,
  publicAddressText,
} from "../../wallet/account.ts";
import { WalletError } from "../../wallet/errors.ts";
import { type Command, type OptionValues, optionalInteger, optionalString, requireString } from "../command.ts";
import type { CliContext } from "../context.ts";
import { readAccountSecret } from "../secret-input.ts";

const common = {
  name: { type: "string" },
  birthday: { type: "string" },
} as const;

const commonHelp = [
  ["--name NAME", "account name (a-z, 0-9, _ and -); default: main, then account2, ..."],
  ["--birthday HEIGHT", "first block that can hold the account's notes; sync starts there"],
] as const;

function defaultName(taken: readonly AccountRecord[]): string {
  if (!taken.some((a) => a.name === "main")) {
    return "main";
  }
  for (let i = 2; ; i++) {
    if (!taken.some((a) => a.name === `account${i}`)) {
      return `account${i}`;
    }
  }
}

/** Adds an account and answers its address (and, for a new one, its mnemonic). */
async function addAccount(
  ctx: CliContext,
  values: OptionValues,
  secret: AccountSecret,
  birthday: number,
  mnemonic?: string,
) {
  const wallet = await ctx.wallet(true);
  const name = checkAccountName(typeof values.name === "string" ? values.name : defaultName(wallet.accounts));
  const record = { name, secret, birthday };
  const keys = wallet.add(record);
  await wallet.save();
  await ctx.savePublicPart();
  const address = publicAddressText(keys);
  const kind = accountKind(record);
  const lines = [`account ${name} added (${kind}, birthday ${birthday})`, `address: ${address}`];
  if (mnemonic) {
    lines.push(
      "",
      "Write down these 24 words and keep them offline. They are shown once and are the only way to",
      "restore this account (sero account import asks for them):",
      "",
      mnemonic,
    );
  }
  return { json: { name, kind, birthday, address, ...(mnemonic ? { mnemonic } : {}) }, lines };
}

/** A new account starts at the chain's next block: nothing before can be its. */
async function tipBirthday(ctx: CliContext): Promise<number> {
  try {
    const { height } = await ctx.status();
    return height === null ? 0 : height + 1;
  } catch {
    ctx.progress.note(`node ${ctx.options.node} not reachable: birthday 0 (the first sync reads the whole chain)`);
    return 0;
  }
}

export const accountNew: Command = {
  name: "account new",
  summary: "Create an account from a fresh random seed and print its 24-word mnemonic once",
  options: common,
  optionHelp: [...commonHelp],
  async run(ctx, values) {
    const seed = crypto.getRandomValues(new Uint8Array(SEED_BYTES));
    deriveSpendingKeys(seed); // refuses the (negligible) degenerate seed before it is shown
    const birthday = optionalInteger(values, "birthday") ?? (await tipBirthday(ctx));
    return addAccount(ctx, values, { kind: "seed", seed }, birthday, seedToMnemonic(seed));
  },
};

export const accountImport: Command = {
  name: "account import",
  summary: "Restore an account from its mnemonic or its 32-byte seed (asked for, never on the command line)",
  options: { ...common, "mnemonic-file": { type: "string" }, mnemonic: { type: "string" }, seed: { type: "string" } },
  optionHelp: [["--mnemonic-file FILE", "read the 24 words (or the seed's 64 hex digits) from FILE"], ...commonHelp],
  details:
    "The mnemonic (or the seed in hex) is asked for at the terminal without echo, or read from stdin when\n" +
    "it is not a terminal (sero account import < words.txt), or from --mnemonic-file: never from the command\n" +
    `line, where the shell's history and other users' ps would see it. The seed is ${SEED_BYTES} bytes.\n` +
    "Without --birthday the sync reads the chain from block 0.",
  async run(ctx, values) {
    if (values.mnemonic !== undefined || values.seed !== undefined) {
      throw new WalletError(
        "secret_on_command_line",
        "secrets are not taken on the command line: run sero account import and type the words when asked, " +
          "or pipe them on stdin, or give --mnemonic-file FILE",
      );
    }
    const birthday = optionalInteger(values, "birthday") ?? 0;
    const name = optionalString(values, "name");
    if (name !== undefined) {
      checkAccountName(name);
    }
    const seed = await readAccountSecret(optionalString(values, "mnemonic-file"));
    deriveSpendingKeys(seed);
    return addAccount(ctx, values, { kind: "seed", seed }, birthday);
  },
};

export const accountWatch: Command = {
  name: "account watch",
  summary: "Add a watch-only account from a viewing key: sees notes, spends and history, cannot spend",
  options: { ...common, "view-key": { type: "string" } },
  optionHelp: [["--view-key KEY", "a viewing key (serovk1...), from sero view-key export"], ...commonHelp],
  async run(ctx, values) {
    const text = requireString(values, "view-key");
    if (textKindOf(text) !== "viewingKey") {
      throw new WalletError("wrong_kind", "--view-key takes a viewing key (serovk1...), not an address");
    }
    const viewingKey = decodeText("viewingKey", text);
    deriveViewingKeys(decodeViewingKey(viewingKey));
    return addAccount(ctx, values, { kind: "viewing_key", viewingKey }, optionalInteger(values, "birthday") ?? 0);
  },
};

export const accountList: Command = {
  name: "account list",
  summary: "List the wallet's accounts (no passphrase needed)",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const accounts = await ctx.publicAccounts();
    return {
      json: { accounts },
      lines: accounts.map((a) => `${a.name.padEnd(12)} ${a.kind.padEnd(10)} birthday ${a.birthday}  ${a.address}`),
    };
  },
};
