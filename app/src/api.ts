/**
 * The indexer API client, kept to one request so the board can swap it for chain logs:
 *
 *   GET {VITE_WORKESCROW_API_URL}/jobs?status=open&token=0x…&cursor=…&limit=50
 *   → { "jobs": [ { "id": "3", "requester": "0x…", "provider": "0x…", "token": "0x…",
 *                   "amount": "1000", "deadline": "1767225600", "jobType": 0, "status": "open",
 *                   "providerBond": "0", "keeperTip": "0", "bidsOnly": false }, … ],
 *       "nextCursor": "…" | null }
 *
 * Numbers may come as decimal strings or JSON numbers, `status` as a name (any case) or the
 * contract's enum value; `items` is accepted for `jobs` and `cursor` for `nextCursor`. Fields the
 * board does not need are ignored.
 */
import { Status } from "work-escrow";

export interface BoardJob {
  id: bigint;
  requester: string;
  provider: string;
  token: string;
  amount: bigint;
  deadline: bigint;
  jobType: number;
  status: Status;
  providerBond: bigint;
  keeperTip: bigint;
  bidsOnly: boolean;
}

export interface JobQuery {
  status?: Status;
  token?: string;
  cursor?: string;
  limit?: number;
}

export interface JobPage {
  jobs: BoardJob[];
  nextCursor?: string;
}

export class ApiError extends Error {}

const ZERO = "0x0000000000000000000000000000000000000000";

export async function fetchJobs(base: string, query: JobQuery): Promise<JobPage> {
  const url = new URL(`${base}/jobs`, window.location.href);
  if (query.status !== undefined)
    url.searchParams.set("status", Status[query.status].toLowerCase());
  if (query.token) url.searchParams.set("token", query.token);
  if (query.cursor) url.searchParams.set("cursor", query.cursor);
  url.searchParams.set("limit", String(query.limit ?? 50));
  let body: unknown;
  try {
    const res = await fetch(url, { headers: { accept: "application/json" } });
    if (!res.ok) throw new ApiError(`HTTP ${res.status} ${res.statusText}`);
    body = await res.json();
  } catch (err) {
    throw new ApiError(`the indexer API at ${base} did not answer: ${(err as Error).message}`);
  }
  const o = (body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(body) ? body : (o.jobs ?? o.items);
  if (!Array.isArray(list)) throw new ApiError(`the indexer API at ${base} sent no job list`);
  const next = o.nextCursor ?? o.cursor;
  return {
    jobs: list.map(toJob),
    nextCursor: typeof next === "string" && next !== "" ? next : undefined,
  };
}

function toJob(raw: unknown): BoardJob {
  const j = raw as Record<string, unknown>;
  const big = (v: unknown) => (v === undefined || v === null ? 0n : BigInt(v as string));
  return {
    id: big(j.id ?? j.jobId),
    requester: String(j.requester ?? ZERO),
    provider: String(j.provider ?? ZERO),
    token: String(j.token ?? ZERO),
    amount: big(j.amount),
    deadline: big(j.deadline),
    jobType: Number(j.jobType ?? 0),
    status: toStatus(j.status),
    providerBond: big(j.providerBond),
    keeperTip: big(j.keeperTip),
    bidsOnly: Boolean(j.bidsOnly),
  };
}

function toStatus(v: unknown): Status {
  if (typeof v === "number") return v as Status;
  const name = String(v ?? "");
  if (/^\d+$/.test(name)) return Number(name) as Status;
  const key = Object.keys(Status).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? (Status[key as keyof typeof Status] as Status) : Status.None;
}
