/** Reading a payee from text, refusing what is not a payable address with advice. */
import {
  decodeOneTimeAddress,
  decodePublicAddress,
  deriveOneTimeAddress,
  type OneTimeAddress,
} from "../protocol/address.ts";
import { decodeText, textKindOf } from "../protocol/text.ts";
import { WalletError } from "./errors.ts";

/** A recipient: a one-time address as given, or a fresh one derived from a public address. */
export function parseRecipient(text: string): OneTimeAddress {
  switch (textKindOf(text.toLowerCase())) {
    case "oneTimeAddress":
      return decodeOneTimeAddress(decodeText("oneTimeAddress", text));
    case "publicAddress":
      return deriveOneTimeAddress(
        decodePublicAddress(decodeText("publicAddress", text)),
        crypto.getRandomValues(new Uint8Array(32)),
      );
    case "viewingKey":
      throw new WalletError(
        "wrong_kind",
        "a viewing key (serovk1...) was given where an address belongs: give sero1... or seror1...",
      );
    case "contractAddress":
      throw new WalletError("wrong_kind", "contract addresses (seroc1...) cannot receive shielded payments");
    case undefined:
      throw new WalletError("wrong_kind", "the recipient is not a SERO address: expected sero1... or seror1...");
  }
}
