import { getBytes, keccak256, toUtf8Bytes } from "ethers";

const UNIT_SECONDS: Record<string, bigint> = { s: 1n, m: 60n, h: 3600n, d: 86_400n, w: 604_800n };

/**
 * Parses a duration such as `90s`, `30m`, `24h`, `7d`, `2w` or a bare number of seconds.
 * @throws on anything else, saying what was expected
 */
export function parseDuration(text: string): bigint {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration: use e.g. 3600, 90m, 24h, 7d or 2w`);
  return BigInt(m[1]) * UNIT_SECONDS[(m[2] || "s").toLowerCase()];
}

/**
 * Parses a deadline: a duration from `now` (`24h`, `7d`), an ISO date (`2026-12-01T12:00:00Z`) or
 * unix seconds (10 digits). Returns unix seconds.
 */
export function parseDeadline(text: string, now: bigint): bigint {
  if (/^\s*\d{10}\s*$/.test(text)) return BigInt(text.trim());
  if (/^\s*\d+\s*[smhdw]?\s*$/i.test(text)) return now + parseDuration(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new Error(
      `"${text}" is not a deadline: use a duration (24h, 7d), an ISO date or unix seconds`,
    );
  }
  return BigInt(Math.floor(ms / 1000));
}

/**
 * The hash stored on-chain for a job specification or a result: keccak256 of the bytes
 * (a string is hashed as UTF-8). Anyone holding the same content can recompute and compare it.
 */
export function hashContent(content: string | Uint8Array): string {
  return keccak256(typeof content === "string" ? toUtf8Bytes(content) : getBytes(content));
}

/** Formats unix seconds as an ISO date (UTC). */
export function formatTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** Formats a number of seconds as the largest whole unit (`3d`, `36h`, `90m`, `45s`). */
export function formatDuration(seconds: bigint): string {
  for (const [unit, size] of [
    ["w", 604_800n],
    ["d", 86_400n],
    ["h", 3600n],
    ["m", 60n],
  ] as const) {
    if (seconds >= size && seconds % size === 0n) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
