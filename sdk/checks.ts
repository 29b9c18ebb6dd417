/**
 * Client-side checks of a job's parameters against the contract's rules (WorkEscrow `_checkCreation`,
 * `_checkOptions`, `_storeApprovers`), in the contract's order and with the contract's errors. The
 * SDK runs them before it approves a token or sends anything, so a job the escrow would refuse never
 * leaves an allowance behind.
 */
import { preflightError, type DecodedError } from "./sentences.js";
import {
  NATIVE,
  type Bounds,
  type CreateJobInput,
  type JobView,
  type Status,
  type Verdict,
} from "./types.js";

/** `IWorkEscrowTypes.JobParams`: the terms `createJob` takes (no optional term). */
export interface JobTerms {
  provider: string;
  token: string;
  amount: bigint;
  deadline: bigint;
  reviewPeriod: bigint;
  jobType: number;
  jobHash: string;
  arbitrator: string;
  approvers: string[];
  threshold: number;
}

/** `IWorkEscrowTypes.JobOptions`: the v2 optional terms, given to `createJobWithOptions`. */
export interface JobOptions {
  providerBond: bigint;
  keeperTip: bigint;
  verifier: string;
  verifierFeeBps: number;
  bidsOnly: boolean;
  agentRequired: boolean;
  agentId: bigint;
}

/** A job's terms and its optional terms together, with every field present; `createJobCall` /
 * `splitJobParams` take them apart. */
export type JobParams = JobTerms & JobOptions;

/** Every optional term zero: a job created with these is a plain job (`createJob`). */
export const NO_OPTIONS: Readonly<JobOptions> = Object.freeze({
  providerBond: 0n,
  keeperTip: 0n,
  verifier: NATIVE,
  verifierFeeBps: 0,
  bidsOnly: false,
  agentRequired: false,
  agentId: 0n,
});

/** The escrow call that creates a job: v1's `createJob(terms)` when no optional term is set (cheaper:
 * no option words in calldata, no option checks), else `createJobWithOptions(terms, options)`. */
export type CreateJobCall<P extends OptionsLike = JobParams> =
  | { method: "createJob"; args: [Omit<P, keyof JobOptions>] }
  | {
      method: "createJobWithOptions";
      args: [Omit<P, keyof JobOptions>, Pick<P, keyof JobOptions>];
    };

/** The optional terms as any caller may hold them (bigint, or ethers' BigNumberish and AddressLike). */
type OptionsLike = Record<keyof JobOptions, unknown>;

const OPTION_KEYS = [
  "providerBond",
  "keeperTip",
  "verifier",
  "verifierFeeBps",
  "bidsOnly",
  "agentRequired",
  "agentId",
] as const;

/** Splits full job parameters into `createJob`'s terms and the optional terms. */
export function splitJobParams<P extends OptionsLike>(
  p: P,
): { terms: Omit<P, keyof JobOptions>; options: Pick<P, keyof JobOptions> } {
  const terms: Record<string, unknown> = { ...p };
  const options: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) {
    options[k] = p[k];
    delete terms[k];
  }
  return {
    terms: terms as Omit<P, keyof JobOptions>,
    options: options as Pick<P, keyof JobOptions>,
  };
}

/** Whether any optional term is set (a job that sets none is created with `createJob`); `agentId` counts
 * only with `agentRequired`, as on chain. */
export function hasOptions(o: OptionsLike): boolean {
  // Anything that is not plainly zero or false counts as set: the call then goes to
  // createJobWithOptions, whose encoding or checks refuse what the contract would not take.
  const set = (v: unknown) => {
    if (v === undefined || v === null || v === false || v === 0 || v === 0n) return false;
    if (typeof v !== "string") return true;
    try {
      return BigInt(v) !== 0n;
    } catch {
      return true; // e.g. an ENS name for the verifier
    }
  };
  return [
    o.providerBond,
    o.keeperTip,
    o.verifier,
    o.verifierFeeBps,
    o.bidsOnly,
    o.agentRequired,
  ].some(set);
}

/** Which escrow function creates `p`, with its arguments (see `CreateJobCall`). */
export function createJobCall<P extends OptionsLike>(p: P): CreateJobCall<P> {
  const { terms, options } = splitJobParams(p);
  return hasOptions(options)
    ? { method: "createJobWithOptions", args: [terms, options] }
    : { method: "createJob", args: [terms] };
}

/** What the escrow knows that the checks need (read by `EscrowClient.checkCreateJob`). */
export interface CreationEnv {
  bounds: Bounds;
  paused: boolean;
  /** the token's minimum amount */
  minAmount: bigint;
  /** whether `p.arbitrator` is registered */
  arbitratorRegistered: boolean;
  /** the deployment's ERC-8004 Identity Registry (zero address: none) */
  identityRegistry: string;
}

