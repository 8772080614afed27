/**
 * The committed-block log of `npm start` (scripts/block-log.ts), against a
 * node that answers pages out of order, repeats blocks and fails between
 * polls: every height is printed once, in order, starting above the tip.
 */
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeBlock, logCommittedBlocks } from "../../scripts/block-log.ts";

describe("describeBlock", () => {
  it("one line: time, height, transactions", () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    expect(describeBlock({ height: 7, txCount: 1 }, at)).toBe("03:04:05 block 7 committed: 1 transaction");
    expect(describeBlock({ height: 8, txCount: 0 }, at)).toBe("03:04:05 block 8 committed: 0 transactions");
  });
});

describe("logCommittedBlocks", () => {
  let server: Server | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  it("prints each new height once, in order, surviving bad answers", async () => {
    const answers: (string | number)[] = [
      JSON.stringify({ blocks: [{ height: 5, txCount: 1 }] }),
      500,
      "not json",
      JSON.stringify({ blocks: [] }),
      // A repeat, a gap and a block before the tip: none is printed out of order.
      JSON.stringify({
        blocks: [
          { height: 5, txCount: 1 },
          { height: 7, txCount: 2 },
          { height: 3, txCount: 0 },
        ],
      }),
      JSON.stringify({
        blocks: [
          { height: 6, txCount: 3 },
          { height: 7, txCount: 2 },
        ],
      }),
    ];
    const asked: string[] = [];
    server = createServer((req, res) => {
      asked.push(req.url ?? "");
      const answer = answers.shift() ?? JSON.stringify({ blocks: [] });
      res.writeHead(typeof answer === "number" ? answer : 200).end(typeof answer === "number" ? "" : answer);
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
    await logCommittedBlocks(url, 4, () => asked.length >= 8, 5);
    expect(lines.map((l) => l.slice(9))).toEqual([
      "block 5 committed: 1 transaction",
      "block 6 committed: 3 transactions",
      "block 7 committed: 2 transactions",
    ]);
    expect(asked[0]).toBe("/v1/blocks?from=5");
    expect(asked.at(-1)).toBe("/v1/blocks?from=8");
  });

  it("starts from block 0 when genesis is not indexed yet", async () => {
    const asked: string[] = [];
    server = createServer((req, res) => {
      asked.push(req.url ?? "");
      res.end(JSON.stringify({ blocks: [] }));
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await logCommittedBlocks(url, null, () => asked.length >= 1, 5);
    expect(asked).toEqual(["/v1/blocks?from=0"]);
  });
});
