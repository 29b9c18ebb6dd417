/**
 * Row helpers shared by the handlers in ../index.ts: each turns one fact of an event into rows. They
 * only read rows the same event needs (a job's previous state, the fee recipients of an epoch) and
 * write rows; queries for the API live in ../api/.
 *
 * Keys are passed as the event gives them (checksummed addresses): Ponder lowercases hex columns and
 * keys itself, and it learns which event argument each key comes from to prefetch rows in bulk,
 * which only works when the key is the argument's exact value.
 */
import type { Context, Event } from "ponder:registry";
import {
  account,
  accountToken,
  credit,
  escrowSettings,
  event as auditEvent,
  feeTotal,
  fundSettings,
  fundToken,
  job,
} from "ponder:schema";

export const ZERO = "0x0000000000000000000000000000000000000000" as const;
export type Hex = `0x${string}`;

type AnyEvent = Event;
type Db = Context["db"];

/** Event arguments as JSON: integers as decimal strings, addresses lowercase, structs as objects. */
export function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string")
    return /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** Appends the event to the audit trail (`event` table). */
export async function audit(
  db: Db,
  e: AnyEvent,
  contract: "WorkEscrow" | "CommunityFund",
  name: string,
  ids: { jobId?: bigint; roundId?: bigint } = {},
) {
  const log = (e as { log: { logIndex: number; blockHash?: Hex } }).log;
  const args = "args" in e ? (e as { args: unknown }).args : {};
  await db.insert(auditEvent).values({
    id: e.id,
    contract,
    name,
    jobId: ids.jobId ?? null,
    roundId: ids.roundId ?? null,
    args: toJson(args) as object,
    blockNumber: e.block.number,
    blockHash: e.block.hash,
    timestamp: e.block.timestamp,
    transactionHash: e.transaction.hash,
    transactionIndex: e.transaction.transactionIndex,
    logIndex: log.logIndex,
    from: e.transaction.from.toLowerCase() as Hex,
  });
}

/**
 * The job row as it is now (every job event follows its JobCreated, so it exists). A copy: Ponder's
 * `find` returns a view of its cached row, which a later `update` of the same row changes in place,
 * and handlers compare "before" with what they write.
 */
export async function getJob(db: Db, id: bigint) {
  const row = await db.find(job, { id });
  if (row === null) throw new Error(`job ${id}: event before JobCreated`);
  return { ...row };
}

type JobRow = NonNullable<Awaited<ReturnType<typeof getJob>>>;

/** Updates a job and stamps when. */
export async function setJob(
  db: Db,
  e: AnyEvent,
  id: bigint,
  change: Partial<JobRow> | ((row: JobRow) => Partial<JobRow>),
) {
  await db.update(job, { id }).set((row) => {
    const values = typeof change === "function" ? change(row) : change;
    // getJob shows a settlement offer only while it can be accepted (status < Released): an ending
    // (release, refund, cancellation, ruling or agreement) leaves the contract's flag set but hides it.
    const hidden =
      values.status !== undefined && ENDED_STATUSES.has(values.status)
        ? { proposer: ZERO, proposalBps: 0 }
        : {};
    return { ...values, ...hidden, updatedAt: e.block.timestamp, updatedBlock: e.block.number };
  });
}

const ENDED_STATUSES = new Set<string>(["Released", "Refunded", "Cancelled", "Resolved"]);

type Counter = Exclude<keyof typeof account.$inferInsert, "address" | "firstSeenAt" | "lastSeenAt">;

const NO_COUNTS: Record<Counter, number> = {
  jobsAsRequester: 0,
  jobsAsProvider: 0,
  jobsAsArbitrator: 0,
  jobsAsApprover: 0,
  jobsAsVerifier: 0,
  released: 0,
  refunded: 0,
  cancelled: 0,
  resolved: 0,
  disputed: 0,
  disputesRaised: 0,
  disputesWon: 0,
  disputesLost: 0,
  deliveries: 0,
  missedDeadlines: 0,
  bidsWon: 0,
};

/** Adds `deltas` to an account's counters (creating the account on first sight). */
export async function count(
  db: Db,
  e: AnyEvent,
  address: string,
  deltas: Partial<Record<Counter, number>>,
) {
  if (address.toLowerCase() === ZERO) return;
  const a = address as Hex; // as given: Ponder lowercases hex keys itself, and prefetches by them
  const now = e.block.timestamp;
  await db
    .insert(account)
    .values({ address: a, ...NO_COUNTS, ...deltas, firstSeenAt: now, lastSeenAt: now })
    .onConflictDoUpdate((row) => {
      const next: Partial<typeof account.$inferInsert> = { lastSeenAt: now };
      for (const [k, d] of Object.entries(deltas) as [Counter, number][]) next[k] = row[k] + d;
      return next;
    });
}

type Money = "earned" | "refunded" | "keeperTips" | "verifierFees" | "arbitrationFees";

/** Adds `amount` to one of an account's per-token money columns. */
export async function earn(db: Db, address: string, token: string, column: Money, amount: bigint) {
  if (address.toLowerCase() === ZERO || amount === 0n) return;
  const a = address as Hex;
  await db
    .insert(accountToken)
    .values({
      account: a,
      token: token as Hex,
      earned: 0n,
      refunded: 0n,
      keeperTips: 0n,
      verifierFees: 0n,
      arbitrationFees: 0n,
      [column]: amount,
    })
    .onConflictDoUpdate((row) => ({ [column]: row[column] + amount }));
}

