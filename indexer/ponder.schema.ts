/**
 * The read model: tables rebuilt from the escrow's and the CommunityFund's events (src/index.ts), so
 * that each can be thrown away and rebuilt from the chain. How every column is derived, from which
 * event: docs/indexer.md. Addresses are lowercase hex; amounts are base units (NUMERIC(78)); times are
 * unix seconds of the block.
 */
import { index, onchainEnum, onchainTable, primaryKey } from "ponder";
import { RESOLUTIONS, ROUND_STATUSES, STATUSES, VERDICTS } from "./enums.js";

export const jobStatus = onchainEnum("job_status", STATUSES);
export const verdict = onchainEnum("verdict", VERDICTS);
export const resolution = onchainEnum("resolution", RESOLUTIONS);
export const roundStatus = onchainEnum("round_status", ROUND_STATUSES);

/**
 * A job's current state. The columns from `requester` to `disputeDeposit` are exactly the fields of
 * `getJob(id)` (IWorkEscrowTypes.Job), derived from events as the contract changes its storage; the
 * rest is history the contract does not keep.
 */
export const job = onchainTable(
  "job",
  (t) => ({
    id: t.bigint().primaryKey(),
    requester: t.hex().notNull(),
    provider: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    deadline: t.bigint().notNull(),
    reviewPeriod: t.integer().notNull(),
    jobType: t.integer().notNull(),
    status: jobStatus("status").notNull(),
    jobHash: t.hex().notNull(),
    resultHash: t.hex().notNull(),
    arbitrator: t.hex().notNull(),
    threshold: t.integer().notNull(),
    approvals: t.integer().notNull(),
    submittedAt: t.bigint().notNull(),
    platformFeeBps: t.integer().notNull(),
    communityFeeBps: t.integer().notNull(),
    arbitrationFeeBps: t.integer().notNull(),
    disputedBy: t.hex().notNull(),
    disputedAt: t.bigint().notNull(),
    proposer: t.hex().notNull(),
    proposalBps: t.integer().notNull(),
    arbitrationPeriod: t.integer().notNull(),
    released: t.bigint().notNull(),
    refunded: t.bigint().notNull(),
    providerBond: t.bigint().notNull(),
    bondPosted: t.boolean().notNull(),
    keeperTip: t.bigint().notNull(),
    verifier: t.hex().notNull(),
    verifierFeeBps: t.integer().notNull(),
    verdict: verdict("verdict").notNull(),
    verdictAt: t.bigint().notNull(), // a rejection opens a new review window: verdictAt + reviewPeriod
    bidsOnly: t.boolean().notNull(),
    agentRequired: t.boolean().notNull(),
    agentId: t.bigint().notNull(),
    disputeDeposit: t.bigint().notNull(),
    // History
    approvers: t.hex().array().notNull(),
    initialAmount: t.bigint().notNull(), // escrowed at creation (before bids, fees and partial payments)
    paidToProvider: t.bigint().notNull(), // net of fees, for the work (releases, partial releases, rulings)
    returnedToRequester: t.bigint().notNull(), // bid savings, partial refunds, refund/cancel, rulings
    resolution: resolution("resolution"),
    resolutionBps: t.integer(),
    keeper: t.hex(), // who received the keeper tip (the requester when no keeper finalised)
    createdAt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    createdTransaction: t.hex().notNull(),
    acceptedAt: t.bigint(),
    endedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    requesterIdx: index().on(table.requester, table.id),
    providerIdx: index().on(table.provider, table.id),
    statusIdx: index().on(table.status, table.id),
    tokenIdx: index().on(table.token, table.id),
  }),
);

/** The audit trail: every event of both contracts, with where it happened. */
export const event = onchainTable(
  "event",
  (t) => ({
    id: t.text().primaryKey(), // Ponder's event id: sorts in chain order
    contract: t.text().notNull(), // "WorkEscrow" | "CommunityFund"
    name: t.text().notNull(),
    jobId: t.bigint(), // for job events
    roundId: t.bigint(), // for fund round events
    args: t.json().notNull(), // the decoded arguments; integers as decimal strings
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    transactionIndex: t.integer().notNull(),
    logIndex: t.integer().notNull(),
    from: t.hex().notNull(), // the transaction's sender (a relayer for ERC-2771 calls)
  }),
  (table) => ({
    jobIdx: index().on(table.jobId, table.id),
    nameIdx: index().on(table.name),
  }),
);

