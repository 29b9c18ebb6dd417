/**
 * One handler per event of the escrow (IWorkEscrow) and the CommunityFund: each appends the event to
 * the audit trail and translates it into rows, changing a job exactly as the contract changes its
 * storage (contracts/WorkEscrow.sol, WorkEscrowExtension.sol), so that the `job` row equals
 * `getJob(id)` after every block. Ponder delivers events in chain order and undoes the rows of
 * reorganised blocks. A new event is one more `ponder.on` here (test/indexer/abis.test.ts lists any
 * event of the ABIs without a handler). Derivations: docs/indexer.md.
 */
import { ponder } from "ponder:registry";
import {
  arbitrator,
  bidNonce,
  dispute,
  evidence,
  feeEpoch,
  fundClaim,
  fundRound,
  fundSettings,
  job,
  tokenMinimum,
} from "ponder:schema";
import { RESOLUTIONS } from "../enums.js";
import {
  ZERO,
  addFee,
  audit,
  count,
  creditFees,
  earn,
  getJob,
  lower,
  moveCredit,
  setEscrow,
  setFund,
  setFundToken,
  setJob,
} from "./lib/store.js";

const BPS_HALF = 5_000;

/* ------------------------------------------------------------------------------ creation */

ponder.on("WorkEscrow:JobCreated", async ({ event, context }) => {
  const { jobId, requester, provider, token, amount, jobHash, approvers, terms } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobCreated", { jobId });
  await context.db.insert(job).values({
    id: jobId,
    requester: lower(requester),
    provider: lower(provider),
    token: lower(token),
    amount,
    deadline: terms.deadline,
    reviewPeriod: terms.reviewPeriod,
    jobType: terms.jobType,
    status: "Open",
    jobHash,
    resultHash: `0x${"0".repeat(64)}`,
    arbitrator: lower(event.args.arbitrator),
    threshold: terms.threshold,
    approvals: 0,
    submittedAt: 0n,
    platformFeeBps: terms.platformFeeBps,
    communityFeeBps: terms.communityFeeBps,
    arbitrationFeeBps: terms.arbitrationFeeBps,
    disputedBy: ZERO,
    disputedAt: 0n,
    proposer: ZERO,
    proposalBps: 0,
    arbitrationPeriod: terms.arbitrationPeriod,
    released: 0n,
    refunded: 0n,
    providerBond: 0n,
    bondPosted: false,
    keeperTip: 0n,
    verifier: ZERO,
    verifierFeeBps: 0,
    verdict: "None",
    verdictAt: 0n,
    bidsOnly: false,
    agentRequired: false,
    agentId: 0n,
    disputeDeposit: 0n,
    approvers: approvers.map(lower),
    initialAmount: amount,
    paidToProvider: 0n,
    returnedToRequester: 0n,
    createdAt: event.block.timestamp,
    createdBlock: event.block.number,
    createdTransaction: event.transaction.hash,
    updatedAt: event.block.timestamp,
    updatedBlock: event.block.number,
  });
  await count(context.db, event, requester, { jobsAsRequester: 1 });
  await count(context.db, event, provider, { jobsAsProvider: 1 });
  await count(context.db, event, event.args.arbitrator, { jobsAsArbitrator: 1 });
  for (const approver of approvers) await count(context.db, event, approver, { jobsAsApprover: 1 });
});

ponder.on("WorkEscrow:JobOptionsSet", async ({ event, context }) => {
  const { jobId, providerBond, keeperTip, verifier, verifierFeeBps } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobOptionsSet", { jobId });
  await setJob(context.db, event, jobId, {
    providerBond,
    keeperTip,
    verifier: lower(verifier),
    verifierFeeBps,
    bidsOnly: event.args.bidsOnly,
    agentRequired: event.args.agentRequired,
    agentId: event.args.agentId,
  });
  await count(context.db, event, verifier, { jobsAsVerifier: 1 });
});

/* ------------------------------------------------------------------------- acceptance, bids */

