/**
 * The actions of the `escrow:*` tasks: thin adapters from CLI arguments to the SDK's EscrowClient.
 * Every argument is parsed and checked before anything is sent; every action prints what happened in
 * words and in token amounts; a failure prints its sentence (see `run`).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAddress, type LogDescription } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  JobType,
  NATIVE,
  Status,
  Verdict,
  disputeDeposit,
  nextActions,
  formatDuration,
  formatTime,
  hashContent,
  parseDeadline,
  parseDuration,
  EscrowClient,
  EscrowError,
  type Bounds,
  type JobView,
  type TxResult,
} from "../sdk/index.js";
import {
  ESCROW_FUTURE,
  EXTENSION_FUTURE,
  FORWARDER_FUTURE,
  FUND_FUTURE,
  LOCAL_CHAIN_IDS,
  UserError,
  accountArg,
  addressArg,
  connect,
  connectNetwork,
  deploymentBlock,
  deploymentDir,
  deploymentId,
  inProcessHint,
  requireCancun,
  requireFunds,
  formatAmount,
  hashFromArgs,
  parseAmount,
  parseBps,
  parseJobId,
  resolveEscrow,
  run,
  tokenInfo,
  type CommonArgs,
} from "./context.js";

type JobArgs = CommonArgs & { jobId: bigint };
type TokenInfo = { symbol: string; decimals: number };

const tx = (r: TxResult) =>
  `tx ${r.receipt.hash} (block ${r.receipt.blockNumber}, gas ${r.receipt.gasUsed})`;

const event = (r: TxResult, name: string): LogDescription | undefined =>
  r.events.find((e) => e.name === name);

/** The job (which must exist) and its token's symbol and decimals. */
async function jobAndToken(client: EscrowClient, jobId: bigint) {
  const job = await client.getJob(parseJobId(jobId));
  if (job.status === Status.None)
    throw new UserError(`job ${jobId} does not exist (jobs: ${await client.contract.jobCount()})`);
  const info = await tokenInfo(client.runner, job.token);
  return { job, info };
}

/** The money movements of an ending, in words: bond, deposit, keeper tip. */
function extras(r: TxResult, info: TokenInfo): string[] {
  const out: string[] = [];
  const bond = event(r, "BondSettled");
  if (bond)
    out.push(
      `bond: ${formatAmount(bond.args.toProvider, info)} to the provider, ${formatAmount(bond.args.toRequester, info)} to the requester`,
    );
  const deposit = event(r, "DisputeDepositSettled");
  if (deposit)
    out.push(`dispute deposit: ${formatAmount(deposit.args.amount, info)} to ${deposit.args.to}`);
  for (const tip of r.events.filter((e) => e.name === "KeeperTipPaid"))
    out.push(`keeper tip: ${formatAmount(tip.args.amount, info)} to ${tip.args.to}`);
  for (const c of r.events.filter((e) => e.name === "Credited"))
    out.push(`credited (withdraw it): ${formatAmount(c.args.amount, info)} to ${c.args.account}`);
  return out;
}

function print(lines: string[], r: TxResult) {
  for (const l of lines) console.log(l);
  console.log(tx(r));
}

/* ---------------------------------------------------------------------------- deploy */

export const deploy = run(
  async (
    args: { parameters: string; deploymentId: string; reset: boolean },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { ethers, networkName, chainId, inProcess } = await connectNetwork(hre, "");
    if (inProcess && hre.globalOptions.network === undefined) {
      throw new UserError(
        `no --network given: ${inProcessHint(networkName, chainId)}. ` +
          "(`npm run deploy -- --network hardhat` is a dry run on the in-process network.)",
      );
    }
    const parameters = args.parameters || path.join("deploy", "parameters", `${networkName}.json`);
    if (!existsSync(parameters)) {
      throw new UserError(
        `${parameters} is missing: copy deploy/parameters/example.json to it and fill in the addresses`,
      );
    }
    // Before anything is sent: the chain must run the opcodes the contracts use.
    await requireCancun(ethers.provider, networkName);
    const id = args.deploymentId || deploymentId(chainId);
    await hre.tasks.getTask(["ignition", "deploy"]).run({
      modulePath: path.join("deploy", "modules", "WorkEscrow.ts"),
      parameters,
      deploymentId: id,
      reset: args.reset,
      // The in-process network vanishes with this process: keep no journal for it, or a later
      // deploy to a real node on the same chain id (31337) would think it was already done.
      writeLocalhostDeployment: false,
    });
    if (process.exitCode) return;
    if (inProcess) {
      console.log(
        `(${networkName} is the in-process network: a dry run, nothing is kept; use --network localhost)`,
      );
      return;
    }
    process.env.WORKESCROW_DEPLOYMENT_ID = id;
    const address = resolveEscrow(hre, chainId, "");
    const file = path.join(deploymentDir(hre, chainId), "deployed_addresses.json");
    const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    console.log(`WorkEscrow deployed at ${address} on ${networkName} (chain ${chainId})`);
    console.log(`  extension      ${all[EXTENSION_FUTURE] ?? "?"}`);
    console.log(
      `  forwarder      ${all[FORWARDER_FUTURE] ?? "?"} (ERC-2771, trusted by the escrow)`,
    );
    console.log(`  community fund ${all[FUND_FUTURE] ?? "?"}`);
    console.log(`addresses: ${file} (${ESCROW_FUTURE})`);
    if (!LOCAL_CHAIN_IDS.includes(chainId)) {
      // The package's record of real deployments (work-escrow/deployments).
      const { writeDeployments } = (await import(
        // @ts-ignore -- a plain .mjs script without types
        "../scripts/package/deployments.mjs"
      )) as { writeDeployments: (root: string) => string[] };
      const written = writeDeployments(hre.config.paths.root);
      if (written.length > 0)
        console.log(
          `package record: deployments.json and sdk/deployments-data.ts updated — commit them with ${path.dirname(file)}/`,
        );
    }
  },
);

