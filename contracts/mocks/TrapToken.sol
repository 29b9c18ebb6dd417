// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 that can be set, per account, to misbehave towards it: refuse transfers to it (a pause or a
/// blocklist), burn all the gas it is given on a transfer to it, revert with a huge revert payload (a
/// return-data bomb), or revert `balanceOf(account)`; and it can burn `transferFeeBps` of every transfer (a
/// fee-on-transfer token). Used to show that an arbitrator contract's ruling never depends on what the job's
/// token does when the arbitration fee is withdrawn, and that fees collected later are shared exactly.
contract TrapToken is ERC20 {
    enum Trap {
        None,
        RevertTransfer,
        BurnGas,
        RevertBomb,
        RevertBalanceOf
    }

    mapping(address account => Trap) public trapOf;
    uint256 public transferFeeBps;

    error Trapped(address account);

    constructor() ERC20("Trap", "TRAP") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setTrap(address account, Trap trap) external {
        trapOf[account] = trap;
    }

    function setTransferFee(uint256 bps) external {
        transferFeeBps = bps;
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (trapOf[account] == Trap.RevertBalanceOf) revert Trapped(account);
        return super.balanceOf(account);
    }

    function _update(address from, address to, uint256 value) internal override {
        Trap trap = trapOf[to];
        if (trap == Trap.RevertTransfer) revert Trapped(to);
        if (trap == Trap.BurnGas) {
            uint256 spin;
            while (gasleft() > 0) ++spin; // runs out of gas
        }
        if (trap == Trap.RevertBomb) {
            assembly ("memory-safe") {
                revert(0, 200000) // 200 kB of revert data, as far as the gas given allows
            }
        }
        if (from != address(0) && to != address(0) && transferFeeBps != 0) {
            uint256 fee = (value * transferFeeBps) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
