/**
 * Client-side checks of a job's parameters against the contract's rules (WorkEscrow `_checkCreation`,
 * `_checkOptions`, `_storeApprovers`), in the contract's order and with the contract's errors. The
 * SDK runs them before it approves a token or sends anything, so a job the escrow would refuse never
 * leaves an allowance behind.
 */
import { preflightError, type DecodedError } from "./errors.js";
import { NATIVE, type Bounds } from "./types.js";

/** `IWorkEscrowTypes.JobParams` with every field present. */
export interface JobParams {
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
  providerBond: bigint;
  keeperTip: bigint;
  verifier: string;
  verifierFeeBps: number;
  bidsOnly: boolean;
  agentRequired: boolean;
  agentId: bigint;
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
  if (!env.arbitratorRegistered || same(p.arbitrator, requester))
    return preflightError("WorkEscrowArbitratorNotRegistered", [p.arbitrator]);
  if (
    same(p.provider, requester) ||
    same(p.provider, p.arbitrator) ||
    (p.bidsOnly && p.provider !== NATIVE)
  )
    return preflightError("WorkEscrowInvalidProvider", [p.provider]);
  const count = BigInt(p.approvers.length);
  if (count > b.maxApprovers)
    return preflightError("WorkEscrowTooManyApprovers", [count, b.maxApprovers]);
  if ((count === 0n) !== (p.threshold === 0) || BigInt(p.threshold) > count)
    return preflightError("WorkEscrowInvalidThreshold", [p.threshold, count]);
  if (p.providerBond > UINT128_MAX)
    return preflightError("WorkEscrowAmountTooLarge", [p.providerBond, UINT128_MAX]);
  if (p.keeperTip > UINT128_MAX)
    return preflightError("WorkEscrowAmountTooLarge", [p.keeperTip, UINT128_MAX]);
  if (p.verifier !== NATIVE) {
    if (
      same(p.verifier, requester) ||
      same(p.verifier, p.provider) ||
      same(p.verifier, p.arbitrator) ||
      BigInt(p.verifierFeeBps) > b.maxVerifierFeeBps
    )
      return preflightError("WorkEscrowInvalidVerifier", [p.verifier, p.verifierFeeBps]);
  } else if (p.verifierFeeBps !== 0) {
    return preflightError("WorkEscrowInvalidVerifier", [p.verifier, p.verifierFeeBps]);
  }
  if (p.agentRequired && env.identityRegistry === NATIVE)
    return preflightError("WorkEscrowIdentityRegistryNotSet", []);
  // Checked by the contract after the money arrives (so a simulation of an unapproved ERC-20 job
  // cannot see them): every approver non-zero, distinct, and holding no other role.
  const seen = new Set<string>();
  for (const approver of p.approvers) {
    const a = approver.toLowerCase();
    if (
      approver === NATIVE ||
      same(approver, requester) ||
      same(approver, p.provider) ||
      same(approver, p.arbitrator) ||
      same(approver, p.verifier) ||
      seen.has(a)
    )
      return preflightError("WorkEscrowInvalidApprover", [approver]);
    seen.add(a);
  }
  return undefined;
}