/* ----------------------------------------------------------------------- requester */

/** Without --arbitrator, the first arbitrator of the network's deploy parameters. */
function defaultArbitrator(networkName: string): string {
  const file = path.join("deploy", "parameters", `${networkName}.json`);
  type Entry = string | { arbitrator?: string };
  const first = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { WorkEscrow?: { arbitrators?: Entry[] } })
        .WorkEscrow?.arbitrators?.[0]
    : undefined;
  const address = typeof first === "string" ? first : first?.arbitrator;
  if (!address)
    throw new UserError(`--arbitrator <address> is required (${file} lists no arbitrator)`);
  return address;
}

/**
 * `--deadline`: a duration from the latest block, an ISO date or unix seconds, within the escrow's
 * bounds (MIN_WORK_TIME .. MAX_DURATION from now); unix milliseconds are refused, not read as
 * seconds thousands of years ahead.
 */
function deadlineArg(text: string, now: bigint, b: Bounds): bigint {
  let deadline: bigint;
  try {
    deadline = parseDeadline(text, now);
  } catch (err) {
    throw new UserError(`--deadline: ${(err as Error).message}`);
  }
  if (deadline > now + b.maxDuration)
    throw new UserError(
      `--deadline ${text} is ${formatTime(deadline)}: more than ${formatDuration(b.maxDuration)} ahead ` +
        `(the escrow's MAX_DURATION; the latest is ${formatTime(now + b.maxDuration)})`,
    );
  if (deadline < now + b.minWorkTime + 1n)
    throw new UserError(
      `--deadline ${text} is ${formatTime(deadline)}: it must leave at least ${formatDuration(b.minWorkTime)} of work ` +
        `(the earliest is ${formatTime(now + b.minWorkTime + 1n)})`,
    );
  return deadline;
}

function parseJobType(text: string): number {
  const t = JobType[(text.charAt(0).toUpperCase() + text.slice(1)) as keyof typeof JobType];
  if (t === undefined) throw new UserError(`--type ${text}: use compute, storage or agent`);
  return t;
}

