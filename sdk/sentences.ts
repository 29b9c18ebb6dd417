/**
 * The SDK's words for failures, with no dependency on ethers or viem: the errors a deployment can
 * revert with (as ABI items), one sentence per error, the decoded-error shape, and the pure helpers
 * both clients share (`preflightError`, `findRevertData`, `describeDecoded`). The ethers client
 * (`work-escrow`) and the viem entry (`work-escrow/viem`) decode with their own library and word the
 * result here, so both give the same sentences.
 */
import { iCommunityFundAbi, iWorkEscrowAbi } from "../abi/index.js";
import { RoundStatus, Status, Verdict } from "./types.js";
import { formatTime } from "./units.js";

/**
 * Errors a WorkEscrow deployment can revert with that are not declared in IWorkEscrow or
 * ICommunityFund: OpenZeppelin's (Ownable, Pausable, ReentrancyGuard, SafeERC20, NoncesKeyed, EIP712,
 * ERC2771Forwarder, Address), tokens' (ERC-6093) and Solidity's own.
 */
const EXTRA_ERRORS = [
  "error EnforcedPause()",
  "error ExpectedPause()",
  "error OwnableUnauthorizedAccount(address account)",
  "error OwnableInvalidOwner(address owner)",
  "error ReentrancyGuardReentrantCall()",
  "error SafeERC20FailedOperation(address token)",
  "error InvalidAccountNonce(address account, uint256 currentNonce)",
  "error InvalidShortString()",
  "error StringTooLong(string str)",
  "error ERC2771ForwarderExpiredRequest(uint48 deadline)",
  "error ERC2771ForwarderInvalidSigner(address signer, address from)",
  "error ERC2771ForwarderMismatchedValue(uint256 requestedValue, uint256 msgValue)",
  "error ERC2771UntrustfulTarget(address target, address forwarder)",
  "error FailedCall()",
  "error InsufficientBalance(uint256 balance, uint256 needed)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error Panic(uint256 code)",
];

/** An ABI error item (the subset the SDK reads). */
export interface AbiErrorItem {
  type: "error";
  name: string;
  inputs: readonly { name: string; type: string; internalType?: string }[];
}

/** `error Name(type name, …)` → an ABI item (the extras above are written that way). */
function parseErrorSignature(signature: string): AbiErrorItem {
  const m = /^error (\w+)\((.*)\)$/.exec(signature)!;
  const inputs = m[2]
    ? m[2].split(",").map((p) => {
        const [type, name] = p.trim().split(/\s+/);
        return { name, type };
      })
    : [];
  return { type: "error", name: m[1], inputs };
}

/**
 * Every error a WorkEscrow deployment (escrow, extension, forwarder, community fund) can revert with,
 * as ABI items: IWorkEscrow's and ICommunityFund's own first, then the extras (the first of two items
 * with one name wins).
 */
export const ESCROW_ERRORS_ABI: readonly AbiErrorItem[] = (() => {
  const out: AbiErrorItem[] = [];
  const names = new Set<string>();
  const all = [
    ...(iWorkEscrowAbi as readonly { type: string }[]),
    ...(iCommunityFundAbi as readonly { type: string }[]),
    ...EXTRA_ERRORS.map(parseErrorSignature),
  ].filter((f): f is AbiErrorItem => f.type === "error");
  for (const f of all) {
    if (names.has(f.name)) continue;
    names.add(f.name);
    out.push(f);
  }
  return out;
})();

/** A decoded failure: the custom error's name, its arguments, and a sentence a person can act on. */
export interface DecodedError {
  name: string;
  args: Record<string, unknown>;
  message: string;
  /** true when the SDK found the problem before sending anything (the contract would revert the same way) */
  preflight?: boolean;
}

const status = (v: unknown) => Status[Number(v)] ?? `status ${v}`;
const verdict = (v: unknown) => Verdict[Number(v)] ?? `verdict ${v}`;
const when = (v: unknown) => `${formatTime(BigInt(v as bigint))} (${v})`;
const pendingAt = (v: unknown) => (BigInt(v as bigint) === 0n ? "none pending" : `from ${when(v)}`);
const bps = (v: unknown) => `${v} bps (${Number(v) / 100}%)`;
const days = (v: unknown) => `${v}s (${Number(v) / 86_400} days)`;

