// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICommunityFund} from "./interfaces/ICommunityFund.sol";
import {IWorkEscrow} from "./interfaces/IWorkEscrow.sol";

/// @title CommunityFund
/// @notice See ICommunityFund. Rounds are Merkle distributions: the contract never loops over recipients.
/// @dev Storage: per token, `_tokens[token]` packs pool|reserved (slot 0), totalReceived|totalClaimed
/// (slot 1) and threshold|lastRoundAt (slot 2); a round is 4 slots plus its uri; a claim sets one bool.
/// Settings: the schedule in force (one slot), every guardian ever in force (`_guardians`, the last
/// in force), and one slot per pending proposal.
/// Narrowing casts: each one below carries the bound that makes it exact.
contract CommunityFund is ICommunityFund, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint32 public constant MIN_INTERVAL = 1 days; // rounds of one token at most daily
    uint32 public constant MAX_INTERVAL = 365 days;
    uint32 public constant MIN_CHALLENGE_DELAY = 1 hours; // long enough to rebuild a tree and compare roots
    uint32 public constant MAX_CHALLENGE_DELAY = 30 days;
    uint32 public constant MIN_CLAIM_PERIOD = 7 days; // providers get at least a week to claim
    uint32 public constant MAX_CLAIM_PERIOD = 365 days;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct RoundData {
        address token;
        RoundStatus status;
        uint40 claimsOpenAt;
        uint40 expiresAt;
        bytes32 root;
        uint128 total;
        uint128 claimed;
        uint40 postedAt;
        uint40 previousRoundAt; // the token's lastRoundAt before this round, restored on cancel
        uint40 coveredUntil; // end (exclusive) of the payments' range it rewards; 0 = no range
        uint32 guardianIndex; // index in _guardians of the guardian in force at posting: it keeps its veto
        string uri;
    }

    /// @dev A proposed change and the time from which `applyPendingChanges` may put it in force
    /// (effectiveAt 0: nothing pending).
    struct PendingGuardian {
        address guardian;
        uint40 effectiveAt;
    }

    struct PendingSchedule {
        uint32 minInterval;
        uint32 challengeDelay;
        uint32 claimPeriod;
        uint40 effectiveAt;
    }

    /// @inheritdoc ICommunityFund
    uint32 public minInterval;
    /// @inheritdoc ICommunityFund
    uint32 public challengeDelay;
    /// @inheritdoc ICommunityFund
    uint32 public claimPeriod;
    uint256 private _roundCount;
    /// @dev Every guardian that was in force, in order; the last one is in force now. Rounds refer to
    /// an index, so a later change cannot take a round's veto away (one slot per round, not two).
    address[] private _guardians;
    /// @inheritdoc ICommunityFund
    PendingGuardian public pendingGuardian;
    /// @inheritdoc ICommunityFund
    PendingSchedule public pendingSchedule;

    /// @dev Stored as the view struct itself: it already packs into 3 slots.
    mapping(address token => TokenState) private _tokens;
    mapping(uint256 roundId => RoundData) private _rounds;
    mapping(uint256 roundId => mapping(address account => bool)) private _claimed;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param config admin, guardian, schedule and the tokens enabled at deployment (see ICommunityFund.FundConfig)
    constructor(FundConfig memory config) Ownable(config.admin) {
        _applyGuardian(config.guardian);
        _requireSchedule(config.minInterval, config.challengeDelay, config.claimPeriod);
        _applySchedule(config.minInterval, config.challengeDelay, config.claimPeriod);
        // Deployer-supplied list, bounded by the deployment's own gas; never user data.
        for (uint256 i; i < config.thresholds.length; ++i) {
            _setThreshold(config.thresholds[i].token, config.thresholds[i].threshold);
        }
    }

    /// @notice Accepts native coin (the escrow's withdraw pushes it here); `sync` recognises it.
    receive() external payable {}

    /*//////////////////////////////////////////////////////////////
                                INFLOWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFund
    function collect(address escrow, address token) external nonReentrant returns (uint256 received) {
        // Any address may be passed: the only effect is its `withdraw(token)` call, and whatever arrives
        // is recognised by balance difference below, so a fake escrow can at most donate.
        IWorkEscrow(escrow).withdraw(token);
        return _sync(token);
    }

    /// @inheritdoc ICommunityFund
    function sync(address token) external nonReentrant returns (uint256 received) {
        return _sync(token);
    }

    /*//////////////////////////////////////////////////////////////
                                 ROUNDS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFund
    function postRound(
        address token,
        bytes32 root,
        uint128 total,
        uint40 coveredUntil,
        string calldata uri
    ) external onlyOwner nonReentrant returns (uint256 roundId) {
        _sync(token); // a round can use everything that has arrived
        TokenState storage t = _tokens[token];
        uint40 previous = _requirePostable(token, t, root, total, coveredUntil);
        // block.timestamp < 2^40 until the year 36812, and the delay adds at most 30 days: exact.
        uint40 now_ = uint40(block.timestamp);
        t.pool -= total;
        t.reserved += total;
        t.lastRoundAt = now_;
        roundId = ++_roundCount;
        RoundData storage r = _rounds[roundId];
        r.token = token;
        r.status = RoundStatus.Live;
        r.claimsOpenAt = now_ + challengeDelay;
        r.expiresAt = r.claimsOpenAt + claimPeriod;
        r.root = root;
        r.total = total;
        r.postedAt = now_;
        r.previousRoundAt = previous;
        r.coveredUntil = coveredUntil;
        // One entry per applied guardian change, each applied ≥ MIN_CHALLENGE_DELAY (1 h) after the
        // previous one (its proposal came after it): the index stays below 2^32 for 490,000 years.
        r.guardianIndex = uint32(_guardians.length - 1);
        r.uri = uri;
        emit RoundPosted(roundId, token, root, total, r.claimsOpenAt, r.expiresAt, coveredUntil, uri);
    }

    /// @inheritdoc ICommunityFund
    function cancelRound(uint256 roundId) external {
        RoundData storage r = _liveRound(roundId);
        if (msg.sender != owner() && msg.sender != guardian() && msg.sender != _guardians[r.guardianIndex]) {
            revert CommunityFundUnauthorized(msg.sender);
        }
        uint40 claimsOpenAt = r.claimsOpenAt;
        if (block.timestamp >= claimsOpenAt) revert CommunityFundChallengeDelayOver(roundId, claimsOpenAt);

        r.status = RoundStatus.Cancelled;
        uint128 total = r.total;
        TokenState storage t = _tokens[r.token];
        t.reserved -= total;
        t.pool += total;
        // Restore the token's interval clock so a corrected root can be posted at once — but only when
        // this is the token's newest round (a delay longer than the interval lets two be in flight).
        if (t.lastRoundAt == r.postedAt) t.lastRoundAt = r.previousRoundAt;
        emit RoundCancelled(roundId, msg.sender, total);
    }

    /// @inheritdoc ICommunityFund
    function claim(uint256 roundId, address account, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        _claim(roundId, account, amount, proof, account);
    }

    /// @inheritdoc ICommunityFund
    function claimTo(uint256 roundId, uint256 amount, bytes32[] calldata proof, address to) external nonReentrant {
        if (to == address(0)) revert CommunityFundZeroAddress();
        _claim(roundId, msg.sender, amount, proof, to);
    }

    /// @inheritdoc ICommunityFund
    function expireRound(uint256 roundId) external {
        RoundData storage r = _liveRound(roundId);
        uint40 expiresAt = r.expiresAt;
        if (block.timestamp < expiresAt) revert CommunityFundRoundNotExpired(roundId, expiresAt);

        r.status = RoundStatus.Expired;
        uint128 unclaimed = r.total - r.claimed;
        TokenState storage t = _tokens[r.token];
        t.reserved -= unclaimed;
        t.pool += unclaimed;
        emit RoundExpired(roundId, unclaimed);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFund
    function setThreshold(address token, uint128 threshold) external onlyOwner {
        _setThreshold(token, threshold);
    }

    /// @inheritdoc ICommunityFund
    function setSchedule(uint32 minInterval_, uint32 challengeDelay_, uint32 claimPeriod_) external onlyOwner {
        _requireSchedule(minInterval_, challengeDelay_, claimPeriod_);
        uint40 effectiveAt = _effectiveAt();
        pendingSchedule = PendingSchedule(minInterval_, challengeDelay_, claimPeriod_, effectiveAt);
        emit ScheduleChangeProposed(minInterval_, challengeDelay_, claimPeriod_, effectiveAt);
    }

    /// @inheritdoc ICommunityFund
    function setGuardian(address guardian_) external onlyOwner {
        uint40 effectiveAt = _effectiveAt();
        pendingGuardian = PendingGuardian(guardian_, effectiveAt);
        emit GuardianChangeProposed(guardian_, effectiveAt);
    }

    /// @inheritdoc ICommunityFund
    function applyPendingChanges() external {
        PendingGuardian memory g = pendingGuardian;
        PendingSchedule memory s = pendingSchedule;
        bool guardianDue = g.effectiveAt != 0 && block.timestamp >= g.effectiveAt;
        bool scheduleDue = s.effectiveAt != 0 && block.timestamp >= s.effectiveAt;
        if (!guardianDue && !scheduleDue) revert CommunityFundNoChangeDue(g.effectiveAt, s.effectiveAt);
        if (guardianDue) {
            delete pendingGuardian;
            _applyGuardian(g.guardian);
        }
        if (scheduleDue) {
            delete pendingSchedule;
            _applySchedule(s.minInterval, s.challengeDelay, s.claimPeriod);
        }
    }

    /// @notice Disabled: rounds need an admin to be posted.
    function renounceOwnership() public view override onlyOwner {
        revert CommunityFundRenounceDisabled();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFund
    function getRound(uint256 roundId) external view returns (Round memory) {
        RoundData storage r = _rounds[roundId];
        return
            Round({
                token: r.token,
                status: r.status,
                root: r.root,
                total: r.total,
                claimed: r.claimed,
                postedAt: r.postedAt,
                claimsOpenAt: r.claimsOpenAt,
                expiresAt: r.expiresAt,
                coveredUntil: r.coveredUntil,
                guardian: r.status == RoundStatus.None ? address(0) : _guardians[r.guardianIndex],
                uri: r.uri
            });
    }

    /// @inheritdoc ICommunityFund
    function tokenState(address token) external view returns (TokenState memory) {
        return _tokens[token];
    }

    /// @inheritdoc ICommunityFund
    function isClaimed(uint256 roundId, address account) external view returns (bool) {
        return _claimed[roundId][account];
    }

    /// @inheritdoc ICommunityFund
    function roundCount() external view returns (uint256) {
        return _roundCount;
    }

    /// @inheritdoc ICommunityFund
    function nextRoundAt(address token) external view returns (uint256) {
        uint40 last = _tokens[token].lastRoundAt;
        return last == 0 ? 0 : uint256(last) + minInterval;
    }

    /// @inheritdoc ICommunityFund
    function guardian() public view returns (address) {
        return _guardians[_guardians.length - 1];
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Recognises what arrived since the last sync: balance − (pool + reserved) goes to the pool,
    /// up to what the uint128 books can still hold. The excess (only a balance beyond 2^128 gets here)
    /// stays unrecognised rather than being truncated or making every later sync revert.
    function _sync(address token) private returns (uint256 received) {
        uint256 balance = token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
        TokenState storage t = _tokens[token];
        uint256 accounted = uint256(t.pool) + t.reserved;
        // Only a token that takes balance away on its own (negative rebase: unsupported) gets here.
        if (balance < accounted) revert CommunityFundBalanceShort(token, balance, accounted);
        received = Math.min(balance - accounted, type(uint128).max - t.totalReceived);
        if (received == 0) return 0;
        // received ≤ max − totalReceived, so both casts are exact and totalReceived cannot overflow; and
        // pool + reserved ≤ totalReceived (the accounting invariant), so the pool cannot either.
        t.totalReceived += uint128(received);
        t.pool += uint128(received);
        emit Received(token, received);
    }

    /// @dev Pays `account`'s entry to `to`: check → effects → event → transfer.
    function _claim(uint256 roundId, address account, uint256 amount, bytes32[] calldata proof, address to) private {
        RoundData storage r = _liveRound(roundId);
        uint40 claimsOpenAt = r.claimsOpenAt;
        if (block.timestamp < claimsOpenAt) revert CommunityFundClaimsNotOpen(roundId, claimsOpenAt);
        uint40 expiresAt = r.expiresAt;
        if (block.timestamp >= expiresAt) revert CommunityFundRoundExpired(roundId, expiresAt);
        if (_claimed[roundId][account]) revert CommunityFundAlreadyClaimed(roundId, account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, r.root, leaf)) {
            revert CommunityFundInvalidProof(roundId, account, amount);
        }
        // A tree whose entries add up to more than its total must not spend other rounds' money.
        uint256 claimed = uint256(r.claimed) + amount;
        if (claimed > r.total) revert CommunityFundRoundOverclaimed(roundId, claimed, r.total);

        _claimed[roundId][account] = true;
        // amount ≤ claimed ≤ r.total, a uint128 (checked just above): all three casts are exact.
        r.claimed = uint128(claimed);
        address token = r.token;
        TokenState storage t = _tokens[token];
        t.reserved -= uint128(amount);
        t.totalClaimed += uint128(amount);
        emit Claimed(roundId, account, to, amount);
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    /// @dev The posting rules; returns the token's current lastRoundAt.
    function _requirePostable(
        address token,
        TokenState storage t,
        bytes32 root,
        uint128 total,
        uint40 coveredUntil
    ) private view returns (uint40 previous) {
        uint128 threshold = t.threshold;
        if (threshold == 0) revert CommunityFundThresholdNotSet(token);
        uint128 pool = t.pool;
        if (pool < threshold) revert CommunityFundBelowThreshold(token, pool, threshold);
        previous = t.lastRoundAt;
        uint256 next = previous == 0 ? 0 : uint256(previous) + minInterval;
        if (block.timestamp < next) revert CommunityFundTooEarly(token, next);
        if (root == bytes32(0) || total == 0 || total > pool) revert CommunityFundInvalidRound(root, total, pool);
        if (coveredUntil > block.timestamp) revert CommunityFundCoverageInFuture(coveredUntil, block.timestamp);
    }

    function _liveRound(uint256 roundId) private view returns (RoundData storage r) {
        r = _rounds[roundId];
        RoundStatus status = r.status;
        if (status == RoundStatus.None) revert CommunityFundUnknownRound(roundId);
        if (status != RoundStatus.Live) revert CommunityFundRoundNotLive(roundId, status);
    }

    /// @dev When a change proposed now may be applied: after the challenge delay in force, so it is
    /// public for a whole veto window first (rounds keep their own guardian and times anyway).
    function _effectiveAt() private view returns (uint40) {
        // block.timestamp < 2^40 until the year 36812, and the delay adds at most 30 days: exact.
        return uint40(block.timestamp) + challengeDelay;
    }

    function _setThreshold(address token, uint128 threshold) private {
        _tokens[token].threshold = threshold;
        emit ThresholdUpdated(token, threshold);
    }

    function _requireSchedule(uint32 minInterval_, uint32 challengeDelay_, uint32 claimPeriod_) private pure {
        if (
            minInterval_ < MIN_INTERVAL ||
            minInterval_ > MAX_INTERVAL ||
            challengeDelay_ < MIN_CHALLENGE_DELAY ||
            challengeDelay_ > MAX_CHALLENGE_DELAY ||
            claimPeriod_ < MIN_CLAIM_PERIOD ||
            claimPeriod_ > MAX_CLAIM_PERIOD
        ) revert CommunityFundInvalidSchedule(minInterval_, challengeDelay_, claimPeriod_);
    }

    function _applySchedule(uint32 minInterval_, uint32 challengeDelay_, uint32 claimPeriod_) private {
        minInterval = minInterval_;
        challengeDelay = challengeDelay_;
        claimPeriod = claimPeriod_;
        emit ScheduleUpdated(minInterval_, challengeDelay_, claimPeriod_);
    }

    function _applyGuardian(address guardian_) private {
        _guardians.push(guardian_);
        emit GuardianUpdated(guardian_);
    }
}