export const create = run(
  async (
    args: CommonArgs & {
      amount: string;
      token: string;
      provider: string;
      deadline: string;
      review: string;
      type: string;
      spec: string;
      specFile: string;
      arbitrator: string;
      approvers: string;
      threshold: string;
      bond: string;
      tip: string;
      verifier: string;
      verifierFee: string;
      bidsOnly: boolean;
      agentId: string;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { client, signer, signers, now, networkName } = await connect(hre, args);
    const token = args.token ? addressArg("token", args.token) : NATIVE;
    const info = await tokenInfo(signer, token);
    if (!args.amount) throw new UserError("--amount is required (in whole tokens, e.g. 1.5)");
    const amount = parseAmount(args.amount, info.decimals, "amount");
    const providerBond = args.bond ? parseAmount(args.bond, info.decimals, "bond") : 0n;
    const keeperTip = args.tip ? parseAmount(args.tip, info.decimals, "tip") : 0n;
    const jobType = parseJobType(args.type);
    const approvers = args.approvers
      ? args.approvers.split(",").map((a) => accountArg("approvers", a.trim(), signers))
      : [];
    if (args.threshold && !/^\d+$/.test(args.threshold))
      throw new UserError(`--threshold ${args.threshold} must be a whole number of approvals`);
    const threshold = args.threshold ? Number(args.threshold) : approvers.length;
    const verifier = args.verifier ? accountArg("verifier", args.verifier, signers) : NATIVE;
    if (args.verifierFee && verifier === NATIVE)
      throw new UserError("--verifier-fee needs --verifier <address>");
    const verifierFeeBps = args.verifierFee ? parseBps(args.verifierFee, "verifier-fee", 1_000) : 0;
    if (args.agentId && !/^\d+$/.test(args.agentId))
      throw new UserError(
        `--agent-id ${args.agentId} must be a whole number (an ERC-8004 agent id)`,
      );
    const arbitrator = args.arbitrator || defaultArbitrator(networkName);
    const t = await now();
    const deadline = deadlineArg(args.deadline, t, await client.bounds());
    let reviewPeriod: bigint;
    try {
      reviewPeriod = parseDuration(args.review);
    } catch (err) {
      throw new UserError(`--review: ${(err as Error).message}`);
    }
    const jobHash = hashFromArgs(args.spec, args.specFile, "spec", hashContent);
    await requireFunds(
      signer,
      token,
      signer.address,
      amount + keeperTip,
      info,
      `--amount ${args.amount}` + (keeperTip > 0n ? ` with --tip ${args.tip}` : ""),
    );
    // The SDK checks every term against the contract's bounds (and simulates) before it approves
    // a token or sends anything.
    const r = await client.createJob({
      amount,
      token,
      deadline,
      jobHash,
      arbitrator: accountArg("arbitrator", arbitrator, signers),
      provider: args.provider ? accountArg("provider", args.provider, signers) : NATIVE,
      reviewPeriod,
      jobType,
      approvers,
      threshold,
      providerBond,
      keeperTip,
      verifier,
      verifierFeeBps,
      bidsOnly: args.bidsOnly,
      agentRequired: args.agentId !== "",
      agentId: args.agentId ? BigInt(args.agentId) : 0n,
    });
    const created = event(r, "JobCreated")!;
    const lines = [
      `job ${r.jobId} created: ${formatAmount(created.args.amount, info)} escrowed, ` +
        `deadline ${formatTime(deadline)}, spec hash ${jobHash}`,
    ];
    const terms: string[] = [];
    if (providerBond > 0n) terms.push(`bond ${formatAmount(providerBond, info)}`);
    if (keeperTip > 0n) terms.push(`keeper tip ${formatAmount(keeperTip, info)}`);
    if (verifier !== NATIVE) terms.push(`verifier ${verifier} (fee ${verifierFeeBps} bps)`);
    if (args.bidsOnly) terms.push("bids only");
    if (args.agentId) terms.push(`provider must own ERC-8004 agent #${args.agentId}`);
    if (terms.length > 0) lines.push(`  terms: ${terms.join(", ")}`);
    print(lines, r);
  },
);

export const cancel = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const { info } = await jobAndToken(client, args.jobId);
  const r = await client.cancel(args.jobId);
  const e = event(r, "JobCancelled")!;
  print(
    [
      `job ${r.jobId} cancelled: ${formatAmount(e.args.amount, info)} returned to the requester`,
      ...extras(r, info),
    ],
    r,
  );
});

/** "job 7 released: 0.985 ETH to the provider 0x…, fees …" from a JobReleased event. */
function releasedLine(r: TxResult, info: TokenInfo): string {
  const e = event(r, "JobReleased")!;
  return (
    `job ${r.jobId} released: ${formatAmount(e.args.providerAmount, info)} to the provider ${e.args.provider}, ` +
    `fees ${formatAmount(e.args.platformFee, info)} platform + ${formatAmount(e.args.communityFee, info)} community`
  );
}

export const release = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const { info } = await jobAndToken(client, args.jobId);
  const r = await client.release(args.jobId);
  print([releasedLine(r, info), ...extras(r, info)], r);
});

/** `--amount` of a partial payment: a positive amount of the job's token, at most what remains. */
function partialAmount(text: string, job: JobView, info: TokenInfo): bigint {
  if (!text) throw new UserError("--amount is required (in whole tokens, e.g. 0.25)");
  const amount = parseAmount(text, info.decimals, "amount");
  if (amount <= 0n || amount > job.amount)
    throw new UserError(
      `--amount ${text} must be more than 0 and at most the ${formatAmount(job.amount, info)} that remains in job ${job.id}`,
    );
  return amount;
}

export const releasePart = run(
  async (args: JobArgs & { amount: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const { job, info } = await jobAndToken(client, args.jobId);
    const r = await client.releasePartial(job.id, partialAmount(args.amount, job, info));
    const part = event(r, "JobPartiallyReleased");
    if (!part) return print([releasedLine(r, info) + " (nothing remained)", ...extras(r, info)], r);
    print(
      [
        `job ${r.jobId}: paid ${formatAmount(part.args.gross, info)} of the amount now: ` +
          `${formatAmount(part.args.providerAmount, info)} to the provider, fees ${formatAmount(part.args.platformFee, info)} platform + ` +
          `${formatAmount(part.args.communityFee, info)} community; ${formatAmount(part.args.remaining, info)} remains`,
      ],
      r,
    );
  },
);

/* ------------------------------------------------------------------------ provider */

export const accept = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client, signer } = await connect(hre, args);
  const { job, info } = await jobAndToken(client, args.jobId);
  if (job.status === Status.Open && !job.bondPosted)
    await requireFunds(
      signer,
      job.token,
      signer.address,
      job.providerBond,
      info,
      `job ${job.id}'s bond`,
    );
  const r = await client.accept(args.jobId);
  const bond = event(r, "BondPosted");
  print(
    [
      `job ${r.jobId} accepted by ${signer.address}` +
        (bond ? `, bond ${formatAmount(bond.args.amount, info)} posted` : ""),
    ],
    r,
  );
});

