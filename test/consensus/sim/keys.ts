/**
 * Validator keys for simulations. "ed25519" is the production scheme. "mac"
 * is a fast stand-in with the same interface for the thousands of random
 * schedules: replica i's signature is HMAC-SHA-512 keyed with a secret only i
 * (and the verifier) holds, so a Byzantine replica can sign as itself but
 * cannot forge anyone else, exactly the property the protocol relies on.
 */
import { createHmac } from "node:crypto";
import {
  type Committee,
  type ConsensusParams,
  committeeFromGenesis,
  ed25519PublicKey,
  ed25519Signer,
  ed25519Verifier,
  type Genesis,
  hashTagged,
  type Signer,
  type Verifier,
} from "../../../src/consensus/index.ts";

export type SignatureScheme = "mac" | "ed25519";

export interface Keyring {
  readonly genesis: Genesis;
  readonly committee: Committee;
  readonly signers: readonly Signer[];
  readonly verifier: Verifier;
  /** Replica i's secret: its ed25519 seed (also its VRF key, vrf.ts) or its MAC key. */
  readonly secrets: readonly Uint8Array[];
}

function secret(scheme: SignatureScheme, seed: number, i: number): Uint8Array {
  const s = new Uint8Array(8);
  new DataView(s.buffer).setUint32(0, seed >>> 0);
  new DataView(s.buffer).setUint32(4, i);
  return hashTagged(`sim-key/${scheme}`, s);
}

const edCache = new Map<string, Uint8Array>();

export function makeKeyring(n: number, scheme: SignatureScheme, params: ConsensusParams, seed = 0): Keyring {
  const secrets = Array.from({ length: n }, (_, i) => secret(scheme, seed, i));
  let publicKeys: Uint8Array[];
  let signers: Signer[];
  let verifier: Verifier;
  if (scheme === "ed25519") {
    publicKeys = secrets.map((sk) => {
      const key = Array.from(sk).join(",");
      let pk = edCache.get(key);
      if (pk === undefined) {
        pk = ed25519PublicKey(sk);
        edCache.set(key, pk);
      }
      return pk;
    });
    signers = secrets.map((sk, i) => ed25519Signer(i, sk));
    verifier = ed25519Verifier(publicKeys);
  } else {
    publicKeys = secrets.map((sk) => hashTagged("sim-mac-id", sk));
    const mac = (key: Uint8Array, message: Uint8Array) =>
      new Uint8Array(createHmac("sha512", key).update(message).digest());
    signers = secrets.map((sk, i) => ({ id: i, sign: (m: Uint8Array) => mac(sk, m) }));
    verifier = {
      verify(from, message, signature) {
        const sk = secrets[from];
        if (sk === undefined || signature.length !== 64) {
          return false;
        }
        const want = mac(sk, message);
        let diff = 0;
        for (let i = 0; i < 64; i++) {
          diff |= (want[i] as number) ^ (signature[i] as number);
        }
        return diff === 0;
      },
    };
  }
  const genesis: Genesis = { chainId: `sero-sim-${scheme}`, validators: publicKeys, params };
  return { genesis, committee: committeeFromGenesis(genesis), signers, verifier, secrets };
}
