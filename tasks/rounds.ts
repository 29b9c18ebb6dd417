/**
 * Community-fund rounds built from chain history alone, so anyone can rerun the build and compare
 * roots. Used by the `fund:*` tasks, the demo and the tests.
 *
 * Pro-rata rule: for a token and a time range [since, until) (block timestamps), each provider's
 * weight is the sum of `providerAmount` of the escrow's `JobReleased` events in that range for jobs
 * in that token (the token comes from the job's `JobCreated`). Each provider gets
 * floor(total × weight / Σweights). The remainder (total − Σ allotments, less than the number of
 * providers, in base units) is not distributed: the round is posted for Σ allotments, so the
 * remainder stays in the fund's pool and rolls into the next round. Providers whose allotment rounds
 * to zero are left out. The tree is OpenZeppelin's StandardMerkleTree over (address, uint256), which
 * sorts its leaves, so the root does not depend on event order.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, type Provider } from "ethers";
import { getLogsInChunks, type LogRange } from "../sdk/logs.js";
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

/**
 * Sum of `providerAmount` per provider for jobs in `token` released in [since, until), read from the
 * escrow's events between `fromBlock` and `toBlock` (chunked for RPC limits).
 */
export async function releasedPayments(
  escrow: WorkEscrow,
  provider: Provider,
  token: string,
  range: LogRange & { since: bigint; until: bigint },
): Promise<Map<string, bigint>> {
  const tokenOf = new Map<bigint, string>();
  const releases: { jobId: bigint; provider: string; amount: bigint; block: number }[] = [];
  const address = await escrow.getAddress();
  const created = escrow.interface.getEvent("JobCreated")!.topicHash;
  const released = escrow.interface.getEvent("JobReleased")!.topicHash;
  for (const log of await getLogsInChunks(provider, address, [[created, released]], range)) {
    const e = escrow.interface.parseLog(log)!;
    if (e.name === "JobCreated") tokenOf.set(e.args.jobId, e.args.token);
    else
      releases.push({
        jobId: e.args.jobId,
        provider: e.args.provider,
        amount: e.args.providerAmount,
        block: log.blockNumber,
      });
  }
  const times = new Map<number, bigint>();
  const weights = new Map<string, bigint>();
  for (const r of releases) {
    if ((tokenOf.get(r.jobId) ?? "").toLowerCase() !== token.toLowerCase()) continue;
    if (!times.has(r.block))
      times.set(r.block, BigInt((await provider.getBlock(r.block))!.timestamp));
    const t = times.get(r.block)!;
    if (t < range.since || t >= range.until) continue;
    const key = getAddress(r.provider);
    weights.set(key, (weights.get(key) ?? 0n) + r.amount);
  }
  return weights;
}

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
