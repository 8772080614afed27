/**
 * Whom a faucet request comes from. Without a trusted proxy, the socket's
 * peer. Behind one (docs/OPERATING.md "A faucet for a deployed testnet"),
 * the right-most address of the header the proxy appends to: entries to its
 * left were written by the client and prove nothing, the last one is the
 * peer the proxy itself saw. The header is read only when configured, so a
 * client talking to the faucet directly cannot choose its own key.
 */
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

export type ClientAddressRule = {
  /** The header a trusted proxy appends the client's address to (e.g. X-Forwarded-For); absent: none. */
  readonly trustProxyHeader?: string | undefined;
};

export function clientAddress(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  rule: ClientAddressRule,
): string {
  const peer = socketAddress ?? "unknown";
  if (rule.trustProxyHeader === undefined) {
    return peer;
  }
  const value = headers[rule.trustProxyHeader.toLowerCase()];
  // Node joins repeated X-Forwarded-For lines with ", "; other headers may arrive as an array.
  const joined = Array.isArray(value) ? value.join(",") : value;
  const last = joined?.split(",").at(-1)?.trim();
  // A request without the header did not pass through the proxy: it is keyed on its own peer.
  return last !== undefined && isIP(last) !== 0 ? last : peer;
}
