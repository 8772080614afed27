/**
 * Validator keys for simulations. "ed25519" is the production scheme. "mac"
 * is a fast stand-in with the same interface for the thousands of random
 * schedules: replica i's signature is HMAC-SHA-512 keyed with a secret only i
 * (and the verifier) holds, so a Byzantine replica can sign as itself but
 * cannot forge anyone else, exactly the property the protocol relies on.
 */
import { createHash, createHmac } from "node:crypto";
import {
  type BeaconKeys,
  type Committee,
  type ConsensusParams,
  committeeFromGenesis,
  ecvrfBeaconKeys,
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
  /** Replica i's SE-Random VRF: ECVRF for "ed25519"; for "mac" a keyed hash, unique per key and alpha like a VRF. */
  beaconKeys(i: number): BeaconKeys;
}

function macBeaconKeys(chainId: string, secrets: readonly Uint8Array[], i: number): BeaconKeys {
  // An 80-byte "proof": HMAC-SHA-512 under the validator's secret, padded; the output hashes it.
  const proofFor = (sk: Uint8Array, alpha: Uint8Array) => {
    const proof = new Uint8Array(80);
    proof.set(createHmac("sha512", sk).update("sim-vrf").update(alpha).digest());
    return proof;
  };
  return {
    chainId,
    prove: (alpha) => proofFor(secrets[i] as Uint8Array, alpha),
    verify(validator, alpha, proof) {
      const sk = secrets[validator];
      if (sk === undefined || proof.length !== 80) {
        return undefined;
      }
      const want = proofFor(sk, alpha);
      return want.every((b, j) => b === proof[j])
        ? new Uint8Array(createHash("sha512").update(proof).digest())
        : undefined;
    },
  };
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
  const committee = committeeFromGenesis(genesis);
  const beaconKeys = (i: number): BeaconKeys =>
    scheme === "ed25519"
      ? ecvrfBeaconKeys(genesis.chainId, committee, secrets[i] as Uint8Array)
      : macBeaconKeys(genesis.chainId, secrets, i);
  return { genesis, committee, signers, verifier, secrets, beaconKeys };
}
