/**
 * The HTTP API (indexer/openapi.yaml), beside Ponder's own routes: GraphQL at /graphql, and /health
 * (liveness), /ready (backfill done), /status (indexed block per chain), /metrics. Ponder's SQL over
 * HTTP (/sql/*) is not mounted: arbitrary read queries with no time limit, which the dapp and the SDK
 * do not need (audit L-04). Ponder adds CORS (any origin) to every route. Every query lives here; the
 * handlers in ../index.ts only write rows. Bad input is answered 400 (404 for an unknown job or path,
 * 409 for a full bid book, 413 for a large body) with `{ error, message }`, never 500.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { db, publicClients } from "ponder:api";
import schema, {
  account,
  accountToken,
  bidNonce,
  credit,
  dispute,
  event as auditEvent,
  feeTotal,
  fundClaim,
  fundRound,
  fundSettings,
  fundToken,
  job,
  tokenMinimum,
} from "ponder:schema";
import { and, asc, count, desc, eq, graphql, inArray, lt, notInArray, or, sql, sum } from "ponder";
import { hashTypedData, type PublicClient } from "viem";
import type {
  ApiAccount,
  ApiBid,
  ApiHealth,
  CommunityFundState,
  DisputeStatistics,
  EscrowStatistics,
  StatusName,
} from "../../../sdk/api.js";
import { STATUSES } from "../../enums.js";
import {
  openBidStore,
  readBookPage,
  type BidStore,
  type BookLimits,
  type StoredBid,
} from "./bidStore.js";
import { BID_TYPES, chainReader } from "./chain.js";
import { big, eventJson, jobJson, num, toJson } from "./format.js";
import {
  BadRequest,
  type Hex,
  encodeBidCursor,
  encodeCursor,
  optionalAddress,
  parseAddress,
  parseBidBody,
  parseBidCursor,
  parseCursor,
  parseJobId,
  parseLimit,
  parseStatuses,
} from "./params.js";

const ESCROW = (process.env.WORKESCROW_ADDRESS ?? "").toLowerCase() as Hex;
const FUND = (process.env.WORKESCROW_FUND_ADDRESS ?? "").toLowerCase() as Hex;
const CHAIN_ID = Number(process.env.WORKESCROW_CHAIN_ID);
const NETWORK = process.env.WORKESCROW_NETWORK || "chain";
const ZERO = "0x0000000000000000000000000000000000000000";
const ENDED: StatusName[] = ["Released", "Refunded", "Cancelled", "Resolved"];
/** Bodies larger than this are refused with 413 (a signed bid is well under 1 KiB). */
const MAX_BODY_BYTES = 16 * 1024;
/**
 * Live (unexpired) bids per job and per provider on a job (audit M-04): a POST beyond them is refused
 * (409 `book-full`, 422 `too-many-bids`). WORKESCROW_BIDS_PER_JOB overrides the first (tests).
 */
const LIMITS: BookLimits = {
  perJob: positiveInt(process.env.WORKESCROW_BIDS_PER_JOB, 1000),
  perProvider: 20,
};
/** GET /jobs/:id/bids: `limit` 1..1000, default 100. */
const MAX_BOOK_PAGE = 1000;
/** A sweep of the store (expired bids, bids of jobs that left Open) runs at most this often. */
const SWEEP_INTERVAL_MS = 60_000;

function positiveInt(value: string | undefined, fallback: number): number {
  return value !== undefined && /^[1-9][0-9]{0,6}$/.test(value) ? Number(value) : fallback;
}

const rpc = (publicClients as Record<string, PublicClient>)[NETWORK]!;
const chain = chainReader(rpc, ESCROW);

let bids: Promise<BidStore> | undefined;
function bidStore(): Promise<BidStore> {
  bids ??= openBidStore().catch((err: unknown) => {
    bids = undefined;
    throw err;
  });
  return bids;
}

const app = new Hono();

app.use("/graphql", graphql({ db, schema }));

