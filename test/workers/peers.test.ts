/**
 * Peer links as an attacker sees them: a replica Durable Object refuses
 * replayed, forged and garbage handshakes before making any socket, keeps
 * one inbound link per validator. (The frame limits: test/durable-objects/peer-limits.test.ts.)
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localChainConfig } from "../../src/chain/config.ts";
import { committeeFromGenesis } from "../../src/consensus/index.ts";
import { challengeOf, localCommittee, openLink, peerHeaders, replicaStub } from "./peer-client.ts";

async function refused(res: Response): Promise<string> {
  expect(res.status).toBe(403);
  expect(res.webSocket).toBeNull();
  return res.text();
}

function closed(ws: WebSocket): Promise<CloseEvent> {
  return new Promise((resolve) => ws.addEventListener("close", resolve));
}

describe("peer links", () => {
  const replica = replicaStub(0);

  it("hands out a fresh challenge each time", async () => {
    const a = await challengeOf(replica);
    const b = await challengeOf(replica);
    expect(a).not.toEqual(b);
  });

  it("accepts a handshake once; its replay is refused", async () => {
    const headers = await peerHeaders(replica, 0, 1);
    const res = await openLink(replica, headers);
    expect(res.status).toBe(101);
    res.webSocket?.accept();
    expect(await refused(await openLink(replica, headers))).toBe("challenge already used");
  });

  it("refuses forged, misdirected, other-chain and garbage handshakes", async () => {
    expect(await refused(await openLink(replica, await peerHeaders(replica, 0, 1, 3)))).toBe(
      "handshake signature does not verify",
    );
    expect(await refused(await openLink(replica, await peerHeaders(replica, 2, 1)))).toBe(
      "handshake signature does not verify",
    );
    const otherChain = committeeFromGenesis({ ...localChainConfig("sero-local-2").consensus });
    expect(await refused(await openLink(replica, await peerHeaders(replica, 0, 1, 1, otherChain)))).toBe(
      "handshake signature does not verify",
    );
    expect(await refused(await openLink(replica, await peerHeaders(replica, 0, 0)))).toBe("not a peer validator");
    const garbage = fc.sample(
      fc.record({ "X-Sero-Peer": fc.string(), "X-Sero-Challenge": fc.string(), "X-Sero-Signature": fc.string() }),
      20,
    );
    for (const headers of garbage) {
      await refused(await openLink(replica, { Upgrade: "websocket", ...headers }));
    }
    expect(await refused(await openLink(replica, { Upgrade: "websocket" }))).toBe("not a peer validator");
    expect(localCommittee.n).toBe(4);
  });

  it("keeps one inbound link per peer: a newer one closes the older", async () => {
    const first = await openLink(replica, await peerHeaders(replica, 0, 2));
    const older = first.webSocket as WebSocket;
    older.accept();
    const closing = closed(older);
    const second = await openLink(replica, await peerHeaders(replica, 0, 2));
    expect(second.status).toBe(101);
    second.webSocket?.accept();
    const event = await closing;
    expect(event.code).toBe(4000);
    expect(event.reason).toBe("replaced by a newer link");
  });
});