type CreditColumn = "credited" | "fees" | "withdrawn";

/**
 * Moves an account's credit in `token`: Credited and a settlement's fees (creditFees) add, Withdrawn
 * subtracts.
 */
export async function moveCredit(
  db: Db,
  e: AnyEvent,
  token: string,
  address: string,
  column: CreditColumn,
  amount: bigint,
) {
  const key = { token: token as Hex, account: address as Hex };
  const sign = column === "withdrawn" ? -1n : 1n;
  await db
    .insert(credit)
    .values({
      ...key,
      credited: 0n,
      fees: 0n,
      withdrawn: 0n,
      [column]: amount,
      balance: sign * amount,
      withdrawals: column === "withdrawn" ? 1 : 0,
      updatedAt: e.block.timestamp,
    })
    .onConflictDoUpdate((row) => ({
      [column]: row[column] + amount,
      balance: row.balance + sign * amount,
      withdrawals: row.withdrawals + (column === "withdrawn" ? 1 : 0),
      updatedAt: e.block.timestamp,
    }));
}

/**
 * Credits the platform and community fees a settlement event names (`JobReleased`,
 * `JobPartiallyReleased`, `DisputeResolved`) in the job's token to the recipients of the fee epoch in
 * force: the treasury and community fund of the latest `FeeRecipientsUpdated`, which the escrow's
 * settings row holds. The contract accrues them for its current epoch (only `setFeeRecipients` changes
 * it) and later moves or pays the accrual without an event, while `withdrawable` counts it from the
 * start. Also adds them to the token's fee totals.
 */
export async function creditFees(
  db: Db,
  e: AnyEvent,
  token: string,
  platformFee: bigint,
  communityFee: bigint,
) {
  if (platformFee === 0n && communityFee === 0n) return;
  const escrow = (e as { log: { address: Hex } }).log.address;
  const settings = await db.find(escrowSettings, { escrow });
  if (settings === null || settings.treasury === ZERO) {
    throw new Error(`fees in ${e.id} before any FeeRecipientsUpdated of ${escrow}`);
  }
  if (platformFee !== 0n) await moveCredit(db, e, token, settings.treasury, "fees", platformFee);
  if (communityFee !== 0n) {
    await moveCredit(db, e, token, settings.communityFund, "fees", communityFee);
  }
  await addFee(db, token, "platform", platformFee);
  await addFee(db, token, "community", communityFee);
}

type FeeColumn = "platform" | "community" | "arbitration" | "verifier" | "keeperTips";

export async function addFee(db: Db, token: string, column: FeeColumn, amount: bigint) {
  if (amount === 0n) return;
  await db
    .insert(feeTotal)
    .values({
      token: token as Hex,
      platform: 0n,
      community: 0n,
      arbitration: 0n,
      verifier: 0n,
      keeperTips: 0n,
      [column]: amount,
    })
    .onConflictDoUpdate((row) => ({ [column]: row[column] + amount }));
}

type EscrowSettings = typeof escrowSettings.$inferInsert;

/** Updates the escrow's settings row (created by the first admin event, in the constructor). */
export async function setEscrow(db: Db, escrow: string, change: Partial<EscrowSettings>) {
  await db
    .insert(escrowSettings)
    .values({
      escrow: escrow as Hex,
      owner: ZERO,
      pendingOwner: ZERO,
      paused: false,
      platformFeeBps: 0,
      communityFeeBps: 0,
      arbitrationFeeBps: 0,
      feeEpoch: 0,
      treasury: ZERO,
      communityFund: ZERO,
      ...change,
    })
    .onConflictDoUpdate(change);
}

type FundSettings = typeof fundSettings.$inferInsert;

export async function setFund(db: Db, fund: string, change: Partial<FundSettings>) {
  await db
    .insert(fundSettings)
    .values({
      fund: fund as Hex,
      owner: ZERO,
      pendingOwner: ZERO,
      guardian: ZERO,
      minInterval: 0,
      challengeDelay: 0,
      claimPeriod: 0,
      pendingGuardian: ZERO,
      pendingGuardianAt: 0n,
      pendingMinInterval: 0,
      pendingChallengeDelay: 0,
      pendingClaimPeriod: 0,
      pendingScheduleAt: 0n,
      ...change,
    })
    .onConflictDoUpdate(change);
}

type FundTokenRow = typeof fundToken.$inferSelect;

/** Updates the fund's state of one token (created on first use); returns the row before. */
export async function setFundToken(
  db: Db,
  token: string,
  change: (row: FundTokenRow) => Partial<FundTokenRow>,
): Promise<FundTokenRow> {
  const key = token as Hex;
  const found = await db.find(fundToken, { token: key });
  if (found !== null) {
    const current = { ...found }; // a copy: the update below changes the cached row in place
    await db.update(fundToken, { token: key }).set(change(current));
    return current;
  }
  const empty: FundTokenRow = {
    token: key,
    pool: 0n,
    reserved: 0n,
    totalReceived: 0n,
    totalClaimed: 0n,
    threshold: 0n,
    lastRoundAt: 0n,
    rounds: 0,
  };
  await db.insert(fundToken).values({ ...empty, ...change(empty) });
  return empty;
}

export const lower = (a: string) => a.toLowerCase() as Hex;
