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
}

export const NATIVE = "0x0000000000000000000000000000000000000000";

/** Protocol constants (WorkEscrow.sol), in seconds / basis points. */
export const ARBITRATION_PERIOD = 7n * 24n * 3600n;
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
