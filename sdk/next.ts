import { BPS, NATIVE, Status, Verdict, type JobView } from "./types.js";

/** The calls `nextActions` can list: the `escrow:<verb>` task of each. */
export type ActionCall =
  | "cancel"
  | "award"
  | "accept"
  | "submit"
  | "release"
  | "release-part"
  | "refund-part"
  | "approve"
  | "verify"
  | "refund"
  | "finalize"
  | "dispute"
  | "evidence"
  | "propose"
  | "accept-settlement"
  | "resolve"
  | "settle-stale";

/** The EscrowClient method of each call. */
export const ACTION_METHODS: Record<ActionCall, string> = {
  cancel: "cancel",
  award: "awardBid",
  accept: "accept",
  submit: "submit",
  release: "release",
  "release-part": "releasePartial",
  "refund-part": "refundPartial",
  approve: "approve",
  verify: "verify",
  refund: "refund",
  finalize: "finalize",
  dispute: "dispute",
  evidence: "evidence",
  propose: "propose",
  "accept-settlement": "acceptSettlement",
  resolve: "resolve",
  "settle-stale": "settleStale",
};

/** A call the given account can make on a job now, or from a later time. */
export interface NextAction {
  /** the `escrow:<verb>` task */
  call: ActionCall;
  /** the EscrowClient method */
  method: string;
  description: string;
  /** unix seconds from which the call is allowed; set only when that is later than now */
  from?: bigint;
  /** unix seconds up to which the call is allowed (inclusive), when the window has an end */
  until?: bigint;
  /** what the caller posts with the call, in base units of the job's token (the bond, the dispute deposit) */
  pays?: bigint;
  /** the keeper tip the caller earns by making the call (base units of the job's token) */
  earns?: bigint;
}

/** What `nextActions` needs to know about the account beyond the job itself. */
export interface AccountContext {
  /** the account is one of the job's approvers */
  isApprover: boolean;
  /** … and has approved already */
  approved: boolean;
  /**
   * For an `agentRequired` job: whether the account owns the job's ERC-8004 agent identity now
   * (undefined = not known; acceptance is then listed).
   */
  isAgentOwner?: boolean;
}

/** Whether `action` (from `nextActions(job, account, now)`) may be called at `now`. */
export function isAllowedNow(action: NextAction, now: bigint): boolean {
  return (
    (action.from === undefined || action.from <= now) &&
    (action.until === undefined || now <= action.until)
  );
}

/** The dispute deposit a party posts to dispute the job now: the arbitration fee on the remaining amount. */
export function disputeDeposit(job: Pick<JobView, "amount" | "arbitrationFeeBps">): bigint {
  return (job.amount * BigInt(job.arbitrationFeeBps)) / BPS;
}

/**
 * When a Submitted job's review window ends (unix seconds, exclusive): `submittedAt + reviewPeriod`, or after
 * a verifier's rejection `verdictAt + reviewPeriod` (a rejection opens a whole window for the provider).
 */
export function reviewEnd(job: JobView): bigint {
  return job.verdict === Verdict.Rejected
    ? job.verdictAt + job.reviewPeriod
    : job.submittedAt + job.reviewPeriod;
}

