// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title WorkEscrow — an escrow for paid work (compute, storage, AI-agent tasks)
/// @notice A requester locks a payment; a provider accepts the job and submits a hash of the result
/// before the deadline; the payment goes to the provider when the requester, enough approvers, or the
/// silence of the review window accept the work; it goes back to the requester when nothing is
/// delivered in time; an arbitrator splits it when the two disagree.
/// @dev Trust model (what each role can and can NOT do):
/// - The admin sets fee rates (capped, new jobs only), fee recipients, the arbitrator registry (new jobs
///   only), per-token minimums, and pauses the creation of new jobs. There is no function that moves
///   escrowed funds, pause never blocks an exit, and ownership cannot be renounced.
/// - An arbitrator can only split the amount of a disputed job that named it at creation, and only
///   within `ARBITRATION_PERIOD` of the dispute. De-registering it later does not take the job away.
/// - No counterparty can block a settlement: payouts that fail (reverting or gas-burning receivers,
///   return-data bombs, blocklisted holders) are credited to a withdrawable balance instead.
/// - Every path has a permissionless exit: `refundExpired` after the deadline, `release` after the review
///   window, `settleStaleDispute` after the arbitration period.
/// Tokens: native coin and ERC-20s, including tokens without return values (USDT) and fee-on-transfer
/// tokens (a job escrows what the contract actually received). Rebasing tokens and tokens whose balance
/// can change without a transfer are NOT supported: a negative rebase can make the escrow insolvent
/// for that token. Time: windows use `block.timestamp`; they are hours to days long, so the few seconds
/// a block producer can skew a timestamp do not matter.
interface IWorkEscrow {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of a job. `None` is an id that does not exist. Terminal states are
    /// Released, Refunded, Cancelled and Resolved: nothing leaves them.
    enum Status {
        None,
        Open,
        Accepted,
        Submitted,
        Disputed,
        Released,
        Refunded,
        Cancelled,
        Resolved
    }

    /// @notice How a dispute ended.
    enum Resolution {
        Arbitrated, // the job's arbitrator ruled (arbitration fee paid)
        Agreed, // the parties agreed on a split (no arbitration fee)
        Stale // nobody ruled in time: 50/50 (no arbitration fee)
    }

    /// @notice Everything needed to create and fund a job, in one transaction.
    /// @param provider 0 = open job, any non-party may accept
    /// @param token 0 = native coin (msg.value must equal amount), else an ERC-20 (msg.value must be 0)
    /// @param amount payment locked, in the token's base units; > 0 and >= the token's minimum
    /// @param deadline unix seconds; acceptance and submission are allowed up to and including it
    /// @param reviewPeriod seconds after submission during which the requester may dispute
    /// @param jobType 0 compute, 1 storage; other values are reserved
    /// @param jobHash hash of the job specification; non-zero
    /// @param arbitrator registered arbitrator for this job (snapshotted)
    /// @param approvers optional list of approvers (distinct, non-zero, not a party), at most MAX_APPROVERS
    /// @param threshold approvals that release the payment; 0 iff approvers is empty
    struct JobParams {
        address provider;
        address token;
        uint256 amount;
        uint64 deadline;
        uint32 reviewPeriod;
        uint8 jobType;
        bytes32 jobHash;
        address arbitrator;
        address[] approvers;
        uint16 threshold;
    }

    /// @notice A job as returned by `getJob` (a view; storage is packed differently, see WorkEscrow).
    struct Job {
        address requester;
        address provider;
        address token;
        uint256 amount;
        uint64 deadline;
        uint32 reviewPeriod;
        uint8 jobType;
        Status status;
        bytes32 jobHash;
        bytes32 resultHash;
        address arbitrator;
        uint16 threshold;
        uint16 approvals;
        uint64 submittedAt;
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        address disputedBy;
        uint64 disputedAt;
        address proposer;
        uint16 proposalBps;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A per-token minimum job amount set at deployment.
    struct TokenMinimum {
        address token; // address(0) = native coin
        uint256 minAmount; // in the token's smallest unit; ≤ type(uint128).max
    }