ponder.on("WorkEscrow:JobAccepted", async ({ event, context }) => {
  const { jobId, provider } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobAccepted", { jobId });
  const before = await getJob(context.db, jobId);
  // An open job gets its provider here (an awarded bid set it already, in BidAwarded).
  if (before.provider === ZERO) await count(context.db, event, provider, { jobsAsProvider: 1 });
  await setJob(context.db, event, jobId, {
    status: "Accepted",
    provider: lower(provider),
    acceptedAt: event.block.timestamp,
  });
});

ponder.on("WorkEscrow:BondPosted", async ({ event, context }) => {
  const { jobId, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "BondPosted", { jobId });
  // What arrived is what is held (a fee-on-transfer token holds less than the bond asked).
  await setJob(context.db, event, jobId, { providerBond: amount, bondPosted: true });
});

ponder.on("WorkEscrow:BidAwarded", async ({ event, context }) => {
  const { jobId, provider, price, refunded, nonce } = event.args;
  await audit(context.db, event, "WorkEscrow", "BidAwarded", { jobId });
  const before = await getJob(context.db, jobId);
  if (before.provider !== lower(provider)) {
    // A bids-only job awarded again before the first bidder posted its bond changes hands.
    await count(context.db, event, before.provider, { jobsAsProvider: -1 });
    await count(context.db, event, provider, { jobsAsProvider: 1 });
  }
  await count(context.db, event, provider, { bidsWon: 1 });
  await setJob(context.db, event, jobId, (row) => ({
    amount: price,
    provider: lower(provider),
    returnedToRequester: row.returnedToRequester + refunded,
  }));
  await earn(context.db, before.requester, before.token, "refunded", refunded);
  await useNonce(context.db, provider, nonce);
});

ponder.on("WorkEscrow:BidNonceInvalidated", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "BidNonceInvalidated");
  await useNonce(context.db, event.args.provider, event.args.nonce);
});

/** NoncesKeyed: using `key << 64 | sequence` makes `sequence + 1` the next nonce of that key. */
async function useNonce(db: Parameters<typeof getJob>[0], provider: string, nonce: bigint) {
  const key = nonce >> 64n;
  const next = (nonce & ((1n << 64n) - 1n)) + 1n;
  await db
    .insert(bidNonce)
    .values({ provider: provider as `0x${string}`, key, next })
    .onConflictDoUpdate({ next });
}

/* --------------------------------------------------------------------------- delivery */

ponder.on("WorkEscrow:WorkSubmitted", async ({ event, context }) => {
  const { jobId, provider, resultHash } = event.args;
  await audit(context.db, event, "WorkEscrow", "WorkSubmitted", { jobId });
  // A standing offer lapses on submission (the contract clears its flags).
  await setJob(context.db, event, jobId, {
    status: "Submitted",
    submittedAt: event.block.timestamp,
    resultHash,
    proposer: ZERO,
    proposalBps: 0,
  });
  await count(context.db, event, provider, { deliveries: 1 });
});

ponder.on("WorkEscrow:WorkApproved", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "WorkApproved", { jobId: event.args.jobId });
  await setJob(context.db, event, event.args.jobId, { approvals: event.args.approvals });
});

ponder.on("WorkEscrow:WorkVerified", async ({ event, context }) => {
  const { jobId, verifier, approved, fee } = event.args;
  await audit(context.db, event, "WorkEscrow", "WorkVerified", { jobId });
  const before = await getJob(context.db, jobId);
  // The fee comes off the remaining amount; it is credited to the verifier (a Credited event).
  await setJob(context.db, event, jobId, (row) => ({
    amount: row.amount - fee,
    verdict: approved ? "Approved" : "Rejected",
    verdictAt: event.block.timestamp, // a rejection: the provider may dispute until verdictAt + reviewPeriod
  }));
  await addFee(context.db, before.token, "verifier", fee);
  await earn(context.db, verifier, before.token, "verifierFees", fee);
});

/* ---------------------------------------------------------------------------- endings */

/** Counts an ending for both parties of the job. */
async function ended(
  db: Parameters<typeof getJob>[0],
  e: Parameters<typeof count>[1],
  row: { requester: string; provider: string },
  what: "released" | "refunded" | "cancelled" | "resolved",
) {
  await count(db, e, row.requester, { [what]: 1 });
  await count(db, e, row.provider, { [what]: 1 });
}

