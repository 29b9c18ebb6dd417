import { Interface, isHexString, type ErrorDescription } from "ethers";
import { ICommunityFund__factory } from "../typechain-types/factories/interfaces/ICommunityFund__factory.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
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

// The escrow's and the community fund's errors, then the extras (ethers keeps the first of
// identical fragments). Interfaces only: no contract bytecode ends up in a dapp's bundle.
const escrowInterface = new Interface([
  ...IWorkEscrow__factory.abi.filter((f) => f.type === "error"),
  ...ICommunityFund__factory.abi.filter((f) => f.type === "error"),
  ...EXTRA_ERRORS,
]);

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
  WorkEscrowInvalidBidSignature: (a) =>
    `the bid on job ${a.jobId} is not signed by its provider ${a.provider}`,
  WorkEscrowInvalidBidNonce: (a) =>
    `the bid on job ${a.jobId} uses nonce ${a.nonce} of ${a.provider}, whose next usable nonce for that key is ${a.expected}: it was already awarded, cancelled, or is not yet valid`,
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

/** Decodes raw revert data (`0x` + selector + args) from a WorkEscrow or CommunityFund call. */
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

/**
 * The decoded error the contract would revert with, built by the SDK before sending (`preflight`):
 * `name` is a custom error of IWorkEscrow (or an extra above), `values` its arguments in order.
 */
export function preflightError(name: string, values: readonly unknown[]): DecodedError {
  const decoded = decodeRevertData(escrowInterface.encodeErrorResult(name, values))!;
  return { ...decoded, preflight: true };
}

/** Finds revert data in whatever ethers, Hardhat or a JSON-RPC node threw. */
export function findRevertData(err: unknown, depth = 0): string | undefined {
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
  if (err instanceof EscrowError) return err.decoded;
  const data = findRevertData(err);
  return data ? decodeRevertData(data) : undefined;
}

/** Sentences for failures that are not reverts, by ethers v6 error code. */
const FAILURES: Record<string, (e: Record<string, any>) => string> = {
  NONCE_EXPIRED: () =>
    "the transaction's nonce was already used (another transaction from this account got there first): send it again",
  REPLACEMENT_UNDERPRICED: () =>
    "a transaction with the same nonce is pending and this one does not pay more gas to replace it",
  TRANSACTION_REPLACED: (e) =>
    `the transaction was replaced by ${e.replacement?.hash ?? "another one"} (${e.reason ?? "replaced"})`,
  INSUFFICIENT_FUNDS: () => "the account cannot pay for the gas and the value of this transaction",
  ACTION_REJECTED: () => "the wallet's user rejected the request",
  CALL_EXCEPTION: () =>
    "the call reverted without a reason (out of gas, or a contract that gives no error data)",
  NETWORK_ERROR: () => "the network is unreachable",
  TIMEOUT: () => "the node did not answer in time",
  SERVER_ERROR: () => "the node returned a server error",
  BAD_DATA: () => "the node returned data that does not decode (wrong address or network?)",
  UNSUPPORTED_OPERATION: (e) =>
    `the wallet or node does not support this (${e.operation ?? "operation"})`,
};

/**
 * A sentence for any failure: the decoded revert when there is one, else the failure's kind in words
 * (by ethers' error code) with the node's own message.
 */
export function describeFailure(err: unknown): DecodedError {
  const decoded = decodeEscrowError(err);
  if (decoded) return decoded;
  const e = (err ?? {}) as Record<string, any>;
  const own = String(e.shortMessage ?? e.message ?? err);
  let code = typeof e.code === "string" ? e.code : "";
  // Nodes word these differently from what ethers recognises (Hardhat: "Sender doesn't have enough
  // funds", "Nonce too high/low").
  if (/doesn't have enough funds|insufficient funds/i.test(String(e.message ?? "")))
    code = "INSUFFICIENT_FUNDS";
  else if (/nonce (is )?too low|nonce has already been used/i.test(String(e.message ?? "")))
    code = "NONCE_EXPIRED";
  const sentence = FAILURES[code]?.(e);
  const name = code
    ? code.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())
    : "Error";
  return {
    name,
    args: { code, reason: own },
    message: sentence ? `${name}: ${sentence} (${own})` : own,
  };
}

/** A sentence for any error: the decoded revert when there is one, else the error's own message. */
export function describeError(err: unknown): string {
  const decoded = decodeEscrowError(err);
  if (decoded) return decoded.message;
  const e = err as { shortMessage?: string; message?: string };
  return e?.shortMessage ?? e?.message ?? String(err);
}

/**
 * Thrown by EscrowClient whenever a call fails, revert or not: `message` is a sentence, `decoded`
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

/** `err` as an EscrowError (unchanged if it already is one). */
export function toEscrowError(err: unknown): EscrowError {
  return err instanceof EscrowError ? err : new EscrowError(describeFailure(err), err);
}