    /// @notice Everything a deployment sets: the constructor argument (also the Ignition module's parameters).
    struct InitialConfig {
        address admin; // owner (Ownable2Step); cannot renounce
        address treasury; // platform fee recipient
        address communityFund; // community fee recipient (the CommunityFund contract in a full deployment)
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        address[] arbitrators; // registered at deployment
        TokenMinimum[] minAmounts;
    }

    /// @notice The terms of a job fixed at creation, as carried by `JobCreated` (fee rates are the snapshot).
    struct JobTerms {
        uint64 deadline;
        uint32 reviewPeriod;
        uint8 jobType;
        uint16 threshold;
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
    }

    /// @notice A job was created and funded. Carries every parameter, so an indexer can rebuild the job.
    /// `amount` is what the contract received (fee-on-transfer tokens).
    event JobCreated(
        uint256 indexed jobId,
        address indexed requester,
        address indexed provider,
        address token,
        uint256 amount,
        bytes32 jobHash,
        address arbitrator,
        address[] approvers,
        JobTerms terms
    );
    /// @notice Open → Accepted.
    event JobAccepted(uint256 indexed jobId, address indexed provider);
    /// @notice Open → Cancelled; `amount` goes back to the requester.
    event JobCancelled(uint256 indexed jobId, address indexed requester, uint256 amount);
    /// @notice Accepted → Submitted; the review window starts now.
    event WorkSubmitted(uint256 indexed jobId, address indexed provider, bytes32 resultHash);
    /// @notice An approver approved; `approvals` is the count after this approval.
    event WorkApproved(uint256 indexed jobId, address indexed approver, uint16 approvals);
    /// @notice Accepted/Submitted → Released: `providerAmount` to the provider, fees credited.
    event JobReleased(
        uint256 indexed jobId,
        address indexed provider,
        address indexed caller,
        uint256 providerAmount,
        uint256 platformFee,
        uint256 communityFee
    );
    /// @notice Open/Accepted → Refunded after the deadline: `amount` back to the requester.
    event JobRefunded(uint256 indexed jobId, address indexed requester, address indexed caller, uint256 amount);
    /// @notice Accepted/Submitted → Disputed.
    event DisputeRaised(uint256 indexed jobId, address indexed by, string reason);
    /// @notice ERC-1497 style: the evidence lives off-chain at `uri`.
    event EvidenceSubmitted(uint256 indexed jobId, address indexed party, string uri);
    /// @notice A party offered a split (replaces any earlier offer).
    event SettlementProposed(uint256 indexed jobId, address indexed proposer, uint16 providerBps);
    /// @notice Disputed → Resolved, with the exact amounts of the split.
    event DisputeResolved(
        uint256 indexed jobId,
        address indexed caller,
        Resolution indexed resolution,
        uint16 providerBps,
        uint256 providerAmount,
        uint256 requesterAmount,
        uint256 platformFee,
        uint256 communityFee,
        uint256 arbitrationFee
    );
    /// @notice A payout could not be pushed (or is a fee) and was credited to `account`'s withdrawable balance.
    event Credited(uint256 indexed jobId, address indexed token, address indexed account, uint256 amount);
    /// @notice `account` withdrew its credit of `token` to `to`.
    event Withdrawn(address indexed token, address indexed account, address indexed to, uint256 amount);

