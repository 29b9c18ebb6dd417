import { Interface, isHexString, type ErrorDescription } from "ethers";
import { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
import { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
import { RoundStatus, Status } from "./types.js";
import { formatTime } from "./units.js";

/** Errors a WorkEscrow call can revert with that are not in its ABI (tokens, Solidity itself). */
const EXTRA_ERRORS = [
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error Panic(uint256 code)",
];

// The escrow's and the community fund's errors (their shared OpenZeppelin errors appear twice;
// ethers keeps the first of identical fragments).
const escrowInterface = new Interface([
  ...WorkEscrow__factory.abi.filter((f) => f.type === "error"),
  ...CommunityFund__factory.abi.filter(
    (f) =>
      f.type === "error" &&
      !WorkEscrow__factory.abi.some((g) => g.type === "error" && g.name === f.name),
  ),
  ...EXTRA_ERRORS,
]);

/** A decoded revert: the custom error's name, its arguments, and a sentence a person can act on. */
export interface DecodedError {
  name: string;
  args: Record<string, unknown>;
  message: string;
}

const status = (v: unknown) => Status[Number(v)] ?? `status ${v}`;
const when = (v: unknown) => `${formatTime(BigInt(v as bigint))} (${v})`;
const pendingAt = (v: unknown) => (BigInt(v as bigint) === 0n ? "none pending" : `from ${when(v)}`);
const bps = (v: unknown) => `${v} bps (${Number(v) / 100}%)`;

/** One sentence per error, in words, with the offending values (the NatSpec in IWorkEscrow.sol). */
const SENTENCES: Record<string, (a: Record<string, any>) => string> = {
  WorkEscrowZeroAmount: () => "the amount is zero",
  WorkEscrowAmountBelowMinimum: (a) =>
    `amount ${a.amount} is below the minimum ${a.minimum} for token ${a.token}`,
  WorkEscrowAmountTooLarge: (a) => `amount ${a.amount} is larger than the maximum ${a.maximum}`,
  WorkEscrowInvalidDeadline: (a) =>
    `deadline ${when(a.deadline)} must be after now ${when(a.now_)} and no later than ${when(a.latest)}`,
  WorkEscrowInvalidReviewPeriod: (a) =>
    `review period ${a.reviewPeriod}s must be between ${a.minimum}s and ${a.maximum}s`,
  WorkEscrowInvalidJobType: (a) => `job type ${a.jobType} is not supported (0 compute, 1 storage)`,
  WorkEscrowZeroJobHash: () => "the job hash is zero: hash the job specification",
  WorkEscrowArbitratorNotRegistered: (a) => `${a.arbitrator} is not a registered arbitrator`,
  WorkEscrowTooManyApprovers: (a) => `${a.count} approvers is more than the maximum ${a.maximum}`,
  WorkEscrowInvalidApprover: (a) =>
    `approver ${a.approver} is invalid (zero, repeated, or a party to the job)`,
  WorkEscrowInvalidThreshold: (a) =>
    `threshold ${a.threshold} is invalid for ${a.approvers} approvers (1..n with approvers, 0 without)`,
  WorkEscrowInvalidProvider: (a) => `provider ${a.provider} cannot be the requester`,
  WorkEscrowValueMismatch: (a) => `sent ${a.sent} wei but ${a.expected} was expected`,
  WorkEscrowNothingReceived: (a) => `token ${a.token} delivered nothing to the escrow`,
  WorkEscrowInvalidStatus: (a) =>
    `job ${a.jobId} is ${status(a.current)}, and this call is not allowed in that state`,
  WorkEscrowUnauthorized: (a) => `${a.caller} may not do this on job ${a.jobId}`,
  WorkEscrowDeadlinePassed: (a) => `job ${a.jobId}'s deadline ${when(a.deadline)} has passed`,
  WorkEscrowDeadlineNotPassed: (a) =>
    `job ${a.jobId}'s deadline ${when(a.deadline)} has not passed yet`,
  WorkEscrowReviewWindowOpen: (a) =>
    `job ${a.jobId}'s review window is open until ${when(a.endsAt)}`,
  WorkEscrowReviewWindowClosed: (a) =>
    `job ${a.jobId}'s review window closed at ${when(a.endedAt)}`,
  WorkEscrowZeroResultHash: (a) => `the result hash for job ${a.jobId} is zero`,
  WorkEscrowAlreadyApproved: (a) => `${a.approver} has already approved job ${a.jobId}`,
  WorkEscrowInvalidBps: (a) => `${bps(a.bps)} is more than 10000 bps (100%)`,
  WorkEscrowNoMatchingProposal: (a) =>
    `job ${a.jobId} has no open offer of ${bps(a.providerBps)} from the other party`,
  WorkEscrowOwnProposal: (a) => `${a.caller} cannot accept their own offer on job ${a.jobId}`,
  WorkEscrowArbitrationPeriodOver: (a) =>
    `job ${a.jobId}'s arbitration period ended at ${when(a.endedAt)}: settle it as stale`,
  WorkEscrowArbitrationPeriodActive: (a) =>
    `job ${a.jobId}'s arbitration period runs until ${when(a.endsAt)}`,
  WorkEscrowNothingToWithdraw: (a) => `${a.account} has nothing to withdraw in token ${a.token}`,
  WorkEscrowTransferFailed: (a) => `sending ${a.amount} of token ${a.token} to ${a.to} failed`,
  WorkEscrowFeeTooHigh: (a) =>
    `fees ${a.platformFeeBps}/${a.communityFeeBps}/${a.arbitrationFeeBps} bps exceed the caps`,
  WorkEscrowZeroAddress: () => "an address is zero",
  WorkEscrowRenounceDisabled: () => "the escrow cannot be left without an admin",
  CommunityFundZeroAddress: () => "an address is zero",
  CommunityFundThresholdNotSet: (a) => `rounds of token ${a.token} are disabled (no threshold set)`,
  CommunityFundBelowThreshold: (a) =>
    `the pool of token ${a.token} holds ${a.pool}, less than the threshold ${a.threshold}`,
  CommunityFundTooEarly: (a) =>
    `the next round of token ${a.token} may be posted from ${when(a.nextRoundAt)}`,
  CommunityFundInvalidRound: (a) =>
    `a round needs a non-zero root and a total from 1 to the pool (${a.pool}); got ${a.total}`,
  CommunityFundCoverageInFuture: (a) =>
    `a round cannot cover payments until ${when(a.coveredUntil)}: that is after now ${when(a.now_)}`,
  CommunityFundInvalidSchedule: (a) =>
    `schedule ${a.minInterval}s/${a.challengeDelay}s/${a.claimPeriod}s is outside the bounds (interval 1d..365d, delay 1h..30d, claims 7d..365d)`,
  CommunityFundUnknownRound: (a) => `round ${a.roundId} does not exist`,
  CommunityFundRoundNotLive: (a) =>
    `round ${a.roundId} is ${RoundStatus[Number(a.status)] ?? `status ${a.status}`}`,
  CommunityFundChallengeDelayOver: (a) =>
    `round ${a.roundId}'s challenge delay ended at ${when(a.claimsOpenAt)}: it can no longer be cancelled`,
  CommunityFundClaimsNotOpen: (a) =>
    `round ${a.roundId} opens for claims at ${when(a.claimsOpenAt)}`,
  CommunityFundRoundExpired: (a) => `round ${a.roundId}'s claims closed at ${when(a.expiresAt)}`,
  CommunityFundRoundNotExpired: (a) =>
    `round ${a.roundId}'s claims are open until ${when(a.expiresAt)}`,
  CommunityFundAlreadyClaimed: (a) => `${a.account} has already claimed from round ${a.roundId}`,
  CommunityFundInvalidProof: (a) =>
    `round ${a.roundId} has no entry of ${a.amount} for ${a.account} (wrong tree file or amount)`,
  CommunityFundRoundOverclaimed: (a) =>
    `round ${a.roundId} would pay ${a.claimed}, more than its total ${a.total}: its tree is wrong`,
  CommunityFundUnauthorized: (a) => `${a.caller} is neither the fund's admin nor its guardian`,
  CommunityFundBalanceShort: (a) =>
    `the fund holds ${a.balance} of token ${a.token} but accounts for ${a.accounted} (unsupported token)`,
  CommunityFundNoChangeDue: (a) =>
    `no pending change can be applied yet (guardian: ${pendingAt(a.guardianEffectiveAt)}; schedule: ${pendingAt(a.scheduleEffectiveAt)})`,
  CommunityFundRenounceDisabled: () => "the fund cannot be left without an admin",
  OwnableUnauthorizedAccount: (a) => `${a.account} is not the admin`,
  OwnableInvalidOwner: (a) => `${a.owner} cannot be the admin`,
  EnforcedPause: () => "the escrow is paused: no new jobs until the admin unpauses it",
  ExpectedPause: () => "the escrow is not paused",
  ReentrancyGuardReentrantCall: () => "reentrant call",
  FailedCall: () => "the recipient refused the native coin (its receive function reverted)",
  InsufficientBalance: (a) => `the sender holds ${a.balance} but needs ${a.needed}`,
  SafeERC20FailedOperation: (a) => `the token ${a.token} refused the transfer`,
  ERC20InsufficientBalance: (a) => `${a.sender} holds ${a.balance} but needs ${a.needed}`,
  ERC20InsufficientAllowance: (a) =>
    `allowance ${a.allowance} for ${a.spender} is less than ${a.needed}: approve first`,
  Panic: (a) => `Solidity panic 0x${BigInt(a.code).toString(16)}`,
};

/** Decodes raw revert data (`0x` + selector + args) from a WorkEscrow call. */
export function decodeRevertData(data: string): DecodedError | undefined {
  if (!isHexString(data) || data.length < 10) return undefined;
  let parsed: ErrorDescription | null = null;
  try {
    parsed = escrowInterface.parseError(data);
  } catch {
    parsed = null;
  }
  if (parsed === null) {
    // Error(string) is not in the interface's ABI but ethers knows it.
    try {
      const reason = Interface.from(["error Error(string reason)"]).parseError(data);
      if (reason)
        return { name: "Error", args: { reason: reason.args[0] }, message: String(reason.args[0]) };
    } catch {
      /* not an Error(string) either */
    }
    return undefined;
  }
  if (parsed.name === "Error") {
    const reason = String(parsed.args[0]);
    return { name: "Error", args: { reason }, message: reason };
  }
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = parsed!.args[i]));
  const sentence = SENTENCES[parsed.name]?.(args) ?? parsed.name;
  return { name: parsed.name, args, message: `${parsed.name}: ${sentence}` };
}

