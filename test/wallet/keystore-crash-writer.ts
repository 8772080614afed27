/**
 * Child process for the keystore crash test: rewrites the file at argv[2]
 * with writeFileAtomic forever, alternating two complete versions, until the
 * test SIGKILLs it. Prints "ready" once the first write has landed.
 */

import { writeFileAtomic } from "../../src/wallet/keystore/atomic-file.ts";
import { crashVersion } from "./keystore-crash-versions.ts";

const target = process.argv[2];
if (target === undefined) {
  throw new Error("usage: keystore-crash-writer.ts <file>");
}
const versions = [crashVersion(0), crashVersion(1)];
for (let i = 0; ; i++) {
  await writeFileAtomic(target, versions[i % 2] as Uint8Array);
  if (i === 0) {
    process.stdout.write("ready\n");
  }
}
