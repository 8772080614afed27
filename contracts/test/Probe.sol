// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Sero} from "../lib/Sero.sol";

/// @title Probe
/// @notice Test fixture, not an example: reaches each precompile of
/// PROTOCOL.md §10.5 through the library, and the edges the EVM side must
/// handle (malformed input, static calls, reentrancy around payouts, a revert
/// after a payout, out of gas, an invalid opcode, CREATE and CREATE2).
contract Probe {
    event Reentered(uint256 depth);

    function callValue() external view returns (uint8 kind, string memory name, uint256 amount, bytes32 ticketId) {
        Sero.Value memory value = Sero.callValue();
        return (value.kind, value.name, value.amount, value.ticketId);
    }

    /// The call value seen by a nested frame (§10.5: none).
    function nestedCallValueKind() external view returns (uint8) {
        (uint8 kind,,,) = this.callValue();
        return kind;
    }

    function balanceOf(string calldata symbol) external view returns (uint256) {
        return Sero.balanceOf(symbol);
    }

    function ownsTicket(string calldata category, bytes32 id) external view returns (bool) {
        return Sero.ownsTicket(category, id);
    }

    function beacon() external view returns (uint256 epochs, bytes32 value) {
        return Sero.beacon();
    }

    function sendToken(address to, string calldata symbol, uint256 amount) external {
        Sero.sendToken(to, symbol, amount);
    }

    function sendTicket(address to, string calldata category, bytes32 id) external {
        Sero.sendTicket(to, category, id);
    }

    function issueToken(string calldata symbol, uint8 decimals, uint256 cap) external {
        Sero.issueToken(symbol, decimals, cap);
    }

    function mintToken(string calldata symbol, uint256 amount) external {
        Sero.mintToken(symbol, amount);
    }

    function registerTicketCategory(string calldata category) external {
        Sero.registerTicketCategory(category);
    }

    function allotTicket(string calldata category, bytes32 id) external returns (bytes32) {
        return Sero.allotTicket(category, id);
    }

    /// Calls `precompile` with raw `input` (e.g. malformed) and reports the outcome.
    function rawCall(address precompile, bytes calldata input) external returns (bool ok, bytes memory output) {
        (ok, output) = precompile.call(input);
    }

    /// Reaches `precompile` by DELEGATECALL: a precompile must refuse it, or it
    /// would act for this contract's caller (PROTOCOL.md §10.5).
    function rawDelegateCall(address precompile, bytes calldata input) external returns (bool ok, bytes memory output) {
        (ok, output) = precompile.delegatecall(input);
    }

    /// As rawCall in a static frame: a precompile that writes must fail there.
    function rawStaticCall(address precompile, bytes calldata input) external view returns (bool ok, bytes memory output) {
        (ok, output) = precompile.staticcall(input);
    }

    /// Pays `payee` at every level, calling back into itself `depth` times.
    function reenter(address payee, string calldata symbol, uint256 amount, uint256 depth) external {
        Sero.sendToken(payee, symbol, amount);
        emit Reentered(depth);
        if (depth > 0) {
            this.reenter(payee, symbol, amount, depth - 1);
        }
    }

    /// Pays, then reverts: the payout must be undone with the frame.
    function sendThenRevert(address to, string calldata symbol, uint256 amount) external {
        Sero.sendToken(to, symbol, amount);
        revert("Probe: reverted after sending");
    }

    /// Pays `kept` in this frame and `undone` in a nested frame that reverts;
    /// only `kept` must remain.
    function sendAroundRevertedFrame(address to, string calldata symbol, uint256 kept, uint256 undone)
        external
        returns (bool nestedOk)
    {
        Sero.sendToken(to, symbol, kept);
        try this.sendThenRevert(to, symbol, undone) {
            nestedOk = true;
        } catch {
            nestedOk = false;
        }
    }

    /// Never returns: ends out of gas.
    function spin() external pure {
        for (;;) {}
    }

    /// Halts on the designated invalid opcode (0xfe).
    function invalidOpcode() external pure {
        assembly {
            invalid()
        }
    }

    /// Creates one child with CREATE and one with CREATE2 (`salt`).
    function createChildren(bytes32 salt) external returns (address created, address created2) {
        created = address(new ProbeChild());
        created2 = address(new ProbeChild{salt: salt}());
    }
}

/// @notice Created by Probe.createChildren; remembers its creator.
contract ProbeChild {
    address public immutable parent;

    constructor() {
        parent = msg.sender;
    }
}
