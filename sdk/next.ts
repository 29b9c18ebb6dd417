import { ARBITRATION_PERIOD, NATIVE, Status, type JobView } from "./types.js";

/** A call the given account can make on a job now, or from a later time. */
export interface NextAction {
  /** the EscrowClient method (and the `escrow:<verb>` task) */
  call: string;
  description: string;
  /** unix seconds from which the call is allowed, when that is later than now */
  from?: bigint;
  /** unix seconds up to which the call is allowed (inclusive), when there is such an end */
  until?: bigint;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * What `account` can do next on `job` at time `now`, following WorkEscrow's rules exactly (see
 * IWorkEscrow.sol). `approver` says whether `account` is an approver of this job and has approved.
 * Calls that anyone can make are listed for every account.
 */
export function nextActions(
  job: JobView,
  account: string,
  now: bigint,
  approver: { isApprover: boolean; approved: boolean } = { isApprover: false, approved: false },
): NextAction[] {
  const isRequester = same(account, job.requester);
  const isProvider = job.provider !== NATIVE && same(account, job.provider);
  const isArbitrator = same(account, job.arbitrator);
  const isParty = isRequester || isProvider;
  const out: NextAction[] = [];
  const beforeDeadline = now <= job.deadline;

  switch (job.status) {
    case Status.Open:
      if (isRequester)
        out.push({ call: "cancel", description: "cancel and take the payment back" });
      if (beforeDeadline) {
        const openToAll =
          job.provider === NATIVE && !isRequester && !isArbitrator && !approver.isApprover;
        if (isProvider || openToAll)
          out.push({ call: "accept", description: "accept the job", until: job.deadline });
      } else {
        out.push({ call: "refund", description: "refund the requester (deadline passed)" });
      }
      if (beforeDeadline)
        out.push({
          call: "refund",
          description: "refund the requester if nobody delivers",
          from: job.deadline + 1n,
        });
      break;
    case Status.Accepted:
      if (beforeDeadline) {
        if (isProvider)
          out.push({ call: "submit", description: "submit the result hash", until: job.deadline });
        if (isParty)
          out.push({ call: "dispute", description: "raise a dispute", until: job.deadline });
        if (isRequester) out.push({ call: "release", description: "pay the provider now" });
        out.push({
          call: "refund",
          description: "refund the requester if nothing is submitted",
          from: job.deadline + 1n,
        });
      } else {
        out.push({
          call: "refund",
          description: "refund the requester (nothing submitted in time)",
        });
      }
      break;
    case Status.Submitted: {
      const reviewEnds = job.submittedAt + job.reviewPeriod;
      if (isRequester)
        out.push({ call: "release", description: "accept the work and pay the provider" });
      if (approver.isApprover && !approver.approved)
        out.push({
          call: "approve",
          description: `approve (${job.approvals}/${job.threshold} so far)`,
        });
      if (now < reviewEnds) {
        if (isParty)
          out.push({ call: "dispute", description: "raise a dispute", until: reviewEnds - 1n });
        if (!isRequester)
          out.push({
            call: "release",
            description: "pay the provider once the review window has passed",
            from: reviewEnds,
          });
      } else if (!isRequester) {
        out.push({ call: "release", description: "pay the provider (review window passed)" });
      }
      break;
    }
    case Status.Disputed: {
      const arbitrationEnds = job.disputedAt + ARBITRATION_PERIOD;
      if (isParty) {
        out.push({ call: "evidence", description: "publish evidence (a URI)" });
        out.push({ call: "propose", description: "offer a split (provider's share in bps)" });
        const hasOffer = job.proposer !== NATIVE;
        if (hasOffer && !same(job.proposer, account))
          out.push({
            call: "accept-settlement",
            description: `accept the other party's offer of ${job.proposalBps} bps`,
          });
      }
      if (isArbitrator) {
        out.push({ call: "evidence", description: "publish evidence (a URI)" });
        if (now < arbitrationEnds)
          out.push({ call: "resolve", description: "rule a split", until: arbitrationEnds - 1n });
      }
      if (now >= arbitrationEnds)
        out.push({ call: "settle-stale", description: "split 50/50 (nobody ruled in time)" });
      else
        out.push({
          call: "settle-stale",
          description: "split 50/50 if nobody rules",
          from: arbitrationEnds,
        });
      break;
    }
    default:
      break; // terminal (or nonexistent): nothing can happen to it any more
  }
  return out;
}
