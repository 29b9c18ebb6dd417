/**
 * The actions of the `fund:*` tasks: the CommunityFund's status, round building (pro rata from the
 * escrow's history, or a manual list), posting, claiming, cancelling and expiring.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Contract, isAddress, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
import { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
import { NATIVE, formatDuration, formatTime, parseDeadline } from "../sdk/index.js";
import {
  UserError,
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
  allotProRata,
  parseManualEntries,
  proofFor,
  releasedPayments,
  toRoundFile,
  type RoundFile,
} from "./rounds.js";

interface FundArgs {
  from: string;
  fund: string;
}

const ROUND_STATUS = ["None", "Live", "Cancelled", "Expired"];

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

export const status = run(
  async (args: FundArgs & { token: string }, hre: HardhatRuntimeEnvironment) => {
    const { fund, address, signer, now, ethers } = await connect(hre, args);
    const t = await now();
    console.log(`CommunityFund ${address}`);
    console.log(`  admin            ${await fund.owner()}`);
    console.log(`  guardian         ${await fund.guardian()}`);
    console.log(
      `  schedule         a round per token every ${formatDuration(await fund.minInterval())}, ` +
        `challenge delay ${formatDuration(await fund.challengeDelay())}, claims open ${formatDuration(await fund.claimPeriod())}`,
    );
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
        Number(r.status) !== 1
          ? ROUND_STATUS[Number(r.status)]
          : t < r.claimsOpenAt
            ? `in challenge delay until ${formatTime(r.claimsOpenAt)}`
            : t < r.expiresAt
              ? `claimable until ${formatTime(r.expiresAt - 1n)}`
              : "claim period over: fund:expire-round";
      console.log(
        `    #${id} ${formatAmount(r.total, info)}: claimed ${formatAmount(r.claimed, info)}, unclaimed ${formatAmount(r.total - r.claimed, info)} — ${phase}`,
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
    const receipt = (await (await fund.collect(escrow, token)).wait())!;
    const line = txLine(receipt);
    const received = receipt.logs
      .map((l) => fund.interface.parseLog(l))
      .find((e) => e?.name === "Received");
    console.log(
      `collected ${formatAmount(received ? received.args.amount : 0n, await tokenInfo(signer, token))} from the escrow ${escrow}`,
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
    const { fund, address, signer, chainId, ethers, now } = await connect(hre, args);
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
      const t = await now();
      const since = args.since ? parseDeadline(args.since, 0n) : state.lastRoundAt;
      const until = args.until ? parseDeadline(args.until, 0n) : t + 1n;
      const weights = await releasedPayments(
        WorkEscrow__factory.connect(escrow, ethers.provider),
        ethers.provider,
        token,
        {
          since,
          until,
          fromBlock: deploymentBlock(hre, chainId, escrow),
        },
      );
      round = toRoundFile(
        {
          method: "pro-rata",
          chainId: chainId.toString(),
          fund: address,
          escrow,
          token,
          since: since.toString(),
          until: until.toString(),
          requested: requested.toString(),
        },
        allotProRata(weights, requested),
      );
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
      BigInt(round.until ?? 0), // the end of the range a pro-rata round covers; 0 for a manual one
      args.uri || args.tree,
    );
    const line = await mined(tx);
    const id = await fund.roundCount();
    const r = await fund.getRound(id);
    const info = await tokenInfo(signer, round.token);
    console.log(`round ${id} posted: ${formatAmount(r.total, info)}, root ${r.root}`);
    console.log(
      `claims open ${formatTime(r.claimsOpenAt)} (until then the admin or guardian can fund:cancel-round ${id}), close ${formatTime(r.expiresAt)}`,
    );
    console.log(line);
  },
);

export const claim = run(
  async (
    args: FundArgs & { tree: string; round: bigint; account: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { fund, signer } = await connect(hre, args);
    const file = readRound(args.tree);
    const account = args.account || signer.address;
    if (!isAddress(account)) throw new UserError(`--account ${account} is not an address`);
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
    const tx = await fund.claim(id, account, entry.amount, entry.proof);
    const line = await mined(tx);
    console.log(
      `claimed ${formatAmount(entry.amount, await tokenInfo(signer, file.token))} from round ${id} for ${account}`,
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
