/**
 * A faucet given as --node (its port beside the node's) answers every node
 * path with not_found: when the node's status is not found, the URL is asked
 * whether it is a faucet (its GET /v1/faucet answer: drip, decimals,
 * balance), so the user is told which URL goes where.
 */
import { z } from "zod";
import { WalletError } from "../wallet/errors.ts";

const FaucetAnswer = z.object({ drip: z.string().regex(/^\d+$/), decimals: z.number(), balance: z.string() });

/** Whether `url` answers as a faucet does (false when it does not answer at all). */
export async function isFaucet(url: string, fetcher: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetcher(`${url}/v1/faucet`, { signal: AbortSignal.timeout(5_000) });
    return response.ok && FaucetAnswer.safeParse(await response.json()).success;
  } catch {
    return false;
  }
}

export function faucetAsNode(url: string): WalletError {
  return new WalletError(
    "node_is_faucet",
    `${url} is a faucet, not a node: give the node's URL as --node (or $SERO_NODE), and the faucet's as --faucet`,
  );
}
