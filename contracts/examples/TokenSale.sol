// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Sero} from "../lib/Sero.sol";

/// @title TokenSale
/// @notice Issues a fixed supply of a new token and sells it for SERO at a fixed
/// rate. A buyer calls `buy()` bringing SERO (PROTOCOL.md §10.3); the tokens go
/// to the buyer's PKr as a payout (§10.4). A buy that reverts gets its SERO back
/// from the ledger (§10.6).
contract TokenSale {
    /// Token base units per whole SERO (10^18 SERO base units).
    uint256 public immutable rate;
    address public immutable owner;
    string public symbol;

    event Sold(address indexed buyer, uint256 paid, uint256 tokens);

    /// Registers `symbol_` capped at `supply` base units and mints all of it
    /// into this contract's balance.
    constructor(string memory symbol_, uint8 decimals, uint256 supply, uint256 rate_) {
        // Amounts are below 2^128 (PROTOCOL.md §4), so paid * rate cannot overflow.
        require(supply > 0 && supply < Sero.UNLIMITED, "TokenSale: supply out of range");
        require(rate_ > 0 && rate_ < Sero.UNLIMITED, "TokenSale: rate out of range");
        rate = rate_;
        owner = msg.sender;
        symbol = symbol_;
        Sero.issueToken(symbol_, decimals, supply);
        Sero.mintToken(symbol_, supply);
    }

    /// Sells `paid * rate / 10^18` token base units for the SERO the call brought.
    function buy() external returns (uint256 tokens) {
        uint256 paid = Sero.callAmountOf(Sero.SERO);
        require(paid > 0, "TokenSale: pay in SERO");
        tokens = paid * rate / 1e18;
        require(tokens > 0, "TokenSale: too little SERO");
        require(tokens <= available(), "TokenSale: not enough tokens left");
        Sero.sendToken(msg.sender, symbol, tokens);
        emit Sold(msg.sender, paid, tokens);
    }

    /// Pays `amount` SERO base units of the proceeds to the owner.
    function withdraw(uint256 amount) external {
        require(msg.sender == owner, "TokenSale: not the owner");
        Sero.sendToken(owner, Sero.SERO, amount);
    }

    /// Token base units left for sale.
    function available() public view returns (uint256) {
        return Sero.balanceOf(symbol);
    }

    /// SERO base units held: the proceeds not yet withdrawn.
    function raised() external view returns (uint256) {
        return Sero.balanceOf(Sero.SERO);
    }
}
