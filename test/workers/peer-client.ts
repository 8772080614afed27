/** Playing a peer validator against a replica Durable Object: a fresh challenge, then the signed upgrade. */
import { env } from "cloudflare:workers";
import { challengeFromBody, handshakeHeaders } from "../../durable-objects/peer-handshake.ts";
import { replicaName } from "../../durable-objects/replica.ts";
import { localChainConfig } from "../../src/chain/config.ts";
import { devValidatorSecret } from "../../src/chain/dev-keys.ts";
import { type Committee, committeeFromGenesis, ed25519Signer } from "../../src/consensus/index.ts";

const REPLICA = (env as unknown as { REPLICA: DurableObjectNamespace }).REPLICA;

export const localCommittee: Committee = committeeFromGenesis(localChainConfig("sero-local-1").consensus);

export function replicaStub(index: number): DurableObjectStub {
  return REPLICA.get(REPLICA.idFromName(replicaName(index)));
}

export async function challengeOf(replica: DurableObjectStub): Promise<Uint8Array> {
  const challenge = challengeFromBody(await (await replica.fetch("https://replica/peer/challenge")).json());
  if (!challenge) {
    throw new Error("no challenge");
  }
  return challenge;
}

/** Handshake headers claiming to be validator `from`, signed with dev key `keyOf` (default: its own). */
export async function peerHeaders(
  replica: DurableObjectStub,
  to: number,
  from: number,
  keyOf = from,
  committee = localCommittee,
): Promise<Record<string, string>> {
  return handshakeHeaders(committee, ed25519Signer(from, devValidatorSecret(keyOf)), to, await challengeOf(replica));
}

export function openLink(replica: DurableObjectStub, headers: Record<string, string>): Promise<Response> {
  return replica.fetch("https://replica/peer", { headers });
}