/** Finds revert data in whatever ethers, Hardhat or a JSON-RPC node threw. */
function findRevertData(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== "object" || depth > 5) return undefined;
  const e = err as Record<string, unknown>;
  for (const key of ["data", "revertData"]) {
    const v = e[key];
    if (typeof v === "string" && isHexString(v) && v.length >= 10) return v;
    if (v && typeof v === "object") {
      const inner = findRevertData(v, depth + 1);
      if (inner) return inner;
    }
  }
  for (const key of ["error", "info", "cause", "body"]) {
    const v = e[key];
    if (typeof v === "string" && key === "body") {
      try {
        const inner = findRevertData(JSON.parse(v), depth + 1);
        if (inner) return inner;
      } catch {
        /* not JSON */
      }
    } else if (v && typeof v === "object") {
      const inner = findRevertData(v, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Turns an error thrown by a WorkEscrow call into a decoded custom error, or undefined when the
 * error is not a revert (network down, user rejected the signature, ...).
 */
export function decodeEscrowError(err: unknown): DecodedError | undefined {
  const data = findRevertData(err);
  return data ? decodeRevertData(data) : undefined;
}

/** A sentence for any error: the decoded revert when there is one, else the error's own message. */
export function describeError(err: unknown): string {
  const decoded = decodeEscrowError(err);
  if (decoded) return decoded.message;
  const e = err as { shortMessage?: string; message?: string };
  return e?.shortMessage ?? e?.message ?? String(err);
}

/** Thrown by EscrowClient when a call reverts: `message` is in words, `decoded` has the details. */
export class EscrowError extends Error {
  constructor(
    readonly decoded: DecodedError,
    readonly cause: unknown,
  ) {
    super(decoded.message);
    this.name = "EscrowError";
  }
}
