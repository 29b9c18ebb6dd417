import {
  Contract,
  Signature,
  type ContractRunner,
  type ContractTransactionResponse,
  type Log,
  type LogDescription,
  type Overrides,
  type Provider,
  type TransactionReceipt,
  toBeHex,
  zeroPadValue,
} from "ethers";
import type { IWorkEscrow, IWorkEscrowTypes } from "../typechain-types/interfaces/IWorkEscrow.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import {
  checkJobParams,
  createJobCall,
  jobParams,
  splitJobParams,
  toJobView,
  type JobParams,
} from "./checks.js";

export { jobParams } from "./checks.js";
import {
  EscrowError,
  decodeEscrowError,
  preflightError,
  toEscrowError,
  type DecodedError,
} from "./errors.js";
import { getLogsInChunks, type LogRange } from "./logs.js";
import { ApiError, createApiClient, type ApiClient, type ApiHealth } from "./api.js";
import { broadcast } from "./send.js";
import {
  disputeDeposit,
  nextActions,
  permissionlessExit,
  type AccountContext,
  type NextAction,
} from "./next.js";
import {
  NATIVE,
  Status,
  type Bounds,
  type CreateJobInput,
  type JobView,
  type Role,
  type Verdict,
} from "./types.js";

const ERC20_ABI = [
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function name() view returns (string)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  // Declared without a return value: USDT-style tokens return nothing, and a transaction's return
  // value is never decoded anyway.
  "function approve(address spender, uint256 amount)",
];
const ERC721_ABI = ["function ownerOf(uint256 id) view returns (address)"];

/** The outcome of a state-changing call: the job it concerns and the mined receipt. */
export interface TxResult {
  /** the job the call concerns (0 for calls about no single job: withdraw, admin, finalize) */
  jobId: bigint;
  receipt: TransactionReceipt;
  /** the escrow events the transaction emitted, decoded */
  events: LogDescription[];
}

/** The outcome of `finalize`: which of the listed jobs ended, and the keeper tips the caller earned. */
export interface FinalizeResult extends TxResult {
  finalized: bigint[];
  /** keeper tips paid to the caller, in base units of each job's token, by job id */
  tips: Map<bigint, bigint>;
}

/** A job an address takes part in, as rebuilt from events. */
export interface JobMembership {
  jobId: bigint;
  roles: Role[];
  createdAtBlock: number;
}

/** Options of an `EscrowClient`. */
export interface EscrowClientOptions {
  /**
   * Base URL of the WorkEscrow HTTP API (`npm run api`, e.g. "http://127.0.0.1:42069") indexing this
   * escrow on this chain. When set, `jobsOf` asks it (`GET /jobs?account=`, 100 jobs per request)
   * instead of scanning logs. Must be an http(s) URL: otherwise the constructor throws an
   * `EscrowError` named `BadApiUrl`.
   */
  apiUrl?: string;
  /**
   * What `jobsOf` does when the API is unreachable (no connection, DNS failure, no answer within
   * `apiTimeoutMs`): `true` (default) scans logs instead and says why in `jobsOfSource`; `false`
   * throws an `EscrowError` named `ApiUnreachable`. An API that answers with an error status, or
   * that indexes another escrow or chain, never falls back: `jobsOf` throws (`ApiFailed`,
   * `ApiMismatch`), because its answer cannot be trusted to be the log scan's.
   */
  apiFallback?: boolean;
  /** Milliseconds each API request may take before the API counts as unreachable; default 10,000. */
  apiTimeoutMs?: number;
  /** The fetch the API client uses (default: the global fetch). */
  fetch?: typeof fetch;
}

/** Where the last `jobsOf` answer of a client came from. */
export interface JobsOfSource {
  /** "api": the HTTP API; "logs": a scan of the escrow's logs over the RPC */
  source: "api" | "logs";
  /** the API's base URL, when one is configured */
  url?: string;
  /** the last block the API had indexed when it answered (source "api") */
  indexedBlock?: number;
  /** why logs were scanned although an API is configured (unreachable, or a `toBlock` was given) */
  reason?: string;
}

/** A decoded escrow event, as delivered to `watch` listeners. */
export interface JobEvent {
  name: string;
  jobId?: bigint;
  args: Record<string, unknown>;
  log: Log;
}

/** An escrow's settings, read in one go. */
export interface EscrowConfig {
  owner: string;
  pendingOwner: string;
  platformFeeBps: number;
  communityFeeBps: number;
  arbitrationFeeBps: number;
  treasury: string;
  communityFund: string;
  feeEpoch: number;
  paused: boolean;
  jobCount: bigint;
  identityRegistry: string;
  trustedForwarder: string;
  extension: string;
}

/** Terminal events: a job that emitted one is over. */
const ENDINGS = ["JobReleased", "JobRefunded", "JobCancelled", "DisputeResolved"] as const;

/**
 * An `EscrowError` the client raises itself (not a contract's revert): `name`, its arguments, and the
 * message "`name`: `text`", as decoded contract errors read.
 */
