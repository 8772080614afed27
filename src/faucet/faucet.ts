/**
 * The testnet faucet: a wallet account holding faucet notes (on the local
 * testnet, the genesis grant to the labelled DEV faucet key) that pays a
 * fixed drip to whoever asks. One request at a time: each is a proof of a
 * few seconds, and its notes stay locked until the payment commits.
 */
import { toHex } from "../codec/bytes.ts";
import { SERO_ASSET_ID } from "../protocol/asset.ts";
import { NoteScanner } from "../protocol/encryption/scan.ts";
import { frToBytes } from "../protocol/field.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import { committedArtifacts } from "../prover/node-artifacts.ts";
import { AccountState } from "../wallet/account-state.ts";
import { nodeKeyAgreement } from "../wallet/node-agreement.ts";
import type { NodeClient } from "../wallet/node-client.ts";
import { NoteTree } from "../wallet/note-tree.ts";
import { parseRecipient } from "../wallet/recipient.ts";
import { send } from "../wallet/send.ts";
import { syncAccount } from "../wallet/sync.ts";

export class Faucet {
  readonly drip: bigint;
  readonly #keys: SpendingKeys;
  readonly #client: NodeClient;
  readonly #state: AccountState;
  readonly #scanner: NoteScanner;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(keys: SpendingKeys, client: NodeClient, scanner: NoteScanner, drip: bigint) {
    this.#keys = keys;
    this.#client = client;
    this.#scanner = scanner;
    this.drip = drip;
    this.#state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  }

  static async create(keys: SpendingKeys, client: NodeClient, drip: bigint): Promise<Faucet> {
    return new Faucet(keys, client, await NoteScanner.create(keys, { agreement: nodeKeyAgreement(keys.xsk) }), drip);
  }

  /** Spendable SERO left, after catching up with the chain. */
  balance(): Promise<bigint> {
    return this.#serialized(async () => {
      await this.#sync();
      return this.#state.balances().get(seroKey())?.spendable ?? 0n;
    });
  }

  /** Pays the drip to `recipient` (an address text); answers the transaction id once submitted. */
  pay(recipient: string): Promise<string> {
    const to = parseRecipient(recipient);
    return this.#serialized(async () => {
      await this.#sync();
      const status = await this.#client.status();
      return send(
        {
          chainId: status.chainId,
          state: this.#state,
          keys: this.#keys,
          client: this.#client,
          artifacts: committedArtifacts,
          anchorWindow: status.anchorWindow,
          save: async () => {},
          sync: () => this.#sync(),
        },
        {
          to,
          value: { kind: "token", asset: SERO_ASSET_ID, amount: this.drip },
          memo: new TextEncoder().encode("from the testnet faucet"),
          fee: status.minFee,
        },
        false,
      );
    });
  }

  async #sync(): Promise<void> {
    await syncAccount(this.#state, this.#client, this.#scanner, { save: async () => {} });
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

const seroKey = () => toHex(frToBytes(SERO_ASSET_ID));