/** A job's dispute (at most one: a job can be disputed only once, from Submitted). */
export const dispute = onchainTable(
  "dispute",
  (t) => ({
    jobId: t.bigint().primaryKey(),
    raisedBy: t.hex().notNull(),
    raisedByProvider: t.boolean().notNull(),
    reason: t.text().notNull(),
    deposit: t.bigint().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(), // what remained escrowed when it was raised
    arbitrator: t.hex().notNull(),
    raisedAt: t.bigint().notNull(),
    raisedBlock: t.bigint().notNull(),
    raisedTransaction: t.hex().notNull(),
    evidenceCount: t.integer().notNull(),
    resolution: resolution("resolution"),
    providerBps: t.integer(),
    providerAmount: t.bigint(),
    requesterAmount: t.bigint(),
    arbitrationFee: t.bigint(),
    outcome: t.text(), // "provider" | "requester" | "split", from providerBps vs 5,000
    resolvedBy: t.hex(),
    resolvedAt: t.bigint(),
    depositTo: t.hex(),
    depositForfeited: t.boolean(),
  }),
  (table) => ({ raisedByIdx: index().on(table.raisedBy) }),
);

export const evidence = onchainTable(
  "evidence",
  (t) => ({
    id: t.text().primaryKey(),
    jobId: t.bigint().notNull(),
    party: t.hex().notNull(),
    uri: t.text().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ jobIdx: index().on(table.jobId) }),
);

/**
 * What the escrow owes an account in a token: `Credited` + `fees` (its share, as a recipient of the fee
 * epoch in force, of the platform and community fees that `JobReleased`, `JobPartiallyReleased` and
 * `DisputeResolved` name) − `Withdrawn`. `balance` equals `withdrawable(token, account)`.
 */
export const credit = onchainTable(
  "credit",
  (t) => ({
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    credited: t.bigint().notNull(),
    fees: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
    balance: t.bigint().notNull(),
    withdrawals: t.integer().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.token, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** Fee recipients per fee epoch (`FeeRecipientsUpdated`). */
export const feeEpoch = onchainTable("fee_epoch", (t) => ({
  epoch: t.integer().primaryKey(),
  treasury: t.hex().notNull(),
  communityFund: t.hex().notNull(),
  startedAt: t.bigint().notNull(),
}));

/** Fees taken per token, ever. */
export const feeTotal = onchainTable("fee_total", (t) => ({
  token: t.hex().primaryKey(),
  platform: t.bigint().notNull(),
  community: t.bigint().notNull(),
  arbitration: t.bigint().notNull(),
  verifier: t.bigint().notNull(),
  keeperTips: t.bigint().notNull(), // tips paid to keepers (not those returned to requesters)
}));

/** Per-address activity across jobs (each counter: see docs/indexer.md). */
export const account = onchainTable("account", (t) => ({
  address: t.hex().primaryKey(),
  jobsAsRequester: t.integer().notNull(),
  jobsAsProvider: t.integer().notNull(),
  jobsAsArbitrator: t.integer().notNull(),
  jobsAsApprover: t.integer().notNull(),
  jobsAsVerifier: t.integer().notNull(),
  released: t.integer().notNull(),
  refunded: t.integer().notNull(),
  cancelled: t.integer().notNull(),
  resolved: t.integer().notNull(),
  disputed: t.integer().notNull(),
  disputesRaised: t.integer().notNull(),
  disputesWon: t.integer().notNull(),
  disputesLost: t.integer().notNull(),
  deliveries: t.integer().notNull(),
  missedDeadlines: t.integer().notNull(),
  bidsWon: t.integer().notNull(),
  firstSeenAt: t.bigint().notNull(),
  lastSeenAt: t.bigint().notNull(),
}));

/** Per-address money per token: earnings as provider, as keeper, as verifier or arbitrator. */
export const accountToken = onchainTable(
  "account_token",
  (t) => ({
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    earned: t.bigint().notNull(), // net payments for work, as provider
    refunded: t.bigint().notNull(), // returned to it as requester
    keeperTips: t.bigint().notNull(),
    verifierFees: t.bigint().notNull(),
    arbitrationFees: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.token] }) }),
);