function clientError(
  name: string,
  args: Record<string, unknown>,
  text: string,
  cause?: unknown,
): EscrowError {
  return new EscrowError({ name, args, message: `${name}: ${text}` }, cause);
}

/** The API client of `options.apiUrl`, with a per-request timeout; throws `BadApiUrl`. */
function apiClient(options: EscrowClientOptions): ApiClient {
  const url = options.apiUrl!;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw clientError(
      "BadApiUrl",
      { url },
      `${JSON.stringify(url)} is not an http(s) URL of the WorkEscrow API (e.g. http://127.0.0.1:42069)`,
    );
  }
  const base = options.fetch ?? globalThis.fetch;
  const ms = options.apiTimeoutMs ?? 10_000;
  const timed: typeof fetch = (input, init) =>
    base(input, { ...init, signal: AbortSignal.timeout(ms) });
  return createApiClient(url, { fetch: timed });
}

/** Why a request to the API got no answer at all (undefined: it answered, or another failure). */
function unreachable(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "timed out";
  // Node's and browsers' fetch throw a TypeError when no response arrives (refused, DNS, TLS).
  if (err instanceof TypeError) return e.cause?.code ?? e.cause?.message ?? e.message;
  return undefined;
}

/** An API failure (error status, bad answer, lost connection) as an `ApiFailed` EscrowError. */
function apiFailure(url: string, err: unknown): EscrowError {
  if (err instanceof EscrowError) return err;
  const why =
    err instanceof ApiError
      ? `answered ${err.status} (${err.code}): ${err.message}`
      : `failed: ${unreachable(err) ?? (err as Error)?.message ?? String(err)}`;
  return clientError("ApiFailed", { url }, `the API at ${url} ${why}`, err);
}

/** Errors that come from the escrow's own checks (so the call is wrong), not from a token's pull. */
function isEscrowCheck(d: DecodedError | undefined): boolean {
  return (
    d !== undefined &&
    (d.name.startsWith("WorkEscrow") ||
      d.name === "EnforcedPause" ||
      d.name === "OwnableUnauthorizedAccount" ||
      d.name === "InvalidAccountNonce" ||
      d.name === "ReentrancyGuardReentrantCall")
  );
}

/**
 * A typed client for one WorkEscrow deployment over ethers v6, over the whole `IWorkEscrow` surface
 * (core and extension, at the core's address). Every call returns the job id, the receipt and the
 * decoded events, after the receipt is mined; any failure — a revert, a check the SDK makes before
 * sending, a nonce or network problem — is thrown as an `EscrowError` with a sentence.
 * Works with any ethers `ContractRunner` (a browser wallet's signer, a Wallet, a Hardhat signer).
 *
 * Tokens: where a call pulls an ERC-20 (creation: amount + tip; acceptance: the bond; a dispute: the
 * deposit) the client first checks the call (the contract's bounds, then an `eth_call`), then the
 * balance, and only then approves exactly what is needed — setting a non-zero allowance to 0 first,
 * as USDT requires. Pass `approve: false` to manage allowances yourself.
 */
export class EscrowClient {
  readonly contract: IWorkEscrow;
  #bounds?: Promise<Bounds>;
  #api?: ApiClient;
  /** Where the last `jobsOf` answer came from (undefined before the first call). */
  jobsOfSource?: JobsOfSource;

  /**
   * @param address the escrow (the core's address)
   * @param runner a signer, or a provider for a read-only client
   * @param options `apiUrl` makes `jobsOf` read the HTTP API instead of scanning logs (see
   *   `EscrowClientOptions`); throws `BadApiUrl` for a URL that is not http(s)
   */
  constructor(
    readonly address: string,
    readonly runner: ContractRunner,
    readonly options: EscrowClientOptions = {},
  ) {
    this.contract = IWorkEscrow__factory.connect(address, runner);
    if (options.apiUrl !== undefined) this.#api = apiClient(options);
  }

  /** The same client (and options) acting as another signer. */
  connect(runner: ContractRunner): EscrowClient {
    return new EscrowClient(this.address, runner, this.options);
  }

  get provider(): Provider {
    const provider = this.runner.provider ?? (this.runner as unknown as Provider);
    if (!provider || typeof (provider as Provider).getBlock !== "function") {
      throw new Error("EscrowClient needs a runner with a provider");
    }
    return provider as Provider;
  }

  /** The signer's address (throws for a read-only runner). */
  async account(): Promise<string> {
    const r = this.runner as { getAddress?: () => Promise<string> };
    if (typeof r.getAddress !== "function") {
      throw clientError("NoSigner", {}, "this client has a provider but no signer");
    }
    return r.getAddress();
  }

  /* ----------------------------------------------------------------- requester */

