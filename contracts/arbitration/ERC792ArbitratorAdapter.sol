// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IArbitrable} from "../interfaces/erc792/IArbitrable.sol";
import {IArbitrator} from "../interfaces/erc792/IArbitrator.sol";
import {IERC792ArbitratorAdapter} from "../interfaces/IERC792ArbitratorAdapter.sol";
import {IWorkEscrow} from "../interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../interfaces/IWorkEscrowTypes.sol";
import {Bounds} from "../libraries/Bounds.sol";
import {ArbitrationFeeCollector} from "./ArbitrationFeeCollector.sol";

/// @title ERC792ArbitratorAdapter — takes WorkEscrow disputes to an ERC-792 court (e.g. Kleros)
/// @notice See {IERC792ArbitratorAdapter} for the flow, the appeal cutoff, the ruling mapping, what happens to
/// the escrow's arbitration fee, and the trust model.
/// @dev Every function that moves money is `nonReentrant` and follows check → effects → events → interactions:
/// a case is marked created before the court is paid and applied before the escrow is called, so no ruling can
/// execute twice and no contribution can be spent twice. External calls go only to the escrow and the court
/// (both fixed at deployment), to the job's token inside the fee collection ({ArbitrationFeeCollector}: bounded
/// gas, failures caught in a ruling) and, last, to the caller for its own change.
contract ERC792ArbitratorAdapter is
    IERC792ArbitratorAdapter,
    ArbitrationFeeCollector,
    ReentrancyGuardTransient,
    ERC165
{
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC792ArbitratorAdapter
    uint256 public constant NUMBER_OF_CHOICES = 2;
    uint256 private constant RULING_REFUSED = 0; // the court refused to (or could not) decide
    uint256 private constant RULING_PROVIDER = 1; // pay the provider
    uint16 private constant BPS = 10_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    IArbitrator private immutable COURT;
    /// @dev Seconds before the end of a job's arbitration period at which appeals close (see the interface).
    uint256 private immutable MIN_APPEAL_TIME;
    bytes private _extraData;
    string private _metaEvidenceURI;
    /// @dev `<metaEvidenceURI>#escrow=<escrow>&job=`, to which each dispute appends its job id.
    string private _metaEvidencePrefix;

    mapping(uint256 jobId => CourtCase) private _cases;
    mapping(uint256 disputeId => uint256 jobId) private _jobOfDispute;
    mapping(address token => mapping(address account => uint256)) private _credits;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param escrow_ the WorkEscrow (its core address) whose disputes this adapter takes to court
    /// @param court_ the ERC-792 arbitrator (e.g. KlerosLiquid), fixed for good
    /// @param extraData_ passed to the court with every dispute and appeal (Kleros: subcourt id, juror count)
    /// @param metaEvidenceURI_ the ERC-1497 meta-evidence document (question, ruling options 1 = provider,
    /// 2 = requester); each dispute's `MetaEvidence` points at it followed by `#escrow=<escrow>&job=<jobId>`
    /// @param minAppealTime_ seconds, 1 to 90 days: appeals close this long before the job's arbitration period
    /// ends. Must exceed the court's longest round (from an appeal to its new ruling) plus its appeal period,
    /// with a margin for someone to execute the ruling (see {IERC792ArbitratorAdapter})
    constructor(
        IWorkEscrow escrow_,
        IArbitrator court_,
        bytes memory extraData_,
        string memory metaEvidenceURI_,
        uint256 minAppealTime_
    ) ArbitrationFeeCollector(escrow_) {
        if (address(escrow_) == address(0) || address(court_) == address(0)) revert AdapterZeroAddress();
        if (minAppealTime_ == 0 || minAppealTime_ > Bounds.MAX_ARBITRATION_PERIOD) {
            revert AdapterInvalidMinAppealTime(minAppealTime_, Bounds.MAX_ARBITRATION_PERIOD);
        }
        COURT = court_;
        MIN_APPEAL_TIME = minAppealTime_;
        _extraData = extraData_;
        _metaEvidenceURI = metaEvidenceURI_;
        _metaEvidencePrefix = string.concat(
            metaEvidenceURI_,
            "#escrow=",
            Strings.toHexString(address(escrow_)),
            "&job="
        );
    }

    /*//////////////////////////////////////////////////////////////
                                PARTIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC792ArbitratorAdapter
    function fundCourt(uint256 jobId) external payable nonReentrant {
        (IWorkEscrowTypes.Job memory job, ) = _disputedJob(jobId);
        bool byProvider = _requireParty(jobId, job);
        CourtCase storage c = _cases[jobId];
        if (c.created) revert AdapterAlreadyInCourt(jobId, c.disputeId);

        uint256 cost = COURT.arbitrationCost(_extraData);
        uint256 paid = uint256(c.paidByRequester) + c.paidByProvider;
        uint256 missing = cost > paid ? cost - paid : 0;
        uint256 taken = msg.value < missing ? msg.value : missing;
        if (taken == 0 && missing != 0) revert AdapterZeroValue();
        paid += taken;
        // msg.value is bounded by the coin's supply, far below 2^128.
        if (byProvider) c.paidByProvider += uint128(taken);
        else c.paidByRequester += uint128(taken);
        emit CourtFunded(jobId, msg.sender, taken, paid, cost);

        if (paid >= cost) {
            // The court's cost can only be below what is paid if it went down since the first contribution:
            // the surplus goes back to the contributors, so the contributions sum to exactly what the court got.
            if (paid > cost) _returnSurplus(jobId, job, c, paid - cost, paid);
            c.created = true;
            uint256 disputeId = COURT.createDispute{value: cost}(NUMBER_OF_CHOICES, _extraData);
            // A correct court never reuses an id; refusing one protects the job the id already belongs to.
            if (_jobOfDispute[disputeId] != 0) revert AdapterAlreadyInCourt(_jobOfDispute[disputeId], disputeId);
            c.disputeId = disputeId;
            _jobOfDispute[disputeId] = jobId;
            emit CourtDisputeCreated(jobId, disputeId, cost);
            emit MetaEvidence(jobId, string.concat(_metaEvidencePrefix, Strings.toString(jobId)));
            emit Dispute(COURT, disputeId, jobId, jobId);
        }
        if (msg.value > taken) _send(msg.sender, msg.value - taken);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function withdrawContribution(uint256 jobId) external nonReentrant {
        CourtCase storage c = _cases[jobId];
        if (c.created) revert AdapterAlreadyInCourt(jobId, c.disputeId);
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        bool byProvider = _requireParty(jobId, job);
        uint256 amount = byProvider ? c.paidByProvider : c.paidByRequester;
        if (amount == 0) revert AdapterNothingToWithdraw(address(0), msg.sender);
        if (byProvider) c.paidByProvider = 0;
        else c.paidByRequester = 0;
        emit ContributionWithdrawn(jobId, msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function submitEvidence(uint256 jobId, string calldata uri) external {
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        if (job.arbitrator != address(this)) revert AdapterNotJobArbitrator(jobId, job.arbitrator);
        if (job.status != IWorkEscrowTypes.Status.Disputed) revert AdapterNotDisputed(jobId, job.status);
        _requireParty(jobId, job);
        emit Evidence(COURT, jobId, msg.sender, uri);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function appeal(uint256 jobId) external payable nonReentrant {
        CourtCase storage c = _cases[jobId];
        if (!c.created) revert AdapterNotInCourt(jobId);
        uint256 disputeId = c.disputeId;
        if (c.ruled) revert AdapterAlreadyRuled(disputeId);
        // A new ruling must still be applicable, or the appeal would be money thrown away ...
        (, uint256 endsAt) = _disputedJob(jobId);
        // ... and there must be time for the court's new round and its appeal period before the period ends, or
        // the appeal would stall the ruling into the escrow's stale 50/50 (audit M-02).
        if (block.timestamp + MIN_APPEAL_TIME > endsAt) revert AdapterAppealsClosed(jobId, endsAt - MIN_APPEAL_TIME);
        (uint256 start, uint256 end) = COURT.appealPeriod(disputeId);
        if (
            COURT.disputeStatus(disputeId) != IArbitrator.DisputeStatus.Appealable ||
            block.timestamp < start ||
            block.timestamp >= end
        ) revert AdapterNotAppealable(jobId, disputeId, start, end);
        uint256 cost = COURT.appealCost(disputeId, _extraData);
        if (msg.value < cost) revert AdapterInsufficientPayment(msg.value, cost);

        ++c.appeals;
        emit AppealFunded(jobId, disputeId, msg.sender, cost);
        COURT.appeal{value: cost}(disputeId, _extraData);
        if (msg.value > cost) _send(msg.sender, msg.value - cost);
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC792ArbitratorAdapter
    function applyCurrentRuling(uint256 jobId) external nonReentrant {
        CourtCase storage c = _cases[jobId];
        if (!c.created) revert AdapterNotInCourt(jobId);
        uint256 disputeId = c.disputeId;
        if (c.ruled) revert AdapterAlreadyRuled(disputeId);
        (IWorkEscrowTypes.Job memory job, uint256 endsAt) = _disputedJob(jobId); // not yet applied, in time
        uint256 closeAt = endsAt - MIN_APPEAL_TIME;
        IArbitrator.DisputeStatus status = COURT.disputeStatus(disputeId);
        if (
            status != IArbitrator.DisputeStatus.Solved &&
            (status != IArbitrator.DisputeStatus.Appealable || block.timestamp <= closeAt)
        ) revert AdapterRulingNotFinal(jobId, disputeId, status, closeAt);
        uint256 ruling = COURT.currentRuling(disputeId);
        if (ruling > NUMBER_OF_CHOICES) revert AdapterInvalidRuling(ruling);

        emit CurrentRulingApplied(jobId, disputeId, msg.sender, status);
        _apply(jobId, disputeId, c, job, ruling);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function collectFee(uint256 jobId) external nonReentrant {
        CourtCase storage c = _cases[jobId];
        uint256 fee = c.feeOwed;
        if (fee == 0) revert AdapterNoFeeOwed(jobId);
        c.feeOwed = 0;
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        uint256 amount = _collectOwed(job.token, fee);
        emit FeeCollected(jobId, job.token, amount);
        _reimburse(jobId, job, c, amount);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function withdraw(address token) external nonReentrant {
        _withdraw(token, msg.sender);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function withdrawTo(address token, address to) external nonReentrant {
        if (to == address(0)) revert AdapterZeroAddress();
        _withdraw(token, to);
    }

    /// @notice Accepts the native coin only from the escrow (the arbitration fee, withdrawn after a ruling).
    receive() external payable {
        if (msg.sender != address(ESCROW)) revert AdapterUnexpectedPayment(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 COURT
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IArbitrable
    function rule(uint256 disputeId, uint256 ruling) external nonReentrant {
        if (msg.sender != address(COURT)) revert AdapterOnlyCourt(msg.sender);
        uint256 jobId = _jobOfDispute[disputeId];
        if (jobId == 0) revert AdapterUnknownDispute(disputeId);
        if (ruling > NUMBER_OF_CHOICES) revert AdapterInvalidRuling(ruling);
        CourtCase storage c = _cases[jobId];
        if (c.ruled) revert AdapterAlreadyRuled(disputeId);

        c.ruled = true;
        emit Ruling(COURT, disputeId, ruling);
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        if (
            c.applied ||
            job.status != IWorkEscrowTypes.Status.Disputed ||
            block.timestamp >= uint256(job.disputedAt) + job.arbitrationPeriod
        ) {
            // Already applied from the court's current ruling, settled by agreement, settled as stale, or too
            // late to rule: the escrow already paid (or will pay, with `settleStaleDispute`) everyone once; no fee
            // is credited for this call. A ruling applied earlier stays the case's `ruling`.
            if (!c.applied) c.ruling = uint8(ruling); // ≤ NUMBER_OF_CHOICES
            emit RulingNotApplied(jobId, disputeId, ruling, job.status);
            return;
        }
        _apply(jobId, disputeId, c, job, ruling);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC792ArbitratorAdapter
    function escrow() external view returns (IWorkEscrow) {
        return ESCROW;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function court() external view returns (IArbitrator) {
        return COURT;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function arbitratorExtraData() external view returns (bytes memory) {
        return _extraData;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function metaEvidenceURI() external view returns (string memory) {
        return _metaEvidenceURI;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function minAppealTime() external view returns (uint256) {
        return MIN_APPEAL_TIME;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function appealsCloseAt(uint256 jobId) external view returns (uint256) {
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        if (job.disputedAt == 0) return 0;
        return uint256(job.disputedAt) + job.arbitrationPeriod - MIN_APPEAL_TIME;
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function feeBook(address token) external view returns (uint256 owed, uint256 held) {
        return _feeBook(token);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function rulingToBps(uint256 ruling) external pure returns (uint16) {
        if (ruling > NUMBER_OF_CHOICES) revert AdapterInvalidRuling(ruling);
        return _rulingToBps(ruling);
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function caseOf(uint256 jobId) external view returns (CourtCase memory) {
        return _cases[jobId];
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function jobOfDispute(uint256 disputeId) external view returns (uint256) {
        return _jobOfDispute[disputeId];
    }

    /// @inheritdoc IERC792ArbitratorAdapter
    function withdrawable(address token, address account) external view returns (uint256) {
        return _credits[token][account];
    }

    /// @notice ERC-165: {IERC792ArbitratorAdapter}, ERC-792's {IArbitrable} and ERC-165 itself.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return
            interfaceId == type(IERC792ArbitratorAdapter).interfaceId ||
            interfaceId == type(IArbitrable).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The job and the end of its arbitration period, after checking that it named this adapter, is
    /// Disputed and its arbitration period runs.
    function _disputedJob(uint256 jobId) private view returns (IWorkEscrowTypes.Job memory job, uint256 endsAt) {
        job = ESCROW.getJob(jobId);
        if (job.arbitrator != address(this)) revert AdapterNotJobArbitrator(jobId, job.arbitrator);
        if (job.status != IWorkEscrowTypes.Status.Disputed) revert AdapterNotDisputed(jobId, job.status);
        endsAt = uint256(job.disputedAt) + job.arbitrationPeriod;
        if (block.timestamp >= endsAt) revert AdapterArbitrationPeriodOver(jobId, endsAt);
    }

    /// @dev Applies `ruling` (≤ NUMBER_OF_CHOICES) to the Disputed job within its period: effects first (the
    /// case is applied before the escrow is called, so no ruling executes twice), then the escrow, then the fee:
    /// collected and reimbursed at once, or recorded as owed when the token refuses (`collectFee`).
    function _apply(
        uint256 jobId,
        uint256 disputeId,
        CourtCase storage c,
        IWorkEscrowTypes.Job memory job,
        uint256 ruling
    ) private {
        c.applied = true;
        c.ruling = uint8(ruling); // ≤ NUMBER_OF_CHOICES
        uint16 providerBps = _rulingToBps(ruling);
        (uint256 fee, uint256 creditBefore) = _resolveOnEscrow(jobId, providerBps, job.token);
        emit RulingApplied(jobId, disputeId, ruling, providerBps, job.token, fee);
        if (fee == 0) return; // an arbitration fee rate of 0
        (bool collected, uint256 amount) = _tryCollect(job.token, fee, creditBefore);
        if (collected) {
            emit FeeCollected(jobId, job.token, amount);
            _reimburse(jobId, job, c, amount);
        } else {
            c.feeOwed = uint128(fee); // ≤ the job's remaining amount, a uint128 in the escrow
            emit FeeOwed(jobId, job.token, fee);
        }
    }

    /// @dev Reverts unless the caller is the job's requester or provider; returns true for the provider.
    function _requireParty(uint256 jobId, IWorkEscrowTypes.Job memory job) private view returns (bool) {
        if (msg.sender == job.provider) return true;
        if (msg.sender != job.requester) revert AdapterUnauthorized(jobId, msg.sender);
        return false;
    }

    function _rulingToBps(uint256 ruling) private pure returns (uint16) {
        if (ruling == RULING_REFUSED) return BPS / 2;
        return ruling == RULING_PROVIDER ? BPS : 0;
    }

    /// @dev Returns `surplus` of the `paid` contributions, pro rata (the requester's part rounded down, the
    /// provider the exact rest), as native-coin credits.
    function _returnSurplus(
        uint256 jobId,
        IWorkEscrowTypes.Job memory job,
        CourtCase storage c,
        uint256 surplus,
        uint256 paid
    ) private {
        uint256 toRequester = (surplus * c.paidByRequester) / paid;
        uint256 toProvider = surplus - toRequester; // ≤ paidByProvider, as surplus ≤ paid
        c.paidByRequester -= uint128(toRequester);
        c.paidByProvider -= uint128(toProvider);
        _credit(jobId, address(0), job.requester, toRequester);
        _credit(jobId, address(0), job.provider, toProvider);
    }

    /// @dev The escrow's fee (what arrived of it) to those who paid the court's arbitration cost, pro rata (the
    /// requester's part rounded down, the provider the exact rest); half each if the court charged nothing.
    function _reimburse(uint256 jobId, IWorkEscrowTypes.Job memory job, CourtCase storage c, uint256 fee) private {
        if (fee == 0) return;
        uint256 byRequester = c.paidByRequester;
        uint256 paid = byRequester + c.paidByProvider;
        uint256 toRequester = paid == 0 ? fee / 2 : (fee * byRequester) / paid; // fee, paid < 2^128: no overflow
        _credit(jobId, job.token, job.requester, toRequester);
        _credit(jobId, job.token, job.provider, fee - toRequester);
    }

    function _credit(uint256 jobId, address token, address account, uint256 amount) private {
        if (amount == 0) return;
        _credits[token][account] += amount;
        emit Credited(jobId, token, account, amount);
    }

    function _withdraw(address token, address to) private {
        uint256 amount = _credits[token][msg.sender];
        if (amount == 0) revert AdapterNothingToWithdraw(token, msg.sender);
        _credits[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, to, amount);
        if (token == address(0)) _send(to, amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    /// @dev Native coin to `to` with all the gas: only ever the caller's own money, to the caller or to where it
    /// asked, so a failure is the caller's to fix (it reverts).
    function _send(address to, uint256 amount) private {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert AdapterTransferFailed(to, amount);
    }
}
