/**
 * Storage of the bid book: signed bids are off-chain data, so they live beside Ponder's tables, not in
 * them (Ponder rebuilds its tables from the chain and its API connection is read-only). With
 * DATABASE_URL: a table in the PostgreSQL schema `WORKESCROW_BIDS_SCHEMA` (default "workescrow_bids");
 * without: a second embedded PGlite database in WORKESCROW_BIDS_DIR (default indexer/.ponder/bids).
 * Rows are keyed by chain, escrow and the bid's EIP-712 digest, so one store can serve several
 * deployments and a bid is stored once. Bounded (audit M-04): at most `perJob` live bids per job and
 * `perProvider` per provider on a job, checked and inserted in one transaction under a lock on the
 * job's book (I-09); expired bids are deleted on insert and by `pruneExpired`; the routes delete the
 * bids of jobs that left Open and of used nonces. Reads filter expiry (and price, requester) in SQL.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface StoredBid {
  jobId: bigint;
  provider: `0x${string}`;
  price: bigint;
  expiry: bigint;
  nonce: bigint;
  signature: `0x${string}`;
  digest: `0x${string}`;
  receivedAt: number;
}

interface Sql {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs `fn` in one transaction on one connection (COMMIT on success, ROLLBACK on a throw). */
  transaction<T>(fn: (sql: Pick<Sql, "query">) => Promise<T>): Promise<T>;
}

/** Live (unexpired) bids a job's book holds, and per provider on a job. */
export interface BookLimits {
  perJob: number;
  perProvider: number;
}

export const DEFAULT_LIMITS: BookLimits = { perJob: 1000, perProvider: 20 };

/**
 * What `add` did: stored it; it was there already (same digest); refused because the job's book holds
 * `perJob` live bids, or the provider has `perProvider` live bids on the job.
 */
export type AddResult = "added" | "exists" | "job-full" | "provider-full";

/** Where a page of a book ends: the last bid's sort key (price, receivedAt, digest). */
export interface BookCursor {
  price: bigint;
  receivedAt: number;
  digest: `0x${string}`;
}

export interface BookQuery {
  /** Only bids at most this price (the job's amount). */
  maxPrice?: bigint;
  /** Leave out this provider's bids (the requester's). */
  exclude?: string;
  /** Bids after this one in the book's order. */
  after?: BookCursor;
  /** At most this many rows (default and maximum 1,000). */
  limit?: number;
}

export interface BidStore {
  /**
   * Stores a bid posted at chain time `now`. In one transaction, under a lock on the job's book: deletes
   * the job's bids that expired before `now`, then refuses the bid if the book or the provider is at
   * its limit of live bids, else inserts it. A bid already stored is "exists" even when the book is full.
   */
  add(
    chainId: number,
    escrow: string,
    bid: StoredBid,
    now: bigint,
    limits?: BookLimits,
  ): Promise<AddResult>;
  /**
   * The job's bids that have not expired at `now` (and fit `query`), in the book's order: lowest
   * price first, then first received, then digest. Filtered, ordered and limited in SQL.
   */
  forJob(
    chainId: number,
    escrow: string,
    jobId: bigint,
    now: bigint,
    query?: BookQuery,
  ): Promise<StoredBid[]>;
  /** Deletes these bids (e.g. their nonce is used: they can never be awarded); how many went. */
  remove(chainId: number, escrow: string, digests: readonly string[]): Promise<number>;
  /** Deletes every bid of these jobs (they left Open: no bid can be awarded any more). */
  dropJobs(chainId: number, escrow: string, jobIds: readonly bigint[]): Promise<number>;
  /** Deletes every bid that expired before `now`, for any job; how many went. */
  pruneExpired(chainId: number, escrow: string, now: bigint): Promise<number>;
  /** The jobs that have stored bids (for a sweep of the jobs that ended), at most `limit`. */
  jobIds(chainId: number, escrow: string, limit?: number): Promise<bigint[]>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,44}$/;
const MAX_PAGE = 1000;

