/** Mirrors `IWorkEscrowTypes.Status`. */
export enum Status {
  None,
  Open,
  Accepted,
  Submitted,
  Disputed,
  Released,
  Refunded,
  Cancelled,
  Resolved,
}

/** Mirrors `IWorkEscrowTypes.Resolution`. */
export enum Resolution {
  Arbitrated,
  Agreed,
  Stale,
}

/** Mirrors `IWorkEscrowTypes.Verdict`: a job verifier's verdict. */
export enum Verdict {
  None,
  Approved,
  Rejected,
}

/** Mirrors `ICommunityFund.RoundStatus`. */
export enum RoundStatus {
  None,
  Live,
  Cancelled,
  Expired,
}

/** Mirrors the job types the contract accepts (`jobType`); other values are reserved. */
export enum JobType {
  Compute,
  Storage,
  Agent,
}

export const NATIVE = "0x0000000000000000000000000000000000000000";

/*
 * Protocol constants (contracts/libraries/Bounds.sol), in seconds / basis points. The escrow publishes
 * each one at its address (`MIN_REVIEW()`, …); `EscrowClient.bounds()` reads them from there, and the
 * SDK's checks use what the contract says, not these copies.
 */
/** The arbitration period of an arbitrator registered without one; each job snapshots its own. */
export const DEFAULT_ARBITRATION_PERIOD = 7n * 24n * 3600n;
/** @deprecated v1 name of DEFAULT_ARBITRATION_PERIOD: v2 jobs carry their own `arbitrationPeriod`. */
export const ARBITRATION_PERIOD = DEFAULT_ARBITRATION_PERIOD;
/** Minimum time from creation to deadline (10 minutes). */
export const MIN_WORK_TIME = 600n;
export const BPS = 10_000n;

/** The protocol's bounds as the escrow publishes them (seconds, basis points, counts). */
export interface Bounds {
  minReview: bigint;
  maxReview: bigint;
  maxDuration: bigint;
  minWorkTime: bigint;
  maxApprovers: bigint;
  maxVerifierFeeBps: bigint;
  minArbitrationPeriod: bigint;
  maxArbitrationPeriod: bigint;
  defaultArbitrationPeriod: bigint;
}

/** A job as `getJob` returns it, with plain field names and enums. */
export interface JobView {
  id: bigint;
  requester: string;
  /** the zero address for an open job nobody accepted (or was awarded) yet */
  provider: string;
  /** the zero address for the native coin */
  token: string;
  /** what remains escrowed for the work (base units): lowered by partial payments and the verifier's fee */
  amount: bigint;
  /** unix seconds; acceptance and submission allowed up to and including it */
  deadline: bigint;
  /** seconds */
  reviewPeriod: bigint;
  jobType: number;
  status: Status;
  jobHash: string;
  resultHash: string;
  arbitrator: string;
  threshold: number;
  approvals: number;
  submittedAt: bigint;
  platformFeeBps: number;
  communityFeeBps: number;
  arbitrationFeeBps: number;
  disputedBy: string;
  disputedAt: bigint;
  /** who made the standing settlement offer (zero address: none) */
  proposer: string;
  proposalBps: number;
  /** v2: seconds the arbitrator has to rule, snapshotted at creation */
  arbitrationPeriod: bigint;
  /** v2: gross paid to the provider by partial releases so far */
  released: bigint;
  /** v2: returned to the requester by partial refunds so far */
  refunded: bigint;
  /** v2: the bond required until acceptance, the bond held from then on (0 = none) */
  providerBond: bigint;
  bondPosted: boolean;
  /** v2: paid to whoever finalises the job permissionlessly (0 = none) */
  keeperTip: bigint;
  /** v2: the zero address when the job has no verifier */
  verifier: string;
  verifierFeeBps: number;
  verdict: Verdict;
  /** v2: when the verdict was given (0 = none); a rejection's dispute window runs to verdictAt + reviewPeriod */
  verdictAt: bigint;
  bidsOnly: boolean;
  agentRequired: boolean;
  agentId: bigint;
  /** v2: the dispute deposit held while Disputed */
  disputeDeposit: bigint;
}

/** What `createJob` needs. Defaults: native coin, open job, 3-day review, compute, no approvers, no options. */
export interface CreateJobInput {
  /** base units; for a bid job, the maximum price */
  amount: bigint;
  /** unix seconds; at least MIN_WORK_TIME and at most MAX_DURATION after the creation block */
  deadline: bigint;
  jobHash: string;
  arbitrator: string;
  provider?: string;
  token?: string;
  /** seconds */
  reviewPeriod?: bigint;
  jobType?: number;
  approvers?: string[];
  threshold?: number;
  /** v2: the bond the provider posts on acceptance, in the job's token (base units) */
  providerBond?: bigint;
  /** v2: paid on top of `amount` to whoever finalises the job permissionlessly (base units) */
  keeperTip?: bigint;
  /** v2: an address (or adapter contract) that approves or rejects the work once */
  verifier?: string;
  /** v2: the verifier's fee in basis points of the remaining amount (≤ MAX_VERIFIER_FEE_BPS) */
  verifierFeeBps?: number;
  /** v2: only `awardBid` can give this open job a provider */
  bidsOnly?: boolean;
  /** v2: the provider must own ERC-8004 agent identity `agentId` of the deployment's Identity Registry */
  agentRequired?: boolean;
  agentId?: bigint;
}

/** The roles an address can hold in a job. */
export type Role = "requester" | "provider" | "arbitrator" | "approver" | "verifier";
