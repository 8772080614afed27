/**
 * The chain a deployment runs, from its env: CHAIN_ID and the GENESIS var.
 * The API Worker and the replicas both ask here, so they can never disagree
 * about the chain. Only a local chain (sero-local-*) may go without GENESIS:
 * it gets the labelled dev genesis (`localChainDefinition`).
 */
import { type ChainDefinition, localChainDefinition } from "./config.ts";
import { isLocalChain } from "./dev-keys.ts";
import { GenesisConfigError, parseGenesisDocument } from "./genesis-document.ts";

export type ChainEnv = {
  readonly CHAIN_ID: string;
  /** Public genesis config (genesis-document.ts): a JSON string, or an object from a wrangler.toml table. */
  readonly GENESIS?: unknown;
};

/** One entry: an isolate serves one deployment, whose vars never change while it lives. */
let cached: { readonly key: string; readonly chain: ChainDefinition } | undefined;

export function chainFromEnv(env: ChainEnv): ChainDefinition {
  const genesis = env.GENESIS === "" ? undefined : env.GENESIS;
  const key = `${env.CHAIN_ID}\n${typeof genesis === "string" ? genesis : JSON.stringify(genesis ?? null)}`;
  if (cached?.key !== key) {
    cached = { key, chain: load(env.CHAIN_ID, genesis) };
  }
  return cached.chain;
}

function load(chainId: string, genesis: unknown): ChainDefinition {
  if (genesis !== undefined) {
    return parseGenesisDocument(genesis, chainId);
  }
  if (!isLocalChain(chainId)) {
    throw new GenesisConfigError(
      `GENESIS is not set: chain "${chainId}" is not a local chain (sero-local-*), so its validators and ` +
        'genesis allocation come from the GENESIS var (docs/OPERATING.md, "Deploying a testnet")',
    );
  }
  return localChainDefinition(chainId);
}
