// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IWorkEscrowCore} from "./interfaces/IWorkEscrowCore.sol";
import {IWorkEscrowExtension} from "./interfaces/IWorkEscrowExtension.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC3009} from "./interfaces/IERC3009.sol";
import {SplitMath} from "./libraries/SplitMath.sol";
import {WorkEscrowBase} from "./WorkEscrowBase.sol";

/// @title WorkEscrow — the core: the job lifecycle and its money
/// @notice See {IWorkEscrow} for the protocol, the roles and the trust model. Functions of
/// {IWorkEscrowExtension} (bids, admin, views) are delegated to `WorkEscrowExtension` by this contract's
/// fallback and run on this contract's storage (the pattern of Balancer v3's Vault and VaultExtension), so the
/// hot paths stay here within the code-size budget; call everything at this address with {IWorkEscrow}.
/// @dev Every mutating function follows one skeleton: check → update state → emit → transfer last.
/// Functions that move money are `nonReentrant` (transient-storage guard). Storage: see {WorkEscrowBase}.
contract WorkEscrow is WorkEscrowBase, IWorkEscrowCore, Proxy {
    using SafeERC20 for IERC20;

    /// @dev Where the fallback delegates the functions of {IWorkEscrowExtension}.
    address private immutable EXTENSION;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param config everything a deployment sets up front (see `IWorkEscrowTypes.InitialConfig`), so a
    /// deployment is one transaction and the deployer never needs admin rights. Each setting emits the event
    /// its admin setter emits.
    /// @param extension_ the `WorkEscrowExtension` to delegate to; the trusted ERC-2771 forwarder and the
    /// ERC-8004 Identity Registry are read from it, so both contracts always agree on them.
    constructor(
        InitialConfig memory config,
        IWorkEscrowExtension extension_
    )
        Ownable(config.admin)
        ERC2771Context(ERC2771Context(address(extension_)).trustedForwarder())
        WorkEscrowBase(extension_.identityRegistry())
    {
        EXTENSION = address(extension_);
        _setFeeRecipients(config.treasury, config.communityFund);
        _setFees(config.platformFeeBps, config.communityFeeBps, config.arbitrationFeeBps);
        // Deployer-supplied lists, bounded by the deployment's own gas; never user data.
        for (uint256 i; i < config.arbitrators.length; ++i) {
            _setArbitrator(config.arbitrators[i].arbitrator, true, config.arbitrators[i].arbitrationPeriod);
        }
        for (uint256 i; i < config.minAmounts.length; ++i) {
            _setMinAmount(config.minAmounts[i].token, config.minAmounts[i].minAmount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowCore
    function createJob(JobParams calldata p) external payable nonReentrant whenNotPaused returns (uint256) {
        Creation memory c = _checkCreation(p, _msgSender());
        c.received = _fund(p.token, c.requester, p.amount);
        return _storeJob(p, c);
    }

    /// @inheritdoc IWorkEscrowCore
    function createJobWithOptions(
        JobParams calldata p,
        JobOptions calldata o
    ) external payable nonReentrant whenNotPaused returns (uint256 jobId) {
        Creation memory c = _checkOptioned(p, o, _msgSender());
        c.received = _fund(p.token, c.requester, p.amount + c.tip);
        jobId = _storeJob(p, c);
        if (c.flags != 0) _storeOptions(jobId, o, c.flags);
    }

    /// @inheritdoc IWorkEscrowCore
    function createJobWithPermit(
        JobParams calldata p,
        JobOptions calldata o,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (uint256 jobId) {
        Creation memory c = _checkOptioned(p, o, _msgSender());
        if (p.token == address(0)) revert WorkEscrowZeroAddress();
        uint256 total = p.amount + c.tip;
        // A permit already used (front-run) fails here; the allowance it set still funds the job.
        try IERC20Permit(p.token).permit(c.requester, address(this), total, permitDeadline, v, r, s) {} catch {} // solhint-disable-line no-empty-blocks
        c.received = _pull(p.token, c.requester, total);
        jobId = _storeJob(p, c);
        if (c.flags != 0) _storeOptions(jobId, o, c.flags);
    }

    /// @inheritdoc IWorkEscrowCore
    function createJobWithAuthorization(
        JobParams calldata p,
        JobOptions calldata o,
        address from,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (uint256 jobId) {
        Creation memory c = _checkOptioned(p, o, from);
        if (p.token == address(0)) revert WorkEscrowZeroAddress();
        // ERC-3009: the nonce commits the signature to every term of the job: nobody can fund other terms.
        uint256 total = p.amount + c.tip;
        uint256 before = IERC20(p.token).balanceOf(address(this));
        bytes32 nonce = keccak256(abi.encode(p, o));
        IERC3009(p.token).receiveWithAuthorization(from, address(this), total, validAfter, validBefore, nonce, v, r, s);
        c.received = _received(p.token, before, total);
        jobId = _storeJob(p, c);
        if (c.flags != 0) _storeOptions(jobId, o, c.flags);
    }

    /// @dev A creation's checks with its optional terms.
    function _checkOptioned(
        JobParams calldata p,
        JobOptions calldata o,
        address requester
    ) private view returns (Creation memory c) {
        c = _checkCreation(p, requester);
        c.flags = _checkOptions(p, o, requester);
        c.tip = o.keeperTip;
    }

    /// @dev Money in for a creation: exactly `total` as msg.value for the native coin, else an ERC-20 pull of
    /// `total` (msg.value 0); returns what arrived.
    function _fund(address token, address from, uint256 total) private returns (uint256) {
        if (token == address(0)) {
            if (msg.value != total) revert WorkEscrowValueMismatch(total, msg.value);
            return total;
        }
        if (msg.value != 0) revert WorkEscrowValueMismatch(0, msg.value);
        return _pull(token, from, total);
    }

    /// @inheritdoc IWorkEscrowCore
    function cancelJob(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        (Status status, uint8 flags) = (job.status, job.flags); // one read of the lifecycle slot
        _requireStatus(jobId, status, Status.Open);
        address requester = job.requester;
        address caller = _msgSender();
        if (caller != requester) revert WorkEscrowUnauthorized(jobId, caller);

        job.status = Status.Cancelled;
        (uint256 amount, uint32 tokenId) = (job.amount, job.tokenId); // one read of the money slot
        emit JobCancelled(jobId, requester, amount);
        address token = _tokenFromId(tokenId);
        if (flags & FLAG_BOND_OR_TIP == 0) return _push(jobId, token, requester, amount);
        _settleTip(jobId, job, token, address(0), amount);
    }

    /// @inheritdoc IWorkEscrowCore
    function release(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        address caller = _msgSender();
        Status status = job.status;
        address keeper;
        if (status == Status.Submitted) {
            // The requester may always accept; anyone else only once the review window has fully passed,
            // and not over a verifier's rejection (then the exit is a refund).
            if (caller != job.requester) {
                uint256 endsAt = uint256(job.submittedAt) + job.reviewPeriod;
                if (block.timestamp < endsAt) revert WorkEscrowReviewWindowOpen(jobId, endsAt);
                if (_rejected(jobId, job)) revert WorkEscrowWorkRejected(jobId);
                keeper = caller; // earns the tip unless it holds a role in the job (see _settleTip)
            }
        } else if (status == Status.Accepted) {
            if (caller != job.requester) revert WorkEscrowUnauthorized(jobId, caller);
        } else {
            revert WorkEscrowInvalidStatus(jobId, status);
        }
        _release(jobId, job, caller, keeper);
    }

    /// @inheritdoc IWorkEscrowCore
    function releasePartial(uint256 jobId, uint256 amount) external nonReentrant {
        JobData storage job = _jobs[jobId];
        address caller = _msgSender();
        uint256 remaining = _checkPartial(jobId, job, amount);
        if (caller != job.requester) revert WorkEscrowUnauthorized(jobId, caller);
        if (amount == remaining) return _release(jobId, job, caller, address(0));

        remaining -= amount;
        job.amount = uint128(remaining); // < the stored uint128 amount
        _options[jobId].released += uint128(amount); // ≤ the job's original amount, a uint128
        SplitMath.Split memory s = SplitMath.split(amount, BPS, 0, job.platformFeeBps, job.communityFeeBps);
        address token = _tokenOf(job);
        address provider = job.provider;
        _accrueFees(token, s.platformFee, s.communityFee);
        emit JobPartiallyReleased(jobId, provider, amount, s.provider, s.platformFee, s.communityFee, remaining);
        _push(jobId, token, provider, s.provider);
    }

    /*//////////////////////////////////////////////////////////////
                                PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowCore
    function acceptJob(uint256 jobId) external payable {
        JobData storage job = _jobs[jobId];
        // One statement, no branch: the optimizer reads the lifecycle slot once.
        (Status status, uint40 deadline, address provider, uint8 flags) = (
            job.status,
            job.deadline,
            job.provider,
            job.flags
        );
        _requireStatus(jobId, status, Status.Open);
        if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);

        address caller = _msgSender();
        if (provider == address(0)) {
            // Open job: anyone who does not already hold a role in it (bid jobs go through awardBid).
            if (flags & FLAG_BIDS_ONLY != 0 || _holdsRole(jobId, job, caller)) {
                revert WorkEscrowUnauthorized(jobId, caller);
            }
            job.provider = caller;
        } else if (caller != provider) {
            revert WorkEscrowUnauthorized(jobId, caller);
        }
        if (flags & FLAG_AGENT_REQUIRED != 0) _requireAgentOwner(jobId, caller);

        uint256 bond = flags & FLAG_BOND_OR_TIP != 0 ? _options[jobId].providerBond : 0;
        if (bond == 0) {
            if (msg.value != 0) revert WorkEscrowValueMismatch(0, msg.value);
        } else {
            job.flags = flags | FLAG_BOND_POSTED;
        }
        job.status = Status.Accepted;
        emit JobAccepted(jobId, caller);
        if (bond != 0) _postBond(jobId, job, caller, bond);
    }

    /// @inheritdoc IWorkEscrowCore
    function submitWork(uint256 jobId, bytes32 resultHash) external {
        JobData storage job = _jobs[jobId];
        // One statement, no branch: the optimizer reads the lifecycle slot once.
        (Status status, uint40 deadline, address provider, uint8 flags) = (
            job.status,
            job.deadline,
            job.provider,
            job.flags
        );
        _requireStatus(jobId, status, Status.Accepted);
        address caller = _msgSender();
        if (caller != provider) revert WorkEscrowUnauthorized(jobId, caller);
        if (block.timestamp > deadline) revert WorkEscrowDeadlinePassed(jobId, deadline);
        if (resultHash == bytes32(0)) revert WorkEscrowZeroResultHash(jobId);

        job.status = Status.Submitted;
        job.submittedAt = uint40(block.timestamp);
        job.flags = flags & ~PROPOSAL_FLAGS; // an offer made before delivery lapses
        _resultHashes[jobId] = resultHash;
        emit WorkSubmitted(jobId, caller, resultHash);
    }

    /// @inheritdoc IWorkEscrowCore
    function refundPartial(uint256 jobId, uint256 amount) external nonReentrant {
        JobData storage job = _jobs[jobId];
        address caller = _msgSender();
        uint256 remaining = _checkPartial(jobId, job, amount);
        if (caller != job.provider) revert WorkEscrowUnauthorized(jobId, caller);
        if (amount == remaining) return _refund(jobId, job, caller, address(0));

        remaining -= amount;
        job.amount = uint128(remaining); // < the stored uint128 amount
        _options[jobId].refunded += uint128(amount); // ≤ the job's original amount, a uint128
        address requester = job.requester;
        emit JobPartiallyRefunded(jobId, requester, amount, remaining);
        _push(jobId, _tokenOf(job), requester, amount);
    }

    /*//////////////////////////////////////////////////////////////
                          APPROVER AND VERIFIER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowCore
    function approveWork(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Submitted);
        address caller = _msgSender();
        uint256 position = _approverPositions[jobId][caller];
        if (position == 0) revert WorkEscrowUnauthorized(jobId, caller);
        uint16 bitmap = job.approvalBitmap;
        uint16 bit = uint16(1 << (position - 1)); // position ≤ MAX_APPROVERS = 16
        if (bitmap & bit != 0) revert WorkEscrowAlreadyApproved(jobId, caller);

        bitmap |= bit;
        job.approvalBitmap = bitmap;
        uint16 approvals = _popCount(bitmap);
        emit WorkApproved(jobId, caller, approvals);
        if (approvals >= job.threshold) _release(jobId, job, caller, address(0));
    }

    /// @inheritdoc IWorkEscrowCore
    function verifyWork(uint256 jobId, bool approved) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Submitted);
        address caller = _msgSender();
        JobOptionsData storage o = _options[jobId];
        if (job.flags & FLAG_VERIFIER == 0 || caller != o.verifier) revert WorkEscrowUnauthorized(jobId, caller);
        if (o.verdict != Verdict.None) revert WorkEscrowAlreadyVerified(jobId, o.verdict);
        uint256 endsAt = uint256(job.submittedAt) + job.reviewPeriod;
        if (block.timestamp >= endsAt) revert WorkEscrowReviewWindowClosed(jobId, endsAt);

        uint256 fee = (uint256(job.amount) * o.verifierFeeBps) / BPS;
        job.amount -= uint128(fee); // fee ≤ amount / 10, a uint128
        (o.verdict, o.verdictAt) = (approved ? Verdict.Approved : Verdict.Rejected, uint40(block.timestamp));
        emit WorkVerified(jobId, caller, approved, fee);
        if (fee != 0) _credit(jobId, _tokenOf(job), caller, fee);
        if (approved) _release(jobId, job, caller, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowCore
    function refundExpired(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        Status status = job.status;
        if (status == Status.Submitted) {
            if (!_rejected(jobId, job)) revert WorkEscrowInvalidStatus(jobId, status);
            uint256 endsAt = _reviewEnd(jobId, job); // the provider's window to dispute the rejection
            if (block.timestamp < endsAt) revert WorkEscrowReviewWindowOpen(jobId, endsAt);
        } else {
            if (status != Status.Open && status != Status.Accepted) revert WorkEscrowInvalidStatus(jobId, status);
            uint40 deadline = job.deadline;
            if (block.timestamp <= deadline) revert WorkEscrowDeadlineNotPassed(jobId, deadline);
        }
        address caller = _msgSender();
        _refund(jobId, job, caller, caller);
    }

    /// @inheritdoc IWorkEscrowCore
    function finalize(uint256[] calldata jobIds) external nonReentrant returns (uint256 finalized) {
        address caller = _msgSender();
        // The caller's own list: each entry costs the caller gas, and a job ends at most once.
        for (uint256 i; i < jobIds.length; ++i) {
            uint256 jobId = jobIds[i];
            JobData storage job = _jobs[jobId];
            Status status = job.status;
            if (status == Status.Submitted) {
                if (block.timestamp < _reviewEnd(jobId, job)) continue;
                if (_rejected(jobId, job)) _refund(jobId, job, caller, caller);
                else _release(jobId, job, caller, caller);
            } else if (status == Status.Open || status == Status.Accepted) {
                if (block.timestamp <= job.deadline) continue;
                _refund(jobId, job, caller, caller);
            } else if (status == Status.Disputed) {
                if (block.timestamp < uint256(job.disputedAt) + job.arbitrationPeriod) continue;
                _resolve(jobId, job, uint16(BPS / 2), Resolution.Stale, caller, caller);
            } else {
                continue; // unknown or already ended
            }
            ++finalized;
        }
    }

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IWorkEscrowCore
    function acceptSettlement(uint256 jobId, uint16 providerBps) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireSettleable(jobId, job.status);
        address caller = _msgSender();
        bool byProvider = _requireParty(jobId, job, caller);
        uint8 flags = job.flags;
        if (flags & FLAG_HAS_PROPOSAL == 0 || job.proposalBps != providerBps) {
            revert WorkEscrowNoMatchingProposal(jobId, providerBps);
        }
        if (((flags & FLAG_PROPOSED_BY_PROVIDER) != 0) == byProvider) revert WorkEscrowOwnProposal(jobId, caller);

        _resolve(jobId, job, providerBps, Resolution.Agreed, caller, address(0));
    }

    /// @inheritdoc IWorkEscrowCore
    function resolveDispute(uint256 jobId, uint16 providerBps) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        address caller = _msgSender();
        if (caller != _arbitratorOf(job)) revert WorkEscrowUnauthorized(jobId, caller);
        uint256 endsAt = uint256(job.disputedAt) + job.arbitrationPeriod;
        if (block.timestamp >= endsAt) revert WorkEscrowArbitrationPeriodOver(jobId, endsAt);
        if (providerBps > BPS) revert WorkEscrowInvalidBps(providerBps);

        _resolve(jobId, job, providerBps, Resolution.Arbitrated, caller, address(0));
    }

    /// @inheritdoc IWorkEscrowCore
    function settleStaleDispute(uint256 jobId) external nonReentrant {
        JobData storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, Status.Disputed);
        uint256 endsAt = uint256(job.disputedAt) + job.arbitrationPeriod;
        if (block.timestamp < endsAt) revert WorkEscrowArbitrationPeriodActive(jobId, endsAt);

        address caller = _msgSender();
        _resolve(jobId, job, uint16(BPS / 2), Resolution.Stale, caller, caller);
    }

    /*//////////////////////////////////////////////////////////////
                           EXTENSION DISPATCH
    //////////////////////////////////////////////////////////////*/

    /// @notice Refuses plain native-coin transfers: money enters only with `createJob`, `acceptJob` (a bond)
    /// and `raiseDispute` (a deposit), so every wei held belongs to a job or a credit.
    receive() external payable {
        revert WorkEscrowValueMismatch(0, msg.value);
    }

    /// @dev OpenZeppelin Proxy: every selector not defined here runs in the extension, on this storage.
    function _implementation() internal view override returns (address) {
        return EXTENSION;
    }

    /*//////////////////////////////////////////////////////////////
                        INTERNAL: MONEY IN
    //////////////////////////////////////////////////////////////*/

    /// @dev The provider's bond on acceptance: exact msg.value, or an ERC-20 pulled (what arrives is held).
    /// `acceptJob` calls out only here, so only a bonded acceptance takes the reentrancy lock (the job is
    /// already Accepted, and the held bond is written before the lock is released).
    function _postBond(uint256 jobId, JobData storage job, address provider, uint256 bond) private nonReentrant {
        address token = _tokenOf(job);
        uint256 held = bond;
        if (token == address(0)) {
            if (msg.value != bond) revert WorkEscrowValueMismatch(bond, msg.value);
        } else {
            if (msg.value != 0) revert WorkEscrowValueMismatch(0, msg.value);
            held = _pull(token, provider, bond);
            if (held != bond) _options[jobId].providerBond = uint128(held); // < bond, a uint128
        }
        emit BondPosted(jobId, provider, held);
    }

    /*//////////////////////////////////////////////////////////////
                        INTERNAL: ENDINGS
    //////////////////////////////////////////////////////////////*/

    /// @dev → Released: the remaining amount to the provider, minus platform and community fees; the bond back
    /// to the provider; the tip to the keeper (or back to the requester).
    function _release(uint256 jobId, JobData storage job, address caller, address keeper) private {
        job.status = Status.Released;
        // One statement each, no branch: the optimizer reads the money slot and the lifecycle slot once.
        (uint256 amount, uint32 tokenId, uint16 platformBps, uint16 communityBps) = (
            job.amount,
            job.tokenId,
            job.platformFeeBps,
            job.communityFeeBps
        );
        (address provider, uint8 flags) = (job.provider, job.flags);
        SplitMath.Split memory s = SplitMath.split(amount, BPS, 0, platformBps, communityBps);
        address token = _tokenFromId(tokenId);
        _accrueFees(token, s.platformFee, s.communityFee);
        emit JobReleased(jobId, provider, caller, s.provider, s.platformFee, s.communityFee);
        if (flags & FLAG_BOND_OR_TIP == 0) return _push(jobId, token, provider, s.provider);
        (uint256 bondToProvider, ) = _settleBond(jobId, job, BPS);
        _push(jobId, token, provider, s.provider + bondToProvider);
        _settleTip(jobId, job, token, keeper, 0);
    }

    /// @dev → Refunded: the remaining amount and any posted bond to the requester (the provider did not
    /// deliver); the tip to the keeper (or back to the requester).
    function _refund(uint256 jobId, JobData storage job, address caller, address keeper) private {
        job.status = Status.Refunded;
        address requester = job.requester;
        (uint256 amount, uint32 tokenId) = (job.amount, job.tokenId); // one read of the money slot
        emit JobRefunded(jobId, requester, caller, amount);
        address token = _tokenFromId(tokenId);
        if (job.flags & FLAG_BOND_OR_TIP == 0) return _push(jobId, token, requester, amount);
        (, uint256 bondToRequester) = _settleBond(jobId, job, 0);
        _settleTip(jobId, job, token, keeper, amount + bondToRequester);
    }

    /// @dev → Resolved: SplitMath's split of the remaining amount (arbitration fee only when the arbitrator
    /// rules); the dispute deposit, the bond (split by `providerBps` on a ruling, else back to the provider)
    /// and the tip.
    function _resolve(
        uint256 jobId,
        JobData storage job,
        uint16 providerBps,
        Resolution resolution,
        address caller,
        address keeper
    ) private {
        bool wasDisputed = job.status == Status.Disputed;
        job.status = Status.Resolved;
        bool arbitrated = resolution == Resolution.Arbitrated;
        SplitMath.Split memory s = SplitMath.split(
            job.amount,
            providerBps,
            arbitrated ? job.arbitrationFeeBps : 0,
            job.platformFeeBps,
            job.communityFeeBps
        );
        address token = _tokenOf(job);
        _accrueFees(token, s.platformFee, s.communityFee);
        emit DisputeResolved(
            jobId,
            caller,
            resolution,
            providerBps,
            s.provider,
            s.requester,
            s.platformFee,
            s.communityFee,
            s.arbitrationFee
        );
        if (s.arbitrationFee != 0) _credit(jobId, token, _arbitratorOf(job), s.arbitrationFee);
        uint256 toProvider = s.provider;
        uint256 toRequester = s.requester;
        if (wasDisputed) {
            (bool depositToProvider, uint256 deposit) = _settleDeposit(jobId, job, arbitrated, providerBps);
            if (depositToProvider) toProvider += deposit;
            else toRequester += deposit;
        }
        if (job.flags & FLAG_BOND_OR_TIP == 0) {
            _push(jobId, token, job.provider, toProvider);
            return _push(jobId, token, job.requester, toRequester);
        }
        (uint256 bondToProvider, uint256 bondToRequester) = _settleBond(jobId, job, arbitrated ? providerBps : BPS);
        _push(jobId, token, job.provider, toProvider + bondToProvider);
        _settleTip(jobId, job, token, keeper, toRequester + bondToRequester);
    }

    /// @dev The dispute deposit: to the other party when the arbitrator ruled fully against the disputer
    /// (a requester's dispute ruled 10,000, a provider's ruled 0), back to the disputer otherwise.
    function _settleDeposit(
        uint256 jobId,
        JobData storage job,
        bool arbitrated,
        uint16 providerBps
    ) private returns (bool toProvider, uint256 deposit) {
        if (job.arbitrationFeeBps == 0) return (false, 0); // no deposit was asked
        JobOptionsData storage o = _options[jobId];
        deposit = o.disputeDeposit;
        if (deposit == 0) return (false, 0);
        o.disputeDeposit = 0;
        bool byProvider = job.flags & FLAG_DISPUTED_BY_PROVIDER != 0;
        bool lost = arbitrated && (byProvider ? providerBps == 0 : providerBps == BPS);
        toProvider = byProvider != lost; // the provider's own deposit back, or the requester's forfeited one
        emit DisputeDepositSettled(jobId, toProvider ? job.provider : job.requester, deposit);
    }

    /// @dev The posted bond: `providerBps` of it to the provider, the rest to the requester.
    function _settleBond(
        uint256 jobId,
        JobData storage job,
        uint256 providerBps
    ) private returns (uint256 toProvider, uint256 toRequester) {
        if (job.flags & FLAG_BOND_POSTED == 0) return (0, 0);
        uint256 bond = _options[jobId].providerBond;
        toProvider = (bond * providerBps) / BPS;
        toRequester = bond - toProvider;
        emit BondSettled(jobId, toProvider, toRequester);
    }

    /// @dev Pays the keeper tip to `keeper` when there is one and it holds no role in the job (the caller of a
    /// permissionless exit, or 0), else back to the requester, together with `toRequester` (what else the
    /// requester gets at this ending) in one push.
    function _settleTip(
        uint256 jobId,
        JobData storage job,
        address token,
        address keeper,
        uint256 toRequester
    ) private {
        uint256 tip = _options[jobId].keeperTip;
        address requester = job.requester;
        if (tip != 0) {
            // A keeper holds no role in the job: neither party, nor a verifier that rejected or an arbitrator
            // that let a dispute go stale, may earn the tip for the exit it caused.
            if (keeper != address(0) && (keeper == job.provider || _holdsRole(jobId, job, keeper))) {
                keeper = address(0);
            }
            emit KeeperTipPaid(jobId, keeper == address(0) ? requester : keeper, tip);
            if (keeper == address(0)) toRequester += tip;
            else _push(jobId, token, keeper, tip);
        }
        _push(jobId, token, requester, toRequester);
    }

    /*//////////////////////////////////////////////////////////////
                         INTERNAL: HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Whether the job's verifier rejected the work.
    function _rejected(uint256 jobId, JobData storage job) private view returns (bool) {
        return job.flags & FLAG_VERIFIER != 0 && _options[jobId].verdict == Verdict.Rejected;
    }

    /// @dev A partial payment's checks: Accepted or Submitted, 1 ≤ amount ≤ remaining. Returns the remaining amount.
    function _checkPartial(
        uint256 jobId,
        JobData storage job,
        uint256 amount
    ) private view returns (uint256 remaining) {
        Status status = job.status;
        if (status != Status.Accepted && status != Status.Submitted) revert WorkEscrowInvalidStatus(jobId, status);
        remaining = job.amount;
        if (amount == 0 || amount > remaining) revert WorkEscrowInvalidPartialAmount(jobId, amount, remaining);
    }
}
