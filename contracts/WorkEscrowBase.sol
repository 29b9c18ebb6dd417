// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {IWorkEscrowTypes} from "./interfaces/IWorkEscrowTypes.sol";
import {Bounds} from "./libraries/Bounds.sol";

/// @title WorkEscrowBase — the storage and shared internals of a WorkEscrow deployment
/// @notice Inherited first by both `WorkEscrow` (the core) and `WorkEscrowExtension`, which runs on the core's
/// storage through `delegatecall`: the two must see one storage layout, so neither declares state variables of
/// its own before this contract's (the extension's OpenZeppelin EIP712/NoncesKeyed state comes after, in slots
/// the core never touches; a test compares both layouts).
/// @dev Storage layout of a job (see `JobData`), chosen so that the happy path touches as few slots as possible:
/// - slot 0 `jobHash`                                                     written once, at creation
/// - slot 1 `requester | disputedAt | reviewPeriod | arbitratorId | arbitrationPeriod` creation and dispute
/// - slot 2 `provider | status | deadline | submittedAt | flags`   the hot slot: every transition writes it,
///   and accept/submit need nothing else (one cold SLOAD each); `flags` says which optional slots exist
/// - slot 3 `amount | tokenId | fee rates | proposalBps | approvalBitmap | jobType | threshold` the money slot
/// - `_resultHashes[jobId]`                                               one new slot at submission
/// - `_options[jobId]` (see `JobOptionsData`): v2 optional terms, each slot written only when its option is used,
///   so a job that uses none costs what a v1 job cost.
/// Token and arbitrator addresses are interned as small ids (one mapping write the first time a token or
/// arbitrator is used) so that a uint128 amount, the token and the fee snapshot share one slot.
/// Fees: instead of two credit writes per settlement, fees accrue per token in one packed slot (`FeeAccrual`)
/// tagged with the fee-recipient epoch; the settlement event that names the fees (`JobReleased`,
/// `JobPartiallyReleased`, `DisputeResolved`) announces them as a credit of that epoch's recipients (the latest
/// `FeeRecipientsUpdated`), and `withdrawable` counts it. Changing recipients starts a new epoch;
/// an accrual of an older epoch is moved to that epoch's recipients' credits before anything else touches it.
/// Config packing: `platformFeeBps | communityFeeBps | arbitrationFeeBps | _lastJobId` follow OpenZeppelin's
/// `_pendingOwner` and `_paused` in one slot, so `createJob` reads the pause flag, the fee rates and the job
/// counter with one SLOAD.
abstract contract WorkEscrowBase is IWorkEscrowTypes, Ownable2Step, Pausable, ReentrancyGuardTransient, ERC2771Context {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant BPS = 10_000; // basis points in a whole
    uint8 internal constant JOB_TYPE_COUNT = 3; // 0 compute, 1 storage, 2 agent
    /// @dev Gas a push must leave to its caller after the callee used its whole stipend: the credit fallback
    /// (a new storage slot and an event) and the rest of the settlement. A push is attempted with its full
    /// stipend or not at all, so nobody can force a payout into a credit by sending too little gas.
    uint256 internal constant PUSH_GAS_RESERVE = 40_000;
    /// @dev Gas a push needs left before its call: the stipend, what the 63/64 rule keeps back, the reserve.
    uint256 internal constant NATIVE_PUSH_GAS_REQUIRED =
        Bounds.PUSH_GAS_LIMIT + Bounds.PUSH_GAS_LIMIT / 63 + PUSH_GAS_RESERVE;
    uint256 internal constant ERC20_PUSH_GAS_REQUIRED =
        Bounds.ERC20_PUSH_GAS_LIMIT + Bounds.ERC20_PUSH_GAS_LIMIT / 63 + PUSH_GAS_RESERVE;
    /// @dev ERC-2771: the original sender's address appended to the calldata by the trusted forwarder.
    uint256 internal constant ERC2771_SUFFIX_LENGTH = 20;

    // Job flags (slot 2). The first three describe the dispute and the standing offer; the others say which
    // optional slots of `_options[jobId]` hold data, so a job without options never reads them.
    uint8 internal constant FLAG_DISPUTED_BY_PROVIDER = 1; // else disputed by the requester
    uint8 internal constant FLAG_HAS_PROPOSAL = 2; // a settlement offer is standing
    uint8 internal constant FLAG_PROPOSED_BY_PROVIDER = 4; // else proposed by the requester
    uint8 internal constant FLAG_BOND_OR_TIP = 8; // options slot 0 (providerBond | keeperTip) is set
    uint8 internal constant FLAG_VERIFIER = 16; // options slot 1 (verifier | fee | verdict) is set
    uint8 internal constant FLAG_AGENT_REQUIRED = 32; // options slot 2 (agentId) applies
    uint8 internal constant FLAG_BIDS_ONLY = 64; // only `awardBid` gives the job a provider
    uint8 internal constant FLAG_BOND_POSTED = 128; // the provider's bond is held
    uint8 internal constant PROPOSAL_FLAGS = FLAG_HAS_PROPOSAL | FLAG_PROPOSED_BY_PROVIDER;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev A job in storage, packed in 4 slots (see the contract NatSpec). Times are unix seconds: uint40
    /// where there is room, uint32 for `disputedAt` (enough until 2106).
    struct JobData {
        bytes32 jobHash;
        // slot 1 — the requester's side and the dispute clock
        address requester;
        uint32 disputedAt;
        uint24 reviewPeriod; // <= Bounds.MAX_REVIEW (30 days) < 2^24 seconds
        uint16 arbitratorId; // registry ids are capped at 2^16 - 1
        uint24 arbitrationPeriod; // <= Bounds.MAX_ARBITRATION_PERIOD (90 days) < 2^24 seconds
        // slot 2 — lifecycle: accept and submit read and write only this slot
        address provider;
        Status status;
        uint40 deadline;
        uint40 submittedAt;
        uint8 flags;
        // slot 3 — money
        uint128 amount; // what remains escrowed for the work
        uint32 tokenId; // 0 = native coin
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        uint16 proposalBps;
        uint16 approvalBitmap; // bit i set = approver i has approved
        uint8 jobType;
        uint8 threshold;
    }

    /// @dev v2 optional terms and their live state; each slot is written only when used (see the flags).
    struct JobOptionsData {
        // slot 0 — creation, when a bond or a tip is set; the bond is rewritten with what arrived at acceptance
        uint128 providerBond;
        uint128 keeperTip;
        // slot 1 — creation, when a verifier is named; the verdict when it is given
        address verifier;
        uint16 verifierFeeBps;
        Verdict verdict;
        uint40 verdictAt; // when the verdict was given (a rejection opens the provider's dispute window)
        // slot 2 — creation, when an agent identity is required
        uint256 agentId;
        // slot 3 — partial payments
        uint128 released; // gross paid to the provider by partial releases
        uint128 refunded; // returned to the requester by partial refunds
        // slot 4 — the dispute deposit that arrived (only while it is held)
        uint128 disputeDeposit;
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
        uint16 id;
        bool registered;
        uint24 arbitrationPeriod;
    }

    // These four share OpenZeppelin's `_pendingOwner | _paused` slot (see contract NatSpec).
    uint16 internal _platformFeeBps;
    uint16 internal _communityFeeBps;
    uint16 internal _arbitrationFeeBps;
    uint40 internal _lastJobId;

    uint32 internal _tokenCount;
    uint16 internal _arbitratorCount;
    uint32 internal _feeEpoch; // incremented by every setFeeRecipients; shares the slot with the counters

    mapping(uint256 jobId => JobData) internal _jobs;
    mapping(uint256 jobId => bytes32) internal _resultHashes;
    mapping(uint256 jobId => JobOptionsData) internal _options;
    /// @dev 1-based position of an approver in the job's list (0 = not an approver).
    mapping(uint256 jobId => mapping(address account => uint8 position)) internal _approverPositions;
    mapping(address token => mapping(address account => uint256)) internal _credits;
    mapping(address token => TokenInfo) internal _tokens;
    mapping(uint32 tokenId => address) internal _tokenById;
    mapping(address arbitrator => ArbitratorInfo) internal _arbitrators;
    mapping(uint16 arbitratorId => address) internal _arbitratorById;
    mapping(uint32 epoch => FeeRecipients) internal _feeRecipients;
    mapping(address token => FeeAccrual) internal _feeAccruals;

    /// @dev What a job's creation needs after its checks (kept in memory to keep the stack shallow).
    struct Creation {
        address requester;
        uint32 tokenId;
        uint16 arbitratorId;
        uint24 arbitrationPeriod;
        uint8 flags;
        uint256 tip; // the keeper tip (0 without options)
        uint256 received; // what arrived for amount + tip
        uint16 platformFeeBps; // the rates snapshotted on the job (read once, for the job and its event)
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
    }

    /// @dev The ERC-8004 Identity Registry (an ERC-721 of agent ids) that `agentRequired` jobs check; 0 = none.
    address internal immutable IDENTITY_REGISTRY;

    constructor(address identityRegistry_) {
        IDENTITY_REGISTRY = identityRegistry_;
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Disabled: an escrow must always have an admin able to rotate fee recipients and arbitrators.
    function renounceOwnership() public view override onlyOwner {
        revert WorkEscrowRenounceDisabled();
    }

    function _setFees(uint16 platformBps, uint16 communityBps, uint16 arbitrationBps) internal {
        if (
            platformBps > Bounds.MAX_PLATFORM_FEE_BPS ||
            communityBps > Bounds.MAX_COMMUNITY_FEE_BPS ||
            uint256(platformBps) + communityBps > Bounds.MAX_PLATFORM_FEE_BPS ||
            arbitrationBps > Bounds.MAX_ARBITRATION_FEE_BPS
        ) revert WorkEscrowFeeTooHigh(platformBps, communityBps, arbitrationBps);
        _platformFeeBps = platformBps;
        _communityFeeBps = communityBps;
        _arbitrationFeeBps = arbitrationBps;
        emit FeesUpdated(platformBps, communityBps, arbitrationBps);
    }

    /// @dev An arbitrator gets a permanent id on first registration; jobs store the id (2 bytes) and snapshot
    /// the period (0 = Bounds.DEFAULT_ARBITRATION_PERIOD).
    function _setArbitrator(address arbitrator, bool registered, uint32 period) internal {
        if (arbitrator == address(0)) revert WorkEscrowZeroAddress();
        if (period == 0) period = Bounds.DEFAULT_ARBITRATION_PERIOD;
        if (period < Bounds.MIN_ARBITRATION_PERIOD || period > Bounds.MAX_ARBITRATION_PERIOD) {
            revert WorkEscrowInvalidArbitrationPeriod(
                period,
                Bounds.MIN_ARBITRATION_PERIOD,
                Bounds.MAX_ARBITRATION_PERIOD
            );
        }
        ArbitratorInfo storage info = _arbitrators[arbitrator];
        if (info.id == 0) {
            if (_arbitratorCount == type(uint16).max) revert WorkEscrowTooManyArbitrators();
            uint16 id = ++_arbitratorCount;
            info.id = id;
            _arbitratorById[id] = arbitrator;
        }
        info.registered = registered;
        info.arbitrationPeriod = uint24(period); // ≤ Bounds.MAX_ARBITRATION_PERIOD < 2^24, checked
        emit ArbitratorUpdated(arbitrator, registered, period);
    }

    function _setMinAmount(address token, uint256 minAmount_) internal {
        if (minAmount_ > type(uint128).max) revert WorkEscrowAmountTooLarge(minAmount_, type(uint128).max);
        _tokens[token].minAmount = uint128(minAmount_); // checked above
        emit MinAmountUpdated(token, minAmount_);
    }

    function _setFeeRecipients(address treasury_, address communityFund_) internal {
        if (treasury_ == address(0) || communityFund_ == address(0)) revert WorkEscrowZeroAddress();
        uint32 epoch = ++_feeEpoch;
        _feeRecipients[epoch] = FeeRecipients({treasury: treasury_, communityFund: communityFund_});
        emit FeeRecipientsUpdated(epoch, treasury_, communityFund_);
    }

    /*//////////////////////////////////////////////////////////////
                             ERC-2771 CONTEXT
    //////////////////////////////////////////////////////////////*/

    /// @dev ERC2771Context's rule (the last 20 bytes of the calldata when the trusted forwarder calls with at
    /// least 20 bytes, else `msg.sender`), without its chain of virtual calls: every operation reads it.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address sender) {
        sender = msg.sender;
        if (sender == trustedForwarder() && msg.data.length >= ERC2771_SUFFIX_LENGTH) {
            sender = address(bytes20(msg.data[msg.data.length - ERC2771_SUFFIX_LENGTH:]));
        }
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal pure override(Context, ERC2771Context) returns (uint256) {
        return ERC2771_SUFFIX_LENGTH;
    }

    /*//////////////////////////////////////////////////////////////
                           SHARED INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev When a Submitted job's review window ends: `submittedAt + reviewPeriod`; after a verifier's rejection,
    /// `verdictAt + reviewPeriod`, so a rejection (even in the window's last second) leaves the provider a whole
    /// review period to dispute before anyone can refund the requester.
    function _reviewEnd(uint256 jobId, JobData storage job) internal view returns (uint256) {
        if (job.flags & FLAG_VERIFIER != 0) {
            JobOptionsData storage o = _options[jobId];
            if (o.verdict == Verdict.Rejected) return uint256(o.verdictAt) + job.reviewPeriod;
        }
        return uint256(job.submittedAt) + job.reviewPeriod;
    }

    /// @dev Reverts unless `account` is the job's requester or provider; returns true for the provider.
    function _requireParty(uint256 jobId, JobData storage job, address account) internal view returns (bool) {
        if (account == job.provider) return true;
        if (account != job.requester) revert WorkEscrowUnauthorized(jobId, account);
        return false;
    }

    function _requireStatus(uint256 jobId, Status current, Status expected) internal pure {
        if (current != expected) revert WorkEscrowInvalidStatus(jobId, current);
    }

    /// @dev Settlement offers: Accepted, Submitted or Disputed.
    function _requireSettleable(uint256 jobId, Status status) internal pure {
        if (status != Status.Accepted && status != Status.Submitted && status != Status.Disputed) {
            revert WorkEscrowInvalidStatus(jobId, status);
        }
    }

    /// @dev Whether `account` already holds a role in the job other than provider (so cannot become its provider).
    function _holdsRole(uint256 jobId, JobData storage job, address account) internal view returns (bool) {
        return
            account == job.requester ||
            account == _arbitratorById[job.arbitratorId] ||
            _approverPositions[jobId][account] != 0 ||
            (job.flags & FLAG_VERIFIER != 0 && account == _options[jobId].verifier);
    }

    /// @dev For an `agentRequired` job, reverts unless `account` owns the job's ERC-8004 agent identity now.
    /// The registry is fixed at deployment; a registry that reverts (an unknown id) counts as "not the owner".
    function _requireAgentOwner(uint256 jobId, address account) internal view {
        uint256 agentId = _options[jobId].agentId;
        try IERC721(IDENTITY_REGISTRY).ownerOf(agentId) returns (address agentOwner) {
            if (agentOwner == account) return;
        } catch {} // solhint-disable-line no-empty-blocks
        revert WorkEscrowNotAgentOwner(jobId, account, agentId);
    }

    function _tokenOf(JobData storage job) internal view returns (address) {
        return _tokenFromId(job.tokenId);
    }

    function _tokenFromId(uint32 id) internal view returns (address) {
        return id == 0 ? address(0) : _tokenById[id];
    }

    function _arbitratorOf(JobData storage job) internal view returns (address) {
        return _arbitratorById[job.arbitratorId];
    }

    /// @dev Credits `amount` of `token` to `account`'s withdrawable balance, with its event.
    function _credit(uint256 jobId, address token, address account, uint256 amount) internal {
        _credits[token][account] += amount;
        emit Credited(jobId, token, account, amount);
    }

    /// @dev Pays `amount` to `to`; if the transfer fails for any reason, credits it instead, so no recipient can
    /// block a settlement. Both kinds of push forward a fixed stipend and copy at most 32 bytes of return data
    /// (return-data bombs): Bounds.PUSH_GAS_LIMIT for the native coin, Bounds.ERC20_PUSH_GAS_LIMIT for an ERC-20 `transfer`
    /// (a token hook that burns gas is cut off). The push reverts if the transaction has too little gas left to
    /// give the full stipend and still credit, so a caller cannot force a payout into a credit.
    function _push(uint256 jobId, address token, address to, uint256 amount) internal {
        if (amount == 0) return; // also protects revert-on-zero-transfer tokens
        bool ok;
        if (token == address(0)) {
            if (gasleft() < NATIVE_PUSH_GAS_REQUIRED) _revertInsufficientGas(NATIVE_PUSH_GAS_REQUIRED);
            uint256 gasLimit = Bounds.PUSH_GAS_LIMIT;
            assembly ("memory-safe") {
                ok := call(gasLimit, to, amount, 0, 0, 0, 0)
            }
        } else {
            if (gasleft() < ERC20_PUSH_GAS_REQUIRED) _revertInsufficientGas(ERC20_PUSH_GAS_REQUIRED);
            uint256 gasLimit = Bounds.ERC20_PUSH_GAS_LIMIT;
            // OpenZeppelin SafeERC20's trySafeTransfer, with a gas stipend instead of all the gas.
            bytes memory data = abi.encodeCall(IERC20.transfer, (to, amount));
            uint256 returnSize;
            uint256 returnValue;
            assembly ("memory-safe") {
                ok := call(gasLimit, token, 0, add(data, 0x20), mload(data), 0, 0x20)
                returnSize := returndatasize()
                returnValue := mload(0)
            }
            ok = ok && (returnSize == 0 ? token.code.length > 0 : returnValue == 1);
        }
        if (!ok) _credit(jobId, token, to, amount);
    }

    function _revertInsufficientGas(uint256 required) private view {
        revert WorkEscrowInsufficientGas(gasleft(), required);
    }

    /// @dev Fees are never pushed: they accrue for the current fee epoch's recipients, announced by the
    /// caller's settlement event, which names them (see contract NatSpec).
    function _accrueFees(address token, uint256 platformFee, uint256 communityFee) internal {
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
        // Both fit: checked above against the room left in the accrual.
        accrual.platform += uint112(platformFee);
        accrual.community += uint112(communityFee);
        _feeAccruals[token] = accrual;
    }

    /// @dev Moves an accrual into its epoch's recipients' credits (the caller resets the accrual). Announced
    /// already by the settlement events when the fees accrued, so no event here.
    function _flushFees(address token, FeeAccrual memory accrual) internal {
        FeeRecipients storage r = _feeRecipients[accrual.epoch];
        if (accrual.platform != 0) _credits[token][r.treasury] += accrual.platform;
        if (accrual.community != 0) _credits[token][r.communityFund] += accrual.community;
    }

    /// @dev Number of approvals in a 16-bit bitmap, in constant time (SWAR), so every approval costs the same.
    function _popCount(uint16 bitmap) internal pure returns (uint16) {
        unchecked {
            uint256 x = bitmap;
            x = x - ((x >> 1) & 0x5555);
            x = (x & 0x3333) + ((x >> 2) & 0x3333);
            x = (x + (x >> 4)) & 0x0F0F;
            return uint16((x + (x >> 8)) & 0x1F);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  CREATION
    //////////////////////////////////////////////////////////////*/

    /// @dev Every check of a creation except the money's arrival.
    function _checkCreation(JobParams calldata p, address requester) internal view returns (Creation memory c) {
        c.requester = requester;
        TokenInfo memory info = _tokens[p.token];
        c.tokenId = info.id;
        uint256 amount = p.amount;
        if (amount == 0) revert WorkEscrowZeroAmount();
        if (amount < info.minAmount) revert WorkEscrowAmountBelowMinimum(p.token, amount, info.minAmount);
        if (amount > type(uint128).max) revert WorkEscrowAmountTooLarge(amount, type(uint128).max);
        uint256 earliest = block.timestamp + Bounds.MIN_WORK_TIME;
        uint256 latest = block.timestamp + Bounds.MAX_DURATION;
        if (p.deadline < earliest || p.deadline > latest)
            revert WorkEscrowInvalidDeadline(p.deadline, earliest, latest);
        if (p.reviewPeriod < Bounds.MIN_REVIEW || p.reviewPeriod > Bounds.MAX_REVIEW) {
            revert WorkEscrowInvalidReviewPeriod(p.reviewPeriod, Bounds.MIN_REVIEW, Bounds.MAX_REVIEW);
        }
        if (p.jobType >= JOB_TYPE_COUNT) revert WorkEscrowInvalidJobType(p.jobType);
        if (p.jobHash == bytes32(0)) revert WorkEscrowZeroJobHash();

        ArbitratorInfo memory arbitrator = _arbitrators[p.arbitrator];
        if (!arbitrator.registered || p.arbitrator == requester) revert WorkEscrowArbitratorNotRegistered(p.arbitrator);
        c.arbitratorId = arbitrator.id;
        c.arbitrationPeriod = arbitrator.arbitrationPeriod;
        if (p.provider == requester || p.provider == p.arbitrator) revert WorkEscrowInvalidProvider(p.provider);

        uint256 count = p.approvers.length;
        if (count > Bounds.MAX_APPROVERS) revert WorkEscrowTooManyApprovers(count, Bounds.MAX_APPROVERS);
        if ((count == 0) != (p.threshold == 0) || p.threshold > count) {
            revert WorkEscrowInvalidThreshold(p.threshold, count);
        }
    }

    /// @dev The v2 optional terms; returns the job's initial flags (0 when every term is zero).
    function _checkOptions(
        JobParams calldata p,
        JobOptions calldata o,
        address requester
    ) internal view returns (uint8 flags) {
        (uint256 bond, uint256 tip) = (o.providerBond, o.keeperTip);
        if (bond | tip != 0) {
            if (bond > type(uint128).max) revert WorkEscrowAmountTooLarge(bond, type(uint128).max);
            if (tip > type(uint128).max) revert WorkEscrowAmountTooLarge(tip, type(uint128).max);
            flags = FLAG_BOND_OR_TIP;
        }
        (address verifier, uint16 verifierFeeBps) = (o.verifier, o.verifierFeeBps);
        if (verifier != address(0)) {
            if (
                verifier == requester ||
                verifier == p.provider ||
                verifier == p.arbitrator ||
                verifierFeeBps > Bounds.MAX_VERIFIER_FEE_BPS
            ) revert WorkEscrowInvalidVerifier(verifier, verifierFeeBps);
            flags |= FLAG_VERIFIER;
        } else if (verifierFeeBps != 0) {
            revert WorkEscrowInvalidVerifier(verifier, verifierFeeBps);
        }
        if (o.agentRequired) {
            if (IDENTITY_REGISTRY == address(0)) revert WorkEscrowIdentityRegistryNotSet();
            flags |= FLAG_AGENT_REQUIRED;
        }
        if (o.bidsOnly) {
            if (p.provider != address(0)) revert WorkEscrowInvalidProvider(p.provider);
            flags |= FLAG_BIDS_ONLY;
        }
    }

    /// @dev Writes the job once its money has arrived (`c.received` for amount + tip; a shortfall comes off
    /// the amount, never off the tip).
    function _storeJob(JobParams calldata p, Creation memory c) internal returns (uint256 jobId) {
        uint256 tip = c.tip;
        if (c.received <= tip) revert WorkEscrowNothingReceived(p.token);
        uint256 amount = c.received - tip; // ≤ p.amount ≤ type(uint128).max
        if (p.token != address(0) && c.tokenId == 0) c.tokenId = _internToken(p.token);

        // One statement, no branch: the optimizer reads the config slot (job counter, fee rates) once.
        uint40 lastJobId;
        (lastJobId, c.platformFeeBps, c.communityFeeBps, c.arbitrationFeeBps) = (
            _lastJobId,
            _platformFeeBps,
            _communityFeeBps,
            _arbitrationFeeBps
        );
        jobId = ++lastJobId;
        _lastJobId = lastJobId;
        _jobs[jobId] = JobData({
            jobHash: p.jobHash,
            requester: c.requester,
            disputedAt: 0,
            reviewPeriod: uint24(p.reviewPeriod), // ≤ Bounds.MAX_REVIEW < 2^24, checked
            arbitratorId: c.arbitratorId,
            arbitrationPeriod: c.arbitrationPeriod,
            provider: p.provider,
            status: Status.Open,
            deadline: uint40(p.deadline), // ≤ now + Bounds.MAX_DURATION, checked
            submittedAt: 0,
            flags: c.flags,
            amount: uint128(amount),
            tokenId: c.tokenId,
            platformFeeBps: c.platformFeeBps,
            communityFeeBps: c.communityFeeBps,
            arbitrationFeeBps: c.arbitrationFeeBps,
            proposalBps: 0,
            approvalBitmap: 0,
            jobType: p.jobType,
            threshold: uint8(p.threshold) // ≤ Bounds.MAX_APPROVERS, checked
        });
        _storeApprovers(jobId, p, c.requester);
        _emitJobCreated(jobId, p, c, amount);
    }

    /// @dev Writes the approver positions; rejects zero, duplicate and party addresses (the verifier: in
    /// `_storeOptions`). At most 16 entries.
    function _storeApprovers(uint256 jobId, JobParams calldata p, address requester) internal {
        uint256 count = p.approvers.length;
        mapping(address => uint8) storage positions = _approverPositions[jobId];
        for (uint256 i; i < count; ++i) {
            address approver = p.approvers[i];
            if (
                approver == address(0) ||
                approver == requester ||
                approver == p.provider ||
                approver == p.arbitrator ||
                positions[approver] != 0
            ) revert WorkEscrowInvalidApprover(approver);
            positions[approver] = uint8(i + 1); // ≤ Bounds.MAX_APPROVERS
        }
    }

    /// @dev Only for jobs that use an option (`flags` from `_checkOptions`, not 0), after `_storeJob`: each
    /// slot only when its option is set. A verifier may not also be one of the job's approvers.
    function _storeOptions(uint256 jobId, JobOptions calldata o, uint8 flags) internal {
        JobOptionsData storage d = _options[jobId];
        if (flags & FLAG_BOND_OR_TIP != 0) {
            // Both checked ≤ type(uint128).max in _checkOptions.
            (d.providerBond, d.keeperTip) = (uint128(o.providerBond), uint128(o.keeperTip));
        }
        if (flags & FLAG_VERIFIER != 0) {
            if (_approverPositions[jobId][o.verifier] != 0) revert WorkEscrowInvalidApprover(o.verifier);
            (d.verifier, d.verifierFeeBps) = (o.verifier, o.verifierFeeBps);
        }
        if (flags & FLAG_AGENT_REQUIRED != 0) d.agentId = o.agentId;
        emit JobOptionsSet(
            jobId,
            o.providerBond,
            o.keeperTip,
            o.verifier,
            o.verifierFeeBps,
            o.bidsOnly,
            o.agentRequired,
            o.agentRequired ? o.agentId : 0
        );
    }

    /// @dev In its own frame to keep the creation's stack shallow.
    function _emitJobCreated(uint256 jobId, JobParams calldata p, Creation memory c, uint256 amount) internal {
        JobTerms memory terms = JobTerms({
            deadline: p.deadline,
            reviewPeriod: p.reviewPeriod,
            jobType: p.jobType,
            threshold: p.threshold,
            platformFeeBps: c.platformFeeBps,
            communityFeeBps: c.communityFeeBps,
            arbitrationFeeBps: c.arbitrationFeeBps,
            arbitrationPeriod: c.arbitrationPeriod
        });
        emit JobCreated(jobId, c.requester, p.provider, p.token, amount, p.jobHash, p.arbitrator, p.approvers, terms);
    }

    function _internToken(address token) internal returns (uint32 id) {
        id = ++_tokenCount;
        _tokens[token].id = id;
        _tokenById[id] = token;
    }

    /// @dev Pulls `amount` of an ERC-20 from `from` and returns what actually arrived (fee-on-transfer tokens).
    function _pull(address token, address from, uint256 amount) internal returns (uint256) {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        return _received(token, before, amount);
    }

    /// @dev What arrived since `before`, capped at what was asked (a token that reports more is credited no
    /// more than requested); nothing at all is an error.
    function _received(address token, uint256 before, uint256 asked) internal view returns (uint256 received) {
        received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert WorkEscrowNothingReceived(token);
        if (received > asked) received = asked;
    }
}
