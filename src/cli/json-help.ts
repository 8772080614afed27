/** `sero help json`: the one schema of every command's --json output (README "The wallet's --json"). */
export const JSON_HELP = `sero --json: one JSON object on stdout per command, always under the same rules.

Amounts    base units (integers) as decimal strings, under their own key (amount, fee, supply,
           spendable, locked, incoming), and in the same object "display": the same keys with the
           amount in the asset's decimals. Fees are always SERO (18 decimals).
           {"fee": "1000", "display": {"fee": "0.000000000000001"}}
Assets     a token: "asset" (its 64-hex id) and "symbol"; a note's value is
           {"kind": "token", "asset", "symbol", "amount", "display": {"amount"}} or
           {"kind": "ticket", "category": NAME, "ticketId": 64 hex}. A ticket category is its name, as
           ticket issue --category takes it; a ticket id is 64 hex digits, as --ticket takes it.
Transactions  "txId", 64 hex digits, everywhere (registrationTxId, issuanceTxId when there are two).
Addresses  as typed: "address" sero1..., "recipient" the one-time address paid, seror1... (null when
           not known to this wallet, e.g. after a restore), "contract" seroc1....
Accounts   "kind": "spending" or "watch-only".
Errors     {"error": {"code": "stable_code", "message": "what to do"}} on stdout, exit status 1
           (130 after Ctrl-C, 2 with code internal_error for a bug); the same line on stderr.`;
