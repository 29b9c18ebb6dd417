// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IWorkEscrow} from "./interfaces/IWorkEscrow.sol";
import {SplitMath} from "./libraries/SplitMath.sol";

/// @title WorkEscrow
/// @notice See {IWorkEscrow} for the protocol, the roles and the trust model.
/// @dev Every mutating function follows one skeleton: check → update state → emit → transfer last.
/// Functions that move money are `nonReentrant` (transient-storage guard).
///
/// Storage layout of a job (see `JobData`), chosen so that the happy path touches as few slots as possible:
/// - slot 0 `jobHash`                                           written once, at creation
/// - slot 1 `requester | disputedAt | reviewPeriod | arbitratorId` written at creation and on dispute
/// - slot 2 `provider | status | deadline | submittedAt | flags` the hot slot: every transition writes it,
///   and accept/submit need nothing else (one cold SLOAD each)
/// - slot 3 `amount | tokenId | fee rates | proposalBps | approvalBitmap | jobType | threshold`
///   the money slot: read at settlement, written by approvals and proposals
/// - `_resultHashes[jobId]`                                     one new slot at submission
/// Token and arbitrator addresses are interned as uint32 ids (one mapping write the first time a token
/// or arbitrator is ever used) so that a uint128 amount, the token and the fee snapshot share one slot:
/// this saves one new storage slot (22,100 gas) on every job.
/// Fees: instead of two credit writes per settlement (treasury and community fund, ~14,000 gas with the
/// two recipient reads), fees accrue per token in one packed slot (`FeeAccrual`, ~7,000 gas) tagged with
/// the fee-recipient epoch. Changing recipients starts a new epoch; an accrual of an older epoch is flushed
/// to that epoch's recipients' credits before anything else touches it, so fees always belong to the
/// recipients in force when they were earned, exactly as if they had been credited at once.
/// Config packing: `platformFeeBps | communityFeeBps | arbitrationFeeBps | _lastJobId` are declared right
/// after OpenZeppelin's `_pendingOwner` and `_paused` and share their slot (checked by a storage layout
/// test), so `createJob` reads the pause flag, the fee rates and the job counter with one SLOAD.
contract WorkEscrow is IWorkEscrow, Ownable2Step, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice At most 16 approvers: approvals are a 16-bit bitmap in the job's money slot, so one
    /// approval costs the same with 1 or 16 approvers; 16 covers any realistic review committee.
    uint256 public constant MAX_APPROVERS = 16;
    /// @notice 1 hour minimum review window: long enough for a human or a bot to look, and far above any
    /// block-timestamp skew on L1 or L2.
    uint32 public constant MIN_REVIEW = 1 hours;
    /// @notice 30 days maximum review window: bounds how long a provider waits for silent acceptance
    /// (also fits the uint24 storage field).
    uint32 public constant MAX_REVIEW = 30 days;
    /// @notice 365 days maximum between creation and deadline: bounds how long money can sit in an
    /// untouched job before the permissionless refund.
    uint64 public constant MAX_DURATION = 365 days;
    /// @notice 7 days for the arbitrator to rule, counted from `disputedAt`; after that anyone can settle 50/50.
    uint64 public constant ARBITRATION_PERIOD = 7 days;
    /// @notice Platform fee cap, basis points (10%). Also caps platform + community.
    uint16 public constant MAX_PLATFORM_FEE_BPS = 1_000;
    /// @notice Community fee cap, basis points (5%).
    uint16 public constant MAX_COMMUNITY_FEE_BPS = 500;
    /// @notice Arbitration fee cap, basis points (10%).
    uint16 public constant MAX_ARBITRATION_FEE_BPS = 1_000;
    /// @notice Gas forwarded to a native-coin payout push. Enough for a smart wallet's `receive`, small
    /// enough that a gas-burning receiver cannot make a settlement run out of gas: it is credited instead.
    uint256 public constant PUSH_GAS_LIMIT = 50_000;

    uint256 private constant BPS = 10_000; // basis points in a whole
    uint8 private constant JOB_TYPE_COUNT = 2; // 0 compute, 1 storage
    uint8 private constant FLAG_DISPUTED_BY_PROVIDER = 1; // else disputed by the requester
    uint8 private constant FLAG_HAS_PROPOSAL = 2; // a settlement offer is standing
    uint8 private constant FLAG_PROPOSED_BY_PROVIDER = 4; // else proposed by the requester

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev A job in storage, packed in 4 slots (see the contract NatSpec).
    struct JobData {
        bytes32 jobHash;
        // slot 1 — the requester's side and the dispute clock
        address requester;
        uint40 disputedAt;
        uint24 reviewPeriod; // <= MAX_REVIEW (30 days) < 2^24 seconds
        uint32 arbitratorId;
        // slot 2 — lifecycle: accept and submit read and write only this slot
        address provider;
        Status status;
        uint40 deadline;
        uint40 submittedAt;
        uint8 flags;
        // slot 3 — money
        uint128 amount;
        uint32 tokenId; // 0 = native coin
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        uint16 proposalBps;
        uint16 approvalBitmap; // bit i set = approver i has approved
        uint8 jobType;
        uint8 threshold;
    }

    /// @dev Per-token settings and interned id (0 for the native coin and for never-used tokens).
    struct TokenInfo {
        uint32 id;
        uint128 minAmount;
    }

    /// @dev Platform and community fees of one token not yet moved into `_credits`, owed to the recipients
    /// of fee epoch `epoch`. uint112 each: an accrual that would overflow is flushed first.
    struct FeeAccrual {
        uint112 platform;
        uint112 community;
        uint32 epoch;
    }

    /// @dev Who receives fees during one fee epoch.
    struct FeeRecipients {
        address treasury;
        address communityFund;
    }

    /// @dev Arbitrator registry entry; `id` is kept after unregistering so old jobs still resolve it.
    struct ArbitratorInfo {
        uint32 id;
        bool registered;
    }

    // These four share OpenZeppelin's `_pendingOwner | _paused` slot (see contract NatSpec).
    /// @inheritdoc IWorkEscrow
    uint16 public platformFeeBps;
    /// @inheritdoc IWorkEscrow
    uint16 public communityFeeBps;
    /// @inheritdoc IWorkEscrow
    uint16 public arbitrationFeeBps;
    uint40 private _lastJobId;

    uint32 private _tokenCount;
    uint32 private _arbitratorCount;
    uint32 private _feeEpoch; // incremented by every setFeeRecipients; shares the slot with the counters

    mapping(uint256 jobId => JobData) private _jobs;
    mapping(uint256 jobId => bytes32) private _resultHashes;
    /// @dev 1-based position of an approver in the job's list (0 = not an approver).
    mapping(uint256 jobId => mapping(address account => uint8 position)) private _approverPositions;
    mapping(address token => mapping(address account => uint256)) private _credits;
    mapping(address token => TokenInfo) private _tokens;
    mapping(uint32 tokenId => address) private _tokenById;
    mapping(address arbitrator => ArbitratorInfo) private _arbitrators;
    mapping(uint32 arbitratorId => address) private _arbitratorById;
    mapping(uint32 epoch => FeeRecipients) private _feeRecipients;
    mapping(address token => FeeAccrual) private _feeAccruals;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param config everything a deployment sets up front (see `IWorkEscrow.InitialConfig`), so a
    /// deployment is one transaction and the deployer never needs admin rights (the Ignition module
    /// passes its parameters straight through). Each setting emits the event its admin setter emits.
    constructor(InitialConfig memory config) Ownable(config.admin) {
        _setFeeRecipients(config.treasury, config.communityFund);
        _setFees(config.platformFeeBps, config.communityFeeBps, config.arbitrationFeeBps);
        // Deployer-supplied lists, bounded by the deployment's own gas; never user data.
        for (uint256 i; i < config.arbitrators.length; ++i) _setArbitrator(config.arbitrators[i], true);
        for (uint256 i; i < config.minAmounts.length; ++i) {
            _setMinAmount(config.minAmounts[i].token, config.minAmounts[i].minAmount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function createJob(JobParams calldata p) external payable nonReentrant whenNotPaused returns (uint256 jobId) {
        TokenInfo memory info = _tokens[p.token];
        uint32 arbitratorId = _validateParams(p, info.minAmount);

        // Funds come in before the job is written: the amount escrowed is what actually arrived
        // (fee-on-transfer tokens). The call is guarded by nonReentrant and nothing has been written yet.
        uint256 received = _collect(p.token, p.amount);
        if (p.token != address(0) && info.id == 0) info.id = _internToken(p.token);

        jobId = ++_lastJobId;
        uint16 platformBps = platformFeeBps;
        uint16 communityBps = communityFeeBps;
        uint16 arbitrationBps = arbitrationFeeBps;
        _jobs[jobId] = JobData({
            jobHash: p.jobHash,
            requester: msg.sender,
            disputedAt: 0,
            reviewPeriod: uint24(p.reviewPeriod),
            arbitratorId: arbitratorId,
            provider: p.provider,
            status: Status.Open,
            deadline: uint40(p.deadline),
            submittedAt: 0,
            flags: 0,
            amount: uint128(received),
            tokenId: info.id,
            platformFeeBps: platformBps,
            communityFeeBps: communityBps,
            arbitrationFeeBps: arbitrationBps,
            proposalBps: 0,
            approvalBitmap: 0,
            jobType: p.jobType,
            threshold: uint8(p.threshold)
        });
        _storeApprovers(jobId, p);

        _emitJobCreated(jobId, p, received);
    }

    /// @inheritdoc IWorkEscrow
    function cancelJob(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Open);
        address requester = job.requester;
        if (msg.sender != requester) revert WorkEscrowUnauthorized(jobId, msg.sender);

        job.status = Status.Cancelled;
        uint256 amount = job.amount;
        emit JobCancelled(jobId, requester, amount);
        _push(jobId, _tokenOf(job), requester, amount);
    }

    /// @inheritdoc IWorkEscrow
    function release(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        Status status = job.status;
        if (status == Status.Submitted) {
            // The requester may always accept; anyone else only once the review window has fully passed.
            if (msg.sender != job.requester) {
                uint256 endsAt = uint256(job.submittedAt) + job.reviewPeriod;
                if (block.timestamp < endsAt) revert WorkEscrowReviewWindowOpen(jobId, endsAt);
            }
        } else if (status == Status.Accepted) {
            if (msg.sender != job.requester) revert WorkEscrowUnauthorized(jobId, msg.sender);
        } else {
            revert WorkEscrowInvalidStatus(jobId, status);
        }
        _release(jobId, job);
    }

    /*//////////////////////////////////////////////////////////////
                                PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function acceptJob(uint256 jobId) external {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Open);
        uint40 deadline = job.deadline;
        if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);

        address provider = job.provider;
        if (provider == address(0)) {
            // Open job: anyone who does not already hold a role in it.
            if (
                msg.sender == job.requester ||
                msg.sender == _arbitratorById[job.arbitratorId] ||
                _approverPositions[jobId][msg.sender] != 0
            ) revert WorkEscrowUnauthorized(jobId, msg.sender);
            job.provider = msg.sender;
        } else if (msg.sender != provider) {
            revert WorkEscrowUnauthorized(jobId, msg.sender);
        }
        job.status = Status.Accepted;
        emit JobAccepted(jobId, msg.sender);
    }

    /// @inheritdoc IWorkEscrow
    function submitWork(uint256 jobId, bytes32 resultHash) external {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Accepted);
        if (msg.sender != job.provider) revert WorkEscrowUnauthorized(jobId, msg.sender);
        uint40 deadline = job.deadline;
        if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);
        if (resultHash == bytes32(0)) revert WorkEscrowZeroResultHash(jobId);

        job.status = Status.Submitted;
        job.submittedAt = uint40(block.timestamp);
        _resultHashes[jobId] = resultHash;
        emit WorkSubmitted(jobId, msg.sender, resultHash);
    }

    /*//////////////////////////////////////////////////////////////
                                APPROVER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function approveWork(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Submitted);
        uint256 position = _approverPositions[jobId][msg.sender];
        if (position == 0) revert WorkEscrowUnauthorized(jobId, msg.sender);
        uint16 bitmap = job.approvalBitmap;
        uint16 bit = uint16(1 << (position - 1));
        if (bitmap & bit != 0) revert WorkEscrowAlreadyApproved(jobId, msg.sender);

        bitmap |= bit;
        job.approvalBitmap = bitmap;
        uint16 approvals = _popCount(bitmap);
        emit WorkApproved(jobId, msg.sender, approvals);
        if (approvals >= job.threshold) _release(jobId, job);
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function refundExpired(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        Status status = job.status;
        if (status != Status.Open && status != Status.Accepted) revert WorkEscrowInvalidStatus(jobId, status);
        uint40 deadline = job.deadline;
        if (block.timestamp <= deadline) revert WorkEscrowDeadlineNotPassed(jobId, deadline);

        job.status = Status.Refunded;
        address requester = job.requester;
        uint256 amount = job.amount;
        emit JobRefunded(jobId, requester, msg.sender, amount);
        _push(jobId, _tokenOf(job), requester, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function raiseDispute(uint256 jobId, string calldata reason) external {
        JobData storage job = _jobs[jobId];
        Status status = job.status;
        if (status != Status.Accepted && status != Status.Submitted) revert WorkEscrowInvalidStatus(jobId, status);
        bool byProvider = _requireParty(jobId, job);
        if (status == Status.Accepted) {
            uint40 deadline = job.deadline;
            if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);
        } else {
            // Strictly before the review window ends: from `submittedAt + reviewPeriod` on, anyone may release.
            uint256 endsAt = uint256(job.submittedAt) + job.reviewPeriod;
            if (block.timestamp >= endsAt) revert WorkEscrowReviewWindowClosed(jobId, endsAt);
        }

        job.status = Status.Disputed;
        job.disputedAt = uint40(block.timestamp);
        job.flags = byProvider ? FLAG_DISPUTED_BY_PROVIDER : 0;
        emit DisputeRaised(jobId, msg.sender, reason);
    }

    /// @inheritdoc IWorkEscrow
    function submitEvidence(uint256 jobId, string calldata uri) external {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        if (msg.sender != job.requester && msg.sender != job.provider && msg.sender != _arbitratorOf(job)) {
            revert WorkEscrowUnauthorized(jobId, msg.sender);
        }
        emit EvidenceSubmitted(jobId, msg.sender, uri);
    }

    /// @inheritdoc IWorkEscrow
    function proposeSettlement(uint256 jobId, uint16 providerBps) external {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        bool byProvider = _requireParty(jobId, job);
        if (providerBps > BPS) revert WorkEscrowInvalidBps(providerBps);

        uint8 flags = (job.flags & FLAG_DISPUTED_BY_PROVIDER) | FLAG_HAS_PROPOSAL;
        job.flags = byProvider ? flags | FLAG_PROPOSED_BY_PROVIDER : flags;
        job.proposalBps = providerBps;
        emit SettlementProposed(jobId, msg.sender, providerBps);
    }

    /// @inheritdoc IWorkEscrow
    function acceptSettlement(uint256 jobId, uint16 providerBps) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        bool byProvider = _requireParty(jobId, job);
        uint8 flags = job.flags;
        if (flags & FLAG_HAS_PROPOSAL == 0 || job.proposalBps != providerBps) {
            revert WorkEscrowNoMatchingProposal(jobId, providerBps);
        }
        if (((flags & FLAG_PROPOSED_BY_PROVIDER) != 0) == byProvider) revert WorkEscrowOwnProposal(jobId, msg.sender);

        _resolve(jobId, job, providerBps, Resolution.Agreed);
    }

    /// @inheritdoc IWorkEscrow
    function resolveDispute(uint256 jobId, uint16 providerBps) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        if (msg.sender != _arbitratorOf(job)) revert WorkEscrowUnauthorized(jobId, msg.sender);
        uint256 endsAt = uint256(job.disputedAt) + ARBITRATION_PERIOD;
        if (block.timestamp >= endsAt) revert WorkEscrowArbitrationPeriodOver(jobId, endsAt);
        if (providerBps > BPS) revert WorkEscrowInvalidBps(providerBps);

        _resolve(jobId, job, providerBps, Resolution.Arbitrated);
    }

    /// @inheritdoc IWorkEscrow
    function settleStaleDispute(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        uint256 endsAt = uint256(job.disputedAt) + ARBITRATION_PERIOD;
        if (block.timestamp < endsAt) revert WorkEscrowArbitrationPeriodActive(jobId, endsAt);

        _resolve(jobId, job, uint16(BPS / 2), Resolution.Stale);
    }

    /*//////////////////////////////////////////////////////////////
                                CREDITS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function withdraw(address token) external nonReentrant {
        _withdraw(token, msg.sender);
    }

    /// @inheritdoc IWorkEscrow
    function withdrawTo(address token, address to) external nonReentrant {
        if (to == address(0)) revert WorkEscrowZeroAddress();
        _withdraw(token, to);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function setFees(uint16 platformBps, uint16 communityBps, uint16 arbitrationBps) external onlyOwner {
        _setFees(platformBps, communityBps, arbitrationBps);
    }

    /// @inheritdoc IWorkEscrow
    function setFeeRecipients(address treasury_, address communityFund_) external onlyOwner {
        _setFeeRecipients(treasury_, communityFund_);
    }

    /// @inheritdoc IWorkEscrow
    function setArbitrator(address arbitrator, bool registered) external onlyOwner {
        _setArbitrator(arbitrator, registered);
    }

    /// @inheritdoc IWorkEscrow
    function setMinAmount(address token, uint256 minAmount_) external onlyOwner {
        _setMinAmount(token, minAmount_);
    }

    /// @inheritdoc IWorkEscrow
    function pause() external onlyOwner {
        _pause();
    }

    /// @inheritdoc IWorkEscrow
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Disabled: an escrow must always have an admin able to rotate fee recipients and arbitrators.
    function renounceOwnership() public view override onlyOwner {
        revert WorkEscrowRenounceDisabled();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrow
    function getJob(uint256 jobId) external view returns (Job memory view_) {
        JobData storage job = _jobs[jobId];
        uint8 flags = job.flags;
        view_.requester = job.requester;
        view_.provider = job.provider;
        view_.token = _tokenOf(job);
        view_.amount = job.amount;
        view_.deadline = job.deadline;
        view_.reviewPeriod = job.reviewPeriod;
        view_.jobType = job.jobType;
        view_.status = job.status;
        view_.jobHash = job.jobHash;
        view_.resultHash = _resultHashes[jobId];
        view_.arbitrator = _arbitratorOf(job);
        view_.threshold = job.threshold;
        view_.approvals = _popCount(job.approvalBitmap);
        view_.submittedAt = job.submittedAt;
        view_.platformFeeBps = job.platformFeeBps;
        view_.communityFeeBps = job.communityFeeBps;
        view_.arbitrationFeeBps = job.arbitrationFeeBps;
        view_.disputedAt = job.disputedAt;
        if (view_.disputedAt != 0) {
            view_.disputedBy = flags & FLAG_DISPUTED_BY_PROVIDER != 0 ? job.provider : job.requester;
        }
        if (flags & FLAG_HAS_PROPOSAL != 0) {
            view_.proposer = flags & FLAG_PROPOSED_BY_PROVIDER != 0 ? job.provider : job.requester;
            view_.proposalBps = job.proposalBps;
        }
    }

    /// @inheritdoc IWorkEscrow
    function withdrawable(address token, address account) external view returns (uint256 amount) {
        amount = _credits[token][account];
        FeeAccrual memory accrual = _feeAccruals[token];
        FeeRecipients storage r = _feeRecipients[accrual.epoch];
        if (account == r.treasury) amount += accrual.platform;
        if (account == r.communityFund) amount += accrual.community;
    }

    /// @inheritdoc IWorkEscrow
    function treasury() external view returns (address) {
        return _feeRecipients[_feeEpoch].treasury;
    }

    /// @inheritdoc IWorkEscrow
    function communityFund() external view returns (address) {
        return _feeRecipients[_feeEpoch].communityFund;
    }

    /// @inheritdoc IWorkEscrow
    function approverState(uint256 jobId, address account) external view returns (bool isApprover, bool approved) {
        uint256 position = _approverPositions[jobId][account];
        isApprover = position != 0;
        approved = isApprover && (_jobs[jobId].approvalBitmap & (1 << (position - 1))) != 0;
    }

    /// @inheritdoc IWorkEscrow
    function isArbitrator(address arbitrator) external view returns (bool) {
        return _arbitrators[arbitrator].registered;
    }

    /// @inheritdoc IWorkEscrow
    function minAmount(address token) external view returns (uint256) {
        return _tokens[token].minAmount;
    }

    /// @inheritdoc IWorkEscrow
    function jobCount() external view returns (uint256) {
        return _lastJobId;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Every check of `createJob` except the money's arrival; returns the arbitrator's id.
    function _validateParams(JobParams calldata p, uint256 minimum) private view returns (uint32 arbitratorId) {
        if (p.amount == 0) revert WorkEscrowZeroAmount();
        if (p.amount < minimum) revert WorkEscrowAmountBelowMinimum(p.token, p.amount, minimum);
        if (p.amount > type(uint128).max) revert WorkEscrowAmountTooLarge(p.amount, type(uint128).max);
        if (p.token == address(0)) {
            if (msg.value != p.amount) revert WorkEscrowValueMismatch(p.amount, msg.value);
        } else if (msg.value != 0) {
            revert WorkEscrowValueMismatch(0, msg.value);
        }
        uint256 latest = block.timestamp + MAX_DURATION;
        if (p.deadline <= block.timestamp || p.deadline > latest) {
            revert WorkEscrowInvalidDeadline(p.deadline, block.timestamp, latest);
        }
        if (p.reviewPeriod < MIN_REVIEW || p.reviewPeriod > MAX_REVIEW) {
            revert WorkEscrowInvalidReviewPeriod(p.reviewPeriod, MIN_REVIEW, MAX_REVIEW);
        }
        if (p.jobType >= JOB_TYPE_COUNT) revert WorkEscrowInvalidJobType(p.jobType);
        if (p.jobHash == bytes32(0)) revert WorkEscrowZeroJobHash();

        ArbitratorInfo memory arbitrator = _arbitrators[p.arbitrator];
        if (!arbitrator.registered || p.arbitrator == msg.sender) {
            revert WorkEscrowArbitratorNotRegistered(p.arbitrator);
        }
        if (p.provider == msg.sender || p.provider == p.arbitrator) revert WorkEscrowInvalidProvider(p.provider);

        uint256 count = p.approvers.length;
        if (count > MAX_APPROVERS) revert WorkEscrowTooManyApprovers(count, MAX_APPROVERS);
        if ((count == 0) != (p.threshold == 0) || p.threshold > count) {
            revert WorkEscrowInvalidThreshold(p.threshold, count);
        }
        return arbitrator.id;
    }

    /// @dev Writes the approver positions; rejects zero, duplicate and party addresses. At most 16 entries.
    function _storeApprovers(uint256 jobId, JobParams calldata p) private {
        uint256 count = p.approvers.length;
        for (uint256 i; i < count; ++i) {
            address approver = p.approvers[i];
            mapping(address => uint8) storage positions = _approverPositions[jobId];
            if (
                approver == address(0) ||
                approver == msg.sender ||
                approver == p.provider ||
                approver == p.arbitrator ||
                positions[approver] != 0
            ) revert WorkEscrowInvalidApprover(approver);
            positions[approver] = uint8(i + 1);
        }
    }

    /// @dev In its own frame to keep createJob's stack shallow; the rates are read back from the job (warm).
    function _emitJobCreated(uint256 jobId, JobParams calldata p, uint256 received) private {
        JobData storage job = _jobs[jobId];
        JobTerms memory terms = JobTerms({
            deadline: p.deadline,
            reviewPeriod: p.reviewPeriod,
            jobType: p.jobType,
            threshold: p.threshold,
            platformFeeBps: job.platformFeeBps,
            communityFeeBps: job.communityFeeBps,
            arbitrationFeeBps: job.arbitrationFeeBps
        });
        emit JobCreated(jobId, msg.sender, p.provider, p.token, received, p.jobHash, p.arbitrator, p.approvers, terms);
    }

    /// @dev Takes the payment in and returns what actually arrived.
    function _collect(address token, uint256 amount) private returns (uint256 received) {
        if (token == address(0)) return amount; // msg.value checked in _validateParams
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert WorkEscrowNothingReceived(token);
        // A token that delivers more than asked (or reports so) is credited no more than requested.
        if (received > amount) received = amount;
    }

    function _internToken(address token) private returns (uint32 id) {
        id = ++_tokenCount;
        _tokens[token].id = id;
        _tokenById[id] = token;
    }

    /// @dev Accepted/Submitted → Released: the whole amount to the provider, minus platform and community fees.
    function _release(uint256 jobId, JobData storage job) private {
        job.status = Status.Released;
        SplitMath.Split memory s = SplitMath.split(job.amount, BPS, 0, job.platformFeeBps, job.communityFeeBps);
        address token = _tokenOf(job);
        address provider = job.provider;
        _accrueFees(token, s.platformFee, s.communityFee);
        emit JobReleased(jobId, provider, msg.sender, s.provider, s.platformFee, s.communityFee);
        _push(jobId, token, provider, s.provider);
    }

    /// @dev Disputed → Resolved: the split of SplitMath, arbitration fee only when the arbitrator rules.
    function _resolve(uint256 jobId, JobData storage job, uint16 providerBps, Resolution resolution) private {
        job.status = Status.Resolved;
        SplitMath.Split memory s = SplitMath.split(
            job.amount,
            providerBps,
            resolution == Resolution.Arbitrated ? job.arbitrationFeeBps : 0,
            job.platformFeeBps,
            job.communityFeeBps
        );
        address token = _tokenOf(job);
        _accrueFees(token, s.platformFee, s.communityFee);
        if (s.arbitrationFee != 0) _credits[token][_arbitratorOf(job)] += s.arbitrationFee;
        emit DisputeResolved(
            jobId,
            msg.sender,
            resolution,
            providerBps,
            s.provider,
            s.requester,
            s.platformFee,
            s.communityFee,
            s.arbitrationFee
        );
        _push(jobId, token, job.provider, s.provider);
        _push(jobId, token, job.requester, s.requester);
    }

    /// @dev Fees are never pushed: they accrue for the current fee epoch's recipients (see contract NatSpec).
    function _accrueFees(address token, uint256 platformFee, uint256 communityFee) private {
        if (platformFee == 0 && communityFee == 0) return;
        uint32 epoch = _feeEpoch;
        FeeAccrual memory accrual = _feeAccruals[token];
        if (
            accrual.epoch != epoch ||
            platformFee > type(uint112).max - accrual.platform ||
            communityFee > type(uint112).max - accrual.community
        ) {
            _flushFees(token, accrual);
            accrual = FeeAccrual({platform: 0, community: 0, epoch: epoch});
            if (platformFee > type(uint112).max || communityFee > type(uint112).max) {
                // A single fee too large to accrue (amounts near uint128): credit it directly.
                _feeAccruals[token] = accrual;
                FeeRecipients storage r = _feeRecipients[epoch];
                _credits[token][r.treasury] += platformFee;
                _credits[token][r.communityFund] += communityFee;
                return;
            }
        }
        accrual.platform += uint112(platformFee);
        accrual.community += uint112(communityFee);
        _feeAccruals[token] = accrual;
    }

    /// @dev Moves an accrual into its epoch's recipients' credits (the caller resets the accrual).
    function _flushFees(address token, FeeAccrual memory accrual) private {
        FeeRecipients storage r = _feeRecipients[accrual.epoch];
        if (accrual.platform != 0) _credits[token][r.treasury] += accrual.platform;
        if (accrual.community != 0) _credits[token][r.communityFund] += accrual.community;
    }

    /// @dev Pays `amount` to `to`; if the transfer fails for any reason, credits it instead, so no
    /// recipient can block a settlement. Native pushes get PUSH_GAS_LIMIT gas and copy no return data
    /// (return-data bombs); ERC-20 pushes use OpenZeppelin's trySafeTransfer (reads 32 bytes at most).
    function _push(uint256 jobId, address token, address to, uint256 amount) private {
        if (amount == 0) return; // also protects revert-on-zero-transfer tokens
        bool ok;
        if (token == address(0)) {
            uint256 gasLimit = PUSH_GAS_LIMIT;
            assembly ("memory-safe") {
                ok := call(gasLimit, to, amount, 0, 0, 0, 0)
            }
        } else {
            ok = IERC20(token).trySafeTransfer(to, amount);
        }
        if (!ok) {
            _credits[token][to] += amount;
            emit Credited(jobId, token, to, amount);
        }
    }

    /// @dev Pays `account`'s whole credit to `to`, reverting if the transfer fails (the caller's own call).
    function _withdraw(address token, address to) private {
        address account = msg.sender;
        FeeAccrual memory accrual = _feeAccruals[token];
        if (accrual.platform != 0 || accrual.community != 0) {
            FeeRecipients storage r = _feeRecipients[accrual.epoch];
            if (account == r.treasury || account == r.communityFund) {
                _flushFees(token, accrual);
                _feeAccruals[token] = FeeAccrual({platform: 0, community: 0, epoch: accrual.epoch});
            }
        }
        uint256 amount = _credits[token][account];
        if (amount == 0) revert WorkEscrowNothingToWithdraw(token, account);
        _credits[token][account] = 0;
        emit Withdrawn(token, account, to, amount);
        if (token == address(0)) {
            bool ok;
            assembly ("memory-safe") {
                ok := call(gas(), to, amount, 0, 0, 0, 0)
            }
            if (!ok) revert WorkEscrowTransferFailed(token, to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _setFees(uint16 platformBps, uint16 communityBps, uint16 arbitrationBps) private {
        if (
            platformBps > MAX_PLATFORM_FEE_BPS ||
            communityBps > MAX_COMMUNITY_FEE_BPS ||
            uint256(platformBps) + communityBps > MAX_PLATFORM_FEE_BPS ||
            arbitrationBps > MAX_ARBITRATION_FEE_BPS
        ) revert WorkEscrowFeeTooHigh(platformBps, communityBps, arbitrationBps);
        platformFeeBps = platformBps;
        communityFeeBps = communityBps;
        arbitrationFeeBps = arbitrationBps;
        emit FeesUpdated(platformBps, communityBps, arbitrationBps);
    }

    /// @dev An arbitrator gets a permanent id on first registration; jobs store the id (4 bytes).
    function _setArbitrator(address arbitrator, bool registered) private {
        if (arbitrator == address(0)) revert WorkEscrowZeroAddress();
        ArbitratorInfo storage info = _arbitrators[arbitrator];
        if (info.id == 0) {
            uint32 id = ++_arbitratorCount;
            info.id = id;
            _arbitratorById[id] = arbitrator;
        }
        info.registered = registered;
        emit ArbitratorUpdated(arbitrator, registered);
    }

    function _setMinAmount(address token, uint256 minAmount_) private {
        if (minAmount_ > type(uint128).max) revert WorkEscrowAmountTooLarge(minAmount_, type(uint128).max);
        _tokens[token].minAmount = uint128(minAmount_);
        emit MinAmountUpdated(token, minAmount_);
    }

    function _setFeeRecipients(address treasury_, address communityFund_) private {
        if (treasury_ == address(0) || communityFund_ == address(0)) revert WorkEscrowZeroAddress();
        uint32 epoch = ++_feeEpoch;
        _feeRecipients[epoch] = FeeRecipients({treasury: treasury_, communityFund: communityFund_});
        emit FeeRecipientsUpdated(treasury_, communityFund_);
    }

    /// @dev Reverts unless the caller is the job's requester or provider; returns true for the provider.
    function _requireParty(uint256 jobId, JobData storage job) private view returns (bool isProvider) {
        if (msg.sender == job.provider) return true;
        if (msg.sender != job.requester) revert WorkEscrowUnauthorized(jobId, msg.sender);
        return false;
    }

    function _requireStatus(uint256 jobId, Status current, Status expected) private pure {
        if (current != expected) revert WorkEscrowInvalidStatus(jobId, current);
    }

    function _tokenOf(JobData storage job) private view returns (address) {
        uint32 id = job.tokenId;
        return id == 0 ? address(0) : _tokenById[id];
    }

    function _arbitratorOf(JobData storage job) private view returns (address) {
        return _arbitratorById[job.arbitratorId];
    }

    function _popCount(uint16 bitmap) private pure returns (uint16 count) {
        while (bitmap != 0) {
            bitmap &= bitmap - 1;
            ++count;
        }
    }
}