function ddl(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS "${schema}".bid (
      chain_id integer NOT NULL,
      escrow text NOT NULL,
      digest text NOT NULL,
      job_id numeric(78) NOT NULL,
      provider text NOT NULL,
      price numeric(78) NOT NULL,
      expiry numeric(20) NOT NULL,
      nonce numeric(78) NOT NULL,
      signature text NOT NULL,
      received_at bigint NOT NULL,
      PRIMARY KEY (chain_id, escrow, digest)
    )`,
    `CREATE INDEX IF NOT EXISTS bid_job_price ON "${schema}".bid (chain_id, escrow, job_id, price)`,
    `CREATE INDEX IF NOT EXISTS bid_expiry ON "${schema}".bid (chain_id, escrow, expiry)`,
  ];
}

interface Row {
  job_id: string;
  provider: string;
  price: string;
  expiry: string;
  nonce: string;
  signature: string;
  digest: string;
  received_at: string | number;
}

function fromRow(r: Row): StoredBid {
  return {
    jobId: BigInt(r.job_id),
    provider: r.provider as `0x${string}`,
    price: BigInt(r.price),
    expiry: BigInt(r.expiry),
    nonce: BigInt(r.nonce),
    signature: r.signature as `0x${string}`,
    digest: r.digest as `0x${string}`,
    receivedAt: Number(r.received_at),
  };
}

function store(sql: Sql, schema: string): BidStore {
  const table = `"${schema}".bid`;
  return {
    add(chainId, escrow, b, now, limits = DEFAULT_LIMITS) {
      const e = escrow.toLowerCase();
      const job = b.jobId.toString();
      return sql.transaction(async (tx) => {
        // One writer per book at a time: the count and the insert below see each other's rows.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${chainId}:${e}:${job}`]);
        await tx.query(
          `DELETE FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND job_id = $3 AND expiry < $4`,
          [chainId, e, job, now.toString()],
        );
        const [c] = (
          await tx.query<{ dup: string | number; n: string | number; mine: string | number }>(
            `SELECT
               (SELECT count(*) FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND digest = $5) AS dup,
               count(*) AS n,
               count(*) FILTER (WHERE provider = $4) AS mine
             FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND job_id = $3`,
            [chainId, e, job, b.provider.toLowerCase(), b.digest],
          )
        ).rows;
        if (Number(c?.dup ?? 0) > 0) return "exists";
        if (Number(c?.mine ?? 0) >= limits.perProvider) return "provider-full";
        if (Number(c?.n ?? 0) >= limits.perJob) return "job-full";
        await tx.query(
          `INSERT INTO ${table} (chain_id, escrow, digest, job_id, provider, price, expiry, nonce, signature, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            chainId,
            e,
            b.digest,
            job,
            b.provider.toLowerCase(),
            b.price.toString(),
            b.expiry.toString(),
            b.nonce.toString(),
            b.signature,
            b.receivedAt,
          ],
        );
        return "added";
      });
    },
    async forJob(chainId, escrow, jobId, now, query = {}) {
      const params: unknown[] = [chainId, escrow.toLowerCase(), jobId.toString(), now.toString()];
      const where = [`chain_id = $1`, `escrow = $2`, `job_id = $3`, `expiry >= $4`];
      if (query.maxPrice !== undefined) {
        params.push(query.maxPrice.toString());
        where.push(`price <= $${params.length}`);
      }
      if (query.exclude !== undefined) {
        params.push(query.exclude.toLowerCase());
        where.push(`provider <> $${params.length}`);
      }
      if (query.after !== undefined) {
        params.push(query.after.price.toString(), query.after.receivedAt, query.after.digest);
        const n = params.length;
        where.push(`(price, received_at, digest) > ($${n - 2}::numeric, $${n - 1}::bigint, $${n})`);
      }
      params.push(Math.min(Math.max(1, Math.floor(query.limit ?? MAX_PAGE)), MAX_PAGE));
      const result = await sql.query<Row>(
        `SELECT job_id, provider, price, expiry, nonce, signature, digest, received_at FROM ${table}
         WHERE ${where.join(" AND ")}
         ORDER BY price ASC, received_at ASC, digest ASC LIMIT $${params.length}`,
        params,
      );
      return result.rows.map(fromRow);
    },
    async remove(chainId, escrow, digests) {
      if (digests.length === 0) return 0;
      const result = await sql.query<{ digest: string }>(
        `DELETE FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND digest = ANY($3::text[]) RETURNING digest`,
        [chainId, escrow.toLowerCase(), [...digests]],
      );
      return result.rows.length;
    },
    async dropJobs(chainId, escrow, jobIds) {
      if (jobIds.length === 0) return 0;
      const result = await sql.query<{ digest: string }>(
        `DELETE FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND job_id = ANY($3::numeric[]) RETURNING digest`,
        [chainId, escrow.toLowerCase(), jobIds.map(String)],
      );
      return result.rows.length;
    },
    async pruneExpired(chainId, escrow, now) {
      const result = await sql.query<{ digest: string }>(
        `DELETE FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND expiry < $3 RETURNING digest`,
        [chainId, escrow.toLowerCase(), now.toString()],
      );
      return result.rows.length;
    },
    async jobIds(chainId, escrow, limit = 10_000) {
      const result = await sql.query<{ job_id: string }>(
        `SELECT DISTINCT job_id FROM ${table} WHERE chain_id = $1 AND escrow = $2 ORDER BY job_id LIMIT $3`,
        [chainId, escrow.toLowerCase(), limit],
      );
      return result.rows.map((r) => BigInt(r.job_id));
    },
  };
}

/** A nonce's sequence: its low 64 bits (NoncesKeyed: `key << 64 | sequence`). */
const SEQUENCE_MASK = (1n << 64n) - 1n;

/** Each (provider, key)'s next unused sequence on chain, keyed `${provider}:${key}`. */
export type NextSequences = (
  pairs: { provider: `0x${string}`; key: bigint }[],
) => Promise<Map<string, bigint>>;

/** A page of a job's live bids, and where the next page starts (undefined: this is the last). */
export interface BookPage {
  items: { bid: StoredBid; awardable: boolean }[];
  next: BookCursor | undefined;
}

/**
 * One page of the job's book as `GET /jobs/:id/bids` serves it: `query`'s filters in SQL (expiry,
 * price, the requester), then each bid's nonce against the chain: a used one is deleted and the page
 * refilled (a few rounds), the provider's next one is `awardable`. `limit` is 1..1,000 (`MAX_PAGE`).
 */
export async function readBookPage(
  store: BidStore,
  chainId: number,
  escrow: string,
  jobId: bigint,
  now: bigint,
  query: BookQuery & { limit: number },
  nextSequences: NextSequences,
): Promise<BookPage> {
  const { limit } = query;
  const live: { bid: StoredBid; awardable: boolean }[] = [];
  let cursor = query.after;
  let exhausted = false;
  for (let round = 0; round < 4 && live.length <= limit; round++) {
    // One more than the page (to know whether there is a next one), but never more than the store
    // returns at once: a short answer must mean the book ended, not that the store capped it.
    const want = Math.min(limit + 1 - live.length, MAX_PAGE);
    const rows = await store.forJob(chainId, escrow, jobId, now, {
      ...query,
      after: cursor,
      limit: want,
    });
    const next = await nextSequences(
      rows.map((b) => ({ provider: b.provider, key: b.nonce >> 64n })),
    );
    const dead: string[] = [];
    for (const b of rows) {
      const sequence = b.nonce & SEQUENCE_MASK;
      const current = next.get(`${b.provider}:${b.nonce >> 64n}`) ?? 0n;
      if (sequence < current) dead.push(b.digest);
      else live.push({ bid: b, awardable: sequence === current });
    }
    await store.remove(chainId, escrow, dead);
    const last = rows[rows.length - 1];
    if (last !== undefined) cursor = last;
    if (rows.length < want) {
      exhausted = true;
      break;
    }
  }
  const items = live.slice(0, limit);
  const next = live.length > limit ? items[items.length - 1]!.bid : exhausted ? undefined : cursor;
  return { items, next };
}

/** Opens (and creates when missing) the bid store for this process's configuration. */
export async function openBidStore(env: NodeJS.ProcessEnv = process.env): Promise<BidStore> {
  const schema = env.WORKESCROW_BIDS_SCHEMA || "workescrow_bids";
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`WORKESCROW_BIDS_SCHEMA=${schema} is not a schema name`);
  let sql: Sql;
  if (env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
    sql = {
      query: (text, params) => pool.query(text, params) as never,
      async transaction(fn) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const out = await fn({ query: (text, params) => client.query(text, params) as never });
          await client.query("COMMIT");
          return out;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      },
    };
  } else {
    const dir =
      env.WORKESCROW_BIDS_DIR || fileURLToPath(new URL("../../.ponder/bids", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const db = new PGlite(dir);
    await db.waitReady;
    sql = {
      query: (text, params) => db.query(text, params) as never,
      transaction: async (fn) =>
        (await db.transaction((tx) =>
          fn({ query: (text, params) => tx.query(text, params) as never }),
        )) as never, // PGlite types a rolled-back transaction's result as undefined; fn threw then
    };
  }
  for (const statement of ddl(schema)) await sql.query(statement);
  return store(sql, schema);
}