ponder.on("WorkEscrow:JobReleased", async ({ event, context }) => {
  const { jobId, providerAmount, platformFee, communityFee } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobReleased", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, (row) => ({
    status: "Released",
    paidToProvider: row.paidToProvider + providerAmount,
    endedAt: event.block.timestamp,
  }));
  await earn(context.db, event.args.provider, before.token, "earned", providerAmount);
  await creditFees(context.db, event, before.token, platformFee, communityFee);
  await ended(context.db, event, before, "released");
});

ponder.on("WorkEscrow:JobPartiallyReleased", async ({ event, context }) => {
  const { jobId, gross, providerAmount, platformFee, communityFee, remaining } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobPartiallyReleased", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, (row) => ({
    amount: remaining,
    released: row.released + gross,
    paidToProvider: row.paidToProvider + providerAmount,
  }));
  await earn(context.db, before.provider, before.token, "earned", providerAmount);
  await creditFees(context.db, event, before.token, platformFee, communityFee);
});

ponder.on("WorkEscrow:JobPartiallyRefunded", async ({ event, context }) => {
  const { jobId, amount, remaining } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobPartiallyRefunded", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, (row) => ({
    amount: remaining,
    refunded: row.refunded + amount,
    returnedToRequester: row.returnedToRequester + amount,
  }));
  await earn(context.db, before.requester, before.token, "refunded", amount);
});

ponder.on("WorkEscrow:JobRefunded", async ({ event, context }) => {
  const { jobId, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobRefunded", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, (row) => ({
    status: "Refunded",
    returnedToRequester: row.returnedToRequester + amount,
    endedAt: event.block.timestamp,
  }));
  await earn(context.db, before.requester, before.token, "refunded", amount);
  await ended(context.db, event, before, "refunded");
  // Accepted and past the deadline without a submission: the provider missed it.
  if (before.status === "Accepted" && event.block.timestamp > before.deadline) {
    await count(context.db, event, before.provider, { missedDeadlines: 1 });
  }
});

ponder.on("WorkEscrow:JobCancelled", async ({ event, context }) => {
  const { jobId, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "JobCancelled", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, (row) => ({
    status: "Cancelled",
    returnedToRequester: row.returnedToRequester + amount,
    endedAt: event.block.timestamp,
  }));
  await earn(context.db, before.requester, before.token, "refunded", amount);
  await ended(context.db, event, before, "cancelled");
});

ponder.on("WorkEscrow:KeeperTipPaid", async ({ event, context }) => {
  const { jobId, to, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "KeeperTipPaid", { jobId });
  const before = await getJob(context.db, jobId);
  await setJob(context.db, event, jobId, { keeper: lower(to) });
  if (lower(to) !== before.requester) {
    await addFee(context.db, before.token, "keeperTips", amount);
    await earn(context.db, to, before.token, "keeperTips", amount);
  }
});

ponder.on("WorkEscrow:BondSettled", async ({ event, context }) => {
  // The bond stays recorded on the job (getJob keeps providerBond and bondPosted after the end).
  await audit(context.db, event, "WorkEscrow", "BondSettled", { jobId: event.args.jobId });
});

/* ---------------------------------------------------------------------------- disputes */

ponder.on("WorkEscrow:DisputeRaised", async ({ event, context }) => {
  const { jobId, by, reason, deposit } = event.args;
  await audit(context.db, event, "WorkEscrow", "DisputeRaised", { jobId });
  const before = await getJob(context.db, jobId);
  // A standing offer lapses when a dispute opens.
  await setJob(context.db, event, jobId, {
    status: "Disputed",
    disputedAt: event.block.timestamp,
    disputedBy: lower(by),
    disputeDeposit: deposit,
    proposer: ZERO,
    proposalBps: 0,
  });
  await context.db.insert(dispute).values({
    jobId,
    raisedBy: lower(by),
    raisedByProvider: lower(by) === before.provider,
    reason,
    deposit,
    token: before.token,
    amount: before.amount,
    arbitrator: before.arbitrator,
    raisedAt: event.block.timestamp,
    raisedBlock: event.block.number,
    raisedTransaction: event.transaction.hash,
    evidenceCount: 0,
  });
  await count(context.db, event, before.requester, { disputed: 1 });
  await count(context.db, event, before.provider, { disputed: 1 });
  await count(context.db, event, by, { disputesRaised: 1 });
});