/** One sentence per error, in words, with the offending values (the NatSpec in IWorkEscrow*.sol). */
const SENTENCES: Record<string, (a: Record<string, any>) => string> = {
  // --- creation
  WorkEscrowZeroAmount: () => "the amount is zero",
  WorkEscrowAmountBelowMinimum: (a) =>
    `amount ${a.amount} is below the minimum ${a.minimum} for token ${a.token}`,
  WorkEscrowAmountTooLarge: (a) => `amount ${a.amount} is larger than the maximum ${a.maximum}`,
  WorkEscrowInvalidDeadline: (a) =>
    `deadline ${when(a.deadline)} must be from ${when(a.earliest)} (10 minutes of work at least) to ${when(a.latest)}`,
  WorkEscrowInvalidReviewPeriod: (a) =>
    `review period ${a.reviewPeriod}s must be between ${a.minimum}s and ${a.maximum}s`,
  WorkEscrowInvalidJobType: (a) =>
    `job type ${a.jobType} is not supported (0 compute, 1 storage, 2 agent)`,
  WorkEscrowZeroJobHash: () => "the job hash is zero: hash the job specification",
  WorkEscrowArbitratorNotRegistered: (a) =>
    `${a.arbitrator} is not a registered arbitrator (or is the requester)`,
  WorkEscrowTooManyApprovers: (a) => `${a.count} approvers is more than the maximum ${a.maximum}`,
  WorkEscrowInvalidApprover: (a) =>
    `approver ${a.approver} is invalid (zero, repeated, or holding another role in the job)`,
  WorkEscrowInvalidThreshold: (a) =>
    `threshold ${a.threshold} is invalid for ${a.approvers} approvers (1..n with approvers, 0 without)`,
  WorkEscrowInvalidProvider: (a) =>
    `provider ${a.provider} is invalid (the requester, the arbitrator, another role in the job, or set on a bids-only job)`,
  WorkEscrowInvalidVerifier: (a) =>
    `verifier ${a.verifier} with fee ${bps(a.verifierFeeBps)} is invalid (a verifier holds no other role, its fee is at most 1000 bps, and there is no fee without a verifier)`,
  WorkEscrowIdentityRegistryNotSet: () =>
    "this deployment has no ERC-8004 identity registry: it cannot take jobs that require an agent identity",
  WorkEscrowValueMismatch: (a) => `sent ${a.sent} wei but exactly ${a.expected} was expected`,
  WorkEscrowNothingReceived: (a) => `token ${a.token} delivered nothing to the escrow`,
  // --- lifecycle
  WorkEscrowInvalidStatus: (a) =>
    Number(a.current) === Status.None
      ? `job ${a.jobId} does not exist`
      : `job ${a.jobId} is ${status(a.current)}, and this call is not allowed in that state`,
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
  WorkEscrowNotAgentOwner: (a) =>
    `${a.account} does not own ERC-8004 agent #${a.agentId}, which job ${a.jobId} requires`,
  WorkEscrowAlreadyVerified: (a) =>
    `job ${a.jobId}'s verifier has already given its verdict (${verdict(a.verdict)})`,
  WorkEscrowWorkRejected: (a) =>
    `job ${a.jobId}'s verifier rejected the work: only the requester can release it; anyone refunds it after the review window`,
  WorkEscrowInvalidPartialAmount: (a) =>
    `amount ${a.amount} must be from 1 to the ${a.remaining} that remains in job ${a.jobId}`,
  // --- bids
  WorkEscrowNotBiddable: (a) => `job ${a.jobId} already has its provider: it takes no bids`,
  WorkEscrowBidForOtherJob: (a) => `the bid is for job ${a.bidJobId}, not job ${a.jobId}`,
  WorkEscrowBidExpired: (a) => `the bid on job ${a.jobId} expired at ${when(a.expiry)}`,
  WorkEscrowBidAboveAmount: (a) =>
    `the bid's price ${a.price} is above job ${a.jobId}'s maximum ${a.amount}`,
  WorkEscrowInvalidBidNonce: (a) =>
    `the bid on job ${a.jobId} by ${a.provider} has nonce ${a.nonce} but ${a.expected} is next: it was awarded or cancelled already, or signed ahead`,
  WorkEscrowInvalidBidSignature: (a) =>
    `the bid on job ${a.jobId} is not signed by its provider ${a.provider}`,
  // --- disputes
  WorkEscrowInvalidBps: (a) => `${bps(a.bps)} is more than 10000 bps (100%)`,
  WorkEscrowNoMatchingProposal: (a) =>
    `job ${a.jobId} has no standing offer of ${bps(a.providerBps)}`,
  WorkEscrowOwnProposal: (a) => `${a.caller} cannot accept their own offer on job ${a.jobId}`,
  WorkEscrowArbitrationPeriodOver: (a) =>
    `job ${a.jobId}'s arbitration period ended at ${when(a.endedAt)}: settle it as stale`,
  WorkEscrowArbitrationPeriodActive: (a) =>
    `job ${a.jobId}'s arbitration period runs until ${when(a.endsAt)}`,
  // --- money and admin
  WorkEscrowNothingToWithdraw: (a) => `${a.account} has nothing to withdraw in token ${a.token}`,
  WorkEscrowTransferFailed: (a) => `sending ${a.amount} of token ${a.token} to ${a.to} failed`,
  WorkEscrowInsufficientGas: (a) =>
    `the transaction has ${a.available} gas left but a payout needs ${a.required}: send it with a higher gas limit`,
  WorkEscrowFeeTooHigh: (a) =>
    `fees ${a.platformFeeBps}/${a.communityFeeBps}/${a.arbitrationFeeBps} bps exceed the caps (platform + community ≤ 1000, community ≤ 500, arbitration ≤ 1000)`,
  WorkEscrowInvalidArbitrationPeriod: (a) =>
    `arbitration period ${days(a.arbitrationPeriod)} must be between ${days(a.minimum)} and ${days(a.maximum)}`,
  WorkEscrowTooManyArbitrators: () => "the arbitrator registry is full (65,535 ids)",
  WorkEscrowZeroAddress: () => "an address is zero",
  WorkEscrowRenounceDisabled: () => "the escrow cannot be left without an admin",
  // --- community fund
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
  // --- OpenZeppelin
  OwnableUnauthorizedAccount: (a) => `${a.account} is not the admin`,
  OwnableInvalidOwner: (a) => `${a.owner} cannot be the admin`,
  EnforcedPause: () => "the escrow is paused: no new jobs until the admin unpauses it",
  ExpectedPause: () => "the escrow is not paused",
  ReentrancyGuardReentrantCall: () => "reentrant call",
  InvalidAccountNonce: (a) =>
    `nonce already used or cancelled: ${a.account}'s current nonce is ${a.currentNonce} (sign the bid or request again)`,
  InvalidShortString: () => "an EIP-712 name or version is not a short string",
  StringTooLong: (a) => `"${a.str}" is too long for an EIP-712 short string`,
  ERC2771ForwarderExpiredRequest: (a) =>
    `the signed request expired at ${when(a.deadline)}: sign a new one`,
  ERC2771ForwarderInvalidSigner: (a) =>
    `the request is signed by ${a.signer}, not by its sender ${a.from}`,
  ERC2771ForwarderMismatchedValue: (a) =>
    `the request asks for ${a.requestedValue} wei but the relayer sent ${a.msgValue}`,
  ERC2771UntrustfulTarget: (a) =>
    `${a.target} does not trust this forwarder (${a.forwarder}): relay to the escrow only`,
  FailedCall: () => "the recipient refused the native coin (its receive function reverted)",
  InsufficientBalance: (a) => `the sender holds ${a.balance} but needs ${a.needed}`,
  SafeERC20FailedOperation: (a) => `the token ${a.token} refused the transfer`,
  ERC20InsufficientBalance: (a) => `${a.sender} holds ${a.balance} but needs ${a.needed}`,
  ERC20InsufficientAllowance: (a) =>
    `allowance ${a.allowance} for ${a.spender} is less than ${a.needed}: approve first`,
  Panic: (a) => `Solidity panic 0x${BigInt(a.code).toString(16)}`,
};

