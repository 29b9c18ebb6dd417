/**
 * A typed client for the WorkEscrow HTTP API (`npm run api`, indexer/): the read model rebuilt from the
 * escrow's and the CommunityFund's events, and the order book of signed bids. No dependencies: it uses
 * the global `fetch` (Node 18+, browsers).
 *
 *   import { createApiClient } from "work-escrow";
 *   const api = createApiClient("http://127.0.0.1:42069");
 *   const { items, nextCursor } = await api.jobs({ provider, status: "Open" });
 *   const mine = await api.jobsOf(account); // same shape as EscrowClient.jobsOf, without scanning logs
 *
 * JSON conventions (indexer/openapi.yaml): addresses are lowercase hex; amounts, ids and other
 * uint256 values are decimal strings (`BigInt(job.amount)`); times are unix seconds and block
 * numbers are numbers.
 */
import type { Role } from "./types.js";

export type Address = `0x${string}`;
export type StatusName =
  | "None"
  | "Open"
  | "Accepted"
  | "Submitted"
  | "Disputed"
  | "Released"
  | "Refunded"
  | "Cancelled"
  | "Resolved";
export type ResolutionName = "Arbitrated" | "Agreed" | "Stale";

/** A job: the fields of `getJob(id)` (same names) and its history. */
export interface ApiJob {
  id: string;
  requester: Address;
  provider: Address;
  token: Address;
  amount: string;
  deadline: number;
  reviewPeriod: number;
  jobType: number;
  status: StatusName;
  jobHash: `0x${string}`;
  resultHash: `0x${string}`;
  arbitrator: Address;
  threshold: number;
  approvals: number;
  submittedAt: number;
  platformFeeBps: number;
  communityFeeBps: number;
  arbitrationFeeBps: number;
  disputedBy: Address;
  disputedAt: number;
  proposer: Address;
  proposalBps: number;
  arbitrationPeriod: number;
  released: string;
  refunded: string;
  providerBond: string;
  bondPosted: boolean;
  keeperTip: string;
  verifier: Address;
  verifierFeeBps: number;
  verdict: "None" | "Approved" | "Rejected";
  /** unix seconds of the verdict (0 = none); after a rejection the review window ends at verdictAt + reviewPeriod */
  verdictAt: number;
  bidsOnly: boolean;
  agentRequired: boolean;
  agentId: string;
  disputeDeposit: string;
  /** history, not in getJob */
  approvers: Address[];
  initialAmount: string;
  paidToProvider: string;
  returnedToRequester: string;
  resolution: ResolutionName | null;
  resolutionBps: number | null;
  keeper: Address | null;
  createdAt: number;
  createdBlock: number;
  createdTransaction: `0x${string}`;
  acceptedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  updatedBlock: number;
}

