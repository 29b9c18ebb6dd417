// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IWorkEscrowTypes — the types, events and errors of WorkEscrow
/// @notice Shared by the two contracts of a deployment (the core `WorkEscrow` and its `WorkEscrowExtension`)
/// and by everything that talks to them. The whole callable surface is {IWorkEscrow}.
/// Units: amounts are in the token's base units (wei for the native coin), times are unix seconds,
/// durations are seconds, rates are basis points (1/10,000).
interface IWorkEscrowTypes {
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

    /// @notice How a job ended in `Resolved`.
    enum Resolution {
        Arbitrated, // the job's arbitrator ruled (arbitration fee paid)
        Agreed, // the parties agreed on a split, disputed or not (no arbitration fee); 0 bps = mutual cancellation
        Stale // nobody ruled within the job's arbitration period: 50/50 (no arbitration fee)
    }

    /// @notice The verdict of a job's verifier on submitted work (one per job).
    enum Verdict {
        None, // no verdict (or no verifier): the v1 rules apply
        Approved, // released at once
        Rejected // the provider may dispute within the review window; otherwise refunded after it
    }

    /// @notice The terms of a job, as v1 had them: everything `createJob` needs. The v2 optional terms are
    /// a separate `JobOptions` given to `createJobWithOptions`, so a job that uses none pays neither their
    /// calldata nor their checks.
    /// @param provider 0 = open job: any non-party may accept (or, with `bidsOnly`, only an awarded bidder)
    /// @param token 0 = native coin (msg.value must equal `amount`, plus `keeperTip` with options), else an
    /// ERC-20 (msg.value 0)
    /// @param amount payment locked, base units; > 0, ≥ the token's minimum, ≤ type(uint128).max. For a
    /// bid job, the maximum price.
    /// @param deadline unix seconds; acceptance and submission are allowed up to and including it; at least
    /// MIN_WORK_TIME and at most MAX_DURATION after creation
    /// @param reviewPeriod seconds after submission during which a party may dispute and the verifier judge,
    /// [MIN_REVIEW, MAX_REVIEW]
    /// @param jobType 0 compute, 1 storage, 2 agent; other values are reserved
    /// @param jobHash hash of the job specification; non-zero
    /// @param arbitrator registered arbitrator for this job (snapshotted with its arbitration period)
    /// @param approvers optional approvers (distinct, non-zero, no other role in the job), ≤ MAX_APPROVERS
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

    /// @notice v2: the optional terms of a job (`createJobWithOptions`, `createJobWithPermit`,
    /// `createJobWithAuthorization`). All zero is a job without options.
    /// @param providerBond 0 = none: stake the provider posts on acceptance, in the job's token, base units
    /// @param keeperTip 0 = none: paid by the requester on top of `amount` (base units), to whoever performs a
    /// permissionless finalisation (when it holds no role in the job), else back to the requester
    /// @param verifier 0 = none: the address (or adapter contract) that may approve or reject the work once
    /// @param verifierFeeBps the verifier's fee on either verdict, basis points of the remaining amount,
    /// ≤ MAX_VERIFIER_FEE_BPS; 0 without a verifier
    /// @param bidsOnly an open job that can only be given to a bidder by `awardBid` (no direct acceptance)
    /// @param agentRequired the provider must own ERC-8004 agent identity `agentId` (ERC-721 of the
    /// deployment's Identity Registry) when it accepts or is awarded the job
    /// @param agentId the ERC-8004 agent id required (ignored unless `agentRequired`)
    struct JobOptions {
        uint256 providerBond;
        uint256 keeperTip;
        address verifier;
        uint16 verifierFeeBps;
        bool bidsOnly;
        bool agentRequired;
        uint256 agentId;
    }