export const submit = run(
  async (
    args: JobArgs & { result: string; resultFile: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const hash = hashFromArgs(args.result, args.resultFile, "result", hashContent);
    const { client } = await connect(hre, args);
    await jobAndToken(client, args.jobId);
    const r = await client.submit(args.jobId, hash);
    const job = await client.getJob(r.jobId);
    print(
      [
        `job ${r.jobId} submitted: result hash ${hash}; review window until ` +
          formatTime(job.submittedAt + job.reviewPeriod),
      ],
      r,
    );
  },
);

export const refundPart = run(
  async (args: JobArgs & { amount: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const { job, info } = await jobAndToken(client, args.jobId);
    const r = await client.refundPartial(job.id, partialAmount(args.amount, job, info));
    const part = event(r, "JobPartiallyRefunded");
    const refunded = event(r, "JobRefunded");
    const lines = part
      ? [
          `job ${r.jobId}: ${formatAmount(part.args.amount, info)} returned to the requester; ` +
            `${formatAmount(part.args.remaining, info)} remains`,
        ]
      : [
          `job ${r.jobId} refunded: ${formatAmount(refunded!.args.amount, info)} returned to the requester (nothing remains)`,
          ...extras(r, info),
        ];
    print(lines, r);
  },
);

/* ------------------------------------------------------------ approver, verifier */

export const approve = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const { info } = await jobAndToken(client, args.jobId);
  const r = await client.approve(args.jobId);
  const approved = event(r, "WorkApproved")!;
  const lines = [`job ${r.jobId} approved (${approved.args.approvals} approval(s))`];
  if (event(r, "JobReleased"))
    lines.push(`threshold met: ${releasedLine(r, info)}`, ...extras(r, info));
  print(lines, r);
});

export const verify = run(
  async (args: JobArgs & { approve: boolean; reject: boolean }, hre: HardhatRuntimeEnvironment) => {
    if (args.approve === args.reject)
      throw new UserError("give exactly one of --approve or --reject");
    const { client } = await connect(hre, args);
    const { info } = await jobAndToken(client, args.jobId);
    const r = await client.verify(args.jobId, args.approve);
    const v = event(r, "WorkVerified")!;
    const lines = [
      `job ${r.jobId} ${args.approve ? "approved" : "rejected"} by its verifier; fee ${formatAmount(v.args.fee, info)} credited to the verifier`,
    ];
    if (event(r, "JobReleased")) lines.push(releasedLine(r, info), ...extras(r, info));
    else {
      const job = await client.getJob(r.jobId);
      lines.push(
        `the provider may dispute until ${formatTime(job.submittedAt + job.reviewPeriod - 1n)}; ` +
          `from ${formatTime(job.submittedAt + job.reviewPeriod)} anyone refunds the requester (bond forfeited)`,
      );
    }
    print(lines, r);
  },
);

/* -------------------------------------------------------------------------- anyone */

export const refund = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const { info } = await jobAndToken(client, args.jobId);
  const r = await client.refund(args.jobId);
  const e = event(r, "JobRefunded")!;
  print(
    [
      `job ${r.jobId} refunded: ${formatAmount(e.args.amount, info)} to the requester`,
      ...extras(r, info),
    ],
    r,
  );
});

/** "… resolved: X to the provider, Y to the requester, fees …" from a DisputeResolved event. */
function resolvedLine(r: TxResult, info: TokenInfo, how: string): string {
  const e = event(r, "DisputeResolved")!;
  const arbitration = e.args.arbitrationFee as bigint;
  return (
    `job ${r.jobId} ${how}: ${formatAmount(e.args.providerAmount, info)} to the provider, ` +
    `${formatAmount(e.args.requesterAmount, info)} to the requester, fees ${formatAmount(e.args.platformFee, info)} platform + ` +
    `${formatAmount(e.args.communityFee, info)} community` +
    (arbitration > 0n ? ` + ${formatAmount(arbitration, info)} arbitration` : "")
  );
}

export const settleStale = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const { info } = await jobAndToken(client, args.jobId);
  const r = await client.settleStale(args.jobId);
  print(
    [
      resolvedLine(r, info, "settled 50/50 (nobody ruled within the arbitration period)"),
      ...extras(r, info),
    ],
    r,
  );
});