ponder.on("WorkEscrow:EvidenceSubmitted", async ({ event, context }) => {
  const { jobId, party, uri } = event.args;
  await audit(context.db, event, "WorkEscrow", "EvidenceSubmitted", { jobId });
  await context.db.insert(evidence).values({
    id: event.id,
    jobId,
    party: lower(party),
    uri,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
  await context.db
    .update(dispute, { jobId })
    .set((row) => ({ evidenceCount: row.evidenceCount + 1 }));
});

ponder.on("WorkEscrow:SettlementProposed", async ({ event, context }) => {
  const { jobId, proposer, providerBps } = event.args;
  await audit(context.db, event, "WorkEscrow", "SettlementProposed", { jobId });
  await setJob(context.db, event, jobId, { proposer: lower(proposer), proposalBps: providerBps });
});

ponder.on("WorkEscrow:DisputeResolved", async ({ event, context }) => {
  const { jobId, caller, providerBps, providerAmount, requesterAmount } = event.args;
  const { platformFee, communityFee, arbitrationFee } = event.args;
  await audit(context.db, event, "WorkEscrow", "DisputeResolved", { jobId });
  const before = await getJob(context.db, jobId);
  const resolution = RESOLUTIONS[event.args.resolution]!;
  // A standing offer is hidden from getJob once the job has ended (setJob clears it).
  await setJob(context.db, event, jobId, (row) => ({
    status: "Resolved",
    resolution,
    resolutionBps: providerBps,
    paidToProvider: row.paidToProvider + providerAmount,
    returnedToRequester: row.returnedToRequester + requesterAmount,
    endedAt: event.block.timestamp,
  }));
  await earn(context.db, before.provider, before.token, "earned", providerAmount);
  await earn(context.db, before.requester, before.token, "refunded", requesterAmount);
  await creditFees(context.db, event, before.token, platformFee, communityFee);
  // The arbitration fee is credited to the arbitrator by its own Credited event.
  await addFee(context.db, before.token, "arbitration", arbitrationFee);
  await earn(context.db, before.arbitrator, before.token, "arbitrationFees", arbitrationFee);
  await ended(context.db, event, before, "resolved");
  if (before.status !== "Disputed") return; // an agreed split outside a dispute

  const outcome =
    providerBps > BPS_HALF ? "provider" : providerBps < BPS_HALF ? "requester" : "split";
  await context.db.update(dispute, { jobId }).set({
    resolution,
    providerBps,
    providerAmount,
    requesterAmount,
    arbitrationFee,
    outcome,
    resolvedBy: lower(caller),
    resolvedAt: event.block.timestamp,
  });
  if (outcome !== "split") {
    const [winner, loser] =
      outcome === "provider"
        ? [before.provider, before.requester]
        : [before.requester, before.provider];
    await count(context.db, event, winner, { disputesWon: 1 });
    await count(context.db, event, loser, { disputesLost: 1 });
  }
});

ponder.on("WorkEscrow:DisputeDepositSettled", async ({ event, context }) => {
  const { jobId, to } = event.args;
  await audit(context.db, event, "WorkEscrow", "DisputeDepositSettled", { jobId });
  await setJob(context.db, event, jobId, { disputeDeposit: 0n });
  await context.db
    .update(dispute, { jobId })
    .set((row) => ({ depositTo: lower(to), depositForfeited: lower(to) !== row.raisedBy }));
});

/* ------------------------------------------------------------------------------ money */

ponder.on("WorkEscrow:Credited", async ({ event, context }) => {
  const { jobId, token, account, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "Credited", { jobId });
  await moveCredit(context.db, event, token, account, "credited", amount);
});

ponder.on("WorkEscrow:Withdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await audit(context.db, event, "WorkEscrow", "Withdrawn");
  await moveCredit(context.db, event, token, account, "withdrawn", amount);
});

/* ------------------------------------------------------------------------------ admin */

ponder.on("WorkEscrow:FeeRecipientsUpdated", async ({ event, context }) => {
  const { epoch, treasury, communityFund } = event.args;
  await audit(context.db, event, "WorkEscrow", "FeeRecipientsUpdated");
  await context.db.insert(feeEpoch).values({
    epoch,
    treasury: lower(treasury),
    communityFund: lower(communityFund),
    startedAt: event.block.timestamp,
  });
  await setEscrow(context.db, event.log.address, {
    feeEpoch: epoch,
    treasury: lower(treasury),
    communityFund: lower(communityFund),
  });
});

ponder.on("WorkEscrow:FeesUpdated", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "FeesUpdated");
  await setEscrow(context.db, event.log.address, {
    platformFeeBps: event.args.platformFeeBps,
    communityFeeBps: event.args.communityFeeBps,
    arbitrationFeeBps: event.args.arbitrationFeeBps,
  });
});