    /// @notice A job as returned by `getJob` (a view; storage is packed differently, see WorkEscrowStorage).
    /// @dev `amount` is what remains escrowed for the work: it goes down with partial payments and the
    /// verifier's fee. `providerBond` is the bond required until acceptance and the bond held from then on.
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
        // v2
        uint32 arbitrationPeriod; // seconds, snapshotted from the registry at creation
        uint256 released; // paid to the provider by partial releases that left a remainder (gross, fees included)
        uint256 refunded; // returned to the requester by partial refunds that left a remainder
        uint256 providerBond;
        bool bondPosted;
        uint256 keeperTip;
        address verifier;
        uint16 verifierFeeBps;
        Verdict verdict;
        uint64 verdictAt; // when the verdict was given; after a rejection the review window runs to verdictAt + reviewPeriod
        bool bidsOnly;
        bool agentRequired;
        uint256 agentId;
        uint256 disputeDeposit; // held from the disputer while Disputed (what actually arrived)
    }

    /// @notice A provider's EIP-712 signed offer to do job `jobId` for `price` (v2).
    /// @param jobId the job the bid is for
    /// @param provider the bidder (EOA, or an ERC-1271 contract wallet) who signs it
    /// @param price base units of the job's token, 0 < price ≤ the job's amount (its maximum price)
    /// @param expiry unix seconds; the bid can be awarded up to and including it
    /// @param nonce OpenZeppelin NoncesKeyed nonce of the provider: `key << 64 | sequence` (the SDK uses
    /// key = jobId). Awarding uses it; `invalidateNonce(key)` cancels every outstanding bid with that key.
    struct Bid {
        uint256 jobId;
        address provider;
        uint256 price;
        uint64 expiry;
        uint256 nonce;
    }

    /// @notice A per-token minimum job amount set at deployment.
    struct TokenMinimum {
        address token; // address(0) = native coin
        uint256 minAmount; // base units; ≤ type(uint128).max
    }

    /// @notice An arbitrator registered at deployment.
    struct ArbitratorConfig {
        address arbitrator; // a key, or a contract (committee, ERC-792 court adapter)
        uint32 arbitrationPeriod; // seconds to rule after a dispute, [MIN_ARBITRATION_PERIOD, MAX_ARBITRATION_PERIOD]; 0 = DEFAULT_ARBITRATION_PERIOD
    }

    /// @notice Everything a deployment sets: the constructor argument (also the Ignition module's parameters).
    struct InitialConfig {
        address admin; // owner (Ownable2Step); cannot renounce
        address treasury; // platform fee recipient
        address communityFund; // community fee recipient (the CommunityFund contract in a full deployment)
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        ArbitratorConfig[] arbitrators; // registered at deployment
        TokenMinimum[] minAmounts;
    }

    /// @notice The terms of a job fixed at creation, as carried by `JobCreated` (fee rates and the
    /// arbitration period are the snapshot).
    struct JobTerms {
        uint64 deadline;
        uint32 reviewPeriod;
        uint8 jobType;
        uint16 threshold;
        uint16 platformFeeBps;
        uint16 communityFeeBps;
        uint16 arbitrationFeeBps;
        uint32 arbitrationPeriod;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A job was created and funded. Carries every v1 parameter, so an indexer can rebuild the job.
    /// `amount` is what the contract received (fee-on-transfer tokens), minus the keeper tip.
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
    /// @notice v2: the optional terms of a job, emitted right after `JobCreated` only when one is set.
    event JobOptionsSet(
        uint256 indexed jobId,
        uint256 providerBond,
        uint256 keeperTip,
        address indexed verifier,
        uint16 verifierFeeBps,
        bool bidsOnly,
        bool agentRequired,
        uint256 agentId
    );
    /// @notice Open → Accepted (by `acceptJob`, or by `awardBid` on a job without a bond).
    event JobAccepted(uint256 indexed jobId, address indexed provider);
    /// @notice v2: the provider posted the bond (`amount` is what arrived) on acceptance.
    event BondPosted(uint256 indexed jobId, address indexed provider, uint256 amount);
    /// @notice v2: a bid was awarded: the job's amount became `price` and `refunded` went back to the requester.
    /// Without a bond the job is Accepted at once; with one it stays Open, designated to the bidder,
    /// until the bidder posts the bond with `acceptJob`.
    event BidAwarded(uint256 indexed jobId, address indexed provider, uint256 price, uint256 refunded, uint256 nonce);
    /// @notice Open → Cancelled; `amount` (plus any keeper tip) goes back to the requester.
    event JobCancelled(uint256 indexed jobId, address indexed requester, uint256 amount);
    /// @notice Accepted → Submitted; the review window starts now.
    event WorkSubmitted(uint256 indexed jobId, address indexed provider, bytes32 resultHash);
    /// @notice An approver approved; `approvals` is the count after this approval.
    event WorkApproved(uint256 indexed jobId, address indexed approver, uint16 approvals);
    /// @notice v2: the job's verifier gave its verdict and was credited `fee` (taken from the remaining amount).
    event WorkVerified(uint256 indexed jobId, address indexed verifier, bool approved, uint256 fee);
    /// @notice Accepted/Submitted → Released: `providerAmount` to the provider. `platformFee` and
    /// `communityFee` (base units of the job's token) are credited to the treasury and the community fund of
    /// the fee epoch in force (the latest `FeeRecipientsUpdated`): this event is their credit event, as
    /// `JobPartiallyReleased` and `DisputeResolved` are for theirs.
    event JobReleased(
        uint256 indexed jobId,
        address indexed provider,
        address indexed caller,
        uint256 providerAmount,
        uint256 platformFee,
        uint256 communityFee
    );
    /// @notice v2: the requester paid `gross` of the remaining amount to the provider (`providerAmount`
    /// net of fees; the fees credited as for `JobReleased`); `remaining` is left in the job.
    event JobPartiallyReleased(
        uint256 indexed jobId,
        address indexed provider,
        uint256 gross,
        uint256 providerAmount,
        uint256 platformFee,
        uint256 communityFee,
        uint256 remaining
    );
    /// @notice v2: the provider returned `amount` of the remaining amount to the requester.
    event JobPartiallyRefunded(uint256 indexed jobId, address indexed requester, uint256 amount, uint256 remaining);
    /// @notice → Refunded: `amount` back to the requester (after the deadline, after a rejecting verdict's
    /// review window, or when partial refunds reach 0).
    event JobRefunded(uint256 indexed jobId, address indexed requester, address indexed caller, uint256 amount);
    /// @notice Submitted → Disputed; `deposit` is the dispute deposit that arrived from the disputer.
    event DisputeRaised(uint256 indexed jobId, address indexed by, string reason, uint256 deposit);
    /// @notice ERC-1497 style: the evidence lives off-chain at `uri`.
    event EvidenceSubmitted(uint256 indexed jobId, address indexed party, string uri);
    /// @notice A party offered that the provider gets `providerBps` of the remaining amount (replaces any
    /// earlier offer; an offer lapses when the job's status changes).
    event SettlementProposed(uint256 indexed jobId, address indexed proposer, uint16 providerBps);
    /// @notice → Resolved, with the exact amounts of the split of the remaining amount. Also emitted for an
    /// agreed settlement outside a dispute (`resolution == Agreed`). The fees are credited as for
    /// `JobReleased`; `arbitrationFee` comes with its own `Credited` to the arbitrator.
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
    /// @notice v2: the dispute deposit went to `to` (the other party when the ruling went fully against the
    /// disputer, else back to the disputer).
    event DisputeDepositSettled(uint256 indexed jobId, address indexed to, uint256 amount);
    /// @notice v2: the provider's bond was settled at the end of the job.
    event BondSettled(uint256 indexed jobId, uint256 toProvider, uint256 toRequester);
    /// @notice v2: the keeper tip went to `to`: the keeper who finalised the job, or back to the requester.
    event KeeperTipPaid(uint256 indexed jobId, address indexed to, uint256 amount);
    /// @notice A payout was credited to `account`'s withdrawable balance: a push that failed, the
    /// arbitration fee or the verifier fee.
    event Credited(uint256 indexed jobId, address indexed token, address indexed account, uint256 amount);
    /// @notice `account` withdrew its credit of `token` to `to`.
    event Withdrawn(address indexed token, address indexed account, address indexed to, uint256 amount);

    event FeesUpdated(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps);
    /// @notice Fee epoch `epoch` starts: fees from now on are credited to these recipients.
    event FeeRecipientsUpdated(uint32 indexed epoch, address indexed treasury, address indexed communityFund);
    event ArbitratorUpdated(address indexed arbitrator, bool registered, uint32 arbitrationPeriod);
    event MinAmountUpdated(address indexed token, uint256 minAmount);
    /// @notice v2: `provider` cancelled its outstanding bids with nonce key `key` by using nonce `nonce`.
    event BidNonceInvalidated(address indexed provider, uint192 indexed key, uint256 nonce);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    // --- creation ---
    error WorkEscrowZeroAmount();
    error WorkEscrowAmountBelowMinimum(address token, uint256 amount, uint256 minimum);
    error WorkEscrowAmountTooLarge(uint256 amount, uint256 maximum);
    error WorkEscrowInvalidDeadline(uint64 deadline, uint256 earliest, uint256 latest);
    error WorkEscrowInvalidReviewPeriod(uint32 reviewPeriod, uint32 minimum, uint32 maximum);
    error WorkEscrowInvalidJobType(uint8 jobType);
    error WorkEscrowZeroJobHash();
    error WorkEscrowArbitratorNotRegistered(address arbitrator);
    error WorkEscrowTooManyApprovers(uint256 count, uint256 maximum);
    error WorkEscrowInvalidApprover(address approver);
    error WorkEscrowInvalidThreshold(uint16 threshold, uint256 approvers);
    error WorkEscrowInvalidProvider(address provider);
    error WorkEscrowInvalidVerifier(address verifier, uint16 verifierFeeBps);
    error WorkEscrowIdentityRegistryNotSet();
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
    error WorkEscrowNotAgentOwner(uint256 jobId, address account, uint256 agentId);
    error WorkEscrowAlreadyVerified(uint256 jobId, Verdict verdict);
    error WorkEscrowWorkRejected(uint256 jobId);
    error WorkEscrowInvalidPartialAmount(uint256 jobId, uint256 amount, uint256 remaining);

    // --- bids ---
    error WorkEscrowNotBiddable(uint256 jobId);
    error WorkEscrowBidForOtherJob(uint256 jobId, uint256 bidJobId);
    error WorkEscrowBidExpired(uint256 jobId, uint64 expiry);
    error WorkEscrowBidAboveAmount(uint256 jobId, uint256 price, uint256 amount);
    error WorkEscrowInvalidBidSignature(uint256 jobId, address provider);
    /// @notice The bid's nonce is not the provider's next nonce for its key: already used (the bid was awarded
    /// or cancelled with `invalidateNonce`) or not yet reachable. `expected` is the nonce that was due.
    error WorkEscrowInvalidBidNonce(uint256 jobId, address provider, uint256 nonce, uint256 expected);

    // --- disputes ---
    error WorkEscrowInvalidBps(uint16 bps);
    error WorkEscrowNoMatchingProposal(uint256 jobId, uint16 providerBps);
    error WorkEscrowOwnProposal(uint256 jobId, address caller);
    error WorkEscrowArbitrationPeriodOver(uint256 jobId, uint256 endedAt);
    error WorkEscrowArbitrationPeriodActive(uint256 jobId, uint256 endsAt);

    // --- money and admin ---
    error WorkEscrowNothingToWithdraw(address token, address account);
    error WorkEscrowTransferFailed(address token, address to, uint256 amount);
    error WorkEscrowInsufficientGas(uint256 available, uint256 required);
    error WorkEscrowFeeTooHigh(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps);
    error WorkEscrowInvalidArbitrationPeriod(uint32 arbitrationPeriod, uint32 minimum, uint32 maximum);
    error WorkEscrowTooManyArbitrators();
    error WorkEscrowZeroAddress();
    error WorkEscrowRenounceDisabled();
}
