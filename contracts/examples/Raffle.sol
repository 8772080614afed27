// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Sero} from "../lib/Sero.sol";

/// @title Raffle
/// @notice A fair draw on SE-Random's beacon (docs/CONSENSUS.md §8): entries
/// cost exactly `price` SERO until height `closeHeight`; `close` then pins
/// the number of sealed epochs, and `draw` picks the winner from the beacon
/// of the very next epoch, sealed after every entry was fixed, so no entrant
/// nor validator coalition of up to f could know it when entering (§8.2;
/// its bias is bounded by §8.3). The winner gets the whole pot. If nobody
/// draws during that epoch, `close` may be called again to pin a later one.
contract Raffle {
    /// SERO base units per entry.
    uint256 public immutable price;
    /// Entries are taken below this block height.
    uint256 public immutable closeHeight;
    address[] public entries;
    /// Epochs sealed when `close` was last called; the draw needs exactly one more.
    uint256 public pinned;
    bool public closed;
    address public winner;

    event Entered(address indexed player, uint256 entry);
    event Closed(uint256 sealedEpochs);
    event Drawn(address indexed winner, uint256 entry, bytes32 beacon, uint256 pot);

    constructor(uint256 price_, uint256 closeHeight_) {
        require(price_ > 0, "Raffle: zero price");
        price = price_;
        closeHeight = closeHeight_;
    }

    function entryCount() external view returns (uint256) {
        return entries.length;
    }

    /// One entry for exactly `price` SERO.
    function enter() external {
        require(block.number < closeHeight, "Raffle: entries closed");
        require(Sero.callAmountOf(Sero.SERO) == price, "Raffle: pay exactly the price in SERO");
        entries.push(msg.sender);
        emit Entered(msg.sender, entries.length - 1);
    }

    /// Pins the epochs sealed so far: the draw uses the beacon sealed next.
    function close() external {
        require(block.number >= closeHeight, "Raffle: entries still open");
        require(winner == address(0), "Raffle: already drawn");
        (uint256 sealedEpochs,) = Sero.beacon();
        require(!closed || sealedEpochs > pinned + 1, "Raffle: the pinned epoch can still be drawn");
        pinned = sealedEpochs;
        closed = true;
        emit Closed(sealedEpochs);
    }

    /// Draws the winner from the beacon of the epoch sealed right after `close`.
    function draw() external {
        require(closed, "Raffle: close first");
        require(winner == address(0), "Raffle: already drawn");
        require(entries.length > 0, "Raffle: no entries");
        (uint256 sealedEpochs, bytes32 value) = Sero.beacon();
        require(sealedEpochs == pinned + 1, "Raffle: not the pinned epoch's beacon");
        uint256 entry = uint256(keccak256(abi.encode(value, address(this)))) % entries.length;
        winner = entries[entry];
        uint256 pot = Sero.balanceOf(Sero.SERO);
        Sero.sendToken(winner, Sero.SERO, pot);
        emit Drawn(winner, entry, value, pot);
    }
}
