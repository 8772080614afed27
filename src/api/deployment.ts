/**
 * This deployment's chain and topology, from its vars. A misconfigured
 * deployment (no or bad GENESIS, bad VALIDATOR_INDEX/PEER_URLS) throws here,
 * and the app answers every request with 503 `misconfigured` naming the var.
 */
import type { ChainDefinition } from "../chain/config.ts";
import { chainFromEnv } from "../chain/from-env.ts";
import { GenesisConfigError } from "../chain/genesis-document.ts";
import { type Topology, TopologyError, topologyFromEnv } from "../chain/topology.ts";
import type { Bindings } from "./context.ts";

export type Deployment = { readonly chain: ChainDefinition; readonly topology: Topology };

export function deploymentOf(env: Bindings): Deployment {
  const chain = chainFromEnv(env);
  return { chain, topology: topologyFromEnv(env, chain.consensus.validators.length) };
}

export function isMisconfiguration(e: unknown): boolean {
  return e instanceof GenesisConfigError || e instanceof TopologyError;
}
