/**
 * The actions of the `fund:*` tasks: the CommunityFund's status, round building (pro rata from the
 * escrow's history, or a manual list), posting, claiming, cancelling and expiring, and the admin's
 * settings (threshold at once; guardian and schedule proposed, then applied after the challenge delay).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  Contract,
  isAddress,
  type ContractTransactionResponse,
  type Provider,
  type Result,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { CommunityFund } from "../typechain-types/CommunityFund.js";
import { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
import { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
import {
  NATIVE,
  RoundStatus,
  formatDuration,
  formatTime,
  parseDeadline,
  parseDuration,
} from "../sdk/index.js";
import {
  UserError,
  accountArg,
  deploymentBlock,
  formatAmount,
  parseAmount,
  connectNetwork,
  resolveEscrow,
  resolveFund,
  run,
  tokenInfo,
} from "./context.js";
import {
  buildProRataRound,
  coveredUntilOf,
  parseManualEntries,
  proofFor,
  toRoundFile,
  type RoundFile,
} from "./rounds.js";

interface FundArgs {
  from: string;
  fund: string;
}

const MAX_UINT128 = (1n << 128n) - 1n;

async function connect(hre: HardhatRuntimeEnvironment, args: FundArgs) {
  const net = await connectNetwork(hre, args.from);
  const address = resolveFund(hre, net.chainId, args.fund);
  await net.requireCode(address);
  return { ...net, fund: CommunityFund__factory.connect(address, net.signer), address };
}

function tokenArg(value: string): string {
  if (!value || value === "native") return NATIVE;
  if (!isAddress(value)) throw new UserError(`--token ${value} is not an address (or "native")`);
  return value;
}

function readRound(file: string): RoundFile {
  if (!file) throw new UserError("--tree <file> is required (written by fund:build-round)");
  if (!existsSync(file)) throw new UserError(`${file} does not exist`);
  const round = JSON.parse(readFileSync(file, "utf8")) as RoundFile;
  if (round.format !== "workescrow-round-v1") throw new UserError(`${file} is not a round file`);
  return round;
}

/** The fund's balance of a token (native or ERC-20). */
async function balanceOf(provider: Provider, token: string, holder: string): Promise<bigint> {
  if (token === NATIVE) return provider.getBalance(holder);
  return new Contract(
    token,
    ["function balanceOf(address) view returns (uint256)"],
    provider,
  ).balanceOf(holder);
}

/** Where a mined transaction landed. */
const txLine = (r: { hash: string; blockNumber: number }) =>
  `tx ${r.hash} (block ${r.blockNumber})`;

/** Waits for a transaction and describes where it landed. */
const mined = async (tx: { wait: () => Promise<{ hash: string; blockNumber: number } | null> }) =>
  txLine((await tx.wait())!);

/** Waits for a fund transaction: where it landed, and the fund's events in it by name. */
async function minedEvents(fund: CommunityFund, tx: ContractTransactionResponse) {
  const receipt = (await tx.wait())!;
  const events = new Map<string, Result>();
  for (const log of receipt.logs) {
    const e = fund.interface.parseLog(log);
    if (e) events.set(e.name, e.args);
  }
  return { line: txLine(receipt), events };
}

/** The schedule in words. */
const scheduleText = (minInterval: bigint, challengeDelay: bigint, claimPeriod: bigint) =>
  `a round per token every ${formatDuration(minInterval)}, challenge delay ${formatDuration(challengeDelay)}, claims open ${formatDuration(claimPeriod)}`;

const guardianText = (g: string) => (g === NATIVE ? "none (only the admin can cancel)" : g);

/** The proposed guardian and schedule, with when each can be applied (0: nothing pending). */
async function pending(fund: CommunityFund) {
  const [g, s] = await Promise.all([fund.pendingGuardian(), fund.pendingSchedule()]);
  return {
    guardian: { value: g.guardian, effectiveAt: g.effectiveAt },
    schedule: {
      value: [s.minInterval, s.challengeDelay, s.claimPeriod] as const,
      effectiveAt: s.effectiveAt,
    },
  };
}