const UINT128_MAX = (1n << 128n) - 1n;
const ZERO_HASH = "0x" + "0".repeat(64);
const JOB_TYPE_COUNT = 3;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The error the escrow would revert `createJob(p)` with when `requester` sends it in a block at time
 * `now`, or undefined when every check passes. A transaction is mined after the latest block, so the
 * client passes the latest block's time + 1: a deadline closer than MIN_WORK_TIME to that is refused
 * here; one that passes can still fail if the transaction waits long in the mempool, which is why the
 * SDK also resets a stale allowance to 0 before changing it.
 */
export function checkJobParams(
  p: JobParams,
  requester: string,
  now: bigint,
  env: CreationEnv,
): DecodedError | undefined {
  const b = env.bounds;
  if (env.paused) return preflightError("EnforcedPause", []);
  if (p.amount === 0n) return preflightError("WorkEscrowZeroAmount", []);
  if (p.amount < env.minAmount)
    return preflightError("WorkEscrowAmountBelowMinimum", [p.token, p.amount, env.minAmount]);
  if (p.amount > UINT128_MAX)
    return preflightError("WorkEscrowAmountTooLarge", [p.amount, UINT128_MAX]);
  const earliest = now + b.minWorkTime;
  const latest = now + b.maxDuration;
  if (p.deadline < earliest || p.deadline > latest)
    return preflightError("WorkEscrowInvalidDeadline", [p.deadline, earliest, latest]);
  if (p.reviewPeriod < b.minReview || p.reviewPeriod > b.maxReview)
    return preflightError("WorkEscrowInvalidReviewPeriod", [
      p.reviewPeriod,
      b.minReview,
      b.maxReview,
    ]);
  if (!Number.isInteger(p.jobType) || p.jobType < 0 || p.jobType >= JOB_TYPE_COUNT)
    return preflightError("WorkEscrowInvalidJobType", [p.jobType & 0xff]);
  if (p.jobHash === ZERO_HASH) return preflightError("WorkEscrowZeroJobHash", []);
  if (same(p.arbitrator, requester))
    return preflightError(
      "WorkEscrowArbitratorNotRegistered",
      [p.arbitrator],
      `arbitrator ${p.arbitrator} is the requester: a requester cannot arbitrate their own job`,
    );
  if (!env.arbitratorRegistered)
    return preflightError(
      "WorkEscrowArbitratorNotRegistered",
      [p.arbitrator],
      `${p.arbitrator} is not a registered arbitrator of this escrow (the admin registers arbitrators)`,
    );
  if (same(p.provider, requester))
    return preflightError(
      "WorkEscrowInvalidProvider",
      [p.provider],
      `provider ${p.provider} is the requester: the provider cannot be the requester`,
    );
  if (same(p.provider, p.arbitrator))
    return preflightError(
      "WorkEscrowInvalidProvider",
      [p.provider],
      `provider ${p.provider} is the job's arbitrator: the provider cannot be the arbitrator`,
    );
  const count = BigInt(p.approvers.length);
  if (count > b.maxApprovers)
    return preflightError("WorkEscrowTooManyApprovers", [count, b.maxApprovers]);
  if ((count === 0n) !== (p.threshold === 0) || BigInt(p.threshold) > count)
    return preflightError(
      "WorkEscrowInvalidThreshold",
      [p.threshold, count],
      count === 0n
        ? `threshold ${p.threshold} without approvers: a job without approvers has threshold 0`
        : p.threshold === 0
          ? `threshold 0 with ${count} approver(s): at least 1 approval is needed`
          : `threshold ${p.threshold} is more than the ${count} approver(s)`,
    );
  if (p.providerBond > UINT128_MAX)
    return preflightError("WorkEscrowAmountTooLarge", [p.providerBond, UINT128_MAX]);
  if (p.keeperTip > UINT128_MAX)
    return preflightError("WorkEscrowAmountTooLarge", [p.keeperTip, UINT128_MAX]);
  if (p.verifier !== NATIVE) {
    const role = same(p.verifier, requester)
      ? "the requester"
      : same(p.verifier, p.provider)
        ? "the provider"
        : same(p.verifier, p.arbitrator)
          ? "the job's arbitrator"
          : undefined;
    if (role)
      return preflightError(
        "WorkEscrowInvalidVerifier",
        [p.verifier, p.verifierFeeBps],
        `verifier ${p.verifier} is ${role}: a verifier holds no other role in the job`,
      );
    if (BigInt(p.verifierFeeBps) > b.maxVerifierFeeBps)
      return preflightError(
        "WorkEscrowInvalidVerifier",
        [p.verifier, p.verifierFeeBps],
        `the verifier's fee ${p.verifierFeeBps} bps is more than the maximum ${b.maxVerifierFeeBps} bps`,
      );
  } else if (p.verifierFeeBps !== 0) {
    return preflightError(
      "WorkEscrowInvalidVerifier",
      [p.verifier, p.verifierFeeBps],
      `a verifier's fee of ${p.verifierFeeBps} bps without a verifier: name the verifier or drop the fee`,
    );
  }
  if (p.agentRequired && env.identityRegistry === NATIVE)
    return preflightError("WorkEscrowIdentityRegistryNotSet", []);
  if (p.bidsOnly && p.provider !== NATIVE)
    return preflightError(
      "WorkEscrowInvalidProvider",
      [p.provider],
      `a bids-only job has no provider until a bid is awarded: leave out provider ${p.provider}`,
    );
  // Checked by the contract after the money arrives (so a simulation of an unapproved ERC-20 job
  // cannot see them): every approver non-zero, distinct, and holding no other role.
  const seen = new Set<string>();
  for (const approver of p.approvers) {
    const a = approver.toLowerCase();
    const why =
      approver === NATIVE
        ? "is the zero address"
        : seen.has(a)
          ? "is listed twice"
          : same(approver, requester)
            ? "is the requester"
            : same(approver, p.provider)
              ? "is the provider"
              : same(approver, p.arbitrator)
                ? "is the job's arbitrator"
                : undefined;
    if (why)
      return preflightError(
        "WorkEscrowInvalidApprover",
        [approver],
        `approver ${approver} ${why}: approvers are distinct and hold no other role in the job`,
      );
    seen.add(a);
  }
  // The contract checks this last, with the optional terms (`_storeOptions`).
  if (p.verifier !== NATIVE && seen.has(p.verifier.toLowerCase()))
    return preflightError(
      "WorkEscrowInvalidApprover",
      [p.verifier],
      `approver ${p.verifier} is the job's verifier: approvers are distinct and hold no other role in the job`,
    );
  return undefined;
}