export interface Page<T> {
  items: T[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface JobFilter {
  /** one status or several (any of them) */
  status?: StatusName | StatusName[];
  requester?: string;
  provider?: string;
  /** any role: requester, provider, arbitrator, approver or verifier */
  account?: string;
  token?: string;
  cursor?: string;
  /** 1..100, default 20 */
  limit?: number;
}

/** One entry of the audit trail. */
export interface ApiEvent {
  id: string;
  contract: "WorkEscrow" | "CommunityFund";
  name: string;
  jobId: string | null;
  roundId: string | null;
  /** the decoded arguments; integers as decimal strings */
  args: Record<string, unknown>;
  blockNumber: number;
  blockHash: `0x${string}`;
  timestamp: number;
  transactionHash: `0x${string}`;
  transactionIndex: number;
  logIndex: number;
  from: Address;
}

export interface ApiCredit {
  token: Address;
  /** Credited events */
  credited: string;
  /**
   * its share of the platform and community fees that JobReleased, JobPartiallyReleased and
   * DisputeResolved name (as a fee recipient of the epoch in force)
   */
  fees: string;
  withdrawn: string;
  /** = withdrawable(token, account) */
  balance: string;
  withdrawals: number;
}

export interface ApiAccountToken {
  token: Address;
  earned: string;
  refunded: string;
  keeperTips: string;
  verifierFees: string;
  arbitrationFees: string;
}

export interface ApiAccount {
  address: Address;
  /** false when the address never appeared in an event */
  seen: boolean;
  jobs: {
    asRequester: number;
    asProvider: number;
    asArbitrator: number;
    asApprover: number;
    asVerifier: number;
  };
  outcomes: {
    released: number;
    refunded: number;
    cancelled: number;
    resolved: number;
    disputed: number;
  };
  disputes: { raised: number; won: number; lost: number };
  delivery: {
    deliveries: number;
    missedDeadlines: number;
    /** deliveries / (deliveries + missedDeadlines); null before either */
    onTimeRate: number | null;
  };
  bidsWon: number;
  earnings: ApiAccountToken[];
  credits: ApiCredit[];
  firstSeenAt: number | null;
  lastSeenAt: number | null;
}

export interface EscrowStatistics {
  jobs: {
    total: number;
    byStatus: Record<StatusName, number>;
    byJobType: Record<string, number>;
    active: number;
  };
  tokens: {
    token: Address;
    jobs: number;
    /** escrowed at creation, all jobs */
    volume: string;
    /** escrowed now, jobs not yet ended */
    escrowed: string;
    paidToProviders: string;
    returnedToRequesters: string;
    fees: {
      platform: string;
      community: string;
      arbitration: string;
      verifier: string;
      keeperTips: string;
    };
  }[];
  accounts: { requesters: number; providers: number };
  indexedBlock: number | null;
}

export interface DisputeStatistics {
  total: number;
  open: number;
  resolved: number;
  byResolution: Record<ResolutionName, number>;
  raisedBy: { requester: number; provider: number };
  outcomes: { provider: number; requester: number; split: number };
  evidence: number;
  /** mean seconds from raising to resolution, resolved disputes only */
  averageResolutionSeconds: number | null;
  deposits: { token: Address; held: string; returned: string; forfeited: string }[];
}

export interface FundRound {
  id: string;
  token: Address;
  status: "None" | "Live" | "Cancelled" | "Expired";
  root: `0x${string}`;
  total: string;
  claimed: string;
  claims: number;
  postedAt: number;
  claimsOpenAt: number;
  expiresAt: number;
  /** end (exclusive, unix seconds) of the payments' time range the round rewards; 0 = none (manual) */
  coveredUntil: number;
  /** the guardian in force when the round was posted (it may cancel it whatever changes later) */
  guardian: Address;
  uri: string;
  returnedToPool: string | null;
  endedAt: number | null;
}

export interface CommunityFundState {
  address: Address;
  settings: {
    owner: Address;
    guardian: Address;
    minInterval: number;
    challengeDelay: number;
    claimPeriod: number;
    /** a proposed guardian (setGuardian), appliable from effectiveAt; null when none is pending */
    pendingGuardian: { guardian: Address; effectiveAt: number } | null;
    /** a proposed schedule (setSchedule), appliable from effectiveAt; null when none is pending */
    pendingSchedule: {
      minInterval: number;
      challengeDelay: number;
      claimPeriod: number;
      effectiveAt: number;
    } | null;
  } | null;
  tokens: {
    token: Address;
    pool: string;
    reserved: string;
    totalReceived: string;
    totalClaimed: string;
    threshold: string;
    lastRoundAt: number;
    /** when the next round may be posted (0 = any time) */
    nextRoundAt: number;
    rounds: number;
    /** the fund's community fees still credited in the escrow (collect() pulls them) */
    uncollected: string;
  }[];
  rounds: FundRound[];
  claims: number;
}

/** A provider's signed bid (`IWorkEscrowTypes.Bid`), integers as decimal strings. */
export interface BidInput {
  bid: { jobId: string; provider: string; price: string; expiry: string; nonce: string };
  /** 0x-prefixed hex */
  signature: string;
  /** optional: rejected when they are not this API's escrow and chain */
  escrow?: string;
  chainId?: string | number;
}

/** A job an address takes part in: the shape of `EscrowClient.jobsOf`'s `JobMembership`. */
export interface ApiJobMembership {
  jobId: bigint;
  roles: Role[];
  createdAtBlock: number;
}

export interface ApiBid {
  jobId: string;
  provider: Address;
  price: string;
  /** unix seconds, a decimal string (a uint64: above 2^53 a JS number would alter it) */
  expiry: string;
  nonce: string;
  signature: `0x${string}`;
  /** the EIP-712 digest the provider signed (= escrow.hashBid(bid)) */
  digest: `0x${string}`;
  receivedAt: number;
  /** the nonce is the provider's current one for its key: awardBid would accept it now */
  awardable: boolean;
}

export interface ApiHealth {
  ok: boolean;
  chain: { id: number; name: string };
  escrow: Address;
  fund: Address;
  indexed: { block: number; timestamp: number } | null;
  head: { block: number; timestamp: number } | null;
  lagBlocks: number | null;
}

/** A non-2xx answer: `status` is the HTTP status, `code` the API's reason code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiClientOptions {
  /** a fetch implementation (default: the global fetch) */
  fetch?: typeof fetch;
  /** extra headers on every request */
  headers?: Record<string, string>;
}

export interface ApiClient {
  readonly url: string;
  /** One page of jobs, newest first. */
  jobs(filter?: JobFilter): Promise<Page<ApiJob>>;
  /** Every job matching the filter, newest first, page after page. */
  allJobs(filter?: Omit<JobFilter, "cursor">): AsyncGenerator<ApiJob>;
  /** One job, or null when the API does not know it. */
  job(id: bigint | number | string): Promise<ApiJob | null>;
  /** A job's audit trail in chain order (empty for an unknown job). */
  jobEvents(id: bigint | number | string): Promise<ApiEvent[]>;
  account(address: string): Promise<ApiAccount>;
  escrowStatistics(): Promise<EscrowStatistics>;
  disputeStatistics(): Promise<DisputeStatistics>;
  communityFund(): Promise<CommunityFundState>;
  health(): Promise<ApiHealth>;
  /** The job's valid bids, best price first (every page: a job's book holds at most 1,000 live bids). */
  bids(id: bigint | number | string): Promise<ApiBid[]>;
  /** Submits a signed bid; the API checks its signature and terms before storing it. */
  submitBid(input: BidInput): Promise<ApiBid>;
  /**
   * The jobs `account` takes part in, as `EscrowClient.jobsOf` returns them (requester, provider,
   * arbitrator, approver, verifier), sorted by job id, from the API instead of a log scan.
   */
  jobsOf(account: string): Promise<ApiJobMembership[]>;
}

/** A client for the API at `url` (e.g. "http://127.0.0.1:42069"). */
export function createApiClient(url: string, options: ApiClientOptions = {}): ApiClient {
  const base = url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw new Error("createApiClient needs fetch (Node 18+)");

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await doFetch(`${base}${path}`, {
      ...init,
      headers: { accept: "application/json", ...options.headers, ...init.headers },
    });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const e = (body ?? {}) as { error?: string; message?: string };
      throw new ApiError(
        response.status,
        e.error ?? `http-${response.status}`,
        e.message ?? (text || response.statusText),
      );
    }
    return body as T;
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s === "" ? "" : `?${s}`;
  };

  const jobQuery = (filter: JobFilter) =>
    query({
      status: Array.isArray(filter.status) ? filter.status.join(",") : filter.status,
      requester: filter.requester,
      provider: filter.provider,
      account: filter.account,
      token: filter.token,
      cursor: filter.cursor,
      limit: filter.limit,
    });

  const client: ApiClient = {
    url: base,
    jobs: (filter = {}) => request<Page<ApiJob>>(`/jobs${jobQuery(filter)}`),
    async *allJobs(filter = {}) {
      let cursor: string | undefined;
      do {
        const page = await client.jobs({ ...filter, cursor, limit: filter.limit ?? 100 });
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    },
    async job(id) {
      try {
        return await request<ApiJob>(`/jobs/${String(id)}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    async jobEvents(id) {
      try {
        return (await request<{ items: ApiEvent[] }>(`/jobs/${String(id)}/events`)).items;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return [];
        throw err;
      }
    },
    account: (address) => request<ApiAccount>(`/accounts/${address}`),
    escrowStatistics: () => request<EscrowStatistics>("/statistics/escrows"),
    disputeStatistics: () => request<DisputeStatistics>("/statistics/disputes"),
    communityFund: () => request<CommunityFundState>("/community-fund"),
    health: () => request<ApiHealth>("/health/details"),
    async bids(id) {
      const out: ApiBid[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ApiBid> = await request<Page<ApiBid>>(
          `/jobs/${String(id)}/bids${query({ cursor: cursor ?? undefined, limit: 1000 })}`,
        );
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return out;
    },
    submitBid: (input) =>
      request<ApiBid>(`/jobs/${input.bid.jobId}/bids`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      }),
    async jobsOf(account) {
      const who = account.toLowerCase();
      const out: ApiJobMembership[] = [];
      for await (const job of client.allJobs({ account: who })) {
        const roles: Role[] = [];
        if (job.requester === who) roles.push("requester");
        if (job.provider === who) roles.push("provider");
        if (job.arbitrator === who) roles.push("arbitrator");
        if (job.approvers.includes(who as Address)) roles.push("approver");
        if (job.verifier === who) roles.push("verifier");
        if (roles.length > 0) {
          out.push({ jobId: BigInt(job.id), roles, createdAtBlock: job.createdBlock });
        }
      }
      return out.sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
    },
  };
  return client;
}