    event FeesUpdated(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps);
    event FeeRecipientsUpdated(address indexed treasury, address indexed communityFund);
    event ArbitratorUpdated(address indexed arbitrator, bool registered);
    event MinAmountUpdated(address indexed token, uint256 minAmount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    // --- creation ---
    error WorkEscrowZeroAmount();
    error WorkEscrowAmountBelowMinimum(address token, uint256 amount, uint256 minimum);
    error WorkEscrowAmountTooLarge(uint256 amount, uint256 maximum);
    error WorkEscrowInvalidDeadline(uint64 deadline, uint256 now_, uint256 latest);
    error WorkEscrowInvalidReviewPeriod(uint32 reviewPeriod, uint32 minimum, uint32 maximum);
    error WorkEscrowInvalidJobType(uint8 jobType);
    error WorkEscrowZeroJobHash();
    error WorkEscrowArbitratorNotRegistered(address arbitrator);
    error WorkEscrowTooManyApprovers(uint256 count, uint256 maximum);
    error WorkEscrowInvalidApprover(address approver);
    error WorkEscrowInvalidThreshold(uint16 threshold, uint256 approvers);
    error WorkEscrowInvalidProvider(address provider);
    error WorkEscrowValueMismatch(uint256 expected, uint256 sent);
    error WorkEscrowNothingReceived(address token);

    // --- lifecycle ---
    error WorkEscrowInvalidStatus(uint256 jobId, Status current);
    error WorkEscrowUnauthorized(uint256 jobId, address caller);
    error WorkEscrowDeadlinePassed(uint256 jobId, uint64 deadline);
    error WorkEscrowDeadlineNotPassed(uint256 jobId, uint64 deadline);
    error WorkEscrowReviewWindowOpen(uint256 jobId, uint256 endsAt);
    error WorkEscrowReviewWindowClosed(uint256 jobId, uint256 endedAt);
    error WorkEscrowZeroResultHash(uint256 jobId);
    error WorkEscrowAlreadyApproved(uint256 jobId, address approver);

    // --- disputes ---
    error WorkEscrowInvalidBps(uint16 bps);
    error WorkEscrowNoMatchingProposal(uint256 jobId, uint16 providerBps);
    error WorkEscrowOwnProposal(uint256 jobId, address caller);
    error WorkEscrowArbitrationPeriodOver(uint256 jobId, uint256 endedAt);
    error WorkEscrowArbitrationPeriodActive(uint256 jobId, uint256 endsAt);

    // --- money and admin ---
    error WorkEscrowNothingToWithdraw(address token, address account);
    error WorkEscrowTransferFailed(address token, address to, uint256 amount);
    error WorkEscrowFeeTooHigh(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps);
    error WorkEscrowZeroAddress();
    error WorkEscrowRenounceDisabled();

    /*//////////////////////////////////////////////////////////////
                                REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates and funds a job. Native coin: send `p.amount` as msg.value. ERC-20: approve first;
    /// the job escrows what the contract actually received.
    /// @dev Reverts while paused. Fee rates, arbitrator and approvers are snapshotted.
    /// @return jobId the new job's id (1, 2, 3, …)
    function createJob(JobParams calldata p) external payable returns (uint256 jobId);

    /// @notice Requester cancels an Open job (nobody accepted yet): full refund, no fee.
    function cancelJob(uint256 jobId) external;

    /// @notice Pays the provider (minus platform and community fees). The requester may call it from
    /// Accepted on; anyone may call it once the review window after submission has fully passed
    /// (`now >= submittedAt + reviewPeriod`).
    function release(uint256 jobId) external;

    /*//////////////////////////////////////////////////////////////
                                PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @notice Accepts an Open job up to and including its deadline: the designated provider, or for an
    /// open job anyone who is not already a party (requester, arbitrator, approver).
    function acceptJob(uint256 jobId) external;

    /// @notice The provider submits a non-zero hash of the result up to and including the deadline.
    /// Starts the review window.
    function submitWork(uint256 jobId, bytes32 resultHash) external;

    /*//////////////////////////////////////////////////////////////
                                APPROVER
    //////////////////////////////////////////////////////////////*/

    /// @notice An approver approves submitted work, once. The approval that reaches the threshold
    /// releases the payment. Costs the same whatever the number of approvers.
    function approveWork(uint256 jobId) external;

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @notice Refunds the requester in full, no fee, once the deadline has passed (`now > deadline`)
    /// and nothing was submitted (Open or Accepted). Callable by anyone.
    function refundExpired(uint256 jobId) external;

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @notice Requester or provider disputes: from Accepted up to and including the deadline, or from
    /// Submitted strictly before the review window ends. Stops release, approvals and refund.
    function raiseDispute(uint256 jobId, string calldata reason) external;

    /// @notice Requester, provider or the job's arbitrator points at off-chain evidence (event only).
    function submitEvidence(uint256 jobId, string calldata uri) external;

    /// @notice A party offers that the provider gets `providerBps` of the amount. Replaces any
    /// earlier offer (by either party).
    function proposeSettlement(uint256 jobId, uint16 providerBps) external;

    /// @notice The other party accepts the standing offer; `providerBps` must match it (guards against
    /// a last-second replacement). Resolves the dispute with no arbitration fee.
    function acceptSettlement(uint256 jobId, uint16 providerBps) external;

    /// @notice The job's arbitrator splits the amount: the arbitration fee first, then `providerBps`
    /// of the rest to the provider (minus platform and community fees), the exact remainder to the
    /// requester. Only strictly before `disputedAt + ARBITRATION_PERIOD`.
    function resolveDispute(uint256 jobId, uint16 providerBps) external;

    /// @notice Anyone settles a dispute nobody ruled on in time (`now >= disputedAt + ARBITRATION_PERIOD`):
    /// 50/50, no arbitration fee.
    function settleStaleDispute(uint256 jobId) external;

    /*//////////////////////////////////////////////////////////////
                                 CREDITS
    //////////////////////////////////////////////////////////////*/

    /// @notice Pays the caller's whole credit of `token` (0 = native) to the caller.
    function withdraw(address token) external;

    /// @notice Pays the caller's whole credit of `token` to `to` (e.g. when the caller cannot receive).
    function withdrawTo(address token, address to) external;

    /*//////////////////////////////////////////////////////////////
                                  ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets fee rates for jobs created from now on. Caps: platform <= MAX_PLATFORM_FEE_BPS,
    /// community <= MAX_COMMUNITY_FEE_BPS, platform + community <= MAX_PLATFORM_FEE_BPS,
    /// arbitration <= MAX_ARBITRATION_FEE_BPS.
    function setFees(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps) external;

    /// @notice Sets where future fees are credited. Credits already earned stay with their holder.
    function setFeeRecipients(address treasury, address communityFund) external;

    /// @notice Registers or unregisters an arbitrator for new jobs. Existing jobs keep theirs.
    function setArbitrator(address arbitrator, bool registered) external;

    /// @notice Sets the minimum amount of a job in `token` (0 = native coin) for new jobs.
    function setMinAmount(address token, uint256 minAmount) external;

    /// @notice Pauses the creation of new jobs only. Every other call stays open.
    function pause() external;

    /// @notice Resumes the creation of new jobs.
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The whole job; `status == None` for an id that does not exist.
    function getJob(uint256 jobId) external view returns (Job memory);

    /// @notice `account`'s withdrawable credit of `token` (0 = native).
    function withdrawable(address token, address account) external view returns (uint256);

    /// @notice Whether `account` is one of the job's approvers, and whether it has approved.
    function approverState(uint256 jobId, address account) external view returns (bool isApprover, bool approved);

    /// @notice Whether `arbitrator` may be named by new jobs.
    function isArbitrator(address arbitrator) external view returns (bool);

    /// @notice Minimum amount of a new job in `token`.
    function minAmount(address token) external view returns (uint256);

    /// @notice The id the next job will get minus one, i.e. the number of jobs created.
    function jobCount() external view returns (uint256);

    function treasury() external view returns (address);

    function communityFund() external view returns (address);

    function platformFeeBps() external view returns (uint16);

    function communityFeeBps() external view returns (uint16);

    function arbitrationFeeBps() external view returns (uint16);
}
