// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ICommunityFund — the community share of every WorkEscrow payment, returned to providers in rounds
/// @notice The fund receives the escrow's community fee (it pulls its credit with `collect`, or receives
/// pushes and transfers; `sync` recognises them). Money leaves only through claims of a posted round.
///
/// A round, per token: the admin posts a Merkle root of `(account, amount)` entries, its `total`
/// (≤ the undistributed pool) and `coveredUntil`, the end of the time range of payments it rewards
/// (the next default round starts exactly there; 0 for a hand-picked round that covers no range).
/// Posting needs the pool to hold at least the token's threshold and `minInterval` to have passed since
/// the token's last round. Claims open after `challengeDelay`, during which anyone can rebuild the tree
/// from chain history (`npx hardhat fund:build-round`) and the admin or a guardian can cancel a wrong
/// root; they stay open for `claimPeriod`, after which anyone can expire the round and its unclaimed
/// remainder returns to the pool. Each entry pays once, and a round can never pay out more than its
/// total, whatever tree was posted.
///
/// Trust: the admin chooses distributions (bounded by the fund's own pool; it cannot touch escrowed
/// jobs); the challenge delay makes every root public before it pays, and the guardian (a community
/// multisig) can veto it. The admin cannot take that veto away in time to use it: a new guardian or
/// schedule is only proposed by `setGuardian` / `setSchedule` and can be applied (by anyone, with
/// `applyPendingChanges`) no earlier than the challenge delay in force at the proposal; and a round can
/// always be cancelled by the guardian that was in force when it was posted, whatever changes later.
/// Nobody can take a claimable entry from its account: `claim` pays the account in the entry, whoever
/// sends it, and only the account itself can direct its entry elsewhere with `claimTo`.
///
/// Payouts: claims are pulls. `claim` pushes to the entry's account with all the gas the sender gives
/// and reverts if the account refuses (a contract without a receive function, a blocklisted address):
/// nothing is credited, the entry stays claimable, and the account's remedy is `claimTo`, which pays
/// any address it names. There is no other payout path.
///
/// Accounting invariant, per token: totalClaimed + reserved (unclaimed in live rounds) + pool
/// (undistributed) == totalReceived; and the balance is at least pool + reserved. The books are
/// uint128: `sync` recognises at most `type(uint128).max − totalReceived` (it reports exactly what it
/// recognised; any excess stays in the balance, unrecognised), so no amount is ever truncated.
/// Tokens: native coin (address(0)) and ERC-20s without rebasing, as for the escrow.
interface ICommunityFund {
    /// @notice How a round stands. Claimable between `claimsOpenAt` (inclusive) and `expiresAt` (exclusive).
    enum RoundStatus {
        None,
        Live, // posted; in its challenge delay or open for claims
        Cancelled, // vetoed during the challenge delay; its total went back to the pool
        Expired // claim period over; the unclaimed remainder went back to the pool
    }

    /// @notice Settings set at deployment (also the Ignition module's parameters). They are in force at
    /// once; later changes of the guardian or the schedule wait for the challenge delay.
    struct FundConfig {
        address admin; // owner (Ownable2Step): posts rounds, sets parameters
        address guardian; // may cancel a root during its challenge delay (as may the admin)
        uint32 minInterval; // seconds between two rounds of one token, [MIN_INTERVAL, MAX_INTERVAL]
        uint32 challengeDelay; // seconds from posting to claims opening, [MIN_CHALLENGE_DELAY, MAX_CHALLENGE_DELAY]
        uint32 claimPeriod; // seconds claims stay open, [MIN_CLAIM_PERIOD, MAX_CLAIM_PERIOD]
        TokenThreshold[] thresholds; // tokens enabled for rounds at deployment
    }

    /// @notice The pool a token must hold before a round of it can be posted (0 = rounds disabled).
    struct TokenThreshold {
        address token;
        uint128 threshold;
    }

