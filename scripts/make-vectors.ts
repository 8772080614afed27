// Rewrites test/vectors/protocol-v3.json. Run only for a deliberate protocol version change.
import { writeFileSync } from "node:fs";
import { computeProtocolVectors } from "../test/vectors/protocol-vectors.ts";

writeFileSync("test/vectors/protocol-v3.json", `${JSON.stringify(computeProtocolVectors(), null, 2)}\n`);
console.log("wrote test/vectors/protocol-v3.json");