ponder.on("WorkEscrow:ArbitratorUpdated", async ({ event, context }) => {
  const values = {
    registered: event.args.registered,
    arbitrationPeriod: event.args.arbitrationPeriod,
    updatedAt: event.block.timestamp,
  };
  await audit(context.db, event, "WorkEscrow", "ArbitratorUpdated");
  await context.db
    .insert(arbitrator)
    .values({ address: event.args.arbitrator, ...values })
    .onConflictDoUpdate(values);
});

ponder.on("WorkEscrow:MinAmountUpdated", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "MinAmountUpdated");
  await context.db
    .insert(tokenMinimum)
    .values({ token: event.args.token, minAmount: event.args.minAmount })
    .onConflictDoUpdate({ minAmount: event.args.minAmount });
});

ponder.on("WorkEscrow:Paused", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "Paused");
  await setEscrow(context.db, event.log.address, { paused: true });
});

ponder.on("WorkEscrow:Unpaused", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "Unpaused");
  await setEscrow(context.db, event.log.address, { paused: false });
});

ponder.on("WorkEscrow:OwnershipTransferStarted", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "OwnershipTransferStarted");
  await setEscrow(context.db, event.log.address, { pendingOwner: lower(event.args.newOwner) });
});

ponder.on("WorkEscrow:OwnershipTransferred", async ({ event, context }) => {
  await audit(context.db, event, "WorkEscrow", "OwnershipTransferred");
  await setEscrow(context.db, event.log.address, {
    owner: lower(event.args.newOwner),
    pendingOwner: ZERO,
  });
});

/* ------------------------------------------------------------------------ CommunityFund */

ponder.on("CommunityFund:Received", async ({ event, context }) => {
  const { token, amount } = event.args;
  await audit(context.db, event, "CommunityFund", "Received");
  await setFundToken(context.db, token, (t) => ({
    pool: t.pool + amount,
    totalReceived: t.totalReceived + amount,
  }));
});

ponder.on("CommunityFund:RoundPosted", async ({ event, context }) => {
  const { roundId, token, root, total, claimsOpenAt, expiresAt, coveredUntil, uri } = event.args;
  await audit(context.db, event, "CommunityFund", "RoundPosted", { roundId });
  const before = await setFundToken(context.db, token, (t) => ({
    pool: t.pool - total,
    reserved: t.reserved + total,
    lastRoundAt: event.block.timestamp,
    rounds: t.rounds + 1,
  }));
  await context.db.insert(fundRound).values({
    id: roundId,
    token: lower(token),
    status: "Live",
    root,
    total,
    claimed: 0n,
    claims: 0,
    postedAt: event.block.timestamp,
    claimsOpenAt: BigInt(claimsOpenAt),
    expiresAt: BigInt(expiresAt),
    coveredUntil: BigInt(coveredUntil),
    // The guardian in force now: it may cancel this round whatever changes later.
    guardian: (await context.db.find(fundSettings, { fund: event.log.address }))?.guardian ?? ZERO,
    uri,
    previousRoundAt: before.lastRoundAt,
    postedTransaction: event.transaction.hash,
  });
});

