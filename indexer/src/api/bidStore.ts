/**
 * Storage of the bid book: signed bids are off-chain data, so they live beside Ponder's tables, not in
 * them (Ponder rebuilds its tables from the chain and its API connection is read-only). With
 * DATABASE_URL: a table in the PostgreSQL schema `WORKESCROW_BIDS_SCHEMA` (default "workescrow_bids");
 * without: a second embedded PGlite database in WORKESCROW_BIDS_DIR (default indexer/.ponder/bids).
 * Rows are keyed by chain, escrow and the bid's EIP-712 digest, so one store can serve several
 * deployments and a bid is stored once.
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
}

export interface BidStore {
  /** Stores a bid; false when it was there already (same digest). */
  add(chainId: number, escrow: string, bid: StoredBid): Promise<boolean>;
  /** The job's bids, lowest price first. */
  forJob(chainId: number, escrow: string, jobId: bigint): Promise<StoredBid[]>;
  /** How many bids a provider has on a job (a cap keeps one bidder from flooding a book). */
  countByProvider(
    chainId: number,
    escrow: string,
    jobId: bigint,
    provider: string,
  ): Promise<number>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,44}$/;

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
    async add(chainId, escrow, b) {
      const result = await sql.query<{ digest: string }>(
        `INSERT INTO ${table} (chain_id, escrow, digest, job_id, provider, price, expiry, nonce, signature, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING RETURNING digest`,
        [
          chainId,
          escrow.toLowerCase(),
          b.digest,
          b.jobId.toString(),
          b.provider,
          b.price.toString(),
          b.expiry.toString(),
          b.nonce.toString(),
          b.signature,
          b.receivedAt,
        ],
      );
      return result.rows.length === 1;
    },
    async forJob(chainId, escrow, jobId) {
      const result = await sql.query<Row>(
        `SELECT job_id, provider, price, expiry, nonce, signature, digest, received_at FROM ${table}
         WHERE chain_id = $1 AND escrow = $2 AND job_id = $3
         ORDER BY price ASC, expiry DESC, received_at ASC, digest ASC LIMIT 1000`,
        [chainId, escrow.toLowerCase(), jobId.toString()],
      );
      return result.rows.map(fromRow);
    },
    async countByProvider(chainId, escrow, jobId, provider) {
      const result = await sql.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM ${table} WHERE chain_id = $1 AND escrow = $2 AND job_id = $3 AND provider = $4`,
        [chainId, escrow.toLowerCase(), jobId.toString(), provider.toLowerCase()],
      );
      return Number(result.rows[0]?.n ?? 0);
    },
  };
}

/** Opens (and creates when missing) the bid store for this process's configuration. */
export async function openBidStore(env: NodeJS.ProcessEnv = process.env): Promise<BidStore> {
  const schema = env.WORKESCROW_BIDS_SCHEMA || "workescrow_bids";
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`WORKESCROW_BIDS_SCHEMA=${schema} is not a schema name`);
  let sql: Sql;
  if (env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
    sql = { query: (text, params) => pool.query(text, params) as never };
  } else {
    const dir =
      env.WORKESCROW_BIDS_DIR || fileURLToPath(new URL("../../.ponder/bids", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const db = new PGlite(dir);
    await db.waitReady;
    sql = { query: (text, params) => db.query(text, params) as never };
  }
  for (const statement of ddl(schema)) await sql.query(statement);
  return store(sql, schema);
}
