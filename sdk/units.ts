/** Durations, deadlines and dates: pure helpers shared by the ethers and viem entries. */

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
  // 11+ digits: not a duration anyone means (3,000+ years) — most likely unix milliseconds.
  if (/^\s*\d{11,}\s*$/.test(text)) {
    const seconds = BigInt(text.trim()) / 1000n;
    throw new Error(
      `"${text.trim()}" looks like unix milliseconds: give unix seconds (${seconds}, ${formatTime(seconds)}), an ISO date or a duration`,
    );
  }
  if (/^\s*\d+\s*[smhdw]?\s*$/i.test(text)) return now + parseDuration(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new Error(
      `"${text}" is not a deadline: use a duration (24h, 7d), an ISO date or unix seconds`,
    );
  }
  return BigInt(Math.floor(ms / 1000));
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
