/**
 * npm start — applies the D1 migrations to the local database, runs the Worker
 * under wrangler dev (Miniflare, workerd), offline and without writing to the
 * home folder, and says where it is once it answers.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

const port = Number(process.env.PORT ?? 8787);
const url = `http://127.0.0.1:${port}`;
const configHome = resolve(".xdg");
mkdirSync(configHome, { recursive: true });

// wrangler phones home for metrics and updates; both are useless offline.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: configHome };

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], { stdio: "inherit", env });
if (migrate.status !== 0) {
  console.error("could not apply the D1 migrations to the local database");
  process.exit(migrate.status ?? 1);
}

const child = spawn(
  "npx",
  ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"],
  {
    stdio: ["ignore", "inherit", "inherit"],
    // wrangler phones home for metrics and updates; both are useless offline.
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: configHome },
  },
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code) => process.exit(code ?? 0));

async function announceWhenUp(): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const res = await fetch(`${url}/v1/status`);
      if (res.ok) {
        console.log(
          `\nSERO Edge local testnet (4 validators, dev keys) is up at ${url}\n` +
            `  status:   curl ${url}/v1/status\n  blocks:   curl ${url}/v1/blocks\n` +
            `  API:      curl ${url}/openapi.json\n  stop:     Ctrl-C (state stays in .wrangler/state)\n`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`SERO Edge did not answer at ${url} within 2 minutes`);
}
void announceWhenUp();