export const finalize = run(
  async (
    args: CommonArgs & { jobIds: string[]; allOpen: boolean },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { client, signer, chainId } = await connect(hre, args);
    if (args.allOpen === args.jobIds.length > 0)
      throw new UserError("give job ids (escrow:finalize 3 7 9) or --all-open, not both");
    const ids = args.allOpen
      ? await client.finalizable({ fromBlock: deploymentBlock(hre, chainId, client.address) })
      : args.jobIds.map((id) => {
          if (!/^\d+$/.test(id)) throw new UserError(`job id ${id} is not a number`);
          return parseJobId(BigInt(id));
        });
    if (ids.length === 0) {
      console.log("nothing to finalise: no job has an open permissionless exit");
      return;
    }
    const r = await client.finalize(ids);
    const lines = [
      `finalised ${r.finalized.length} of ${ids.length} job(s): ${r.finalized.map((id) => `#${id}`).join(" ") || "none"}`,
    ];
    for (const [id, tip] of r.tips) {
      const info = await tokenInfo(signer, (await client.getJob(id)).token);
      lines.push(`  keeper tip from job ${id}: ${formatAmount(tip, info)} to ${signer.address}`);
    }
    const skipped = ids.filter((id) => !r.finalized.includes(id));
    if (skipped.length > 0)
      lines.push(`  skipped (not finalisable now): ${skipped.map((id) => `#${id}`).join(" ")}`);
    print(lines, r);
  },
);

/* ------------------------------------------------------------------------ disputes */

export const dispute = run(
  async (args: JobArgs & { reason: string }, hre: HardhatRuntimeEnvironment) => {
    const { client, signer } = await connect(hre, args);
    const { job, info } = await jobAndToken(client, args.jobId);
    if (job.status === Status.Submitted)
      await requireFunds(
        signer,
        job.token,
        signer.address,
        disputeDeposit(job),
        info,
        `job ${job.id}'s dispute deposit`,
      );
    const r = await client.dispute(args.jobId, args.reason);
    const e = event(r, "DisputeRaised")!;
    const after = await client.getJob(r.jobId);
    print(
      [
        `job ${r.jobId} disputed, deposit ${formatAmount(e.args.deposit, info)} paid ` +
          `(forfeited to the other party if the ruling goes fully against you); ` +
          `the arbitrator ${after.arbitrator} can rule until ${formatTime(after.disputedAt + after.arbitrationPeriod - 1n)}`,
      ],
      r,
    );
  },
);

export const evidence = run(
  async (args: JobArgs & { uri: string }, hre: HardhatRuntimeEnvironment) => {
    if (!args.uri) throw new UserError("--uri is required");
    const { client } = await connect(hre, args);
    await jobAndToken(client, args.jobId);
    const r = await client.evidence(args.jobId, args.uri);
    print([`job ${r.jobId}: evidence published (${args.uri})`], r);
  },
);

export const propose = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const bps = parseBps(args.bps);
    const { client } = await connect(hre, args);
    await jobAndToken(client, args.jobId);
    const r = await client.propose(args.jobId, bps);
    print(
      [
        `job ${r.jobId}: offered the provider ${bps} bps (${bps / 100}%)` +
          (bps === 0 ? " (a mutual cancellation)" : "") +
          "; the other party can accept it",
      ],
      r,
    );
  },
);

export const acceptSettlement = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const { job, info } = await jobAndToken(client, args.jobId);
    if (job.proposer === NATIVE) throw new UserError(`job ${job.id} has no standing offer`);
    // Without --bps, accept the standing offer as it is now (it is re-checked on-chain).
    const bps = args.bps ? parseBps(args.bps) : job.proposalBps;
    const r = await client.acceptSettlement(job.id, bps);
    print(
      [
        resolvedLine(r, info, `settled by agreement at ${bps} bps to the provider`),
        ...extras(r, info),
      ],
      r,
    );
  },
);

export const resolve = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const bps = parseBps(args.bps);
    const { client } = await connect(hre, args);
    const { info } = await jobAndToken(client, args.jobId);
    const r = await client.resolve(args.jobId, bps);
    print(
      [resolvedLine(r, info, `resolved by the arbitrator at ${bps} bps`), ...extras(r, info)],
      r,
    );
  },
);

/* ------------------------------------------------------------------------- credits */

export const withdraw = run(
  async (args: CommonArgs & { token: string; to: string }, hre: HardhatRuntimeEnvironment) => {
    const { client, signer } = await connect(hre, args);
    const token = args.token ? addressArg("token", args.token) : NATIVE;
    const to = args.to ? addressArg("to", args.to) : undefined;
    const info = await tokenInfo(signer, token);
    const r = await client.withdraw(token, to);
    const e = event(r, "Withdrawn")!;
    print([`withdrew ${formatAmount(e.args.amount, info)} to ${e.args.to}`], r);
  },
);

/* --------------------------------------------------------------------------- reads */

const yes = (b: boolean) => (b ? "yes" : "no");