/** Runs a route; a BadRequest becomes its status with `{ error, message }`. */
function route(handler: (c: Context) => Promise<Response>) {
  return async (c: Context) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof BadRequest) {
        return c.json({ error: err.code, message: err.message }, err.status);
      }
      throw err;
    }
  };
}

/** A read from the node: when the node does not answer, 503 (the client may retry), not 500. */
async function onChain<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch {
    throw new BadRequest("chain-unavailable", "the JSON-RPC node did not answer; try again", 503);
  }
}

/** Chain time (the latest block's timestamp): what expiries and deadlines are compared with. */
async function chainNow(): Promise<bigint> {
  return (await onChain(chain.head())).timestamp;
}

async function findJob(id: bigint) {
  const [row] = await db.select().from(job).where(eq(job.id, id)).limit(1);
  if (row === undefined) throw new BadRequest("unknown-job", `job ${id} does not exist (yet)`, 404);
  return row;
}

/* ------------------------------------------------------------------------------- jobs */

app.get(
  "/jobs",
  route(async (c) => {
    const statuses = parseStatuses(c.req.query("status"));
    const requester = optionalAddress("requester", c.req.query("requester"));
    const provider = optionalAddress("provider", c.req.query("provider"));
    const who = optionalAddress("account", c.req.query("account"));
    const token = optionalAddress("token", c.req.query("token"));
    const cursor = parseCursor(c.req.query("cursor"));
    const limit = parseLimit(c.req.query("limit"));

    const where = and(
      statuses === undefined ? undefined : inArray(job.status, statuses),
      requester === undefined ? undefined : eq(job.requester, requester),
      provider === undefined ? undefined : eq(job.provider, provider),
      token === undefined ? undefined : eq(job.token, token),
      who === undefined
        ? undefined
        : or(
            eq(job.requester, who),
            eq(job.provider, who),
            eq(job.arbitrator, who),
            eq(job.verifier, who),
            sql`${who} = ANY(${job.approvers})`,
          ),
      cursor === undefined ? undefined : lt(job.id, cursor),
    );
    const rows = await db
      .select()
      .from(job)
      .where(where)
      .orderBy(desc(job.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null;
    return c.json({ items: page.map(jobJson), nextCursor });
  }),
);

app.get(
  "/jobs/:id",
  route(async (c) => c.json(jobJson(await findJob(parseJobId(c.req.param("id")))))),
);

app.get(
  "/jobs/:id/events",
  route(async (c) => {
    const id = parseJobId(c.req.param("id"));
    await findJob(id);
    const rows = await db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.jobId, id))
      .orderBy(asc(auditEvent.id));
    return c.json({ jobId: id.toString(), items: rows.map(eventJson) });
  }),
);

/* ---------------------------------------------------------------------------- accounts */

app.get(
  "/accounts/:address",
  route(async (c) => {
    const address = parseAddress("address", c.req.param("address"));
    const [[a], earnings, credits] = await Promise.all([
      db.select().from(account).where(eq(account.address, address)).limit(1),
      db.select().from(accountToken).where(eq(accountToken.account, address)),
      db.select().from(credit).where(eq(credit.account, address)),
    ]);
    const n = (k: keyof NonNullable<typeof a>) => (a === undefined ? 0 : Number(a[k]));
    const deliveries = n("deliveries");
    const missed = n("missedDeadlines");
    const body: ApiAccount = {
      address,
      seen: a !== undefined || credits.length > 0,
      jobs: {
        asRequester: n("jobsAsRequester"),
        asProvider: n("jobsAsProvider"),
        asArbitrator: n("jobsAsArbitrator"),
        asApprover: n("jobsAsApprover"),
        asVerifier: n("jobsAsVerifier"),
      },
      outcomes: {
        released: n("released"),
        refunded: n("refunded"),
        cancelled: n("cancelled"),
        resolved: n("resolved"),
        disputed: n("disputed"),
      },
      disputes: { raised: n("disputesRaised"), won: n("disputesWon"), lost: n("disputesLost") },
      delivery: {
        deliveries,
        missedDeadlines: missed,
        onTimeRate: deliveries + missed === 0 ? null : deliveries / (deliveries + missed),
      },
      bidsWon: n("bidsWon"),
      earnings: earnings.map(({ account: _, ...rest }) =>
        toJson(rest),
      ) as unknown as ApiAccount["earnings"],
      credits: credits.map(({ account: _, updatedAt: __, ...rest }) =>
        toJson(rest),
      ) as unknown as ApiAccount["credits"],
      firstSeenAt: a === undefined ? null : Number(a.firstSeenAt),
      lastSeenAt: a === undefined ? null : Number(a.lastSeenAt),
    };
    return c.json(body);
  }),
);

