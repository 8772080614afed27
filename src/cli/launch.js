#!/usr/bin/env node
// The `sero` bin. The wallet is TypeScript run by Node's type stripping (on by default from Node 22.18):
// an older Node would fail on the first import with ERR_UNKNOWN_FILE_EXTENSION, so it is told what to do.
// The check lives here, not in package.json's engines, which npx checks against the system Node on every
// run (printing EBADENGINE warnings) even though `npm ci` installs Node 22 and npx runs sero with it.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: sero needs Node 22.18 or later, this is ${process.version}: run it as npx sero (after npm ci,` +
      " which installs Node 22 into node_modules) [old_node]\n",
  );
  process.exit(1);
}
await import("./sero.ts");