export const show = run(async (args: JobArgs & { as: string }, hre: HardhatRuntimeEnvironment) => {
  const { client, signers, signer, now, chainId } = await connect(hre, args);
  const { job, info } = await jobAndToken(client, args.jobId);
  const jobId = job.id;
  const who = args.as ? accountArg("as", args.as, signers) : signer.address;
  // An idle local node mines no blocks: its latest block time can be far behind the clock. Windows
  // are shown against whichever is later (the next block is mined at least then), and we say which.
  const blockTime = await now();
  const wall = BigInt(Math.floor(Date.now() / 1000));
  const t = blockTime > wall ? blockTime : wall;
  const clock =
    blockTime >= wall
      ? `block time ${formatTime(blockTime)}`
      : `clock ${formatTime(wall)}; the latest block is older (${formatTime(blockTime)}): an idle node`;
  const fromBlock = deploymentBlock(hre, chainId, client.address);
  const approvers = await client.approversOf(jobId, { fromBlock });
  const history = await client.events({ fromBlock }, jobId);
  const amount = (v: bigint) => formatAmount(v, info);
  const lines: [string, string][] = [
    ["status", Status[job.status]],
    ["requester", job.requester],
    [
      "provider",
      job.provider === NATIVE
        ? job.bidsOnly
          ? "(none yet: bids only, see escrow:bids and escrow:award)"
          : "(open: anyone may accept)"
        : job.provider,
    ],
    [
      "amount",
      // Released, Refunded, Cancelled and Resolved are the endings: nothing remains in an ended job.
      `${amount(job.amount)}${job.token === NATIVE ? "" : ` (${job.token})`} ${job.status >= Status.Released ? "settled (the job has ended)" : "remaining"}`,
    ],
  ];
  if (job.released > 0n) lines.push(["released so far", amount(job.released)]);
  if (job.refunded > 0n) lines.push(["refunded so far", amount(job.refunded)]);
  lines.push(
    ["deadline", `${formatTime(job.deadline)}${t > job.deadline ? " (passed)" : ""}`],
    ["review period", formatDuration(job.reviewPeriod)],
    ["type", JobType[job.jobType] ?? String(job.jobType)],
    ["spec hash", job.jobHash],
    [
      "arbitrator",
      `${job.arbitrator} (rules within ${formatDuration(job.arbitrationPeriod)} of a dispute)`,
    ],
    [
      "fees",
      `${job.platformFeeBps} platform / ${job.communityFeeBps} community / ${job.arbitrationFeeBps} arbitration (bps)`,
    ],
  );
  if (job.providerBond > 0n)
    lines.push([
      "bond",
      `${amount(job.providerBond)} (${job.bondPosted ? "posted" : job.status === Status.Open ? "posted on acceptance" : "none held"})`,
    ]);
  if (job.keeperTip > 0n)
    lines.push(["keeper tip", `${amount(job.keeperTip)} to whoever finalises it permissionlessly`]);
  if (job.verifier !== NATIVE)
    lines.push([
      "verifier",
      `${job.verifier} (fee ${job.verifierFeeBps} bps; verdict ${Verdict[job.verdict]})`,
    ]);
  if (job.bidsOnly) lines.push(["bids only", yes(job.bidsOnly)]);
  if (job.agentRequired) lines.push(["agent required", `ERC-8004 agent #${job.agentId}`]);
  if (approvers.length > 0)
    lines.push([
      "approvers",
      `${approvers.join(", ")} (${job.approvals}/${job.threshold} approved)`,
    ]);
  if (job.submittedAt > 0n) {
    lines.push(["result hash", job.resultHash]);
    lines.push(["submitted", formatTime(job.submittedAt)]);
    lines.push(["review ends", formatTime(job.submittedAt + job.reviewPeriod)]);
  }
  if (job.status === Status.Submitted)
    lines.push(["dispute deposit", `${amount(disputeDeposit(job))} to dispute now`]);
  if (job.disputedAt > 0n) {
    lines.push(["disputed", `${formatTime(job.disputedAt)} by ${job.disputedBy}`]);
    const raised = history.filter((e) => e.name === "DisputeRaised").at(-1);
    if (raised) lines.push(["dispute reason", JSON.stringify(String(raised.args.reason))]);
    lines.push(["deposit held", amount(job.disputeDeposit)]);
    lines.push(["arbitration ends", formatTime(job.disputedAt + job.arbitrationPeriod)]);
  }
  for (const e of history.filter((e) => e.name === "EvidenceSubmitted"))
    lines.push(["evidence", `${e.args.uri} (from ${e.args.party})`]);
  if (job.proposer !== NATIVE)
    lines.push(["offer", `${job.proposalBps} bps to the provider, from ${job.proposer}`]);
  const resolved = history.find((e) => e.name === "DisputeResolved");
  if (resolved) {
    const a = resolved.args as Record<string, bigint>;
    const how = ["ruled by the arbitrator", "agreed by the parties", "stale: split 50/50"][
      Number(a.resolution)
    ];
    lines.push([
      "split",
      `${Number(a.providerBps) / 100}% to the provider (${how}): ${amount(a.providerAmount)} to the provider, ` +
        `${amount(a.requesterAmount)} to the requester, fees ${amount(a.platformFee + a.communityFee + a.arbitrationFee)}`,
    ]);
  }
  console.log(`job ${jobId}`);
  for (const [k, v] of lines) console.log(`  ${k.padEnd(17)}${v}`);
  const actions = nextActions(job, who, t, await client.accountContext(job, who));
  console.log(`next for ${who} (${clock}):`);
  if (actions.length === 0) console.log("  nothing: the job is final");
  for (const a of actions) {
    const when =
      a.from !== undefined
        ? ` from ${formatTime(a.from)}`
        : a.until !== undefined
          ? ` now, until ${formatTime(a.until)}`
          : " now";
    const money = [
      a.pays !== undefined ? `pays ${amount(a.pays)}` : "",
      a.earns !== undefined ? `earns ${amount(a.earns)}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    console.log(
      `  escrow:${a.call.padEnd(18)}${a.description}${when}${money ? ` (${money})` : ""}`,
    );
  }
});

export const list = run(
  async (args: CommonArgs & { account: string; api: string }, hre: HardhatRuntimeEnvironment) => {
    const { client: onChain, signer, signers, chainId, networkName } = await connect(hre, args);
    const account = args.account ? accountArg("account", args.account, signers) : signer.address;
    // --api, else WORKESCROW_API_URL (environment or .env): the HTTP API instead of a log scan.
    const apiUrl = args.api || process.env.WORKESCROW_API_URL || undefined;
    const given = args.api ? "--api" : "WORKESCROW_API_URL";
    let client = onChain;
    let jobs;
    const fromBlock = deploymentBlock(hre, chainId, onChain.address);
    try {
      if (apiUrl !== undefined) {
        client = new EscrowClient(onChain.address, onChain.runner, { apiUrl, apiFallback: false });
      }
      jobs = await client.jobsOf(account, { fromBlock });
    } catch (err) {
      if (err instanceof EscrowError && /^(Api|BadApiUrl)/.test(err.decoded.name)) {
        throw new UserError(
          `${given}: ${err.message.replace(/^\w+: /, "")}` +
            (err.decoded.name === "ApiUnreachable"
              ? ` (start it with \`npm run api -- --network ${networkName}\`, or leave out ${given} to scan logs)`
              : ""),
        );
      }
      throw err;
    }
    const source = client.jobsOfSource;
    console.log(
      source?.source === "api"
        ? `source: the API at ${source.url} (indexed up to block ${source.indexedBlock})`
        : `source: the escrow's logs from block ${fromBlock}`,
    );
    console.log(`${jobs.length} job(s) for ${account}`);
    const tokens = new Map<string, TokenInfo>();
    for (const m of jobs) {
      const job = await onChain.getJob(m.jobId);
      if (!tokens.has(job.token)) tokens.set(job.token, await tokenInfo(signer, job.token));
      console.log(
        `  #${String(m.jobId).padEnd(5)}${Status[job.status].padEnd(10)}${formatAmount(job.amount, tokens.get(job.token)!).padEnd(22)}` +
          `deadline ${formatTime(job.deadline)}  as ${m.roles.join(", ")}`,
      );
    }
  },
);