/** The full `JobParams` of an input, with the documented defaults. */
export function jobParams(input: CreateJobInput): JobParams {
  const approvers = input.approvers ?? [];
  return {
    provider: input.provider ?? NATIVE,
    token: input.token ?? NATIVE,
    amount: input.amount,
    deadline: input.deadline,
    reviewPeriod: input.reviewPeriod ?? 3n * 86_400n,
    jobType: input.jobType ?? 0,
    jobHash: input.jobHash,
    arbitrator: input.arbitrator,
    approvers,
    threshold: input.threshold ?? approvers.length,
    providerBond: input.providerBond ?? 0n,
    keeperTip: input.keeperTip ?? 0n,
    verifier: input.verifier ?? NATIVE,
    verifierFeeBps: input.verifierFeeBps ?? 0,
    bidsOnly: input.bidsOnly ?? false,
    agentRequired: input.agentRequired ?? false,
    agentId: input.agentId ?? 0n,
  };
}

/** The fields of `getJob`'s struct as any decoder returns them (ethers' Result or viem's object). */
export type RawJob = { [K in keyof Omit<JobView, "id">]: unknown };

/** `getJob(id)`'s struct as a JobView: plain numbers for the small integers, enums for the states. */
export function toJobView(jobId: bigint, j: RawJob): JobView {
  const n = (v: unknown) => Number(v);
  const b = (v: unknown) => BigInt(v as bigint);
  const a = (v: unknown) => String(v);
  return {
    id: jobId,
    requester: a(j.requester),
    provider: a(j.provider),
    token: a(j.token),
    amount: b(j.amount),
    deadline: b(j.deadline),
    reviewPeriod: b(j.reviewPeriod),
    jobType: n(j.jobType),
    status: n(j.status) as Status,
    jobHash: a(j.jobHash),
    resultHash: a(j.resultHash),
    arbitrator: a(j.arbitrator),
    threshold: n(j.threshold),
    approvals: n(j.approvals),
    submittedAt: b(j.submittedAt),
    platformFeeBps: n(j.platformFeeBps),
    communityFeeBps: n(j.communityFeeBps),
    arbitrationFeeBps: n(j.arbitrationFeeBps),
    disputedBy: a(j.disputedBy),
    disputedAt: b(j.disputedAt),
    proposer: a(j.proposer),
    proposalBps: n(j.proposalBps),
    arbitrationPeriod: b(j.arbitrationPeriod),
    released: b(j.released),
    refunded: b(j.refunded),
    providerBond: b(j.providerBond),
    bondPosted: Boolean(j.bondPosted),
    keeperTip: b(j.keeperTip),
    verifier: a(j.verifier),
    verifierFeeBps: n(j.verifierFeeBps),
    verdict: n(j.verdict) as Verdict,
    verdictAt: b(j.verdictAt),
    bidsOnly: Boolean(j.bidsOnly),
    agentRequired: Boolean(j.agentRequired),
    agentId: b(j.agentId),
    disputeDeposit: b(j.disputeDeposit),
  };
}