/* -------------------------------------------------------------------------- statistics */

/** Ponder's latest checkpoint (the same source as its /status), or null before the first one. */
async function latestCheckpoint(): Promise<string | null> {
  try {
    const schemaName = process.env.DATABASE_SCHEMA ?? "public";
    const result = (await db.execute(
      sql.raw(`SELECT latest_checkpoint FROM "${schemaName.replace(/"/g, "")}"._ponder_checkpoint`),
    )) as unknown as { rows: { latest_checkpoint: string }[] };
    return result.rows[0]?.latest_checkpoint ?? null;
  } catch {
    return null;
  }
}

/** The indexed block: Ponder's checkpoint is 10 digits of block timestamp, 16 of chain id, 16 of block number, … */
function decodeCheckpoint(checkpoint: string | null): { block: number; timestamp: number } | null {
  if (checkpoint === null) return null;
  return { timestamp: Number(checkpoint.slice(0, 10)), block: Number(checkpoint.slice(26, 42)) };
}

async function indexedCheckpoint() {
  return decodeCheckpoint(await latestCheckpoint());
}

const perBlock = new Map<string, { checkpoint: string; value: Promise<unknown> }>();

/**
 * An aggregate computed once per indexed block: the read model only changes when Ponder commits a
 * block (rows and checkpoint in one transaction; a reorg moves the checkpoint too), so until the
 * checkpoint moves every request gets the same answer, and concurrent requests share one query.
 */
async function oncePerBlock<T>(name: string, compute: (checkpoint: string | null) => Promise<T>) {
  const checkpoint = await latestCheckpoint();
  if (checkpoint === null) return compute(null);
  const hit = perBlock.get(name);
  if (hit !== undefined && hit.checkpoint === checkpoint) return hit.value as Promise<T>;
  const value = compute(checkpoint);
  perBlock.set(name, { checkpoint, value });
  value.catch(() => perBlock.delete(name));
  return value;
}

app.get(
  "/statistics/escrows",
  route(async (c) => c.json(await oncePerBlock("escrows", escrowStatistics))),
);