/* --------------------------------------------------------------------------- admin */

const ADMIN_USAGE = `usage: escrow:admin <action> [values]
  status                                     admin, fees, recipients, pause state, job count, registry
  set-fees <platform> <community> <arbitration>   basis points
  set-recipients <treasury> <communityFund>
  set-arbitrator <address> <true|false> [--period 14d]   arbitration period 1d..90d (default 7d)
  arbitrator <address>                       is it registered, and its arbitration period
  set-min <token|native> <amount in whole tokens>
  pause | unpause
  transfer-admin <address>                   step 1 of 2 (Ownable2Step)
  accept-admin                               step 2, by the new admin`;

const ADMIN_ACTIONS = [
  "status",
  "set-fees",
  "set-recipients",
  "set-arbitrator",
  "arbitrator",
  "set-min",
  "pause",
  "unpause",
  "transfer-admin",
  "accept-admin",
];

export const admin = run(
  async (
    args: CommonArgs & { action: string; values: string[]; period: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    if (args.action === "help" || args.action === "") {
      console.log(ADMIN_USAGE);
      return;
    }
    if (!ADMIN_ACTIONS.includes(args.action))
      throw new UserError(
        `escrow:admin ${args.action}: no such action; one of ${ADMIN_ACTIONS.join(", ")} (escrow:admin help shows their values)`,
      );
    const v = args.values;
    const need = (n: number) => {
      if (v.length !== n)
        throw new UserError(
          `escrow:admin ${args.action} takes ${n} value(s), got ${v.length}: ${ADMIN_USAGE.split(
            "\n",
          )
            .find((l) => l.trim().startsWith(args.action))
            ?.trim()}`,
        );
    };
    const bps = (text: string, what: string) => {
      if (!/^\d+$/.test(text) || Number(text) > 10_000)
        throw new UserError(
          `set-fees: the ${what} fee ${text} must be a whole number of basis points (0..10000)`,
        );
      return Number(text);
    };
    if (args.period && args.action !== "set-arbitrator")
      throw new UserError("--period only applies to set-arbitrator");
    // Every value is checked before connecting, then the caller's role before anything is sent.
    const { client, signer, signers } = await connect(hre, args);
    const addressValue = (what: string, text: string) => {
      if (/^\d+$/.test(text)) {
        const s = signers[Number(text)];
        if (!s)
          throw new UserError(
            `${args.action} ${text}: the ${what} is an address or an account index, and this network has ${signers.length} account(s)`,
          );
        return s.address;
      }
      if (!isAddress(text))
        throw new UserError(
          `${args.action} ${text}: the ${what} must be an address or an account index`,
        );
      return text;
    };
    const done = (what: string, r: TxResult) => print([what], r);
    const c = await client.config();
    const read = ["status", "arbitrator"].includes(args.action);
    if (
      !read &&
      args.action !== "accept-admin" &&
      c.owner.toLowerCase() !== signer.address.toLowerCase()
    )
      throw new UserError(
        `${signer.address} is not the admin of this escrow (the admin is ${c.owner}): pass --from with the admin's account`,
      );
    switch (args.action) {
      case "status": {
        console.log(`escrow           ${client.address}`);
        console.log(
          `admin            ${c.owner}${c.pendingOwner !== NATIVE ? ` (pending: ${c.pendingOwner})` : ""}`,
        );
        console.log(
          `fees (bps)       platform ${c.platformFeeBps}, community ${c.communityFeeBps}, arbitration ${c.arbitrationFeeBps}`,
        );
        console.log(`treasury         ${c.treasury}`);
        console.log(`community fund   ${c.communityFund} (fee epoch ${c.feeEpoch})`);
        console.log(`paused           ${c.paused}`);
        console.log(`jobs             ${c.jobCount}`);
        console.log(`forwarder        ${c.trustedForwarder} (ERC-2771)`);
        console.log(
          `identity registry ${c.identityRegistry === NATIVE ? "none (no agent-identity jobs)" : c.identityRegistry}`,
        );
        return;
      }
      case "set-fees":
        need(3);
        bps(v[0], "platform");
        bps(v[1], "community");
        bps(v[2], "arbitration");
        return done(
          `fees set to ${v.join("/")} bps (new jobs only)`,
          await client.setFees(
            bps(v[0], "platform"),
            bps(v[1], "community"),
            bps(v[2], "arbitration"),
          ),
        );
      case "set-recipients":
        need(2);
        return done(
          "fee recipients set (a new fee epoch)",
          await client.setFeeRecipients(
            addressValue("treasury", v[0]),
            addressValue("community fund", v[1]),
          ),
        );
      case "set-arbitrator": {
        need(2);
        if (v[1] !== "true" && v[1] !== "false")
          throw new UserError("set-arbitrator <address> <true|false> [--period 14d]");
        const period = args.period ? parseDuration(args.period) : 0n;
        const b = await client.bounds();
        if (period !== 0n && (period < b.minArbitrationPeriod || period > b.maxArbitrationPeriod))
          throw new UserError(
            `--period ${args.period} must be from ${formatDuration(b.minArbitrationPeriod)} to ${formatDuration(b.maxArbitrationPeriod)}`,
          );
        const r = await client.setArbitrator(
          addressValue("arbitrator", v[0]),
          v[1] === "true",
          period,
        );
        const e = event(r, "ArbitratorUpdated")!;
        return done(
          `arbitrator ${v[0]} ${v[1] === "true" ? "registered" : "de-registered"}, arbitration period ${formatDuration(e.args.arbitrationPeriod)} (new jobs only)`,
          r,
        );
      }
      case "arbitrator": {
        need(1);
        const a = await client.arbitratorInfo(addressValue("arbitrator", v[0]));
        console.log(
          `${v[0]}: ${a.registered ? "registered" : "not registered"}, arbitration period ${formatDuration(a.arbitrationPeriod)}`,
        );
        return;
      }
      case "set-min": {
        need(2);
        const token = v[0] === "native" ? NATIVE : addressValue("token", v[0]);
        const amount = parseAmount(v[1], (await tokenInfo(signer, token)).decimals);
        return done(`minimum for ${v[0]} set to ${v[1]}`, await client.setMinAmount(token, amount));
      }
      case "pause":
        return done("paused: no new jobs (every other call stays open)", await client.pause());
      case "unpause":
        return done("unpaused", await client.unpause());
      case "transfer-admin": {
        need(1);
        const to = addressValue("new admin", v[0]);
        return done(
          `admin transfer started: ${to} becomes the admin when it runs escrow:admin accept-admin --from ${v[0]}`,
          await client.transferAdmin(to),
        );
      }
      case "accept-admin":
        if (c.pendingOwner === NATIVE)
          throw new UserError(
            `no admin transfer is pending: the admin (${c.owner}) starts one with escrow:admin transfer-admin <address>`,
          );
        if (c.pendingOwner.toLowerCase() !== signer.address.toLowerCase())
          throw new UserError(
            `${signer.address} is not the pending admin: only ${c.pendingOwner} can accept (pass --from with that account)`,
          );
        return done(`${signer.address} is now the admin`, await client.acceptAdmin());
      default:
        throw new UserError(ADMIN_USAGE);
    }
  },
);