  /**
   * Creates and funds a job (native coin: `amount + keeperTip` as value; ERC-20: approved for you
   * when the allowance is short, after the job is checked — see the class comment). A job without
   * optional terms goes through `createJob`, one with any through `createJobWithOptions`.
   */
  async createJob(input: CreateJobInput, options: { approve?: boolean } = {}): Promise<TxResult> {
    const owner = await this.account();
    const p = jobParams(input);
    await this.checkCreateJob(p, owner);
    const total = p.amount + p.keeperTip;
    const native = p.token === NATIVE;
    const value = native ? total : 0n;
    // v1's createJob when no optional term is set (cheaper), else createJobWithOptions.
    const call = createJobCall(p);
    const create = this.contract.getFunction(call.method);
    if (!native) {
      await this.#checkBalance(p.token, owner, total);
      await this.#simulate(() => create.staticCall(...call.args, { value }), {
        tokenPullPending: options.approve !== false,
      });
      if (options.approve !== false) await this.#ensureAllowance(p.token, owner, total);
    }
    const result = await this.#send((o) => create(...call.args, { ...o, value }));
    return { ...result, jobId: createdId(result) };
  }

  /**
   * `createJob` for an ERC-20 funded by an EIP-2612 permit of `amount + keeperTip` for the escrow that
   * the signer signed (valid until `permit.deadline`), instead of an approval: one transaction. The job
   * is checked first, as for `createJob`. (The bids-and-funding module signs permits.)
   */
  async createJobWithPermit(
    input: CreateJobInput,
    permit: { deadline: bigint; signature: string },
  ): Promise<TxResult> {
    const owner = await this.account();
    const p = jobParams(input);
    if (p.token === NATIVE)
      throw new EscrowError(preflightError("WorkEscrowZeroAddress", []), undefined);
    await this.checkCreateJob(p, owner);
    await this.#checkBalance(p.token, owner, p.amount + p.keeperTip);
    const sig = Signature.from(permit.signature);
    const { terms, options } = splitJobParams(p);
    const result = await this.#send((o) =>
      this.contract.createJobWithPermit(terms, options, permit.deadline, sig.v, sig.r, sig.s, o),
    );
    return { ...result, jobId: createdId(result) };
  }

  /**
   * `createJob` funded by an ERC-3009 `receiveWithAuthorization` (USDC) that `from` signed for
   * `amount + keeperTip` to the escrow with nonce `authorizationNonce(terms, options)`: anyone may send it, `from`
   * becomes the requester, and nobody approves anything. The job is checked first.
   */
  async createJobWithAuthorization(
    input: CreateJobInput,
    authorization: { from: string; validAfter: bigint; validBefore: bigint; signature: string },
  ): Promise<TxResult> {
    const p = jobParams(input);
    await this.checkCreateJob(p, authorization.from);
    const sig = Signature.from(authorization.signature);
    const { terms, options } = splitJobParams(p);
    const result = await this.#send((o) =>
      this.contract.createJobWithAuthorization(
        terms,
        options,
        authorization.from,
        authorization.validAfter,
        authorization.validBefore,
        sig.v,
        sig.r,
        sig.s,
        o,
      ),
    );
    return { ...result, jobId: createdId(result) };
  }

  /** Open → Cancelled: the requester takes the payment (and the keeper tip) back before anyone accepted. */
  cancel(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.cancelJob(jobId, o));
  }

  /** Pays the provider: the requester at any time after acceptance; anyone after the review window. */
  release(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.release(jobId, o));
  }

  /** The requester pays `amount` (base units, 1 ≤ amount ≤ remaining) to the provider now; 0 left → Released. */
  releasePartial(jobId: bigint, amount: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.releasePartial(jobId, amount, o));
  }

  /** The requester awards a provider's signed bid on an open job (bids are signed by the bids module). */
  awardBid(jobId: bigint, bid: IWorkEscrowTypes.BidStruct, signature: string): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.awardBid(jobId, bid, signature, o));
  }

  /* ------------------------------------------------------------------ provider */

  /**
   * Accepts an Open job, posting its bond: native coin as value, an ERC-20 approved for you when the
   * allowance is short (after an `eth_call` shows the acceptance is otherwise allowed).
   */
  async accept(jobId: bigint, options: { approve?: boolean } = {}): Promise<TxResult> {
    const job = await this.getJob(jobId);
    const bond = job.status === Status.Open && !job.bondPosted ? job.providerBond : 0n;
    const native = job.token === NATIVE;
    const value = native ? bond : 0n;
    if (!native && bond > 0n) {
      const owner = await this.account();
      await this.#simulate(() => this.contract.acceptJob.staticCall(jobId, { value }), {
        tokenPullPending: options.approve !== false,
      });
      await this.#checkBalance(job.token, owner, bond);
      if (options.approve !== false) await this.#ensureAllowance(job.token, owner, bond);
    }
    return this.#job(jobId, (o) => this.contract.acceptJob(jobId, { ...o, value }));
  }

  /** Submits the hash of the result (see `hashContent`). */
  submit(jobId: bigint, resultHash: string): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.submitWork(jobId, resultHash, o));
  }

  /** The provider returns `amount` (base units) to the requester now; 0 left → Refunded (bond forfeited). */
  refundPartial(jobId: bigint, amount: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.refundPartial(jobId, amount, o));
  }

  /** A bidder cancels every outstanding bid it signed with nonce key `key` (the SDK uses key = jobId). */
  async invalidateNonce(key: bigint): Promise<TxResult> {
    return { ...(await this.#send((o) => this.contract.invalidateNonce(key, o))), jobId: 0n };
  }

  /* ------------------------------------------------------- approver, verifier */

  approve(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.approveWork(jobId, o));
  }

  /** The job's verifier approves (released at once) or rejects the submitted work, once. */
  verify(jobId: bigint, approved: boolean): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.verifyWork(jobId, approved, o));
  }

  /* ------------------------------------------------------------------- anyone */

  /** Open/Accepted past the deadline, or rejected work past the review window → Refunded. */
  refund(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.refundExpired(jobId, o));
  }

  /** Disputed past the job's arbitration period → Resolved 50/50. */
  settleStale(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.settleStaleDispute(jobId, o));
  }

  /**
   * Applies each listed job's open permissionless exit in one transaction (skipping the others);
   * returns the jobs that ended and the keeper tips the caller earned.
   */
  async finalize(jobIds: bigint[]): Promise<FinalizeResult> {
    const caller = (await this.account()).toLowerCase();
    const r = await this.#send((o) => this.contract.finalize(jobIds, o));
    const finalized: bigint[] = [];
    const tips = new Map<bigint, bigint>();
    for (const e of r.events) {
      if ((ENDINGS as readonly string[]).includes(e.name)) finalized.push(e.args.jobId as bigint);
      if (e.name === "KeeperTipPaid" && (e.args.to as string).toLowerCase() === caller)
        tips.set(e.args.jobId as bigint, e.args.amount as bigint);
    }
    return { ...r, jobId: 0n, finalized, tips };
  }

  /**
   * The jobs whose permissionless exit is open at the latest block (release after the review window,
   * refund after the deadline or a rejection, stale settlement), found from the escrow's events:
   * every created job that has not ended, then `getJob` for each.
   */
  async finalizable(range: LogRange = {}): Promise<bigint[]> {
    const iface = this.contract.interface;
    const created = iface.getEvent("JobCreated")!.topicHash;
    const ended = ENDINGS.map((n) => iface.getEvent(n)!.topicHash);
    const live = new Set<bigint>();
    for (const log of await this.#logs([[created, ...ended]], range)) {
      const e = iface.parseLog(log);
      if (!e) continue;
      if (e.name === "JobCreated") live.add(e.args.jobId as bigint);
      else live.delete(e.args.jobId as bigint);
    }
    const now = await this.#now();
    const out: bigint[] = [];
    for (const id of [...live].sort((a, b) => (a < b ? -1 : 1))) {
      const exit = permissionlessExit(await this.getJob(id));
      if (exit && exit.from <= now) out.push(id);
    }
    return out;
  }

  /* ------------------------------------------------------------------ disputes */

  /**
   * Disputes submitted work within the review window, posting the dispute deposit (the arbitration fee
   * on the remaining amount, read from `getJob`): native coin as value, an ERC-20 approved when short.
   */
  async dispute(
    jobId: bigint,
    reason: string,
    options: { approve?: boolean } = {},
  ): Promise<TxResult> {
    const job = await this.getJob(jobId);
    const deposit = job.status === Status.Submitted ? disputeDeposit(job) : 0n;
    const native = job.token === NATIVE;
    const value = native ? deposit : 0n;
    if (!native && deposit > 0n) {
      const owner = await this.account();
      await this.#simulate(() => this.contract.raiseDispute.staticCall(jobId, reason, { value }), {
        tokenPullPending: options.approve !== false,
      });
      await this.#checkBalance(job.token, owner, deposit);
      if (options.approve !== false) await this.#ensureAllowance(job.token, owner, deposit);
    }
    return this.#job(jobId, (o) => this.contract.raiseDispute(jobId, reason, { ...o, value }));
  }

  evidence(jobId: bigint, uri: string): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.submitEvidence(jobId, uri, o));
  }

  /**
   * Offers a split in Accepted, Submitted or Disputed: the provider's share of the remaining amount in
   * basis points (0..10,000; 0 = mutual cancellation).
   */
  propose(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.proposeSettlement(jobId, providerBps, o));
  }

  /** Accepts the other party's standing offer; `providerBps` must match it. */
  acceptSettlement(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.acceptSettlement(jobId, providerBps, o));
  }

  /** The job's arbitrator rules a split (provider's share in bps). */
  resolve(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, (o) => this.contract.resolveDispute(jobId, providerBps, o));
  }

  /* ------------------------------------------------------------------- credits */

  /** Withdraws the signer's credit in `token` (a failed push, fees), to `to` or to the signer. */
  async withdraw(token: string = NATIVE, to?: string): Promise<TxResult> {
    if (to !== undefined) return this.withdrawTo(token, to);
    return { ...(await this.#send((o) => this.contract.withdraw(token, o))), jobId: 0n };
  }

  /** Withdraws the signer's credit in `token` to another address (e.g. when the signer cannot receive). */
  async withdrawTo(token: string, to: string): Promise<TxResult> {
    return { ...(await this.#send((o) => this.contract.withdrawTo(token, to, o))), jobId: 0n };
  }

  withdrawable(token: string, account: string): Promise<bigint> {
    return this.contract.withdrawable(token, account);
  }

  /* --------------------------------------------------------------------- admin */

  /** Admin: fee rates for new jobs (basis points). */
  setFees(platformBps: number, communityBps: number, arbitrationBps: number): Promise<TxResult> {
    return this.#admin((o) => this.contract.setFees(platformBps, communityBps, arbitrationBps, o));
  }

  /** Admin: where future fees are credited (a new fee epoch). */
  setFeeRecipients(treasury: string, communityFund: string): Promise<TxResult> {
    return this.#admin((o) => this.contract.setFeeRecipients(treasury, communityFund, o));
  }

  /** Admin: registers an arbitrator for new jobs with its arbitration period (seconds, 0 = 7 days). */
  setArbitrator(
    arbitrator: string,
    registered: boolean,
    arbitrationPeriod = 0n,
  ): Promise<TxResult> {
    return this.#admin((o) =>
      this.contract.setArbitrator(arbitrator, registered, arbitrationPeriod, o),
    );
  }

  /** Admin: the minimum amount of a new job in `token` (base units). */
  setMinAmount(token: string, minAmount: bigint): Promise<TxResult> {
    return this.#admin((o) => this.contract.setMinAmount(token, minAmount, o));
  }

  /** Admin: pauses the creation of new jobs (every other call stays open). */
  pause(): Promise<TxResult> {
    return this.#admin((o) => this.contract.pause(o));
  }

  unpause(): Promise<TxResult> {
    return this.#admin((o) => this.contract.unpause(o));
  }

  /** Admin, step 1 of 2 (Ownable2Step). */
  transferAdmin(newAdmin: string): Promise<TxResult> {
    return this.#admin((o) => this.contract.transferOwnership(newAdmin, o));
  }

  /** Step 2 of 2, by the pending admin. */
  acceptAdmin(): Promise<TxResult> {
    return this.#admin((o) => this.contract.acceptOwnership(o));
  }

  /* --------------------------------------------------------------------- reads */

  async getJob(jobId: bigint): Promise<JobView> {
    return toJobView(jobId, await this.contract.getJob(jobId));
  }

  /** The protocol's bounds as this escrow publishes them (read once per client). */
  bounds(): Promise<Bounds> {
    const c = this.contract;
    this.#bounds ??= Promise.all([
      c.MIN_REVIEW(),
      c.MAX_REVIEW(),
      c.MAX_DURATION(),
      c.MIN_WORK_TIME(),
      c.MAX_APPROVERS(),
      c.MAX_VERIFIER_FEE_BPS(),
      c.MIN_ARBITRATION_PERIOD(),
      c.MAX_ARBITRATION_PERIOD(),
      c.DEFAULT_ARBITRATION_PERIOD(),
    ]).then(
      ([
        minReview,
        maxReview,
        maxDuration,
        minWorkTime,
        maxApprovers,
        maxVerifierFeeBps,
        minAp,
        maxAp,
        defAp,
      ]) => ({
        minReview,
        maxReview,
        maxDuration,
        minWorkTime,
        maxApprovers,
        maxVerifierFeeBps,
        minArbitrationPeriod: minAp,
        maxArbitrationPeriod: maxAp,
        defaultArbitrationPeriod: defAp,
      }),
    );
    this.#bounds.catch(() => (this.#bounds = undefined));
    return this.#bounds;
  }

  /** The escrow's settings: admin, fee rates and recipients, pause, job count, registry, forwarder. */
  async config(): Promise<EscrowConfig> {
    const c = this.contract;
    const [
      owner,
      pendingOwner,
      p,
      cm,
      a,
      treasury,
      communityFund,
      feeEpoch,
      paused,
      jobCount,
      registry,
      forwarder,
      extension,
    ] = await Promise.all([
      c.owner(),
      c.pendingOwner(),
      c.platformFeeBps(),
      c.communityFeeBps(),
      c.arbitrationFeeBps(),
      c.treasury(),
      c.communityFund(),
      c.feeEpoch(),
      c.paused(),
      c.jobCount(),
      c.identityRegistry(),
      c.trustedForwarder(),
      c.extension(),
    ]);
    return {
      owner,
      pendingOwner,
      platformFeeBps: Number(p),
      communityFeeBps: Number(cm),
      arbitrationFeeBps: Number(a),
      treasury,
      communityFund,
      feeEpoch: Number(feeEpoch),
      paused,
      jobCount,
      identityRegistry: registry,
      trustedForwarder: forwarder,
      extension,
    };
  }

  /** Whether `arbitrator` may be named by new jobs, and the arbitration period they would snapshot (seconds). */
  async arbitratorInfo(
    arbitrator: string,
  ): Promise<{ registered: boolean; arbitrationPeriod: bigint }> {
    const [registered, arbitrationPeriod] = await this.contract.arbitratorInfo(arbitrator);
    return { registered, arbitrationPeriod };
  }

  /**
   * Checks a job's parameters against what the escrow would accept now (its bounds, the token's
   * minimum, the arbitrator registry, the pause, the identity registry) and throws the `EscrowError`
   * the contract would revert with (`decoded.preflight`). `createJob` runs it before anything is sent.
   */
  async checkCreateJob(input: CreateJobInput, requester: string): Promise<void> {
    const p = jobParams(input);
    const c = this.contract;
    const [bounds, paused, minAmount, arbitrator, identityRegistry, now] = await Promise.all([
      this.bounds(),
      c.paused(),
      c.minAmount(p.token),
      c.arbitratorInfo(p.arbitrator),
      p.agentRequired ? c.identityRegistry() : Promise.resolve(NATIVE),
      this.#now(),
    ]);
    // The transaction is mined in a later block than the latest: at least one second later.
    const problem = checkJobParams(p, requester, now + 1n, {
      bounds,
      paused,
      minAmount,
      arbitratorRegistered: arbitrator[0],
      identityRegistry,
    });
    if (problem) throw new EscrowError(problem, undefined);
  }

  /** The approver list of a job (stored as positions on-chain; read back from `JobCreated`). */
  async approversOf(jobId: bigint, range: LogRange = {}): Promise<string[]> {
    const logs = await this.#logs(
      [this.contract.interface.getEvent("JobCreated")!.topicHash, toTopic(jobId)],
      range,
    );
    const created = logs
      .map((l) => this.contract.interface.parseLog(l))
      .find((e) => e?.name === "JobCreated");
    return created ? [...(created.args.approvers as string[])] : [];
  }

  /** What `nextActions` needs about `account` beyond the job: approver state, agent ownership. */
  async accountContext(job: JobView, account: string): Promise<AccountContext> {
    const [isApprover, approved] = await this.contract.approverState(job.id, account);
    const ctx: AccountContext = { isApprover, approved };
    if (job.agentRequired) {
      try {
        const registry = await this.contract.identityRegistry();
        const owner: string = await new Contract(registry, ERC721_ABI, this.runner).ownerOf(
          job.agentId,
        );
        ctx.isAgentOwner = owner.toLowerCase() === account.toLowerCase();
      } catch {
        ctx.isAgentOwner = false; // the registry reverts for an unknown id: nobody owns it
      }
    }
    return ctx;
  }

  /** What `account` can do next on the job, and from/until when (block time of the latest block). */
  async nextActions(jobId: bigint, account: string): Promise<NextAction[]> {
    const [job, now] = await Promise.all([this.getJob(jobId), this.#now()]);
    return nextActions(job, account, now, await this.accountContext(job, account));
  }

  /**
   * The jobs `account` takes part in: as requester or provider (the job's current provider: the
   * designated one, whoever accepted an open job, or the awarded bidder), arbitrator, approver or
   * verifier. Sorted by job id; `createdAtBlock` is the block of the job's `JobCreated`.
   *
   * With `apiUrl` (constructor options) the HTTP API answers, as of the block it has indexed
   * (`jobsOfSource.indexedBlock`; while it follows the chain that is the head or a few blocks behind),
   * for the escrow's whole history; `range` then only serves a fallback log scan (give the
   * deployment block as `fromBlock`), except that a `toBlock` (a past state) always scans logs. The
   * API is first asked which escrow and chain it indexes: another one throws `ApiMismatch`; an error
   * status throws `ApiFailed`; an unreachable API falls back to the log scan, or throws
   * `ApiUnreachable` with `apiFallback: false`. `jobsOfSource` says which source answered.
   *
   * Without an API, the list is rebuilt from events (no on-chain index): `JobCreated` (requester,
   * designated provider, arbitrator and approvers), `JobAccepted` and `BidAwarded` (provider),
   * `JobOptionsSet` (verifier); one `eth_getLogs` per `range.chunkSize` blocks.
   */
  async jobsOf(account: string, range: LogRange = {}): Promise<JobMembership[]> {
    const api = this.#api;
    const url = this.options.apiUrl;
    if (api === undefined) {
      this.jobsOfSource = { source: "logs" };
      return this.#jobsOfFromLogs(account, range);
    }
    if (range.toBlock !== undefined) {
      this.jobsOfSource = { source: "logs", url, reason: "a toBlock was given" };
      return this.#jobsOfFromLogs(account, range);
    }
    let health: ApiHealth;
    try {
      health = await api.health();
    } catch (err) {
      const reason = unreachable(err);
      if (reason === undefined) throw apiFailure(url!, err);
      if (this.options.apiFallback === false) {
        throw clientError(
          "ApiUnreachable",
          { url, reason },
          `the API at ${url} does not answer (${reason})`,
          err,
        );
      }
      this.jobsOfSource = { source: "logs", url, reason: `the API does not answer (${reason})` };
      return this.#jobsOfFromLogs(account, range);
    }
    await this.#checkApi(url!, health);
    let jobs: JobMembership[];
    try {
      jobs = await api.jobsOf(account);
    } catch (err) {
      // It answered a moment ago: an unreachable API now is a failure, not a reason to switch.
      throw apiFailure(url!, err);
    }
    this.jobsOfSource = { source: "api", url, indexedBlock: health.indexed?.block };
    return jobs;
  }

  async #checkApi(url: string, health: ApiHealth): Promise<void> {
    const mismatch = (what: string) =>
      clientError("ApiMismatch", { url }, `the API at ${url} ${what}`);
    if (typeof health !== "object" || health === null || typeof health.escrow !== "string") {
      throw mismatch("is not a WorkEscrow API (GET /health/details has no escrow)");
    }
    if (health.escrow.toLowerCase() !== this.address.toLowerCase()) {
      throw mismatch(`indexes the escrow ${health.escrow}, not ${this.address}`);
    }
    const chainId = (await this.provider.getNetwork()).chainId;
    if (BigInt(health.chain?.id ?? -1) !== chainId) {
      throw mismatch(`indexes chain ${health.chain?.id}, not chain ${chainId}`);
    }
    if (health.indexed === null) {
      throw clientError(
        "ApiFailed",
        { url },
        `the API at ${url} has not indexed any block yet: try again in a moment`,
      );
    }
  }

  async #jobsOfFromLogs(account: string, range: LogRange): Promise<JobMembership[]> {
    const iface = this.contract.interface;
    const topics = ["JobCreated", "JobAccepted", "BidAwarded", "JobOptionsSet"].map(
      (n) => iface.getEvent(n as "JobCreated")!.topicHash,
    );
    const who = account.toLowerCase();
    const byId = new Map<bigint, JobMembership>();
    const createdAt = new Map<bigint, number>();
    const add = (jobId: bigint, role: Role) => {
      const block = createdAt.get(jobId) ?? 0;
      const entry = byId.get(jobId) ?? { jobId, roles: [], createdAtBlock: block };
      if (!entry.roles.includes(role)) entry.roles.push(role);
      byId.set(jobId, entry);
    };
    const is = (a: unknown) => (a as string).toLowerCase() === who;
    // Arbitrators and approvers are in the data, so every JobCreated is read; one request per chunk.
    for (const log of await this.#logs([topics], range)) {
      const e = iface.parseLog(log);
      if (!e) continue;
      const jobId = e.args.jobId as bigint;
      // A range that starts after the job's creation: the first event seen stands in for it.
      if (!createdAt.has(jobId)) createdAt.set(jobId, log.blockNumber);
      if (e.name === "JobCreated") {
        if (is(e.args.requester)) add(jobId, "requester");
        if (is(e.args.provider)) add(jobId, "provider");
        if (is(e.args.arbitrator)) add(jobId, "arbitrator");
        if ((e.args.approvers as string[]).some(is)) add(jobId, "approver");
      } else if (e.name === "JobOptionsSet") {
        if (is(e.args.verifier)) add(jobId, "verifier");
      } else if (is(e.args.provider)) {
        add(jobId, "provider");
      } else {
        // A bids-only job's bonded award went to another bidder: the job's provider is no longer
        // `account` (getJob names the new one).
        const entry = byId.get(jobId);
        if (entry?.roles.includes("provider")) {
          entry.roles = entry.roles.filter((r) => r !== "provider");
          if (entry.roles.length === 0) byId.delete(jobId);
        }
      }
    }
    return [...byId.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : 1));
  }

  /** Every escrow event in a block range, decoded (optionally for one job). */
  async events(range: LogRange = {}, jobId?: bigint): Promise<JobEvent[]> {
    const logs = await this.#logs(jobId === undefined ? [] : [null, toTopic(jobId)], range);
    return logs.flatMap((log) => this.#decode(log, jobId) ?? []);
  }

  /**
   * Calls `listener` for every new escrow event (optionally of one job), by polling eth_getLogs
   * from the next block on: works with any provider, HTTP or in-process. Returns `stop`.
   */
  watch(
    listener: (event: JobEvent) => void,
    options: { jobId?: bigint; pollMs?: number } = {},
  ): () => void {
    let stopped = false;
    let next: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const latest = await this.provider.getBlockNumber();
        if (next === undefined) next = latest + 1;
        if (latest >= next) {
          const topics = options.jobId === undefined ? [] : [null, toTopic(options.jobId)];
          const logs = await this.#logs(topics, { fromBlock: next, toBlock: latest });
          next = latest + 1;
          for (const log of logs) {
            const e = this.#decode(log, options.jobId);
            if (e && !stopped) listener(e);
          }
        }
      } catch {
        /* transient RPC failure: retry on the next tick */
      }
      if (!stopped) timer = setTimeout(poll, options.pollMs ?? 1000);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /* ------------------------------------------------------------------ internal */

  #decode(log: Log, jobId?: bigint): JobEvent | undefined {
    const e = this.contract.interface.parseLog(log);
    if (!e) return undefined;
    const args: Record<string, unknown> = {};
    e.fragment.inputs.forEach((input, i) => (args[input.name] = e.args[i]));
    const id = e.fragment.inputs[0]?.name === "jobId" ? (e.args[0] as bigint) : undefined;
    if (jobId !== undefined && id !== jobId) return undefined;
    return { name: e.name, jobId: id, args, log };
  }

  #logs(topics: (string | string[] | null)[], range: LogRange): Promise<Log[]> {
    return getLogsInChunks(this.provider, this.address, topics, range);
  }

  async #now(): Promise<bigint> {
    return BigInt((await this.provider.getBlock("latest"))!.timestamp);
  }

  /**
   * An `eth_call` of the transaction before anything is approved or sent. With `tokenPullPending`
   * (the allowance is not there yet), a failure that is not one of the escrow's own checks is the
   * token refusing the pull — expected before the approval, because every check of the escrow comes
   * before the pull — and is ignored; any escrow error is thrown.
   */
  async #simulate(call: () => Promise<unknown>, o: { tokenPullPending: boolean }): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (o.tokenPullPending && !isEscrowCheck(decodeEscrowError(err))) return;
      throw toEscrowError(err);
    }
  }

  /** Throws the ERC-6093 error a token would give when `owner` holds less than `needed`. */
  async #checkBalance(token: string, owner: string, needed: bigint): Promise<void> {
    const balance: bigint = await new Contract(token, ERC20_ABI, this.runner).balanceOf(owner);
    if (balance < needed) {
      throw new EscrowError(
        preflightError("ERC20InsufficientBalance", [owner, balance, needed]),
        undefined,
      );
    }
  }

  /**
   * Makes the escrow's allowance at least `needed`, approving exactly `needed`; a non-zero allowance
   * is set to 0 first (USDT and its kind revert on a change from one non-zero value to another).
   */
  async #ensureAllowance(token: string, owner: string, needed: bigint): Promise<void> {
    const erc20 = new Contract(token, ERC20_ABI, this.runner);
    const allowance: bigint = await erc20.allowance(owner, this.address);
    if (allowance >= needed) return;
    const approve = (amount: bigint) => (o: Overrides) =>
      erc20.approve(this.address, amount, o) as Promise<ContractTransactionResponse>;
    if (allowance !== 0n) await this.#send(approve(0n));
    await this.#send(approve(needed));
  }

  async #job(
    jobId: bigint,
    send: (o: Overrides) => Promise<ContractTransactionResponse>,
  ): Promise<TxResult> {
    return { ...(await this.#send(send)), jobId };
  }

  async #admin(send: (o: Overrides) => Promise<ContractTransactionResponse>): Promise<TxResult> {
    return { ...(await this.#send(send)), jobId: 0n };
  }

  /**
   * Sends a transaction and waits for its receipt. A local `Wallet` gets its nonce from `broadcast`
   * (./send.ts); other signers (browser wallets, node accounts) let their node assign it. Any
   * failure becomes an `EscrowError`; a transaction that reverted on-chain is replayed with `eth_call`
   * at its block to decode why.
   */
  async #send(
    send: (o: Overrides) => Promise<ContractTransactionResponse>,
  ): Promise<Omit<TxResult, "jobId">> {
    let tx: ContractTransactionResponse | undefined;
    try {
      tx = await this.#broadcast(send);
      const receipt = (await tx.wait())!;
      const events = receipt.logs
        .filter((l) => l.address.toLowerCase() === this.address.toLowerCase())
        .flatMap((l) => this.contract.interface.parseLog(l) ?? []);
      return { receipt, events };
    } catch (err) {
      const e = err as { code?: string; receipt?: TransactionReceipt };
      if (tx && e.code === "CALL_EXCEPTION" && e.receipt && !decodeEscrowError(err)) {
        try {
          await this.provider.call({
            to: tx.to,
            from: tx.from,
            data: tx.data,
            value: tx.value,
            blockTag: e.receipt.blockNumber - 1,
          });
        } catch (replayed) {
          if (decodeEscrowError(replayed)) throw toEscrowError(replayed);
        }
      }
      throw toEscrowError(err);
    }
  }

  #broadcast(
    send: (o: Overrides) => Promise<ContractTransactionResponse>,
  ): Promise<ContractTransactionResponse> {
    return broadcast(this.runner, send);
  }
}

function createdId(result: Omit<TxResult, "jobId">): bigint {
  const created = result.events.find((e) => e.name === "JobCreated");
  if (!created) throw new Error("createJob: no JobCreated event in the receipt");
  return created.args.jobId as bigint;
}

function toTopic(jobId: bigint): string {
  return zeroPadValue(toBeHex(jobId), 32);
}
