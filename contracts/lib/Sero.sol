// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Sero
/// @notice The SERO system interface for contracts: one internal function per
/// precompile of PROTOCOL.md §10.5. Each precompile lives at a fixed address
/// and takes its arguments ABI-encoded without a selector (`abi.encode`).
/// A precompile that refuses a call (an unknown asset, a balance too small, a
/// used name, malformed arguments) reverts with `Error("sero: <code>")`, the
/// code of PROTOCOL.md §10.5; the wrapper reverts with that reason, or with
/// "Sero: <function> failed" if the precompile gave none (out of gas).
library Sero {
    /// What a call brought (PROTOCOL.md §10.5, `callValue`).
    uint8 internal constant KIND_NONE = 0;
    uint8 internal constant KIND_TOKEN = 1;
    uint8 internal constant KIND_TICKET = 2;

    /// A cap at or above this makes a token's supply unlimited (§10.5, `issueToken`);
    /// amounts are below it (PROTOCOL.md §4).
    uint256 internal constant UNLIMITED = 2 ** 128;

    /// The native coin (PROTOCOL.md §4), 18 decimals.
    string internal constant SERO = "SERO";

    address internal constant CALL_VALUE = address(0x5e01);
    address internal constant BALANCE_OF = address(0x5e02);
    address internal constant OWNS_TICKET = address(0x5e03);
    address internal constant SEND_TOKEN = address(0x5e04);
    address internal constant SEND_TICKET = address(0x5e05);
    address internal constant ISSUE_TOKEN = address(0x5e06);
    address internal constant MINT_TOKEN = address(0x5e07);
    address internal constant REGISTER_TICKET_CATEGORY = address(0x5e08);
    address internal constant ALLOT_TICKET = address(0x5e09);
    address internal constant BEACON = address(0x5e0a);

    /// The asset a transaction brought to the contract it called (§10.3).
    /// kind: KIND_NONE (name "", amount 0, ticketId 0), KIND_TOKEN (name the
    /// symbol, amount in base units, ticketId 0) or KIND_TICKET (name the
    /// category, amount 1, ticketId the ticket's id).
    struct Value {
        uint8 kind;
        string name;
        uint256 amount;
        bytes32 ticketId;
    }

    /// What the transaction brought, as seen by the frame the transaction
    /// called; every other frame (nested calls, contracts it calls) sees none.
    function callValue() internal view returns (Value memory value) {
        bytes memory output = _read(CALL_VALUE, "", "Sero: callValue failed");
        (value.kind, value.name, value.amount, value.ticketId) =
            abi.decode(output, (uint8, string, uint256, bytes32));
    }

    /// The token the call brought: its symbol and amount, or ("", 0) if it
    /// brought no token.
    function callToken() internal view returns (string memory symbol, uint256 amount) {
        Value memory value = callValue();
        if (value.kind == KIND_TOKEN) {
            return (value.name, value.amount);
        }
    }

    /// The ticket the call brought: its category and id, or ("", 0) if it
    /// brought no ticket.
    function callTicket() internal view returns (string memory category, bytes32 id) {
        Value memory value = callValue();
        if (value.kind == KIND_TICKET) {
            return (value.name, value.ticketId);
        }
    }

    /// How much of the token `symbol` the call brought: 0 if it brought
    /// nothing, a ticket or another token.
    function callAmountOf(string memory symbol) internal view returns (uint256) {
        (string memory brought, uint256 amount) = callToken();
        return sameName(brought, symbol) ? amount : 0;
    }

    /// This contract's balance of the token `symbol`.
    function balanceOf(string memory symbol) internal view returns (uint256) {
        return abi.decode(_read(BALANCE_OF, abi.encode(symbol), "Sero: balanceOf failed"), (uint256));
    }

    /// Whether this contract holds the ticket `id` of `category`.
    function ownsTicket(string memory category, bytes32 id) internal view returns (bool) {
        return abi.decode(_read(OWNS_TICKET, abi.encode(category, id), "Sero: ownsTicket failed"), (bool));
    }

    /// Pays `amount` of `symbol` from this contract: a note to `to`'s PKr if
    /// `to` is a caller, a credit if it is a contract (§10.4).
    function sendToken(address to, string memory symbol, uint256 amount) internal {
        _write(SEND_TOKEN, abi.encode(to, symbol, amount), "Sero: sendToken failed");
    }

    /// Gives the ticket `id` of `category` from this contract to `to`.
    function sendTicket(address to, string memory category, bytes32 id) internal {
        _write(SEND_TICKET, abi.encode(to, category, id), "Sero: sendTicket failed");
    }

    /// Registers the token `symbol` with this contract as its issuer; a `cap`
    /// of UNLIMITED or more means no cap.
    function issueToken(string memory symbol, uint8 decimals, uint256 cap) internal {
        _write(ISSUE_TOKEN, abi.encode(symbol, decimals, cap), "Sero: issueToken failed");
    }

    /// Mints `amount` of `symbol` into this contract's balance, within the
    /// cap; only the token's issuer may.
    function mintToken(string memory symbol, uint256 amount) internal {
        _write(MINT_TOKEN, abi.encode(symbol, amount), "Sero: mintToken failed");
    }

    /// Registers the ticket category `category` with this contract as its issuer.
    function registerTicketCategory(string memory category) internal {
        _write(REGISTER_TICKET_CATEGORY, abi.encode(category), "Sero: registerTicketCategory failed");
    }

    /// Allots a new ticket of `category` into this contract's balance and
    /// returns its id; `id` 0 lets the ledger choose one.
    function allotTicket(string memory category, bytes32 id) internal returns (bytes32) {
        return abi.decode(_write(ALLOT_TICKET, abi.encode(category, id), "Sero: allotTicket failed"), (bytes32));
    }

    /// SE-Random's public beacon (docs/CONSENSUS.md §8): `epochs` epochs were
    /// sealed before this block and `value` is the last one's beacon (the
    /// genesis beacon while `epochs` is 0). Unpredictable until its epoch is
    /// sealed, public after: draw from a beacon sealed after the draw's
    /// inputs were fixed, never keep secrets with it.
    function beacon() internal view returns (uint256 epochs, bytes32 value) {
        return abi.decode(_read(BEACON, "", "Sero: beacon failed"), (uint256, bytes32));
    }

    /// Whether two names (symbols or categories) are equal.
    function sameName(string memory a, string memory b) internal pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    function _read(address precompile, bytes memory input, string memory failure)
        private
        view
        returns (bytes memory output)
    {
        bool ok;
        (ok, output) = precompile.staticcall(input);
        _check(ok, output, failure);
    }

    function _write(address precompile, bytes memory input, string memory failure)
        private
        returns (bytes memory output)
    {
        bool ok;
        (ok, output) = precompile.call(input);
        _check(ok, output, failure);
    }

    /// Bubbles the precompile's own revert reason, so callers see why.
    function _check(bool ok, bytes memory output, string memory failure) private pure {
        if (!ok) {
            if (output.length > 0) {
                assembly {
                    revert(add(output, 32), mload(output))
                }
            }
            revert(failure);
        }
    }
}