    /// @notice A round as `getRound` returns it.
    struct Round {
        address token;
        RoundStatus status;
        bytes32 root;
        uint128 total;
        uint128 claimed;
        uint40 postedAt;
        uint40 claimsOpenAt;
        uint40 expiresAt;
        uint40 coveredUntil; // end (exclusive) of the payments' time range it rewards; 0 = no range (manual)
        address guardian; // the guardian in force when it was posted: it can cancel the round whatever changes later
        string uri; // where the tree (entries + proofs) is published
    }

    /// @notice Per-token accounting as `tokenState` returns it.
    struct TokenState {
        uint128 pool; // undistributed, available to the next round
        uint128 reserved; // unclaimed amounts of live rounds
        uint128 totalReceived; // everything recognised by `sync`, ever (at most type(uint128).max)
        uint128 totalClaimed; // everything paid out by claims, ever
        uint128 threshold;
        uint40 lastRoundAt; // when the last round (not cancelled) of this token was posted
    }

    event Received(address indexed token, uint256 amount);
    event RoundPosted(
        uint256 indexed roundId,
        address indexed token,
        bytes32 root,
        uint256 total,
        uint40 claimsOpenAt,
        uint40 expiresAt,
        uint40 coveredUntil,
        string uri
    );
    event RoundCancelled(uint256 indexed roundId, address indexed by, uint256 returnedToPool);
    event RoundExpired(uint256 indexed roundId, uint256 returnedToPool);
    /// @notice An entry of `account` was paid to `to` (the account itself unless it used `claimTo`).
    event Claimed(uint256 indexed roundId, address indexed account, address indexed to, uint256 amount);
    event ThresholdUpdated(address indexed token, uint256 threshold);
    /// @notice A schedule change was proposed; `applyPendingChanges` puts it in force from `effectiveAt`.
    event ScheduleChangeProposed(uint32 minInterval, uint32 challengeDelay, uint32 claimPeriod, uint40 effectiveAt);
    /// @notice The schedule in force from now on (at deployment, or a proposal applied).
    event ScheduleUpdated(uint32 minInterval, uint32 challengeDelay, uint32 claimPeriod);
    /// @notice A guardian change was proposed; `applyPendingChanges` puts it in force from `effectiveAt`.
    event GuardianChangeProposed(address indexed guardian, uint40 effectiveAt);
    /// @notice The guardian in force from now on (at deployment, or a proposal applied).
    event GuardianUpdated(address indexed guardian);

    error CommunityFundZeroAddress();
    error CommunityFundThresholdNotSet(address token);
    error CommunityFundBelowThreshold(address token, uint256 pool, uint256 threshold);
    error CommunityFundTooEarly(address token, uint256 nextRoundAt);
    error CommunityFundInvalidRound(bytes32 root, uint256 total, uint256 pool);
    error CommunityFundCoverageInFuture(uint256 coveredUntil, uint256 now_);
    error CommunityFundInvalidSchedule(uint32 minInterval, uint32 challengeDelay, uint32 claimPeriod);
    error CommunityFundUnknownRound(uint256 roundId);
    error CommunityFundRoundNotLive(uint256 roundId, RoundStatus status);
    error CommunityFundChallengeDelayOver(uint256 roundId, uint256 claimsOpenAt);
    error CommunityFundClaimsNotOpen(uint256 roundId, uint256 claimsOpenAt);
    error CommunityFundRoundExpired(uint256 roundId, uint256 expiresAt);
    error CommunityFundRoundNotExpired(uint256 roundId, uint256 expiresAt);
    error CommunityFundAlreadyClaimed(uint256 roundId, address account);
    error CommunityFundInvalidProof(uint256 roundId, address account, uint256 amount);
    error CommunityFundRoundOverclaimed(uint256 roundId, uint256 claimed, uint256 total);
    error CommunityFundUnauthorized(address caller);
    error CommunityFundBalanceShort(address token, uint256 balance, uint256 accounted);
    /// @notice Neither pending change can be applied yet (an effective time of 0: nothing pending).
    error CommunityFundNoChangeDue(uint256 guardianEffectiveAt, uint256 scheduleEffectiveAt);
    error CommunityFundRenounceDisabled();