/** The escrow's settings, as its admin events left them (one row, keyed by the escrow's address). */
export const escrowSettings = onchainTable("escrow_settings", (t) => ({
  escrow: t.hex().primaryKey(),
  owner: t.hex().notNull(),
  pendingOwner: t.hex().notNull(),
  paused: t.boolean().notNull(),
  platformFeeBps: t.integer().notNull(),
  communityFeeBps: t.integer().notNull(),
  arbitrationFeeBps: t.integer().notNull(),
  feeEpoch: t.integer().notNull(),
  treasury: t.hex().notNull(),
  communityFund: t.hex().notNull(),
}));

export const arbitrator = onchainTable("arbitrator", (t) => ({
  address: t.hex().primaryKey(),
  registered: t.boolean().notNull(),
  arbitrationPeriod: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const tokenMinimum = onchainTable("token_minimum", (t) => ({
  token: t.hex().primaryKey(),
  minAmount: t.bigint().notNull(),
}));

/** The next unused NoncesKeyed sequence of a provider's key (bids: `BidAwarded`, `BidNonceInvalidated`). */
export const bidNonce = onchainTable(
  "bid_nonce",
  (t) => ({
    provider: t.hex().notNull(),
    key: t.bigint().notNull(),
    next: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.provider, table.key] }) }),
);

/** CommunityFund: per-token accounting, as `tokenState(token)` returns it. */
export const fundToken = onchainTable("fund_token", (t) => ({
  token: t.hex().primaryKey(),
  pool: t.bigint().notNull(),
  reserved: t.bigint().notNull(),
  totalReceived: t.bigint().notNull(),
  totalClaimed: t.bigint().notNull(),
  threshold: t.bigint().notNull(),
  lastRoundAt: t.bigint().notNull(),
  rounds: t.integer().notNull(),
}));

/** CommunityFund rounds, as `getRound(id)` returns them, plus their history. */
export const fundRound = onchainTable(
  "fund_round",
  (t) => ({
    id: t.bigint().primaryKey(),
    token: t.hex().notNull(),
    status: roundStatus("status").notNull(),
    root: t.hex().notNull(),
    total: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
    claims: t.integer().notNull(),
    postedAt: t.bigint().notNull(),
    claimsOpenAt: t.bigint().notNull(),
    expiresAt: t.bigint().notNull(),
    coveredUntil: t.bigint().notNull(), // end of the payments' time range it rewards; 0 = none (manual)
    guardian: t.hex().notNull(), // the guardian in force when posted: it may cancel the round
    uri: t.text().notNull(),
    previousRoundAt: t.bigint().notNull(), // the token's lastRoundAt before this round (cancel restores it)
    returnedToPool: t.bigint(),
    endedBy: t.hex(), // who cancelled it
    endedAt: t.bigint(),
    postedTransaction: t.hex().notNull(),
  }),
  (table) => ({ tokenIdx: index().on(table.token) }),
);

export const fundClaim = onchainTable(
  "fund_claim",
  (t) => ({
    roundId: t.bigint().notNull(),
    account: t.hex().notNull(),
    to: t.hex().notNull(), // who was paid: the account itself, or whom it named with claimTo
    amount: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.roundId, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** The fund's settings (one row, keyed by the fund's address). */
export const fundSettings = onchainTable("fund_settings", (t) => ({
  fund: t.hex().primaryKey(),
  owner: t.hex().notNull(),
  pendingOwner: t.hex().notNull(),
  guardian: t.hex().notNull(),
  minInterval: t.integer().notNull(),
  challengeDelay: t.integer().notNull(),
  claimPeriod: t.integer().notNull(),
  // Proposed changes (setGuardian / setSchedule), in force once applied; effectiveAt 0 = none pending.
  pendingGuardian: t.hex().notNull(),
  pendingGuardianAt: t.bigint().notNull(),
  pendingMinInterval: t.integer().notNull(),
  pendingChallengeDelay: t.integer().notNull(),
  pendingClaimPeriod: t.integer().notNull(),
  pendingScheduleAt: t.bigint().notNull(),
}));
