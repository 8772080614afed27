/**
 * The local testnet's log of committed blocks: one line per new height,
 * polled from the node's API, printed where wrangler's line per HTTP request
 * used to be (scripts/local-testnet.ts isRequestLogLine).
 */
export type CommittedBlock = { readonly height: number; readonly txCount: number };

export function describeBlock(block: CommittedBlock, at: Date): string {
  const time = at.toTimeString().slice(0, 8);
  return `${time} block ${block.height} committed: ${block.txCount} transaction${block.txCount === 1 ? "" : "s"}`;
}

/** Polls `url` (each `intervalMs` while nothing is new) and prints every block committed above `tip`, in order, until `stopped()`. */
export async function logCommittedBlocks(
  url: string,
  tip: number | null,
  stopped: () => boolean,
  intervalMs = 1000,
): Promise<void> {
  let next = tip === null ? 0 : tip + 1;
  while (!stopped()) {
    const before = next;
    try {
      const response = await fetch(`${url}/v1/blocks?from=${next}`);
      const { blocks } = (await response.json()) as { blocks: CommittedBlock[] };
      for (const block of blocks) {
        // Heights come ascending from `next`; anything else is skipped rather than printed twice.
        if (block.height === next) {
          console.log(describeBlock(block, new Date()));
          next += 1;
        }
      }
    } catch {
      // The node is restarting or stopping: try again.
    }
    if (next === before) {
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
