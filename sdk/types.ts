/** Mirrors `IWorkEscrow.Status`. */
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

/** Mirrors `IWorkEscrow.Resolution`. */
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

/** Mirrors the job types the contract accepts (`jobType`); other values are reserved. */
export enum JobType {
  Compute,
  Storage,
  Agent,
}

export const NATIVE = "0x0000000000000000000000000000000000000000";

/** Protocol constants (contracts/libraries/Bounds.sol), in seconds / basis points. */
/** The arbitration period of an arbitrator registered without one; each job snapshots its own. */
export const DEFAULT_ARBITRATION_PERIOD = 7n * 24n * 3600n;
/** @deprecated v1 name of DEFAULT_ARBITRATION_PERIOD (v2 jobs carry `arbitrationPeriod`). */
export const ARBITRATION_PERIOD = DEFAULT_ARBITRATION_PERIOD;
export const MIN_WORK_TIME = 600n;
export const BPS = 10_000n;

/** A job as `getJob` returns it, with plain field names and enums. */
export interface JobView {
  id: bigint;
  requester: string;
  provider: string;
  token: string;
  amount: bigint;
  deadline: bigint;
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
  proposer: string;
  proposalBps: number;
}

/** What `createJob` needs. Defaults: native coin, open job, 3-day review, compute, no approvers. */
export interface CreateJobInput {
  amount: bigint;
  /** unix seconds */
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
}

/** The roles an address can hold in a job. */
export type Role = "requester" | "provider" | "arbitrator" | "approver";
