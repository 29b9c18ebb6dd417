// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";

import {IWorkEscrowExtension} from "./interfaces/IWorkEscrowExtension.sol";
import {Bounds} from "./libraries/Bounds.sol";
import {WorkEscrowBase} from "./WorkEscrowBase.sol";

/// @title WorkEscrowExtension — bids, admin and views of a WorkEscrow deployment
/// @notice Runs only through `WorkEscrow`'s fallback (`delegatecall`), on the escrow's storage: call these
/// functions at the escrow's address ({IWorkEscrow}). Called directly, it acts on its own empty storage and
/// owns itself, so nothing it does there matters to anyone.
/// @dev The EIP-712 domain is the escrow's: under delegatecall `address(this)` is the escrow, and
/// OpenZeppelin's EIP712 rebuilds the separator for it (name "WorkEscrow", version "2").
contract WorkEscrowExtension is WorkEscrowBase, IWorkEscrowExtension, EIP712, NoncesKeyed {
    using SafeERC20 for IERC20;

    /// @notice The protocol's bounds, published at the escrow's address (values and reasons in {Bounds}).
    uint256 public constant MAX_APPROVERS = Bounds.MAX_APPROVERS;
    uint32 public constant MIN_REVIEW = Bounds.MIN_REVIEW;
    uint32 public constant MAX_REVIEW = Bounds.MAX_REVIEW;
    uint64 public constant MAX_DURATION = Bounds.MAX_DURATION;
    uint64 public constant MIN_WORK_TIME = Bounds.MIN_WORK_TIME;
    uint32 public constant DEFAULT_ARBITRATION_PERIOD = Bounds.DEFAULT_ARBITRATION_PERIOD;
    uint32 public constant MIN_ARBITRATION_PERIOD = Bounds.MIN_ARBITRATION_PERIOD;
    uint32 public constant MAX_ARBITRATION_PERIOD = Bounds.MAX_ARBITRATION_PERIOD;
    uint16 public constant MAX_PLATFORM_FEE_BPS = Bounds.MAX_PLATFORM_FEE_BPS;
    uint16 public constant MAX_COMMUNITY_FEE_BPS = Bounds.MAX_COMMUNITY_FEE_BPS;
    uint16 public constant MAX_ARBITRATION_FEE_BPS = Bounds.MAX_ARBITRATION_FEE_BPS;
    uint16 public constant MAX_VERIFIER_FEE_BPS = Bounds.MAX_VERIFIER_FEE_BPS;
    uint256 public constant PUSH_GAS_LIMIT = Bounds.PUSH_GAS_LIMIT;
    uint256 public constant ERC20_PUSH_GAS_LIMIT = Bounds.ERC20_PUSH_GAS_LIMIT;

    /// @dev EIP-712 type hash of `Bid`; the string is hashed at compile time.
    bytes32 private constant BID_TYPEHASH =
        keccak256("Bid(uint256 jobId,address provider,uint256 price,uint64 expiry,uint256 nonce)"); // solhint-disable-line gas-small-strings

    /// @dev This contract's own address, for `extension()` (under delegatecall `address(this)` is the escrow).
    address private immutable SELF;

    /// @param trustedForwarder_ the ERC-2771 forwarder (OpenZeppelin ERC2771Forwarder) relaying signed
    /// requests; the escrow reads it from here, so both agree
    /// @param identityRegistry_ the ERC-8004 Identity Registry checked by `agentRequired` jobs (0 = none)
    constructor(
        address trustedForwarder_,
        address identityRegistry_
    )
        Ownable(address(this))
        ERC2771Context(trustedForwarder_)
        WorkEscrowBase(identityRegistry_)
        EIP712("WorkEscrow", "2")
    {
        SELF = address(this);
    }

    /*//////////////////////////////////////////////////////////////
                                  BIDS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowExtension
    function awardBid(uint256 jobId, Bid calldata bid, bytes calldata signature) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Open);
        address caller = _msgSender();
        if (caller != job.requester) revert WorkEscrowUnauthorized(jobId, caller);
        // Biddable: no provider yet, or a bids-only job whose awarded bidder has not posted the bond.
        if (job.provider != address(0) && job.flags & FLAG_BIDS_ONLY == 0) revert WorkEscrowNotBiddable(jobId);
        address token = _checkBid(jobId, job, bid);
        address provider = bid.provider;
        if (!SignatureChecker.isValidSignatureNow(provider, _hashBid(bid), signature)) {
            revert WorkEscrowInvalidBidSignature(jobId, provider);
        }
        // NoncesKeyed's `_useCheckedNonce`, with an error of the escrow's ABI instead of OpenZeppelin's.
        uint256 expected = _useNonce(provider, uint192(bid.nonce >> 64));
        if (bid.nonce != expected) revert WorkEscrowInvalidBidNonce(jobId, provider, bid.nonce, expected);

        uint256 price = bid.price;
        uint256 refund = job.amount - price; // price ≤ amount, checked
        job.amount = uint128(price); // ≤ amount, a uint128
        job.provider = provider;
        emit BidAwarded(jobId, provider, price, refund, bid.nonce);
        if (job.flags & FLAG_BOND_OR_TIP == 0 || _options[jobId].providerBond == 0) {
            job.status = Status.Accepted;
            emit JobAccepted(jobId, provider);
        }
        _push(jobId, token, job.requester, refund);
    }

    /// @inheritdoc IWorkEscrowExtension
    function invalidateNonce(uint192 key) external {
        address provider = _msgSender();
        uint256 used = _useNonce(provider, key);
        emit BidNonceInvalidated(provider, key, (uint256(key) << 64) | used);
    }

    /// @inheritdoc IWorkEscrowExtension
    function hashBid(Bid calldata bid) external view returns (bytes32) {
        return _hashBid(bid);
    }

    /// @inheritdoc IWorkEscrowExtension
    function nonces(
        address owner,
        uint192 key
    ) public view override(IWorkEscrowExtension, NoncesKeyed) returns (uint256) {
        return NoncesKeyed.nonces(owner, key);
    }

    /// @inheritdoc IWorkEscrowExtension
    function authorizationNonce(JobParams calldata p, JobOptions calldata o) external pure returns (bytes32) {
        return keccak256(abi.encode(p, o));
    }

    /*//////////////////////////////////////////////////////////////
                       DISPUTES: OPENING AND OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowExtension
    function raiseDispute(uint256 jobId, string calldata reason) external payable nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Submitted);
        address caller = _msgSender();
        bool byProvider = _requireParty(jobId, job, caller);
        // Strictly before the review window ends: from then on anyone may release (or, after a verifier's
        // rejection, refund: a rejection opens a whole new review period for the provider).
        uint256 endsAt = _reviewEnd(jobId, job);
        if (block.timestamp >= endsAt) revert WorkEscrowReviewWindowClosed(jobId, endsAt);

        // The deposit is the arbitration fee on what is disputed; what arrives is what is held.
        uint256 deposit = (uint256(job.amount) * job.arbitrationFeeBps) / BPS;
        address token = _tokenOf(job);
        if (token == address(0) || deposit == 0) {
            if (msg.value != (token == address(0) ? deposit : 0)) revert WorkEscrowValueMismatch(deposit, msg.value);
        } else {
            if (msg.value != 0) revert WorkEscrowValueMismatch(0, msg.value);
            deposit = _pull(token, caller, deposit);
        }
        if (deposit != 0) _options[jobId].disputeDeposit = uint128(deposit); // ≤ amount / 10, a uint128

        job.status = Status.Disputed;
        job.disputedAt = uint32(block.timestamp); // unix seconds fit uint32 until 2106
        uint8 flags = job.flags & ~(PROPOSAL_FLAGS | FLAG_DISPUTED_BY_PROVIDER);
        job.flags = byProvider ? flags | FLAG_DISPUTED_BY_PROVIDER : flags;
        emit DisputeRaised(jobId, caller, reason, deposit);
    }

    /// @inheritdoc IWorkEscrowExtension
    function submitEvidence(uint256 jobId, string calldata uri) external {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        address caller = _msgSender();
        if (caller != job.requester && caller != job.provider && caller != _arbitratorOf(job)) {
            revert WorkEscrowUnauthorized(jobId, caller);
        }
        emit EvidenceSubmitted(jobId, caller, uri);
    }

    /// @inheritdoc IWorkEscrowExtension
    function proposeSettlement(uint256 jobId, uint16 providerBps) external {
        JobData storage job = _jobs[jobId];
        _requireSettleable(jobId, job.status);
        address caller = _msgSender();
        bool byProvider = _requireParty(jobId, job, caller);
        if (providerBps > BPS) revert WorkEscrowInvalidBps(providerBps);

        uint8 flags = (job.flags & ~PROPOSAL_FLAGS) | FLAG_HAS_PROPOSAL;
        job.flags = byProvider ? flags | FLAG_PROPOSED_BY_PROVIDER : flags;
        job.proposalBps = providerBps;
        emit SettlementProposed(jobId, caller, providerBps);
    }

    /*//////////////////////////////////////////////////////////////
                                CREDITS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowExtension
    function withdraw(address token) external nonReentrant {
        _withdraw(token, _msgSender());
    }

    /// @inheritdoc IWorkEscrowExtension
    function withdrawTo(address token, address to) external nonReentrant {
        if (to == address(0)) revert WorkEscrowZeroAddress();
        _withdraw(token, to);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowExtension
    function setFees(uint16 platformBps, uint16 communityBps, uint16 arbitrationBps) external onlyOwner {
        _setFees(platformBps, communityBps, arbitrationBps);
    }

    /// @inheritdoc IWorkEscrowExtension
    function setFeeRecipients(address treasury_, address communityFund_) external onlyOwner {
        _setFeeRecipients(treasury_, communityFund_);
    }

    /// @inheritdoc IWorkEscrowExtension
    function setArbitrator(address arbitrator, bool registered, uint32 arbitrationPeriod) external onlyOwner {
        _setArbitrator(arbitrator, registered, arbitrationPeriod);
    }

    /// @inheritdoc IWorkEscrowExtension
    function setMinAmount(address token, uint256 minAmount_) external onlyOwner {
        _setMinAmount(token, minAmount_);
    }

    /// @inheritdoc IWorkEscrowExtension
    function pause() external onlyOwner {
        _pause();
    }

    /// @inheritdoc IWorkEscrowExtension
    function unpause() external onlyOwner {
        _unpause();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowExtension
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
        // An offer is shown while it can still be accepted (a settlement ends the job with the flag still set).
        if (flags & FLAG_HAS_PROPOSAL != 0 && view_.status < Status.Released) {
            view_.proposer = flags & FLAG_PROPOSED_BY_PROVIDER != 0 ? job.provider : job.requester;
            view_.proposalBps = job.proposalBps;
        }
        view_.arbitrationPeriod = job.arbitrationPeriod;
        _viewOptions(jobId, flags, view_);
    }

    /// @inheritdoc IWorkEscrowExtension
    function withdrawable(address token, address account) external view returns (uint256 amount) {
        amount = _credits[token][account];
        FeeAccrual memory accrual = _feeAccruals[token];
        FeeRecipients storage r = _feeRecipients[accrual.epoch];
        if (account == r.treasury) amount += accrual.platform;
        if (account == r.communityFund) amount += accrual.community;
    }

    /// @inheritdoc IWorkEscrowExtension
    function approverState(uint256 jobId, address account) external view returns (bool isApprover, bool approved) {
        uint256 position = _approverPositions[jobId][account];
        isApprover = position != 0;
        approved = isApprover && (_jobs[jobId].approvalBitmap & (1 << (position - 1))) != 0;
    }

    /// @inheritdoc IWorkEscrowExtension
    function arbitratorInfo(address arbitrator) external view returns (bool registered, uint32 arbitrationPeriod) {
        ArbitratorInfo storage info = _arbitrators[arbitrator];
        return (info.registered, info.arbitrationPeriod);
    }

    /// @inheritdoc IWorkEscrowExtension
    function isArbitrator(address arbitrator) external view returns (bool) {
        return _arbitrators[arbitrator].registered;
    }

    /// @inheritdoc IWorkEscrowExtension
    function minAmount(address token) external view returns (uint256) {
        return _tokens[token].minAmount;
    }

    /// @inheritdoc IWorkEscrowExtension
    function jobCount() external view returns (uint256) {
        return _lastJobId;
    }

    /// @inheritdoc IWorkEscrowExtension
    function paused() public view override(IWorkEscrowExtension, Pausable) returns (bool) {
        return Pausable.paused();
    }

    /// @inheritdoc IWorkEscrowExtension
    function feeEpoch() external view returns (uint32) {
        return _feeEpoch;
    }

    /// @inheritdoc IWorkEscrowExtension
    function treasury() external view returns (address) {
        return _feeRecipients[_feeEpoch].treasury;
    }

    /// @inheritdoc IWorkEscrowExtension
    function communityFund() external view returns (address) {
        return _feeRecipients[_feeEpoch].communityFund;
    }

    /// @inheritdoc IWorkEscrowExtension
    function platformFeeBps() external view returns (uint16) {
        return _platformFeeBps;
    }

    /// @inheritdoc IWorkEscrowExtension
    function communityFeeBps() external view returns (uint16) {
        return _communityFeeBps;
    }

    /// @inheritdoc IWorkEscrowExtension
    function arbitrationFeeBps() external view returns (uint16) {
        return _arbitrationFeeBps;
    }

    /// @inheritdoc IWorkEscrowExtension
    function identityRegistry() external view returns (address) {
        return IDENTITY_REGISTRY;
    }

    /// @inheritdoc IWorkEscrowExtension
    function extension() external view returns (address) {
        return SELF;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev A bid's terms against the job: this job, not expired, job not past its deadline, 0 < price ≤ amount
    /// and ≥ the token's minimum, a bidder with no other role (and the agent identity when required).
    function _checkBid(uint256 jobId, JobData storage job, Bid calldata bid) private view returns (address token) {
        if (bid.jobId != jobId) revert WorkEscrowBidForOtherJob(jobId, bid.jobId);
        if (block.timestamp > bid.expiry) revert WorkEscrowBidExpired(jobId, bid.expiry);
        uint40 deadline = job.deadline;
        if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);
        uint256 amount = job.amount;
        if (bid.price > amount) revert WorkEscrowBidAboveAmount(jobId, bid.price, amount);
        if (bid.price == 0) revert WorkEscrowZeroAmount();
        token = _tokenOf(job);
        uint256 minimum = _tokens[token].minAmount;
        if (bid.price < minimum) revert WorkEscrowAmountBelowMinimum(token, bid.price, minimum);
        address provider = bid.provider;
        if (provider == address(0) || _holdsRole(jobId, job, provider)) revert WorkEscrowInvalidProvider(provider);
        if (job.flags & FLAG_AGENT_REQUIRED != 0) _requireAgentOwner(jobId, provider);
    }

    function _hashBid(Bid calldata bid) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(BID_TYPEHASH, bid.jobId, bid.provider, bid.price, bid.expiry, bid.nonce))
            );
    }

    /// @dev The v2 part of `getJob`, in its own frame (stack depth).
    function _viewOptions(uint256 jobId, uint8 flags, Job memory view_) private view {
        JobOptionsData storage o = _options[jobId];
        if (flags & FLAG_BOND_OR_TIP != 0) {
            view_.providerBond = o.providerBond;
            view_.keeperTip = o.keeperTip;
            view_.bondPosted = flags & FLAG_BOND_POSTED != 0;
        }
        if (flags & FLAG_VERIFIER != 0) {
            view_.verifier = o.verifier;
            view_.verifierFeeBps = o.verifierFeeBps;
            view_.verdict = o.verdict;
            view_.verdictAt = o.verdictAt;
        }
        view_.bidsOnly = flags & FLAG_BIDS_ONLY != 0;
        view_.agentRequired = flags & FLAG_AGENT_REQUIRED != 0;
        if (view_.agentRequired) view_.agentId = o.agentId;
        view_.released = o.released;
        view_.refunded = o.refunded;
        view_.disputeDeposit = o.disputeDeposit;
    }

    /// @dev Pays the caller's whole credit to `to`, reverting if the transfer fails (the caller's own call). A
    /// fee recipient takes its share of the token's fee accrual straight from the accrual: the other
    /// recipient's share stays there, so a withdrawal writes nobody else's credit.
    function _withdraw(address token, address to) private {
        address account = _msgSender();
        uint256 amount = _credits[token][account];
        FeeAccrual memory accrual = _feeAccruals[token];
        if (accrual.platform != 0 || accrual.community != 0) {
            FeeRecipients storage r = _feeRecipients[accrual.epoch];
            uint256 before = amount;
            if (accrual.platform != 0 && account == r.treasury) {
                amount += accrual.platform;
                accrual.platform = 0;
            }
            if (accrual.community != 0 && account == r.communityFund) {
                amount += accrual.community;
                accrual.community = 0;
            }
            if (amount != before) _feeAccruals[token] = accrual;
        }
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
}
