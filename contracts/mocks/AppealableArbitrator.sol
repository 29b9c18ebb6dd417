// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IArbitrable} from "../interfaces/erc792/IArbitrable.sol";
import {IArbitrator} from "../interfaces/erc792/IArbitrator.sol";

/// @title AppealableArbitrator — a centralized ERC-792 arbitrator with appeals, for tests and the demo
/// @notice Behaves as ERC-792 arbitrators such as Kleros's reference ones do: an arbitrable pays
/// `arbitrationCost` to `createDispute`; the owner gives a ruling, which starts an appeal period of
/// `appealWindow` seconds (`AppealPossible`); during `[start, end)` the arbitrable that created the dispute (and
/// only it, as KlerosLiquid requires: "Can only be called by the arbitrable contract.") may pay `appealCost`
/// (the arbitration cost doubled for each appeal already made) to `appeal` (`AppealDecision`), which sends the
/// dispute back to the owner for a new ruling; once the period has ended anyone calls `executeRuling`, which
/// makes the ruling final and calls `rule` on the arbitrable. The costs paid stay here (the owner's fees).
contract AppealableArbitrator is IArbitrator {
    struct DisputeData {
        IArbitrable arbitrable;
        uint256 choices;
        uint256 ruling;
        DisputeStatus status;
        uint256 appealStart;
        uint256 appealEnd;
        uint256 appeals;
    }

    address public immutable owner;
    uint256 public immutable appealWindow;
    uint256 public cost;
    DisputeData[] public disputes;

    error NotOwner(address caller);
    error NotArbitrable(uint256 disputeId, address caller);
    error InsufficientPayment(uint256 paid, uint256 required);
    error InvalidRuling(uint256 ruling, uint256 choices);
    error InvalidStatus(uint256 disputeId, DisputeStatus current);
    error OutsideAppealPeriod(uint256 disputeId, uint256 start, uint256 end);
    error AppealPeriodNotOver(uint256 disputeId, uint256 end);

    constructor(uint256 cost_, uint256 appealWindow_) {
        owner = msg.sender;
        cost = cost_;
        appealWindow = appealWindow_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice The owner changes the arbitration cost (as a court's governance would).
    function setArbitrationCost(uint256 cost_) external onlyOwner {
        cost = cost_;
    }

    function arbitrationCost(bytes calldata) public view returns (uint256) {
        return cost;
    }

    function appealCost(uint256 disputeId, bytes calldata) public view returns (uint256) {
        return cost << (disputes[disputeId].appeals + 1);
    }

    function createDispute(uint256 choices, bytes calldata extraData) external payable returns (uint256 disputeId) {
        uint256 required = arbitrationCost(extraData);
        if (msg.value < required) revert InsufficientPayment(msg.value, required);
        disputeId = disputes.length;
        disputes.push(
            DisputeData({
                arbitrable: IArbitrable(msg.sender),
                choices: choices,
                ruling: 0,
                status: DisputeStatus.Waiting,
                appealStart: 0,
                appealEnd: 0,
                appeals: 0
            })
        );
        emit DisputeCreation(disputeId, IArbitrable(msg.sender));
    }

    /// @notice The owner rules (0 = refuse, 1..choices); the ruling becomes appealable for `appealWindow`.
    function giveRuling(uint256 disputeId, uint256 ruling) external onlyOwner {
        DisputeData storage d = disputes[disputeId];
        if (ruling > d.choices) revert InvalidRuling(ruling, d.choices);
        if (d.status != DisputeStatus.Waiting) revert InvalidStatus(disputeId, d.status);
        d.ruling = ruling;
        d.status = DisputeStatus.Appealable;
        d.appealStart = block.timestamp;
        d.appealEnd = block.timestamp + appealWindow;
        emit AppealPossible(disputeId, d.arbitrable);
    }

    function appeal(uint256 disputeId, bytes calldata extraData) external payable {
        DisputeData storage d = disputes[disputeId];
        if (msg.sender != address(d.arbitrable)) revert NotArbitrable(disputeId, msg.sender);
        if (d.status != DisputeStatus.Appealable) revert InvalidStatus(disputeId, d.status);
        if (block.timestamp < d.appealStart || block.timestamp >= d.appealEnd) {
            revert OutsideAppealPeriod(disputeId, d.appealStart, d.appealEnd);
        }
        uint256 required = appealCost(disputeId, extraData);
        if (msg.value < required) revert InsufficientPayment(msg.value, required);
        d.appeals += 1;
        d.status = DisputeStatus.Waiting;
        d.appealStart = 0;
        d.appealEnd = 0;
        emit AppealDecision(disputeId, d.arbitrable);
    }

    /// @notice Anyone makes an unappealed ruling final once its appeal period is over: calls `rule`.
    function executeRuling(uint256 disputeId) external {
        DisputeData storage d = disputes[disputeId];
        if (d.status != DisputeStatus.Appealable) revert InvalidStatus(disputeId, d.status);
        if (block.timestamp < d.appealEnd) revert AppealPeriodNotOver(disputeId, d.appealEnd);
        d.status = DisputeStatus.Solved;
        d.arbitrable.rule(disputeId, d.ruling);
    }

    function appealPeriod(uint256 disputeId) external view returns (uint256 start, uint256 end) {
        DisputeData storage d = disputes[disputeId];
        return (d.appealStart, d.appealEnd);
    }

    /// @notice A ruling whose appeal period is over is final (Solved) even before `executeRuling` runs.
    function disputeStatus(uint256 disputeId) external view returns (DisputeStatus) {
        DisputeData storage d = disputes[disputeId];
        if (d.status == DisputeStatus.Appealable && block.timestamp >= d.appealEnd) return DisputeStatus.Solved;
        return d.status;
    }

    function currentRuling(uint256 disputeId) external view returns (uint256) {
        return disputes[disputeId].ruling;
    }

    function disputeCount() external view returns (uint256) {
        return disputes.length;
    }
}
