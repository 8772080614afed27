/**
 * The local testnet's port layout (scripts/testnet-ports.ts): defaults that
 * keep the faucet where `sero faucet` looks, env overrides, every bad or
 * colliding setting refused with the variable to change, and the check that
 * finds a port another process holds.
 */
import { createServer, type Server } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { PortLayoutError, portsTaken, testnetPorts } from "../../scripts/testnet-ports.ts";

describe("testnetPorts", () => {
  it("npm start: the node on 8787, the faucet on 8788, the inspector 1000 above the node", () => {
    const ports = testnetPorts({}, 1);
    expect(ports).toMatchObject({ nodes: [8787], faucet: 8788, inspectors: [9787] });
    expect(ports.listeners.map((l) => l.what)).toEqual(["the node", "the faucet", "the node's inspector"]);
  });

  it("one process per validator: validators skip the faucet's port, so sero faucet finds it on 8788", () => {
    const ports = testnetPorts({}, 4);
    expect(ports).toMatchObject({ nodes: [8787, 8789, 8790, 8791], faucet: 8788 });
    expect(ports.inspectors).toEqual([9787, 9789, 9790, 9791]);
  });

  it("honours PORT, FAUCET_PORT and INSPECTOR_PORT", () => {
    const env = { PORT: "9400", FAUCET_PORT: "9410", INSPECTOR_PORT: "9420" };
    expect(testnetPorts(env, 4)).toMatchObject({
      nodes: [9400, 9401, 9402, 9403],
      faucet: 9410,
      inspectors: [9420, 9421, 9422, 9423],
    });
    expect(testnetPorts({ PORT: "9400" }, 1)).toMatchObject({ nodes: [9400], faucet: 9401, inspectors: [10400] });
    expect(testnetPorts({ PORT: "", FAUCET_PORT: "" }, 1)).toMatchObject({ nodes: [8787], faucet: 8788 });
  });

  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "0" }],
    ["PORT", { PORT: "65536" }],
    ["PORT", { PORT: "-1" }],
    ["PORT", { PORT: "8787.5" }],
    ["PORT", { PORT: " 8787" }],
    ["PORT", { PORT: "0x2000" }],
    ["FAUCET_PORT", { FAUCET_PORT: "1e4" }],
    ["INSPECTOR_PORT", { INSPECTOR_PORT: "99999" }],
  ])("refuses a bad %s", (name, env) => {
    expect(() => testnetPorts(env, 4)).toThrow(PortLayoutError);
    expect(() => testnetPorts(env, 4)).toThrow(name);
  });

  it.each([
    [{ FAUCET_PORT: "8787" }, "PORT too"],
    [{ FAUCET_PORT: "9789" }, "the faucet and validator 2's inspector"],
    [{ INSPECTOR_PORT: "8790" }, "port 8790"],
    [{ PORT: "65535" }, "validator 1 would need port 65537"],
    [{ PORT: "64700" }, "inspector would need port 65700"],
  ])("refuses a layout where two listeners meet: %o", (env, message) => {
    expect(() => testnetPorts(env, 4)).toThrow(message);
  });

  it("any accepted layout gives every listener its own valid port, the node on PORT", () => {
    const port = fc.integer({ min: 1, max: 65_535 }).map(String);
    const env = fc.record({ PORT: port, FAUCET_PORT: port, INSPECTOR_PORT: port }, { requiredKeys: [] });
    fc.assert(
      fc.property(env, fc.integer({ min: 1, max: 7 }), (vars, processes) => {
        let ports: ReturnType<typeof testnetPorts>;
        try {
          ports = testnetPorts(vars, processes);
        } catch (e) {
          expect(e).toBeInstanceOf(PortLayoutError);
          return;
        }
        const all = ports.listeners.map((l) => l.port);
        expect(new Set(all).size).toBe(all.length);
        expect(all.length).toBe(2 * processes + 1);
        expect(all.every((p) => Number.isInteger(p) && p >= 1 && p <= 65_535)).toBe(true);
        expect(ports.nodes[0]).toBe(Number(vars.PORT ?? 8787));
      }),
    );
  });
});

describe("portsTaken", () => {
  const held: Server[] = [];
  afterEach(async () => {
    await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A port some other program listens on, at `host`. */
  async function hold(host: string): Promise<number> {
    const server = createServer();
    held.push(server);
    await new Promise<void>((r) => server.listen(0, host, r));
    return (server.address() as { port: number }).port;
  }

  it("names each listener whose port is held, on 127.0.0.1 or on every address", async () => {
    const local = await hold("127.0.0.1");
    const wildcard = await hold("0.0.0.0");
    const free = await hold("127.0.0.1");
    await new Promise((r) => held.pop()?.close(r));
    const taken = await portsTaken([
      { port: local, what: "validator 0" },
      { port: free, what: "the faucet" },
      { port: wildcard, what: "validator 1" },
    ]);
    expect(taken.map((l) => l.what)).toEqual(["validator 0", "validator 1"]);
  });

  it("leaves the ports it probed free", async () => {
    const port = await hold("127.0.0.1");
    await new Promise((r) => held.pop()?.close(r));
    expect(await portsTaken([{ port, what: "the node" }])).toEqual([]);
    expect(await portsTaken([{ port, what: "the node" }])).toEqual([]);
  });
});
