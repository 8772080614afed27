/** sero account new | import | watch | list */
import { fromHex } from "../../codec/bytes.ts";
import { decodeViewingKey, deriveSpendingKeys, deriveViewingKeys, SEED_BYTES } from "../../protocol/keys.ts";
import { mnemonicToSeed, seedToMnemonic } from "../../protocol/mnemonic.ts";
import { decodeText, textKindOf } from "../../protocol/text.ts";
import { type AccountRecord, type AccountSecret, checkAccountName, publicAddressText } from "../../wallet/account.ts";
import { WalletError } from "../../wallet/errors.ts";
import { type Command, type OptionValues, optionalInteger, requireString } from "../command.ts";
import type { CliContext } from "../context.ts";

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
  const keys = wallet.add({ name, secret, birthday });
  await wallet.save();
  const address = publicAddressText(keys);
  const lines = [
    `account ${name} added (${secret.kind === "seed" ? "spending" : "watch-only"}, birthday ${birthday})`,
    `address: ${address}`,
  ];
  if (mnemonic) {
    lines.push(
      "",
      "Write down these 24 words and keep them offline. They are shown once and are the only way to",
      'restore this account (sero account import --mnemonic "..."):',
      "",
      mnemonic,
    );
  }
  return { json: { name, kind: secret.kind, birthday, address, ...(mnemonic ? { mnemonic } : {}) }, lines };
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
  summary: "Restore an account from its mnemonic or its 32-byte seed",
  options: { ...common, mnemonic: { type: "string" }, seed: { type: "string" } },
  optionHelp: [['--mnemonic "WORDS"', "the 24 words"], ["--seed HEX", "or the seed, 64 hex digits"], ...commonHelp],
  details: "Without --birthday the sync reads the chain from block 0.",
  async run(ctx, values) {
    let seed: Uint8Array | undefined;
    if (typeof values.mnemonic === "string") {
      seed = mnemonicToSeed(values.mnemonic);
    } else if (typeof values.seed === "string") {
      seed = fromHex(values.seed.toLowerCase());
      if (!seed || seed.length !== SEED_BYTES) {
        throw new WalletError("bad_seed", "--seed is 64 hex digits (32 bytes)");
      }
    } else {
      throw new WalletError("missing_option", 'give --mnemonic "WORDS" or --seed HEX');
    }
    deriveSpendingKeys(seed);
    return addAccount(ctx, values, { kind: "seed", seed }, optionalInteger(values, "birthday") ?? 0);
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
  summary: "List the wallet's accounts",
  options: {},
  optionHelp: [],
  async run(ctx) {
    const wallet = await ctx.wallet();
    const accounts = wallet.accounts.map((record) => ({
      name: record.name,
      kind: record.secret.kind === "seed" ? "spending" : "watch-only",
      birthday: record.birthday,
      address: publicAddressText(wallet.account(record.name).keys),
    }));
    return {
      json: { accounts },
      lines: accounts.map((a) => `${a.name.padEnd(12)} ${a.kind.padEnd(10)} birthday ${a.birthday}  ${a.address}`),
    };
  },
};
