/**
 * The chain a deployment runs, from its env: CHAIN_ID and the GENESIS var.
 * The API Worker and the replicas both ask here, so they can never disagree
 * about the chain. Only a local chain (sero-local-*) may go without GENESIS:
 * it gets the labelled dev genesis (`localChainDefinition`). A local chain
 * runs only where LOCAL_DEV is set, which local tooling passes to
 * `wrangler dev` and no deployment carries: `wrangler deploy` without
 * `--env` deploys wrangler.toml's local chain, and that Worker refuses to run
 * rather than serve a chain whose validator keys are public.
 */
import { type ChainDefinition, localChainDefinition } from "./config.ts";
import { isLocalChain } from "./dev-keys.ts";
import { parseGenesisDocument } from "./genesis-document.ts";
import { GenesisConfigError } from "./genesis-error.ts";

export type ChainEnv = {
  readonly CHAIN_ID: string;
  /** Public genesis config (genesis-document.ts): a JSON string, or an object from a wrangler.toml table. */
  readonly GENESIS?: unknown;
  /** "1" only under local tooling (`npm start`, the tests): the marker a local chain needs. */
  readonly LOCAL_DEV?: string;
};

/** One entry: an isolate serves one deployment, whose vars never change while it lives. */
let cached: { readonly key: string; readonly chain: ChainDefinition } | undefined;

export function chainFromEnv(env: ChainEnv): ChainDefinition {
  if (isLocalChain(env.CHAIN_ID) && env.LOCAL_DEV !== "1") {
    throw new GenesisConfigError(
      `CHAIN_ID "${env.CHAIN_ID}" is a local dev chain, whose validator and faucet keys are public; it runs only ` +
        'under local tooling, which sets LOCAL_DEV = "1" (npm start; plain `wrangler dev --var LOCAL_DEV:1`). ' +
        'A deployment takes an environment with a real chain: `wrangler deploy --env testnet` (docs/OPERATING.md, "Deploying a testnet")',
    );
  }
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