/** One line per pending change, saying from when `fund:apply-changes` puts it in force. */
function pendingLines(p: Awaited<ReturnType<typeof pending>>, now: bigint): string[] {
  const when = (at: bigint) =>
    at <= now
      ? "due now: npx hardhat fund:apply-changes"
      : `can be applied from ${formatTime(at)} (fund:apply-changes)`;
  const out: string[] = [];
  if (p.guardian.effectiveAt > 0n)
    out.push(`guardian ${guardianText(p.guardian.value)}, ${when(p.guardian.effectiveAt)}`);
  if (p.schedule.effectiveAt > 0n)
    out.push(`schedule ${scheduleText(...p.schedule.value)}, ${when(p.schedule.effectiveAt)}`);
  return out;
}

export const status = run(
  async (args: FundArgs & { token: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, address, signer, now, ethers } = await connect(hre, args);
    const t = await now();
    console.log(`CommunityFund ${address}`);
    console.log(`  admin            ${await fund.owner()}`);
    console.log(`  guardian         ${guardianText(await fund.guardian())}`);
    console.log(
      `  schedule         ${scheduleText(await fund.minInterval(), await fund.challengeDelay(), await fund.claimPeriod())}`,
    );
    for (const line of pendingLines(await pending(fund), t))
      console.log(`  pending          ${line}`);
    const count = await fund.roundCount();
    const rounds = [];
    for (let id = 1n; id <= count; id++) rounds.push(await fund.getRound(id));
    const tokens = new Set<string>([NATIVE, tokenArg(args.token), ...rounds.map((r) => r.token)]);
    for (const token of tokens) {
      const info = await tokenInfo(signer, token);
      const s = await fund.tokenState(token);
      const balance = await balanceOf(ethers.provider, token, address);
      const unsynced = balance - s.pool - s.reserved;
      const next = await fund.nextRoundAt(token);
      console.log(`  ${info.symbol}${token === NATIVE ? "" : ` (${token})`}`);
      console.log(
        `    undistributed  ${formatAmount(s.pool, info)}${unsynced > 0n ? ` (+${formatAmount(unsynced, info)} arrived, not yet synced)` : ""}`,
      );
      console.log(`    in live rounds ${formatAmount(s.reserved, info)}`);
      console.log(
        `    received/paid  ${formatAmount(s.totalReceived, info)} / ${formatAmount(s.totalClaimed, info)}`,
      );
      console.log(
        `    threshold      ${s.threshold === 0n ? "not set (rounds disabled)" : formatAmount(s.threshold, info)}`,
      );
      const eligible = s.threshold > 0n && s.pool + unsynced >= s.threshold;
      console.log(
        `    next round     ${next > t ? `from ${formatTime(next)}` : "now"}${eligible ? "" : " (once the pool reaches the threshold)"}`,
      );
    }
    console.log(`  rounds           ${count}`);
    for (const [i, r] of rounds.entries()) {
      const id = i + 1;
      const info = await tokenInfo(signer, r.token);
      const phase =
        Number(r.status) !== RoundStatus.Live
          ? RoundStatus[Number(r.status)]
          : t < r.claimsOpenAt
            ? `in challenge delay until ${formatTime(r.claimsOpenAt)}`
            : t < r.expiresAt
              ? `claimable until ${formatTime(r.expiresAt - 1n)}`
              : "claim period over: fund:expire-round";
      console.log(
        `    #${id} ${formatAmount(r.total, info)}: claimed ${formatAmount(r.claimed, info)}, unclaimed ${formatAmount(r.total - r.claimed, info)} — ${phase}`,
      );
      console.log(
        `       ${r.coveredUntil > 0n ? `covers payments until ${formatTime(r.coveredUntil)}` : "covers no range (manual)"}; its guardian ${guardianText(r.guardian)}`,
      );
      console.log(`       root ${r.root}${r.uri ? `  tree ${r.uri}` : ""}`);
    }
  },
);

export const collect = run(
  async (args: FundArgs & { token: string; escrow: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, signer, chainId } = await connect(hre, args);
    const token = tokenArg(args.token);
    const escrow = resolveEscrow(hre, chainId, args.escrow);
    const { line, events } = await minedEvents(fund, await fund.collect(escrow, token));
    console.log(
      `collected ${formatAmount(events.get("Received")?.amount ?? 0n, await tokenInfo(signer, token))} from the escrow ${escrow}`,
    );
    console.log(line);
  },
);