async function escrowStatistics(checkpoint: string | null): Promise<EscrowStatistics> {
  const indexed = decodeCheckpoint(checkpoint);
  const [byStatus, byType, byToken, fees, people] = await Promise.all([
    db.select({ status: job.status, n: count() }).from(job).groupBy(job.status),
    db.select({ jobType: job.jobType, n: count() }).from(job).groupBy(job.jobType),
    db
      .select({
        token: job.token,
        jobs: count(),
        volume: sum(job.initialAmount),
        escrowed: sql<string>`coalesce(sum(${job.amount}) filter (where ${notInArray(job.status, ENDED)}), 0)`,
        paid: sum(job.paidToProvider),
        returned: sum(job.returnedToRequester),
      })
      .from(job)
      .groupBy(job.token),
    db.select().from(feeTotal),
    db
      .select({
        requesters: sql<number>`count(*) filter (where ${account.jobsAsRequester} > 0)`,
        providers: sql<number>`count(*) filter (where ${account.jobsAsProvider} > 0)`,
      })
      .from(account),
  ]);
  const statusCounts = Object.fromEntries(STATUSES.slice(1).map((s) => [s, 0])) as Record<
    StatusName,
    number
  >;
  let total = 0;
  let active = 0;
  for (const r of byStatus) {
    statusCounts[r.status] = num(r.n);
    total += num(r.n);
    if (!ENDED.includes(r.status)) active += num(r.n);
  }
  const feeOf = new Map(fees.map((f) => [f.token, f]));
  const tokens = new Set([...byToken.map((t) => t.token), ...fees.map((f) => f.token)]);
  const body: EscrowStatistics = {
    jobs: {
      total,
      byStatus: statusCounts,
      byJobType: Object.fromEntries(byType.map((r) => [String(r.jobType), num(r.n)])),
      active,
    },
    tokens: [...tokens].sort().map((token) => {
      const t = byToken.find((r) => r.token === token);
      const f = feeOf.get(token);
      return {
        token,
        jobs: num(t?.jobs),
        volume: big(t?.volume).toString(),
        escrowed: big(t?.escrowed).toString(),
        paidToProviders: big(t?.paid).toString(),
        returnedToRequesters: big(t?.returned).toString(),
        fees: {
          platform: (f?.platform ?? 0n).toString(),
          community: (f?.community ?? 0n).toString(),
          arbitration: (f?.arbitration ?? 0n).toString(),
          verifier: (f?.verifier ?? 0n).toString(),
          keeperTips: (f?.keeperTips ?? 0n).toString(),
        },
      };
    }),
    accounts: { requesters: num(people[0]?.requesters), providers: num(people[0]?.providers) },
    indexedBlock: indexed?.block ?? null,
  };
  return body;
}

app.get(
  "/statistics/disputes",
  route(async (c) => c.json(await oncePerBlock("disputes", disputeStatistics))),
);

async function disputeStatistics(): Promise<DisputeStatistics> {
  const [[s], deposits] = await Promise.all([
    db
      .select({
        total: count(),
        open: sql<number>`count(*) filter (where ${dispute.resolvedAt} is null)`,
        arbitrated: sql<number>`count(*) filter (where ${dispute.resolution} = 'Arbitrated')`,
        agreed: sql<number>`count(*) filter (where ${dispute.resolution} = 'Agreed')`,
        stale: sql<number>`count(*) filter (where ${dispute.resolution} = 'Stale')`,
        byProvider: sql<number>`count(*) filter (where ${dispute.raisedByProvider})`,
        providerWon: sql<number>`count(*) filter (where ${dispute.outcome} = 'provider')`,
        requesterWon: sql<number>`count(*) filter (where ${dispute.outcome} = 'requester')`,
        split: sql<number>`count(*) filter (where ${dispute.outcome} = 'split')`,
        evidence: sql<number>`coalesce(sum(${dispute.evidenceCount}), 0)`,
        seconds: sql<
          string | null
        >`avg(${dispute.resolvedAt} - ${dispute.raisedAt}) filter (where ${dispute.resolvedAt} is not null)`,
      })
      .from(dispute),
    db
      .select({
        token: dispute.token,
        held: sql<string>`coalesce(sum(${dispute.deposit}) filter (where ${dispute.resolvedAt} is null), 0)`,
        returned: sql<string>`coalesce(sum(${dispute.deposit}) filter (where ${dispute.depositForfeited} = false), 0)`,
        forfeited: sql<string>`coalesce(sum(${dispute.deposit}) filter (where ${dispute.depositForfeited}), 0)`,
      })
      .from(dispute)
      .groupBy(dispute.token),
  ]);
  const total = num(s?.total);
  const body: DisputeStatistics = {
    total,
    open: num(s?.open),
    resolved: total - num(s?.open),
    byResolution: {
      Arbitrated: num(s?.arbitrated),
      Agreed: num(s?.agreed),
      Stale: num(s?.stale),
    },
    raisedBy: { requester: total - num(s?.byProvider), provider: num(s?.byProvider) },
    outcomes: {
      provider: num(s?.providerWon),
      requester: num(s?.requesterWon),
      split: num(s?.split),
    },
    evidence: num(s?.evidence),
    averageResolutionSeconds: s?.seconds == null ? null : Math.round(Number(s.seconds)),
    deposits: deposits
      .map((d) => ({
        token: d.token,
        held: big(d.held).toString(),
        returned: big(d.returned).toString(),
        forfeited: big(d.forfeited).toString(),
      }))
      .sort((a, b) => (a.token < b.token ? -1 : 1)),
  };
  return body;
}

