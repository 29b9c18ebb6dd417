// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IArbitrable — the arbitrable side of ERC-792 (Arbitration Standard)
/// @notice A contract that creates disputes on an `IArbitrator` and enforces its rulings.
interface IArbitrable {
    /// @notice The arbitrator's final ruling `_ruling` was received for dispute `_disputeID`.
    event Ruling(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /// @notice The arbitrator gives its final ruling. Must only be accepted from the arbitrator that
    /// created the dispute. Ruling 0 means the arbitrator refused to (or could not) decide.
    function rule(uint256 _disputeID, uint256 _ruling) external;
}
