/**
 * Community-fund rounds built from chain history alone, so anyone can rerun the build and compare
 * roots. Used by the `fund:*` tasks, the demo and the tests.
 *
 * Pro-rata rule: for a token and a time range [since, until) (block timestamps), each provider's
 * weight is the sum of what the escrow's payment events (`PAYMENT_EVENTS`: `JobReleased`,
 * `JobPartiallyReleased` and `DisputeResolved`, each's `providerAmount`, net of fees) paid it in that
 * range for jobs in that token (the token comes from the job's `JobCreated`; the provider of a split
 * from `JobCreated`, `JobAccepted` or `BidAwarded`). Each provider gets floor(total × weight / Σweights). The remainder (total − Σ
 * allotments, less than the number of providers, in base units) is not distributed: the round is
 * posted for Σ allotments, so the remainder stays in the fund's pool and rolls into the next round.
 * Providers whose allotment rounds to zero are left out. The tree is OpenZeppelin's
 * StandardMerkleTree over (address, uint256), which sorts its leaves, so the root does not depend on
 * event order.
 *
 * Default range: rounds tile time. A round records on chain the end of its range (`coveredUntil`);
 * the next default round starts exactly there (the last posted, non-cancelled round of the token that
 * covers a range) and ends after the latest block (`until` = its timestamp + 1, exclusive), so every
 * payment falls in exactly one default round. This assumes strictly increasing block timestamps (true
 * on Ethereum and OP-stack chains); where blocks can share a timestamp, pass `until` explicitly.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroAddress, getAddress, type Interface, type Provider, type Result } from "ethers";
import { getLogsInChunks, type LogRange } from "../sdk/logs.js";
import { RoundStatus } from "../sdk/types.js";
import type { CommunityFund } from "../typechain-types/CommunityFund.js";
import type { WorkEscrow } from "../typechain-types/WorkEscrow.js";

export interface RoundEntry {
  account: string;
  amount: bigint;
}

export interface Allotment {
  entries: RoundEntry[];
  /** what the round pays: Σ entries */
  total: bigint;
  /** requested − total: stays in the pool */
  remainder: bigint;
}

/** Splits `requested` pro rata to `weights` (integer floor), as documented above. */
export function allotProRata(weights: Map<string, bigint>, requested: bigint): Allotment {
  const sum = [...weights.values()].reduce((a, b) => a + b, 0n);
  if (sum === 0n) return { entries: [], total: 0n, remainder: requested };
  const entries = [...weights]
    .map(([account, w]) => ({ account: getAddress(account), amount: (requested * w) / sum }))
    .filter((e) => e.amount > 0n)
    .sort((a, b) => (a.account.toLowerCase() < b.account.toLowerCase() ? -1 : 1));
  const total = entries.reduce((a, e) => a + e.amount, 0n);
  return { entries, total, remainder: requested - total };
}

/** A payment to a provider, as one of the escrow's events reports it (`provider` undefined: the job's). */
interface Payment {
  jobId: bigint;
  provider?: string;
  amount: bigint;
}

/**
 * The escrow events that pay a provider, and how each reads as a payment: the pro-rata weight sums
 * them all. Another kind of payment (e.g. a partial release) is one more entry here.
 */
const PAYMENT_EVENTS: Record<string, (args: Result) => Payment> = {
  JobReleased: (a) => ({ jobId: a.jobId, provider: a.provider, amount: a.providerAmount }),
  JobPartiallyReleased: (a) => ({ jobId: a.jobId, provider: a.provider, amount: a.providerAmount }),
  DisputeResolved: (a) => ({ jobId: a.jobId, amount: a.providerAmount }),
};

/** The events that say who a job's provider is (designated at creation, accepted, or awarded a bid). */
const PROVIDER_EVENTS = ["JobCreated", "JobAccepted", "BidAwarded"];

/**
 * Sum of what the escrow paid each provider for jobs in `token` in [since, until), read from the
 * escrow's events between `fromBlock` and `toBlock` (chunked for RPC limits).
 */
export async function releasedPayments(
  escrow: WorkEscrow,
  provider: Provider,
  token: string,
  range: LogRange & { since: bigint; until: bigint },
): Promise<Map<string, bigint>> {
  const iface = escrow.interface as unknown as Interface;
  const tokenOf = new Map<bigint, string>();
  const payments: (Payment & { block: number })[] = [];
  const providerOf = new Map<bigint, string>();
  const topics = [...PROVIDER_EVENTS, ...Object.keys(PAYMENT_EVENTS)].map(
    (name) => iface.getEvent(name)!.topicHash,
  );
  const address = await escrow.getAddress();
  for (const log of await getLogsInChunks(provider, address, [topics], range)) {
    const e = iface.parseLog(log)!;
    if (e.name === "JobCreated") tokenOf.set(e.args.jobId, e.args.token);
    if (PROVIDER_EVENTS.includes(e.name) && e.args.provider !== ZeroAddress)
      providerOf.set(e.args.jobId, e.args.provider);
    const payment = PAYMENT_EVENTS[e.name]?.(e.args);
    if (payment && payment.amount > 0n)
      payments.push({
        ...payment,
        provider: payment.provider ?? providerOf.get(payment.jobId),
        block: log.blockNumber,
      });
  }
  const times = new Map<number, bigint>();
  const weights = new Map<string, bigint>();
  for (const p of payments) {
    if ((tokenOf.get(p.jobId) ?? "").toLowerCase() !== token.toLowerCase()) continue;
    if (!times.has(p.block))
      times.set(p.block, BigInt((await provider.getBlock(p.block))!.timestamp));
    const t = times.get(p.block)!;
    if (t < range.since || t >= range.until) continue;
    const key = getAddress(p.provider!);
    weights.set(key, (weights.get(key) ?? 0n) + p.amount);
  }
  return weights;
}

