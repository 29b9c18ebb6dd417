/** A job's events in words, and how it ended. */
import { NATIVE, Resolution, type JobEvent, type JobView } from "work-escrow";
import { formatAmount, percent, same, shortAddress, shortHash, type TokenInfo } from "./format";

export interface TimelineEntry {
  key: string;
  name: string;
  block: number;
  time?: bigint;
  text: string;
}

/** Names an address by its role in the job ("the provider 0x9965…A4dc", "you"). */
export function namer(job: JobView, account: string | undefined, approvers: string[] = []) {
  return (a: unknown): string => {
    const address = String(a);
    const short = shortAddress(address);
    const you = same(address, account) ? " (you)" : "";
    if (same(address, job.requester)) return `the requester ${short}${you}`;
    if (job.provider !== NATIVE && same(address, job.provider))
      return `the provider ${short}${you}`;
    if (same(address, job.arbitrator)) return `the arbitrator ${short}${you}`;
    if (job.verifier !== NATIVE && same(address, job.verifier))
      return `the verifier ${short}${you}`;
    if (approvers.some((x) => same(x, address))) return `approver ${short}${you}`;
    return `${short}${you}`;
  };
}

/** One sentence per event (events the page has no words for keep their name). */
export function describeEvent(
  e: JobEvent,
  job: JobView,
  token: TokenInfo,
  who: (a: unknown) => string,
): string | undefined {
  const a = e.args as Record<string, any>;
  const amt = (v: unknown) => formatAmount(BigInt(v as bigint), token);
  switch (e.name) {
    case "JobCreated":
      return `Created by ${who(a.requester)}: ${amt(a.amount)} escrowed, ${
        a.provider === NATIVE ? "open to any provider" : `for ${who(a.provider)}`
      }, arbitrated by ${who(a.arbitrator)}.`;
    case "JobOptionsSet": {
      const terms = [
        BigInt(a.providerBond) > 0n ? `provider bond ${amt(a.providerBond)}` : "",
        BigInt(a.keeperTip) > 0n ? `keeper tip ${amt(a.keeperTip)}` : "",
        a.verifier !== NATIVE
          ? `verifier ${who(a.verifier)} (fee ${percent(a.verifierFeeBps)})`
          : "",
        a.bidsOnly ? "awarded by bid only" : "",
        a.agentRequired ? `provider must own agent #${a.agentId}` : "",
      ].filter(Boolean);
      return `Terms: ${terms.join(", ")}.`;
    }
    case "JobAccepted":
      return `Accepted by ${who(a.provider)}.`;
    case "BondPosted":
      return `Bond of ${amt(a.amount)} posted by ${who(a.provider)}.`;
    case "BidAwarded":
      return `Bid of ${amt(a.price)} by ${who(a.provider)} awarded; ${amt(a.refunded)} back to the requester.`;
    case "JobCancelled":
      return `Cancelled by ${who(a.requester)}: ${amt(a.amount)} returned.`;
    case "WorkSubmitted":
      return `Work submitted by ${who(a.provider)} (result hash ${shortHash(String(a.resultHash))}).`;
    case "WorkApproved":
      return `Approved by ${who(a.approver)} (${a.approvals} of ${job.threshold}).`;
    case "WorkVerified":
      return `The verifier ${a.approved ? "approved" : "rejected"} the work (fee ${amt(a.fee)}).`;
    case "JobReleased":
      return `Released by ${who(a.caller)}: ${amt(a.providerAmount)} to ${who(a.provider)}; fees ${amt(a.platformFee)} platform + ${amt(a.communityFee)} community.`;
    case "JobPartiallyReleased":
      return `Part released: ${amt(a.gross)} (${amt(a.providerAmount)} to the provider; fees ${amt(a.platformFee)} platform + ${amt(a.communityFee)} community); ${amt(a.remaining)} left.`;
    case "JobPartiallyRefunded":
      return `${amt(a.amount)} returned to the requester by the provider; ${amt(a.remaining)} left.`;
    case "JobRefunded":
      return `Refunded by ${who(a.caller)}: ${amt(a.amount)} to ${who(a.requester)}.`;
    case "DisputeRaised":
      return `Dispute raised by ${who(a.by)}: “${a.reason}” (deposit ${amt(a.deposit)}).`;
    case "EvidenceSubmitted":
      return `Evidence from ${who(a.party)}: ${a.uri}`;
    case "SettlementProposed":
      return `${capital(who(a.proposer))} offered ${percent(a.providerBps)} to the provider.`;
    case "DisputeResolved":
      return `${resolutionText(Number(a.resolution), Number(a.providerBps))}: ${amt(a.providerAmount)} to the provider, ${amt(a.requesterAmount)} to the requester; fees ${amt(a.platformFee)} platform + ${amt(a.communityFee)} community + ${amt(a.arbitrationFee)} arbitration.`;
    case "DisputeDepositSettled":
      return `Dispute deposit of ${amt(a.amount)} to ${who(a.to)}.`;
    case "BondSettled":
      return `Bond settled: ${amt(a.toProvider)} to the provider, ${amt(a.toRequester)} to the requester.`;
    case "KeeperTipPaid":
      return `Keeper tip of ${amt(a.amount)} to ${who(a.to)}.`;
    case "Credited":
      return `${amt(a.amount)} credited to ${who(a.account)} (withdraw it from the account page).`;
    default:
      return e.name;
  }
}

export function resolutionText(resolution: number, providerBps: number): string {
  if (resolution === Resolution.Arbitrated)
    return `Ruled by the arbitrator: ${percent(providerBps)} to the provider`;
  if (resolution === Resolution.Agreed)
    return providerBps === 0
      ? "Cancelled by mutual agreement"
      : `Settled by agreement: ${percent(providerBps)} to the provider`;
  return "Settled 50/50: nobody ruled in time";
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The event that ended the job, if it has ended. */
export function ending(events: JobEvent[]): JobEvent | undefined {
  return [...events]
    .reverse()
    .find((e) =>
      ["JobReleased", "JobRefunded", "JobCancelled", "DisputeResolved"].includes(e.name),
    );
}