ponder.on("CommunityFund:RoundCancelled", async ({ event, context }) => {
  const { roundId, by, returnedToPool } = event.args;
  await audit(context.db, event, "CommunityFund", "RoundCancelled", { roundId });
  const round = await context.db.update(fundRound, { id: roundId }).set({
    status: "Cancelled",
    returnedToPool,
    endedBy: lower(by),
    endedAt: event.block.timestamp,
  });
  // The token's interval clock goes back to the previous round when this was its newest round.
  await setFundToken(context.db, round.token, (t) => ({
    reserved: t.reserved - returnedToPool,
    pool: t.pool + returnedToPool,
    lastRoundAt: t.lastRoundAt === round.postedAt ? round.previousRoundAt : t.lastRoundAt,
  }));
});

ponder.on("CommunityFund:RoundExpired", async ({ event, context }) => {
  const { roundId, returnedToPool } = event.args;
  await audit(context.db, event, "CommunityFund", "RoundExpired", { roundId });
  const round = await context.db.update(fundRound, { id: roundId }).set({
    status: "Expired",
    returnedToPool,
    endedAt: event.block.timestamp,
  });
  await setFundToken(context.db, round.token, (t) => ({
    reserved: t.reserved - returnedToPool,
    pool: t.pool + returnedToPool,
  }));
});

ponder.on("CommunityFund:Claimed", async ({ event, context }) => {
  const { roundId, account, to, amount } = event.args;
  await audit(context.db, event, "CommunityFund", "Claimed", { roundId });
  const round = await context.db
    .update(fundRound, { id: roundId })
    .set((r) => ({ claimed: r.claimed + amount, claims: r.claims + 1 }));
  await setFundToken(context.db, round.token, (t) => ({
    reserved: t.reserved - amount,
    totalClaimed: t.totalClaimed + amount,
  }));
  await context.db.insert(fundClaim).values({
    roundId,
    account: lower(account),
    to: lower(to),
    amount,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
});

ponder.on("CommunityFund:ThresholdUpdated", async ({ event, context }) => {
  const { token, threshold } = event.args;
  await audit(context.db, event, "CommunityFund", "ThresholdUpdated");
  await setFundToken(context.db, token, () => ({ threshold }));
});

ponder.on("CommunityFund:ScheduleChangeProposed", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "ScheduleChangeProposed");
  // A new proposal replaces a pending one.
  await setFund(context.db, event.log.address, {
    pendingMinInterval: event.args.minInterval,
    pendingChallengeDelay: event.args.challengeDelay,
    pendingClaimPeriod: event.args.claimPeriod,
    pendingScheduleAt: BigInt(event.args.effectiveAt),
  });
});

ponder.on("CommunityFund:ScheduleUpdated", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "ScheduleUpdated");
  // In force from now: at deployment, or the pending proposal applied (which clears it).
  await setFund(context.db, event.log.address, {
    minInterval: event.args.minInterval,
    challengeDelay: event.args.challengeDelay,
    claimPeriod: event.args.claimPeriod,
    pendingMinInterval: 0,
    pendingChallengeDelay: 0,
    pendingClaimPeriod: 0,
    pendingScheduleAt: 0n,
  });
});

ponder.on("CommunityFund:GuardianChangeProposed", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "GuardianChangeProposed");
  await setFund(context.db, event.log.address, {
    pendingGuardian: lower(event.args.guardian),
    pendingGuardianAt: BigInt(event.args.effectiveAt),
  });
});

ponder.on("CommunityFund:GuardianUpdated", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "GuardianUpdated");
  await setFund(context.db, event.log.address, {
    guardian: lower(event.args.guardian),
    pendingGuardian: ZERO,
    pendingGuardianAt: 0n,
  });
});

ponder.on("CommunityFund:OwnershipTransferStarted", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "OwnershipTransferStarted");
  await setFund(context.db, event.log.address, { pendingOwner: lower(event.args.newOwner) });
});

ponder.on("CommunityFund:OwnershipTransferred", async ({ event, context }) => {
  await audit(context.db, event, "CommunityFund", "OwnershipTransferred");
  await setFund(context.db, event.log.address, {
    owner: lower(event.args.newOwner),
    pendingOwner: ZERO,
  });
});