/* ---------------------------------------------------------------------- community fund */

app.get(
  "/community-fund",
  route(async (c) => c.json(await oncePerBlock("fund", fundState))),
);

async function fundState(): Promise<CommunityFundState> {
  const [[settings], tokens, rounds, [claims], uncollected] = await Promise.all([
    db.select().from(fundSettings).where(eq(fundSettings.fund, FUND)).limit(1),
    db.select().from(fundToken).orderBy(asc(fundToken.token)),
    db.select().from(fundRound).orderBy(desc(fundRound.id)).limit(50),
    db.select({ n: count() }).from(fundClaim),
    db.select().from(credit).where(eq(credit.account, FUND)),
  ]);
  const interval = BigInt(settings?.minInterval ?? 0);
  const body: CommunityFundState = {
    address: FUND,
    settings:
      settings === undefined
        ? null
        : {
            owner: settings.owner,
            guardian: settings.guardian,
            minInterval: settings.minInterval,
            challengeDelay: settings.challengeDelay,
            claimPeriod: settings.claimPeriod,
            pendingGuardian:
              settings.pendingGuardianAt === 0n
                ? null
                : {
                    guardian: settings.pendingGuardian,
                    effectiveAt: Number(settings.pendingGuardianAt),
                  },
            pendingSchedule:
              settings.pendingScheduleAt === 0n
                ? null
                : {
                    minInterval: settings.pendingMinInterval,
                    challengeDelay: settings.pendingChallengeDelay,
                    claimPeriod: settings.pendingClaimPeriod,
                    effectiveAt: Number(settings.pendingScheduleAt),
                  },
          },
    tokens: tokens.map((t) => ({
      ...(toJson(t) as Omit<CommunityFundState["tokens"][number], "nextRoundAt" | "uncollected">),
      nextRoundAt: t.lastRoundAt === 0n ? 0 : Number(t.lastRoundAt + interval),
      uncollected: (uncollected.find((u) => u.token === t.token)?.balance ?? 0n).toString(),
    })),
    rounds: rounds.map(({ previousRoundAt: _, endedBy: __, postedTransaction: ___, ...r }) =>
      toJson(r),
    ) as unknown as CommunityFundState["rounds"],
    claims: num(claims?.n),
  };
  return body;
}

/* ------------------------------------------------------------------------------ health */

app.get(
  "/health/details",
  route(async (c) => {
    const [indexed, head] = await Promise.all([
      indexedCheckpoint(),
      chain.head().then(
        (h) => ({ block: Number(h.number), timestamp: Number(h.timestamp) }),
        () => null,
      ),
    ]);
    const body: ApiHealth = {
      ok: indexed !== null,
      chain: { id: CHAIN_ID, name: NETWORK },
      escrow: ESCROW,
      fund: FUND,
      indexed,
      head,
      lagBlocks: indexed === null || head === null ? null : Math.max(0, head.block - indexed.block),
    };
    return c.json(body, indexed === null ? 503 : 200);
  }),
);

/* -------------------------------------------------------------------------------- bids */

type JobRow = Awaited<ReturnType<typeof findJob>>;

/** Next unused sequence of each (provider, key), from BidAwarded / BidNonceInvalidated. */
async function nextSequences(pairs: { provider: Hex; key: bigint }[]) {
  const out = new Map<string, bigint>();
  if (pairs.length === 0) return out;
  const rows = await db
    .select()
    .from(bidNonce)
    .where(
      inArray(
        bidNonce.provider,
        pairs.map((p) => p.provider),
      ),
    );
  for (const r of rows) out.set(`${r.provider}:${r.key}`, r.next);
  return out;
}