/** The permissionless exit of a job (what `finalize` applies) and the time it opens, or undefined. */
export function permissionlessExit(
  job: JobView,
): { call: "release" | "refund" | "settle-stale"; from: bigint } | undefined {
  switch (job.status) {
    case Status.Open:
    case Status.Accepted:
      return { call: "refund", from: job.deadline + 1n };
    case Status.Submitted:
      return {
        call: job.verdict === Verdict.Rejected ? "refund" : "release",
        from: reviewEnd(job),
      };
    case Status.Disputed:
      return { call: "settle-stale", from: job.disputedAt + job.arbitrationPeriod };
    default:
      return undefined;
  }
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * What `account` can do next on `job` at block time `now`, following WorkEscrow v2's rules exactly
 * (IWorkEscrowCore.sol, IWorkEscrowExtension.sol): an action without `from` is allowed now (up to
 * `until` when set); one with `from` opens then. Calls anyone can make are listed for every account.
 * `ctx` says whether the account is an approver (and has approved) and, for agent jobs, whether it
 * owns the required agent identity. The property test in test/sdk.test.ts checks every entry
 * against an `eth_call` of the contract for each state, role and window edge.
 */
export function nextActions(
  job: JobView,
  account: string,
  now: bigint,
  ctx: AccountContext = { isApprover: false, approved: false },
): NextAction[] {
  const isRequester = same(account, job.requester);
  const isProvider = job.provider !== NATIVE && same(account, job.provider);
  const isArbitrator = same(account, job.arbitrator);
  const isVerifier = job.verifier !== NATIVE && same(account, job.verifier);
  const isParty = isRequester || isProvider;
  const tip = !isParty && job.keeperTip > 0n ? job.keeperTip : undefined;
  const tipNote = tip ? "; earns the keeper tip" : "";
  const out: NextAction[] = [];
  const add = (call: ActionCall, description: string, extra: Partial<NextAction> = {}) =>
    out.push({ call, method: ACTION_METHODS[call], description, ...extra });
  /** An action open from `opens` on (inclusive), possibly already. */
  const fromTime = (opens: bigint) => (now >= opens ? {} : { from: opens });
  const exit = permissionlessExit(job);
  const addFinalize = () => {
    if (exit)
      add("finalize", `finalise in a batch (${exit.call})${tipNote}`, {
        ...fromTime(exit.from),
        earns: tip,
      });
  };

  switch (job.status) {
    case Status.Open: {
      const beforeDeadline = now <= job.deadline;
      if (isRequester) {
        add(
          "cancel",
          job.keeperTip > 0n
            ? "cancel and take the payment and the keeper tip back, no fee"
            : "cancel and take the payment back, no fee",
        );
        // Biddable: no provider yet, or a bids-only job whose awarded bidder has not posted the bond.
        if (beforeDeadline && (job.provider === NATIVE || job.bidsOnly))
          add("award", "award a provider's signed bid (the price can be lower than the amount)", {
            until: job.deadline,
          });
      }
      if (beforeDeadline) {
        const openToAll =
          job.provider === NATIVE &&
          !job.bidsOnly &&
          !isRequester &&
          !isArbitrator &&
          !isVerifier &&
          !ctx.isApprover;
        const agentOk = !job.agentRequired || ctx.isAgentOwner !== false;
        if ((isProvider || openToAll) && agentOk) {
          const bond = job.providerBond;
          add("accept", bond > 0n ? "accept the job, posting the bond" : "accept the job", {
            until: job.deadline,
            pays: bond > 0n ? bond : undefined,
          });
        }
      }
      add("refund", `refund the requester (nobody delivered by the deadline)${tipNote}`, {
        ...fromTime(job.deadline + 1n),
        earns: tip,
      });
      addFinalize();
      break;
    }
    case Status.Accepted: {
      if (isProvider && now <= job.deadline)
        add("submit", "submit the result hash", { until: job.deadline });
      if (isRequester) {
        add(
          "release",
          job.bondPosted ? "pay the provider (and return the bond)" : "pay the provider",
        );
        add("release-part", "pay the provider part of the amount");
      }
      if (isProvider) add("refund-part", "return part of the amount to the requester");
      addSettlement();
      add("refund", `refund the requester (nothing submitted by the deadline)${tipNote}`, {
        ...fromTime(job.deadline + 1n),
        earns: tip,
      });
      addFinalize();
      break;
    }
    case Status.Submitted: {
      const reviewEnds = reviewEnd(job);
      const inReview = now < reviewEnds;
      const rejected = job.verdict === Verdict.Rejected;
      if (isRequester) {
        add("release", "accept the work and pay the provider");
        add("release-part", "pay the provider part of the amount");
      }
      if (isProvider) add("refund-part", "return part of the amount to the requester");
      if (ctx.isApprover && !ctx.approved)
        add("approve", `approve the work (${job.approvals}/${job.threshold} so far)`);
      if (isVerifier && job.verdict === Verdict.None && inReview)
        add("verify", `approve or reject the work (fee ${job.verifierFeeBps} bps)`, {
          until: reviewEnds - 1n,
        });
      if (isParty && inReview)
        add(
          "dispute",
          rejected ? "dispute the verifier's rejection" : "raise a dispute, posting the deposit",
          { until: reviewEnds - 1n, pays: disputeDeposit(job) },
        );
      addSettlement();
      if (rejected) {
        add("refund", `refund the requester (the verifier rejected the work)${tipNote}`, {
          ...fromTime(reviewEnds),
          earns: tip,
        });
      } else if (!isRequester) {
        add("release", `pay the provider once the review window has passed${tipNote}`, {
          ...fromTime(reviewEnds),
          earns: isProvider ? undefined : tip,
        });
      }
      addFinalize();
      break;
    }
    case Status.Disputed: {
      const arbitrationEnds = job.disputedAt + job.arbitrationPeriod;
      if (isParty || isArbitrator) add("evidence", "publish evidence (a URI)");
      addSettlement();
      if (isArbitrator && now < arbitrationEnds)
        add("resolve", "rule a split (provider's share in bps)", { until: arbitrationEnds - 1n });
      add("settle-stale", `split 50/50 (nobody ruled in time)${tipNote}`, {
        ...fromTime(arbitrationEnds),
        earns: tip,
      });
      addFinalize();
      break;
    }
    default:
      break; // terminal (or nonexistent): nothing can happen to it any more
  }
  return out;

  /** Settlement offers: the two parties, in Accepted, Submitted and Disputed. */
  function addSettlement() {
    if (!isParty) return;
    add("propose", "offer a split (provider's share in bps; 0 = mutual cancellation)");
    if (job.proposer !== NATIVE && !same(job.proposer, account))
      add("accept-settlement", `accept the other party's offer of ${job.proposalBps} bps`);
  }
}