    /// @notice Pulls the fund's credit in `token` from a WorkEscrow (its `withdraw`) and recognises it.
    /// Anyone may call; the escrow pays only the fund's own credit.
    function collect(address escrow, address token) external returns (uint256 received);

    /// @notice Recognises coins or tokens that arrived by push or plain transfer. Anyone may call.
    /// Recognises at most what the books can still hold (`type(uint128).max − totalReceived`) and
    /// returns and emits exactly what it recognised; it never reverts for size.
    function sync(address token) external returns (uint256 received);

    /// @notice Posts a round (admin). Needs pool ≥ threshold, `minInterval` since the last round of
    /// the token, a non-zero root, 0 < total ≤ pool and `coveredUntil` ≤ now (a round cannot reward
    /// payments that have not happened; 0 = covers no range). Moves `total` from the pool to reserved.
    /// Uses the schedule in force, and records the guardian in force (see `Round.guardian`).
    function postRound(
        address token,
        bytes32 root,
        uint128 total,
        uint40 coveredUntil,
        string calldata uri
    ) external returns (uint256 roundId);

    /// @notice Cancels a live round before its claims open: the admin, the guardian in force, or the
    /// guardian that was in force when the round was posted. Its total returns to the pool and the
    /// token's interval clock goes back to the previous round.
    function cancelRound(uint256 roundId) external;

    /// @notice Pays `account` its entry of round `roundId` (anyone may send it; the money goes to `account`
    /// and the call reverts if `account` refuses it). The leaf is OpenZeppelin StandardMerkleTree's:
    /// keccak256(bytes.concat(keccak256(abi.encode(account, amount)))).
    function claim(uint256 roundId, address account, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pays the caller's own entry of round `roundId` to `to` (not address(0)): for an account
    /// that cannot receive the token or the coin itself (blocklisted, a contract refusing the coin).
    /// Only the entry's account can send it: the leaf is built from `msg.sender`.
    function claimTo(uint256 roundId, uint256 amount, bytes32[] calldata proof, address to) external;

    /// @notice Ends a round whose claim period is over; its unclaimed remainder returns to the pool. Anyone.
    function expireRound(uint256 roundId) external;

    /// @notice Sets the pool a token needs before a round (admin), in force at once (it gates posting
    /// only, never the veto); 0 disables rounds of that token.
    function setThreshold(address token, uint128 threshold) external;

    /// @notice Proposes a round schedule (admin), each value within its documented bounds. It can be
    /// applied from now + the challenge delay in force, and applies to rounds posted after that. A new
    /// proposal replaces a pending one (and restarts its delay).
    function setSchedule(uint32 minInterval, uint32 challengeDelay, uint32 claimPeriod) external;

    /// @notice Proposes a guardian (admin); address(0) leaves only the admin able to cancel new rounds.
    /// It can be applied from now + the challenge delay in force. A new proposal replaces a pending one.
    function setGuardian(address guardian) external;

    /// @notice Puts in force every pending change whose effective time has come (anyone may call);
    /// reverts when there is none.
    function applyPendingChanges() external;

    function getRound(uint256 roundId) external view returns (Round memory);
    function tokenState(address token) external view returns (TokenState memory);
    function isClaimed(uint256 roundId, address account) external view returns (bool);
    function roundCount() external view returns (uint256);
    /// @notice When the next round of `token` may be posted (time only; the threshold is separate).
    function nextRoundAt(address token) external view returns (uint256);
    /// @notice The guardian in force.
    function guardian() external view returns (address);
    /// @notice The schedule in force (`postRound` uses it).
    function minInterval() external view returns (uint32);
    function challengeDelay() external view returns (uint32);
    function claimPeriod() external view returns (uint32);
    /// @notice The proposed guardian and when it can be applied (`effectiveAt` 0: nothing pending).
    function pendingGuardian() external view returns (address guardian, uint40 effectiveAt);
    /// @notice The proposed schedule and when it can be applied (`effectiveAt` 0: nothing pending).
    function pendingSchedule()
        external
        view
        returns (uint32 minInterval, uint32 challengeDelay, uint32 claimPeriod, uint40 effectiveAt);
}
