/** How the pages write amounts, addresses, times and durations. */
import { Contract, formatUnits, type ContractRunner } from "ethers";
import { JobType, NATIVE, Status } from "work-escrow";

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/** The chain's coin (the app targets Ethereum-like chains; the escrow calls it address(0)). */
export const NATIVE_TOKEN: TokenInfo = { address: NATIVE, symbol: "ETH", decimals: 18 };

const ERC20_INFO = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
];

const tokenCache = new Map<string, Promise<TokenInfo>>();

/**
 * A token's symbol and decimals, read once per page load. A token without `symbol()` shows its
 * address. When `decimals()` cannot be read (it reverts, or the node does not answer) this rejects and
 * nothing is cached, so the next call reads again: an amount is never scaled by a guessed 18 (audit
 * L-06: a 6-decimal token would show 10^12 times too little).
 */
export function tokenInfo(provider: ContractRunner, address: string): Promise<TokenInfo> {
  if (address === NATIVE) return Promise.resolve(NATIVE_TOKEN);
  const key = address.toLowerCase();
  let info = tokenCache.get(key);
  if (!info) {
    const c = new Contract(address, ERC20_INFO, provider);
    info = Promise.all([
      c.symbol().catch(() => shortAddress(address)),
      c.decimals().catch((err: unknown) => {
        throw new Error(
          `could not read decimals() of token ${address} (${describe(err)}); its amounts are not shown until it answers`,
        );
      }),
    ]).then(([symbol, decimals]) => ({
      address,
      symbol: String(symbol),
      decimals: Number(decimals),
    }));
    info.catch(() => tokenCache.delete(key)); // a failure is not remembered: read again next time
    tokenCache.set(key, info);
  }
  return info;
}

function describe(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return e?.shortMessage ?? e?.message ?? String(err);
}

/** `1.5 ETH`: base units in the token's decimals, trailing zeros dropped. */
export function formatAmount(value: bigint, token: TokenInfo): string {
  let text = formatUnits(value, token.decimals);
  if (text.endsWith(".0")) text = text.slice(0, -2);
  return `${text} ${token.symbol}`;
}

/** `0xf39F…2266` */
export function shortAddress(address: string): string {
  return address.length === 42 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** `0x15ab34cd…9f8e7d6c` for a 32-byte hash. */
export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

export const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** `2026-11-30 11:20:03 UTC` */
export function formatDate(seconds: bigint | number): string {
  const d = new Date(Number(seconds) * 1000);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `2d 3h 4m 5s`, the leading zero units left out (`45s`, `3m 0s`). */
export function formatCountdown(seconds: bigint): string {
  let s = seconds < 0n ? -seconds : seconds;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3600n],
    ["m", 60n],
  ] as const) {
    if (s >= size || parts.length > 0) {
      parts.push(`${s / size}${unit}`);
      s %= size;
    }
  }
  parts.push(`${s}s`);
  return parts.join(" ");
}

/** `3 days`, `12 hours`, `90 minutes`: a period in words (whole units when exact). */
export function formatPeriod(seconds: bigint): string {
  for (const [unit, size] of [
    ["week", 604_800n],
    ["day", 86_400n],
    ["hour", 3600n],
    ["minute", 60n],
  ] as const) {
    if (seconds >= size && seconds % size === 0n) {
      const n = seconds / size;
      return `${n} ${unit}${n === 1n ? "" : "s"}`;
    }
  }
  return seconds >= 3600n ? formatCountdown(seconds) : `${seconds} seconds`;
}

export const statusName = (s: Status) => Status[s] ?? `status ${s}`;
export const jobTypeName = (t: number) => JobType[t] ?? `type ${t}`;

/** `70%` from basis points. */
export const percent = (bps: number | bigint) => `${Number(bps) / 100}%`;