export const buildRound = run(
  async (
    args: FundArgs & {
      token: string;
      since: string;
      until: string;
      total: string;
      manual: string;
      out: string;
      escrow: string;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { fund, address, signer, chainId, ethers } = await connect(hre, args);
    const token = tokenArg(args.token);
    const info = await tokenInfo(signer, token);
    const state = await fund.tokenState(token);
    const balance = await balanceOf(ethers.provider, token, address);
    const available = balance - state.reserved; // pool plus anything not yet synced
    const requested = args.total ? parseAmount(args.total, info.decimals) : available;
    if (requested > available)
      throw new UserError(
        `--total ${args.total} is more than the fund can distribute (${formatAmount(available, info)})`,
      );
    let round: RoundFile;
    if (args.manual) {
      if (!existsSync(args.manual)) throw new UserError(`--manual ${args.manual} does not exist`);
      const entries = parseManualEntries(readFileSync(args.manual, "utf8"));
      const total = entries.reduce((a, e) => a + e.amount, 0n);
      if (total > available)
        throw new UserError(
          `the list adds up to ${formatAmount(total, info)}, more than the fund can distribute (${formatAmount(available, info)})`,
        );
      round = toRoundFile(
        {
          method: "manual",
          chainId: chainId.toString(),
          fund: address,
          token,
          requested: total.toString(),
        },
        { entries, total, remainder: 0n },
      );
    } else {
      const escrow = resolveEscrow(hre, chainId, args.escrow);
      // Errors here (an empty or future range, no payments) are plain sentences: `run` prints them.
      round = await buildProRataRound({
        escrow: WorkEscrow__factory.connect(escrow, ethers.provider),
        fund,
        provider: ethers.provider,
        chainId,
        token,
        requested,
        since: args.since ? parseDeadline(args.since, 0n) : undefined,
        until: args.until ? parseDeadline(args.until, 0n) : undefined,
        fromBlock: deploymentBlock(hre, chainId, escrow),
      });
    }
    const out =
      args.out ||
      path.join(
        "deploy",
        "rounds",
        `chain-${chainId}`,
        `${info.symbol.toLowerCase()}-${round.until ?? Date.now()}.json`,
      );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(round, null, 2) + "\n");
    const entries = round.tree.values.length;
    console.log(`round tree written to ${out}`);
    if (round.method === "pro-rata")
      console.log(
        `covers payments from ${formatTime(BigInt(round.since!))} until ${formatTime(BigInt(round.until!))} (exclusive)${args.since ? "" : ", starting where the last round ended"}`,
      );
    console.log(`root ${round.root}`);
    console.log(
      `total ${formatAmount(BigInt(round.total), info)} to ${entries} account(s)${round.method === "pro-rata" ? `; remainder ${formatAmount(BigInt(round.remainder), info)} stays in the pool` : ""}`,
    );
    if (round.method === "pro-rata") {
      console.log(
        `rebuild: npx hardhat fund:build-round --token ${token} --since ${round.since} --until ${round.until} --total ${args.total || formatAmount(requested, info).split(" ")[0]}`,
      );
    }
  },
);

export const postRound = run(
  async (args: FundArgs & { tree: string; uri: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, signer, chainId, address } = await connect(hre, args);
    const round = readRound(args.tree);
    if (
      round.chainId !== chainId.toString() ||
      round.fund.toLowerCase() !== address.toLowerCase()
    ) {
      throw new UserError(
        `${args.tree} was built for fund ${round.fund} on chain ${round.chainId}, not ${address} on ${chainId}`,
      );
    }
    const tx = await fund.postRound(
      round.token,
      round.root,
      BigInt(round.total),
      coveredUntilOf(round),
      args.uri || args.tree,
    );
    const line = await mined(tx);
    const id = await fund.roundCount();
    const r = await fund.getRound(id);
    const info = await tokenInfo(signer, round.token);
    console.log(`round ${id} posted: ${formatAmount(r.total, info)}, root ${r.root}`);
    if (r.coveredUntil > 0n)
      console.log(
        `covers payments until ${formatTime(r.coveredUntil)}: the next default round starts there`,
      );
    console.log(
      `claims open ${formatTime(r.claimsOpenAt)} (until then the admin or guardian can fund:cancel-round ${id}), close ${formatTime(r.expiresAt)}`,
    );
    console.log(line);
  },
);