/**
 * Where the next default round of `token` starts: the `coveredUntil` of the last posted round of that
 * token that is not cancelled and covers a range (manual rounds record 0); 0 if there is none.
 */
export async function lastCoveredUntil(fund: CommunityFund, token: string): Promise<bigint> {
  for (let id = await fund.roundCount(); id > 0n; id--) {
    const r = await fund.getRound(id);
    if (r.token.toLowerCase() !== token.toLowerCase() || Number(r.status) === RoundStatus.Cancelled)
      continue;
    if (r.coveredUntil > 0n) return r.coveredUntil;
  }
  return 0n;
}

/**
 * A pro-rata round file for `token`: `requested` split over the payments in [since, until), by
 * default from where the token's last round ended to the latest block inclusive (see the top).
 */
export async function buildProRataRound(args: {
  escrow: WorkEscrow;
  fund: CommunityFund;
  provider: Provider;
  chainId: bigint;
  token: string;
  requested: bigint;
  since?: bigint;
  until?: bigint;
  /** the escrow's deployment block: where to start reading its events */
  fromBlock?: number;
}): Promise<RoundFile> {
  const latest = BigInt((await args.provider.getBlock("latest"))!.timestamp);
  const since = args.since ?? (await lastCoveredUntil(args.fund, args.token));
  const until = args.until ?? latest + 1n;
  if (until > latest + 1n)
    throw new Error(`until ${until} is in the future: a round cannot cover payments not yet made`);
  if (until <= since) throw new Error(`the range [${since}, ${until}) is empty`);
  const weights = await releasedPayments(args.escrow, args.provider, args.token, {
    since,
    until,
    fromBlock: args.fromBlock,
  });
  return toRoundFile(
    {
      method: "pro-rata",
      chainId: args.chainId.toString(),
      fund: await args.fund.getAddress(),
      escrow: await args.escrow.getAddress(),
      token: args.token,
      since: since.toString(),
      until: until.toString(),
      requested: args.requested.toString(),
    },
    allotProRata(weights, args.requested),
  );
}

/** What a round file asks `postRound` to record as the end of its range (0: a manual round). */
export const coveredUntilOf = (file: RoundFile): bigint => BigInt(file.until ?? 0);

/** The file `fund:build-round` writes and `fund:post-round` / `fund:claim` read. */
export interface RoundFile {
  format: "workescrow-round-v1";
  method: "pro-rata" | "manual";
  chainId: string;
  fund: string;
  escrow?: string;
  token: string;
  since?: string;
  until?: string;
  requested: string;
  total: string;
  remainder: string;
  root: string;
  tree: ReturnType<StandardMerkleTree<[string, string]>["dump"]>;
}

export function buildTree(entries: RoundEntry[]) {
  return StandardMerkleTree.of(
    entries.map((e) => [e.account, e.amount.toString()] as [string, string]),
    ["address", "uint256"],
  );
}

export function toRoundFile(
  meta: Omit<RoundFile, "format" | "root" | "tree" | "total" | "remainder">,
  a: Allotment,
): RoundFile {
  if (a.entries.length === 0)
    throw new Error("nothing to distribute: no released payments in that range");
  const tree = buildTree(a.entries);
  return {
    format: "workescrow-round-v1",
    ...meta,
    total: a.total.toString(),
    remainder: a.remainder.toString(),
    root: tree.root,
    tree: tree.dump(),
  };
}

/** The entry and proof of `account` in a round file, or undefined. */
export function proofFor(
  file: RoundFile,
  account: string,
): { amount: bigint; proof: string[] } | undefined {
  const tree = StandardMerkleTree.load(file.tree);
  for (const [i, [a, amount]] of tree.entries()) {
    if (a.toLowerCase() === account.toLowerCase())
      return { amount: BigInt(amount), proof: tree.getProof(i) };
  }
  return undefined;
}

/** Parses a manual round: JSON `[{ "account": "0x…", "amount": "123" }]` or CSV lines `0x…,123` (base units). */
export function parseManualEntries(text: string): RoundEntry[] {
  const trimmed = text.trim();
  const raw: { account: string; amount: string }[] = trimmed.startsWith("[")
    ? JSON.parse(trimmed)
    : trimmed
        .split(/\r?\n/)
        .filter((l) => l.trim() && !l.startsWith("#"))
        .map((l) => {
          const [account, amount] = l.split(",").map((x) => x.trim());
          return { account, amount };
        });
  const seen = new Set<string>();
  return raw.map(({ account, amount }) => {
    const a = getAddress(account);
    if (seen.has(a)) throw new Error(`${a} appears twice: one entry per account`);
    seen.add(a);
    if (!/^\d+$/.test(String(amount)) || BigInt(amount) === 0n)
      throw new Error(`${a}: amount "${amount}" must be a positive integer in base units`);
    return { account: a, amount: BigInt(amount) };
  });
}
