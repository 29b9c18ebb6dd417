// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrable} from "./IArbitrable.sol";

/// @title IArbitrator — the arbitrator side of ERC-792 (Arbitration Standard)
/// @notice An arbitrator (e.g. a Kleros court) decides disputes that arbitrable contracts create by paying
/// `arbitrationCost`. It gives its final ruling by calling `IArbitrable.rule(disputeID, ruling)` on the
/// contract that created the dispute. Ruling 0 is reserved for "refused to arbitrate"; rulings 1..choices
/// are the options the arbitrable defined. Amounts are in the native coin (wei); times are unix seconds.
/// @dev Written from the ERC-792 specification (https://github.com/ethereum/EIPs/issues/792) and the
/// interface Kleros publishes in kleros/erc-792 (solidity ≥ 0.7 version).
interface IArbitrator {
    /// @notice Status of a dispute. `Appealable`: a ruling was given and may be appealed until the end of
    /// the appeal period. `Solved`: the ruling is final (the arbitrable has been or will be told).
    enum DisputeStatus {
        Waiting,
        Appealable,
        Solved
    }

    /// @notice A dispute was created by `_arbitrable`.
    event DisputeCreation(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);

    /// @notice The dispute got a ruling that can be appealed.
    event AppealPossible(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);

    /// @notice The current ruling of the dispute was appealed.
    event AppealDecision(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);

    /// @notice Creates a dispute; must be called by the arbitrable contract with at least
    /// `arbitrationCost(_extraData)` as msg.value.
    /// @param _choices number of ruling options (rulings 1.._choices; 0 = refused)
    /// @param _extraData arbitrator-specific data (e.g. Kleros: subcourt id and number of jurors)
    /// @return disputeID the new dispute's id
    function createDispute(uint256 _choices, bytes calldata _extraData) external payable returns (uint256 disputeID);

    /// @notice What `createDispute` costs now, wei.
    function arbitrationCost(bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice Appeals the current ruling; must be paid at least `appealCost(_disputeID, _extraData)` and
    /// happen within the appeal period.
    function appeal(uint256 _disputeID, bytes calldata _extraData) external payable;

    /// @notice What appealing the current ruling costs now, wei.
    function appealCost(uint256 _disputeID, bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice Start and end of the dispute's current appeal period (unix seconds); (0, 0) when no appeal
    /// is possible or the period is not known.
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end);

    /// @notice The dispute's status.
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus status);

    /// @notice The ruling given, or the one that will be given if nobody appeals.
    function currentRuling(uint256 _disputeID) external view returns (uint256 ruling);
}