export const claim = run(
  async (
    args: FundArgs & { tree: string; round: bigint; account: string; to: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { fund, signer, signers } = await connect(hre, args);
    const file = readRound(args.tree);
    const account = args.account ? accountArg("account", args.account, signers) : signer.address;
    const to = args.to ? accountArg("to", args.to, signers) : "";
    if (to && account.toLowerCase() !== signer.address.toLowerCase())
      throw new UserError(
        `--to: only the entry's account can send its claim elsewhere; run it --from ${account}`,
      );
    if (to === NATIVE) throw new UserError("--to cannot be the zero address");
    const entry = proofFor(file, account);
    if (!entry) throw new UserError(`${account} has no entry in ${args.tree}`);
    let id = args.round;
    if (id === 0n) {
      // The newest round with this root.
      for (let i = await fund.roundCount(); i > 0n && id === 0n; i--)
        if ((await fund.getRound(i)).root === file.root) id = i;
      if (id === 0n)
        throw new UserError(`no posted round has root ${file.root}: fund:post-round first`);
    }
    const tx = to
      ? await fund.claimTo(id, entry.amount, entry.proof, to)
      : await fund.claim(id, account, entry.amount, entry.proof);
    const line = await mined(tx);
    console.log(
      `claimed ${formatAmount(entry.amount, await tokenInfo(signer, file.token))} from round ${id} for ${account}${to ? `, paid to ${to}` : ""}`,
    );
    console.log(line);
  },
);

export const cancelRound = run(
  async (args: FundArgs & { roundId: bigint }, hre: HardhatRuntimeEnvironment) => {
    const { fund } = await connect(hre, args);
    const line = await mined(await fund.cancelRound(args.roundId));
    console.log(`round ${args.roundId} cancelled: its total is back in the pool`);
    console.log(line);
  },
);

export const expireRound = run(
  async (args: FundArgs & { roundId: bigint }, hre: HardhatRuntimeEnvironment) => {
    const { fund, signer } = await connect(hre, args);
    const tx = await fund.expireRound(args.roundId);
    const line = await mined(tx);
    const r = await fund.getRound(args.roundId);
    console.log(
      `round ${args.roundId} expired: ${formatAmount(r.total - r.claimed, await tokenInfo(signer, r.token))} unclaimed, back in the pool`,
    );
    console.log(line);
  },
);

/* ------------------------------------------------------------------------------ admin */

/** Refuses before sending when `--from` is not the fund's admin. */
async function requireAdmin(fund: CommunityFund, from: string) {
  const admin = await fund.owner();
  if (admin.toLowerCase() !== from.toLowerCase())
    throw new UserError(`${from} is not the fund's admin (${admin}): use --from <admin>`);
}

export const setThreshold = run(
  async (args: FundArgs & { token: string; amount: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, signer } = await connect(hre, args);
    const token = tokenArg(args.token);
    const info = await tokenInfo(signer, token);
    if (!args.amount)
      throw new UserError("--amount <whole tokens> is required (0 disables rounds of the token)");
    const threshold = parseAmount(args.amount, info.decimals);
    if (threshold < 0n || threshold > MAX_UINT128)
      throw new UserError(`--amount ${args.amount} must be from 0 to 2^128 − 1 base units`);
    await requireAdmin(fund, signer.address);
    const line = await mined(await fund.setThreshold(token, threshold));
    const what = `${info.symbol}${token === NATIVE ? "" : ` (${token})`}`;
    console.log(
      threshold === 0n
        ? `threshold of ${what} is now 0: rounds of ${info.symbol} are disabled`
        : `threshold of ${what} is now ${formatAmount(threshold, info)}: a round can be posted once the pool holds it`,
    );
    console.log(line);
  },
);

/** A duration option within [min, max] seconds, or the current value when not given. */
function durationArg(name: string, text: string, current: bigint, min: bigint, max: bigint) {
  if (!text) return current;
  let seconds: bigint;
  try {
    seconds = parseDuration(text);
  } catch (err) {
    throw new UserError(`--${name}: ${(err as Error).message}`);
  }
  if (seconds < min || seconds > max)
    throw new UserError(
      `--${name} ${text} is outside ${formatDuration(min)}..${formatDuration(max)}`,
    );
  return seconds;
}

/** When a proposal becomes applicable, and how to apply it. */
const applicableLine = (effectiveAt: bigint, delay: bigint) =>
  `it can be applied from ${formatTime(effectiveAt)} (after the challenge delay in force, ${formatDuration(delay)}): npx hardhat fund:apply-changes`;

export const setSchedule = run(
  async (
    args: FundArgs & { interval: string; delay: string; claimPeriod: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { fund, signer } = await connect(hre, args);
    const delay = await fund.challengeDelay();
    const interval = durationArg(
      "interval",
      args.interval,
      await fund.minInterval(),
      await fund.MIN_INTERVAL(),
      await fund.MAX_INTERVAL(),
    );
    const challengeDelay = durationArg(
      "delay",
      args.delay,
      delay,
      await fund.MIN_CHALLENGE_DELAY(),
      await fund.MAX_CHALLENGE_DELAY(),
    );
    const claimPeriod = durationArg(
      "claim-period",
      args.claimPeriod,
      await fund.claimPeriod(),
      await fund.MIN_CLAIM_PERIOD(),
      await fund.MAX_CLAIM_PERIOD(),
    );
    await requireAdmin(fund, signer.address);
    const replaced = (await fund.pendingSchedule()).effectiveAt > 0n;
    const { line, events } = await minedEvents(
      fund,
      await fund.setSchedule(interval, challengeDelay, claimPeriod),
    );
    const proposed = events.get("ScheduleChangeProposed")!;
    console.log(
      `schedule proposed${replaced ? " (replacing the pending one)" : ""}: ${scheduleText(interval, challengeDelay, claimPeriod)}`,
    );
    console.log(applicableLine(proposed.effectiveAt, delay));
    console.log(line);
  },
);

export const setGuardian = run(
  async (args: FundArgs & { guardian: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, signer, signers } = await connect(hre, args);
    if (!args.guardian)
      throw new UserError(
        "give the new guardian: an address, an account index, or none (only the admin can cancel)",
      );
    const guardian =
      args.guardian === "none" ? NATIVE : accountArg("guardian", args.guardian, signers);
    await requireAdmin(fund, signer.address);
    const replaced = (await fund.pendingGuardian()).effectiveAt > 0n;
    const { line, events } = await minedEvents(fund, await fund.setGuardian(guardian));
    const proposed = events.get("GuardianChangeProposed")!;
    console.log(
      `guardian proposed${replaced ? " (replacing the pending one)" : ""}: ${guardianText(guardian)}; until it applies, ${guardianText(await fund.guardian())} stays guardian`,
    );
    console.log(applicableLine(proposed.effectiveAt, await fund.challengeDelay()));
    console.log(line);
  },
);

export const applyChanges = run(async (args: FundArgs, hre: HardhatRuntimeEnvironment) => {
  const { fund, now } = await connect(hre, args);
  const p = await pending(fund);
  const t = await now();
  const due = (at: bigint) => at > 0n && at <= t;
  if (!due(p.guardian.effectiveAt) && !due(p.schedule.effectiveAt)) {
    const waiting = pendingLines(p, t);
    throw new UserError(
      waiting.length === 0
        ? "nothing to apply: no guardian or schedule change is pending"
        : `nothing to apply yet: ${waiting.join("; ")}`,
    );
  }
  const { line, events } = await minedEvents(fund, await fund.applyPendingChanges());
  const g = events.get("GuardianUpdated");
  const s = events.get("ScheduleUpdated");
  if (g) console.log(`guardian is now ${guardianText(g.guardian)}`);
  if (s)
    console.log(`schedule is now ${scheduleText(s.minInterval, s.challengeDelay, s.claimPeriod)}`);
  for (const rest of pendingLines(await pending(fund), t)) console.log(`still pending: ${rest}`);
  console.log(line);
});
