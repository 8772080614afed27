/**
 * A validator's side of a peer link, from Node, for the end-to-end suites:
 * the challenge, the signed upgrade, then binary frames as RFC 6455 §5 has a
 * client send them (masked). Node's own WebSocket client cannot set the
 * handshake headers, and a test needs nothing else of it.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Duplex } from "node:stream";

/** An upgrade to `url` with `headers`: its status, and the socket when a link opened (101). */
export function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; socket?: Duplex }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on("error", reject);
    req.end();
  });
}

/** One binary WebSocket frame from a client: FIN, opcode 2, masked (RFC 6455 §5.2, §5.3). */
export function clientFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.alloc(head + 4 + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = 0x80 | length;
  } else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, head);
  for (let i = 0; i < length; i++) {
    frame[head + 4 + i] = (payload[i] as number) ^ (mask[i % 4] as number);
  }
  return frame;
}
