// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Sero} from "../lib/Sero.sol";

/// @title TicketBox
/// @notice Sells the tickets of one category it registers, each for exactly
/// `price` SERO brought by the call (PROTOCOL.md §10.3). Every sale allots a
/// fresh ticket with a ledger-chosen id and gives it to the buyer (§10.5).
contract TicketBox {
    /// SERO base units per ticket.
    uint256 public immutable price;
    address public immutable owner;
    string public category;
    uint256 public sold;

    event TicketSold(address indexed buyer, bytes32 id);

    constructor(string memory category_, uint256 price_) {
        require(price_ > 0, "TicketBox: zero price");
        price = price_;
        owner = msg.sender;
        category = category_;
        Sero.registerTicketCategory(category_);
    }

    /// Sells one new ticket for exactly `price` SERO.
    function buy() external returns (bytes32 id) {
        require(Sero.callAmountOf(Sero.SERO) == price, "TicketBox: pay exactly the price in SERO");
        sold += 1;
        id = Sero.allotTicket(category, 0);
        Sero.sendTicket(msg.sender, category, id);
        emit TicketSold(msg.sender, id);
    }

    /// Pays `amount` SERO base units of the proceeds to the owner.
    function withdraw(uint256 amount) external {
        require(msg.sender == owner, "TicketBox: not the owner");
        Sero.sendToken(owner, Sero.SERO, amount);
    }
}
