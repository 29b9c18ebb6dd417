/**
 * Rows → JSON (indexer/openapi.yaml, sdk/api.ts): uint256 values (amounts, ids) as decimal strings,
 * times and block numbers as numbers, addresses as stored (lowercase).
 */
import type { ApiEvent, ApiJob } from "../../../sdk/api.js";

/** Columns holding unix seconds or block numbers: safe as JSON numbers. */
const NUMBERS = new Set([
  "deadline",
  "submittedAt",
  "disputedAt",
  "createdAt",
  "createdBlock",
  "acceptedAt",
  "endedAt",
  "updatedAt",
  "updatedBlock",
  "timestamp",
  "blockNumber",
  "raisedAt",
  "raisedBlock",
  "resolvedAt",
  "postedAt",
  "claimsOpenAt",
  "expiresAt",
  "coveredUntil",
  "verdictAt",
  "effectiveAt",
  "lastRoundAt",
  "previousRoundAt",
  "startedAt",
  "firstSeenAt",
  "lastSeenAt",
  "expiry",
]);

/** One row as JSON: bigints become numbers (times, blocks) or decimal strings (everything else). */
export function toJson<T extends Record<string, unknown>>(row: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "bigint" ? (NUMBERS.has(k) ? Number(v) : v.toString()) : v;
  }
  return out;
}

export const jobJson = (row: Record<string, unknown>) => toJson(row) as unknown as ApiJob;
export const eventJson = (row: Record<string, unknown>) => toJson(row) as unknown as ApiEvent;

/** A bigint that may come back from an aggregate as string, number or null. */
export function big(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === "bigint") return value;
  const text = String(value);
  // NUMERIC sums come back as decimal strings, possibly with a ".0…" scale.
  return BigInt(text.includes(".") ? text.slice(0, text.indexOf(".")) : text);
}

export const num = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);