function bidJson(b: StoredBid, awardable: boolean): ApiBid {
  return {
    jobId: b.jobId.toString(),
    provider: b.provider,
    price: b.price.toString(),
    expiry: b.expiry.toString(),
    nonce: b.nonce.toString(),
    signature: b.signature,
    digest: b.digest,
    receivedAt: b.receivedAt,
    awardable,
  };
}

/** Why the job takes no bids now (awardBid's status checks), or null. */
function notBiddable(j: JobRow, now: bigint): BadRequest | null {
  if (j.status !== "Open") {
    return new BadRequest("not-open", `job ${j.id} is ${j.status}, not Open`, 422);
  }
  if (j.provider !== ZERO && !j.bidsOnly) {
    return new BadRequest("not-biddable", `job ${j.id} is designated to ${j.provider}`, 422);
  }
  if (now > j.deadline) {
    return new BadRequest(
      "deadline-passed",
      `job ${j.id}'s deadline ${j.deadline} has passed`,
      422,
    );
  }
  return null;
}

/**
 * Deletes what can never be awarded again, at most once a minute: bids that expired, and bids of jobs
 * that are no longer Open. Storage is then bounded by the per-job cap times the jobs open for bids.
 */
let lastSweep = 0;
async function sweep(store: BidStore, now: bigint): Promise<void> {
  if (Date.now() - lastSweep < SWEEP_INTERVAL_MS) return;
  lastSweep = Date.now();
  await store.pruneExpired(CHAIN_ID, ESCROW, now);
  const ids = await store.jobIds(CHAIN_ID, ESCROW);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const open = await db
      .select({ id: job.id })
      .from(job)
      .where(and(inArray(job.id, chunk), eq(job.status, "Open")));
    const stillOpen = new Set(open.map((r) => r.id));
    await store.dropJobs(
      CHAIN_ID,
      ESCROW,
      chunk.filter((id) => !stillOpen.has(id)),
    );
  }
}

app.get(
  "/jobs/:id/bids",
  route(async (c) => {
    const id = parseJobId(c.req.param("id"));
    const after = parseBidCursor(c.req.query("cursor"));
    const limit = parseLimit(c.req.query("limit"), 100, MAX_BOOK_PAGE);
    const j = await findJob(id);
    const now = await chainNow();
    const store = await bidStore();
    const empty = { jobId: id.toString(), items: [], nextCursor: null };
    if (j.status !== "Open") {
      await store.dropJobs(CHAIN_ID, ESCROW, [id]); // it can never take a bid again
      return c.json(empty);
    }
    if (notBiddable(j, now) !== null) return c.json(empty);
    // Expiry, price and the requester are filtered in SQL; a used nonce is known from bid_nonce (in
    // Ponder's database), so those rows are deleted and the page refilled (readBookPage).
    const page = await readBookPage(
      store,
      CHAIN_ID,
      ESCROW,
      id,
      now,
      { maxPrice: j.amount, exclude: j.requester, after, limit },
      nextSequences,
    );
    return c.json({
      jobId: id.toString(),
      items: page.items.map(({ bid, awardable }) => bidJson(bid, awardable)),
      nextCursor: page.next === undefined ? null : encodeBidCursor(page.next),
    });
  }),
);