/**
 * The decoded error for custom error `name` with arguments `values` (in order), worded; `args` are
 * keyed by the ABI's parameter names. Integers become bigints, as a decoder would return them.
 */
export function describeDecoded(name: string, values: readonly unknown[]): DecodedError {
  if (name === "Error") {
    const reason = String(values[0]);
    return { name, args: { reason }, message: reason };
  }
  const item = ESCROW_ERRORS_ABI.find((f) => f.name === name);
  const args: Record<string, unknown> = {};
  (item?.inputs ?? []).forEach((input, i) => {
    const v = values[i];
    args[input.name || String(i)] =
      /^u?int\d*$/.test(input.type) && (typeof v === "number" || typeof v === "string")
        ? BigInt(v)
        : v;
  });
  if (!item) values.forEach((v, i) => (args[String(i)] = v));
  const sentence = SENTENCES[name]?.(args) ?? name;
  return { name, args, message: `${name}: ${sentence}` };
}

/**
 * The decoded error the contract would revert with, built by the SDK before sending (`preflight`):
 * `name` is a custom error of IWorkEscrow (or an extra above), `values` its arguments in order, `why`
 * the exact case when the SDK knows it.
 */
export function preflightError(
  name: string,
  values: readonly unknown[],
  /** the exact case, when the SDK knows it (the contract's error covers several) */
  why?: string,
): DecodedError {
  const decoded = describeDecoded(name, values);
  return { ...decoded, ...(why ? { message: `${name}: ${why}` } : {}), preflight: true };
}

const isRevertHex = (v: unknown): v is string =>
  typeof v === "string" && /^0x([0-9a-fA-F]{2})*$/.test(v) && v.length >= 10;

/** Finds revert data in whatever ethers, viem, Hardhat or a JSON-RPC node threw. */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== "object" || depth > 5) return undefined;
  const e = err as Record<string, unknown>;
  for (const key of ["data", "revertData", "raw"]) {
    const v = e[key];
    if (isRevertHex(v)) return v;
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
 * Thrown by EscrowClient (and by the viem entry's calls) whenever a call fails, revert or not: `message` is a sentence, `decoded`
 * has the error's name and arguments (`decoded.preflight` when the SDK caught it before sending).
 */
export class EscrowError extends Error {
  constructor(
    readonly decoded: DecodedError,
    readonly cause: unknown,
  ) {
    super(decoded.message);
    this.name = "EscrowError";
  }
}
