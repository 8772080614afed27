import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: plain Node for the pure core (protocol, consensus, ledger, circuits)
// and the Workers runtime (workerd via Miniflare) for the Worker, Durable Objects and D1.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/workers/**", "**/node_modules/**"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            // Migrations: applied to the test D1 by test/workers/setup.ts, as `npm start` applies them locally.
            // LOCAL_DEV: the local chain runs only under local tooling (src/chain/from-env.ts).
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations"), LOCAL_DEV: "1" } },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          // The chain tests wait for real consensus rounds, slower while the e2e testnets share the cores.
          testTimeout: 30_000,
          setupFiles: ["./test/workers/setup.ts"],
        },
      },
    ],
  },
});
