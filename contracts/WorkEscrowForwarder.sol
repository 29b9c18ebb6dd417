// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title WorkEscrowForwarder — OpenZeppelin's ERC-2771 forwarder, named for this suite
/// @notice Relays requests signed by a WorkEscrow user (EIP-712 `ForwardRequest`, domain name
/// "WorkEscrowForwarder", version "1"): anyone may send them and pay the gas; the escrow, which trusts this
/// forwarder from its deployment on, acts for the signer. Nonces, deadlines and signature checks are
/// OpenZeppelin's; nothing is added.
contract WorkEscrowForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("WorkEscrowForwarder") {}
}