app.post(
  "/jobs/:id/bids",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.json({ error: "body-too-large", message: `the body is over ${MAX_BODY_BYTES} bytes` }, 413),
  }),
  route(async (c) => {
    const id = parseJobId(c.req.param("id"));
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new BadRequest("invalid-json", "the body is not valid JSON");
    }
    const bid = parseBidBody(body);
    if (bid.jobId !== id) {
      throw new BadRequest("wrong-job", `the bid is for job ${bid.jobId}, not ${id}`, 422);
    }
    if (bid.chainId !== undefined && bid.chainId !== BigInt(CHAIN_ID)) {
      throw new BadRequest(
        "wrong-chain",
        `the bid is for chain ${bid.chainId}, not ${CHAIN_ID}`,
        422,
      );
    }
    if (bid.escrow !== undefined && bid.escrow !== ESCROW) {
      throw new BadRequest(
        "wrong-escrow",
        `the bid is for escrow ${bid.escrow}, not ${ESCROW}`,
        422,
      );
    }
    const j = await findJob(id);
    const now = await chainNow();
    const refusal = notBiddable(j, now);
    if (refusal !== null) throw refusal;
    if (now > bid.expiry) throw new BadRequest("expired", `the bid expired at ${bid.expiry}`, 422);
    if (bid.price === 0n) throw new BadRequest("zero-price", "the price is 0", 422);
    if (bid.price > j.amount) {
      throw new BadRequest("above-price", `price ${bid.price} is above the job's ${j.amount}`, 422);
    }
    const [minimum] = await db
      .select()
      .from(tokenMinimum)
      .where(eq(tokenMinimum.token, j.token))
      .limit(1);
    if (minimum !== undefined && bid.price < minimum.minAmount) {
      throw new BadRequest(
        "below-minimum",
        `price ${bid.price} is below ${minimum.minAmount}`,
        422,
      );
    }
    const parties = [j.requester, j.arbitrator, ...j.approvers, j.verifier];
    if (bid.provider === ZERO || parties.includes(bid.provider)) {
      throw new BadRequest(
        "invalid-provider",
        `${bid.provider} cannot bid: it holds a role in job ${id}`,
        422,
      );
    }
    if (j.agentRequired && (await onChain(chain.agentOwner(j.agentId))) !== bid.provider) {
      throw new BadRequest(
        "not-agent-owner",
        `${bid.provider} does not own agent ${j.agentId}, which job ${id} requires`,
        422,
      );
    }
    const current = await onChain(chain.currentNonce(bid.provider, bid.nonce));
    if (bid.nonce < current) {
      throw new BadRequest(
        "nonce-used",
        `nonce ${bid.nonce} is used or cancelled (the provider's current nonce for its key is ${current})`,
        422,
      );
    }
    const message = {
      jobId: bid.jobId,
      provider: bid.provider,
      price: bid.price,
      expiry: bid.expiry,
      nonce: bid.nonce,
    };
    const refused = await onChain(chain.checkBidSignature(message, bid.signature));
    if (refused !== null) throw new BadRequest(refused.code, refused.message, 422);
    const store = await bidStore();
    const stored: StoredBid = {
      ...message,
      signature: bid.signature,
      digest: hashTypedData({
        domain: await onChain(chain.domain()),
        types: BID_TYPES,
        primaryType: "Bid",
        message,
      }),
      receivedAt: Math.floor(Date.now() / 1000),
    };
    const result = await store.add(CHAIN_ID, ESCROW, stored, now, LIMITS);
    sweep(store, now).catch(() => (lastSweep = 0)); // in the background; retried on the next POST
    if (result === "provider-full") {
      throw new BadRequest(
        "too-many-bids",
        `${bid.provider} has ${LIMITS.perProvider} live bids on job ${id} already`,
        422,
      );
    }
    if (result === "job-full") {
      throw new BadRequest(
        "book-full",
        `job ${id}'s book holds ${LIMITS.perJob} live bids; try again when some expire`,
        409,
      );
    }
    return c.json(bidJson(stored, bid.nonce === current), result === "added" ? 201 : 200);
  }),
);

/**
 * Any other path (Ponder's /sql/*, not mounted here, included) gets the API's JSON 404. A catch-all
 * route, not `notFound`: Ponder mounts this app under its own, whose 404 is plain text. Ponder's own
 * routes (/health, /ready, /status, /metrics) come before this app and still answer.
 */
app.all("*", (c) =>
  c.json({ error: "not-found", message: `no route ${c.req.method} ${c.req.path}` }, 404),
);

export default app;
