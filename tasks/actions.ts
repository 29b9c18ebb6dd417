/**
 * The actions of the `escrow:*` tasks: thin adapters from CLI arguments to the SDK's EscrowClient.
 * Every action prints what happened in words; a revert prints the decoded custom error (see `run`).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  ARBITRATION_PERIOD,
  JobType,
  NATIVE,
  Status,
  formatDuration,
  formatTime,
  hashContent,
  parseDeadline,
  parseDuration,
  type TxResult,
} from "../sdk/index.js";
import {
  ESCROW_FUTURE,
  UserError,
  accountArg,
  addressArg,
  connect,
  deploymentBlock,
  deploymentDir,
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

const tx = (r: TxResult) =>
  `tx ${r.receipt.hash} (block ${r.receipt.blockNumber}, gas ${r.receipt.gasUsed})`;

/* ---------------------------------------------------------------------------- deploy */

export const deploy = run(
  async (
    args: { parameters: string; deploymentId: string; reset: boolean },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { ethers, networkName } = await hre.network.getOrCreate();
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const parameters = args.parameters || path.join("deploy", "parameters", `${networkName}.json`);
    if (!existsSync(parameters)) {
      throw new UserError(
        `${parameters} is missing: copy deploy/parameters/example.json to it and fill in the addresses`,
      );
    }
    const deploymentId =
      args.deploymentId || process.env.WORKESCROW_DEPLOYMENT_ID || `chain-${chainId}`;
    await hre.tasks.getTask(["ignition", "deploy"]).run({
      modulePath: path.join("deploy", "modules", "WorkEscrow.ts"),
      parameters,
      deploymentId,
      reset: args.reset,
      // The in-process network vanishes with this process: keep no journal for it, or a later
      // deploy to a real node on the same chain id (31337) would think it was already done.
      writeLocalhostDeployment: false,
    });
    if (process.exitCode) return;
    const edr = hre.config.networks[networkName]?.type === "edr-simulated";
    if (edr) {
      console.log(
        `(${networkName} is the in-process network: a dry run, nothing is kept; use --network localhost)`,
      );
      return;
    }
    process.env.WORKESCROW_DEPLOYMENT_ID = deploymentId;
    const address = resolveEscrow(hre, chainId, "");
    console.log(`WorkEscrow deployed at ${address} on ${networkName} (chain ${chainId})`);
    console.log(
      `addresses: ${path.join(deploymentDir(hre, chainId), "deployed_addresses.json")} (${ESCROW_FUTURE})`,
    );
  },
);

/* ----------------------------------------------------------------------- requester */

/** Without --arbitrator, the first arbitrator of the network's deploy parameters. */
function defaultArbitrator(networkName: string): string {
  const file = path.join("deploy", "parameters", `${networkName}.json`);
  const first = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { WorkEscrow?: { arbitrators?: string[] } })
        .WorkEscrow?.arbitrators?.[0]
    : undefined;
  if (!first)
    throw new UserError(`--arbitrator <address> is required (${file} lists no arbitrator)`);
  return first;
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
      threshold: number;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { client, signer, signers, now, networkName } = await connect(hre, args);
    const token = args.token ? addressArg("token", args.token) : NATIVE;
    const info = await tokenInfo(signer, token);
    if (!args.amount) throw new UserError("--amount is required (in whole tokens, e.g. 1.5)");
    const amount = parseAmount(args.amount, info.decimals);
    const jobType =
      JobType[(args.type.charAt(0).toUpperCase() + args.type.slice(1)) as keyof typeof JobType];
    if (jobType === undefined) throw new UserError(`--type ${args.type}: use compute or storage`);
    const approvers = args.approvers
      ? args.approvers.split(",").map((a) => accountArg("approvers", a.trim(), signers))
      : [];
    const arbitrator = args.arbitrator || defaultArbitrator(networkName);
    const deadline = parseDeadline(args.deadline, await now());
    const jobHash = hashFromArgs(args.spec, args.specFile, "spec", hashContent);
    const r = await client.createJob({
      amount,
      token,
      deadline,
      jobHash,
      arbitrator: accountArg("arbitrator", arbitrator, signers),
      provider: args.provider ? accountArg("provider", args.provider, signers) : NATIVE,
      reviewPeriod: parseDuration(args.review),
      jobType,
      approvers,
      threshold: args.threshold >= 0 ? args.threshold : approvers.length,
    });
    const created = r.events.find((e) => e.name === "JobCreated")!;
    console.log(
      `job ${r.jobId} created: ${formatAmount(created.args.amount, info)} escrowed, ` +
        `deadline ${formatTime(deadline)}, spec hash ${jobHash}`,
    );
    console.log(tx(r));
  },
);

export const cancel = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const r = await client.cancel(parseJobId(args.jobId));
  console.log(`job ${r.jobId} cancelled: payment returned to the requester`);
  console.log(tx(r));
});

export const release = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client, signer } = await connect(hre, args);
  const r = await client.release(parseJobId(args.jobId));
  const e = r.events.find((x) => x.name === "JobReleased")!;
  const info = await tokenInfo(signer, (await client.getJob(r.jobId)).token);
  console.log(
    `job ${r.jobId} released: ${formatAmount(e.args.providerAmount, info)} to the provider ${e.args.provider}, ` +
      `fees ${formatAmount(e.args.platformFee, info)} platform + ${formatAmount(e.args.communityFee, info)} community`,
  );
  console.log(tx(r));
});

/* ------------------------------------------------------------------------ provider */

export const accept = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client, signer } = await connect(hre, args);
  const r = await client.accept(parseJobId(args.jobId));
  console.log(`job ${r.jobId} accepted by ${signer.address}`);
  console.log(tx(r));
});

export const submit = run(
  async (
    args: JobArgs & { result: string; resultFile: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { client } = await connect(hre, args);
    const hash = hashFromArgs(args.result, args.resultFile, "result", hashContent);
    const r = await client.submit(parseJobId(args.jobId), hash);
    const job = await client.getJob(r.jobId);
    console.log(
      `job ${r.jobId} submitted: result hash ${hash}; review window until ` +
        formatTime(job.submittedAt + job.reviewPeriod),
    );
    console.log(tx(r));
  },
);

/* ------------------------------------------------------------------------ approver */

export const approve = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const r = await client.approve(parseJobId(args.jobId));
  const approved = r.events.find((e) => e.name === "WorkApproved")!;
  const released = r.events.some((e) => e.name === "JobReleased");
  console.log(
    `job ${r.jobId} approved (${approved.args.approvals} approval(s))` +
      (released ? ": threshold met, released" : ""),
  );
  console.log(tx(r));
});

/* -------------------------------------------------------------------------- anyone */

export const refund = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const r = await client.refund(parseJobId(args.jobId));
  console.log(`job ${r.jobId} refunded to the requester`);
  console.log(tx(r));
});

export const settleStale = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { client } = await connect(hre, args);
  const r = await client.settleStale(parseJobId(args.jobId));
  console.log(`job ${r.jobId} settled 50/50 (nobody ruled within the arbitration period)`);
  console.log(tx(r));
});

/* ------------------------------------------------------------------------ disputes */

export const dispute = run(
  async (args: JobArgs & { reason: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const r = await client.dispute(parseJobId(args.jobId), args.reason);
    const job = await client.getJob(r.jobId);
    console.log(
      `job ${r.jobId} disputed; the arbitrator ${job.arbitrator} can rule until ${formatTime(job.disputedAt + ARBITRATION_PERIOD - 1n)}`,
    );
    console.log(tx(r));
  },
);

export const evidence = run(
  async (args: JobArgs & { uri: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    if (!args.uri) throw new UserError("--uri is required");
    const r = await client.evidence(parseJobId(args.jobId), args.uri);
    console.log(`job ${r.jobId}: evidence published (${args.uri})`);
    console.log(tx(r));
  },
);

export const propose = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const bps = parseBps(args.bps);
    const r = await client.propose(parseJobId(args.jobId), bps);
    console.log(
      `job ${r.jobId}: offered the provider ${bps} bps (${bps / 100}%); the other party can accept it`,
    );
    console.log(tx(r));
  },
);

export const acceptSettlement = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const jobId = parseJobId(args.jobId);
    // Without --bps, accept the standing offer as it is now (it is re-checked on-chain).
    const bps = args.bps ? parseBps(args.bps) : (await client.getJob(jobId)).proposalBps;
    const r = await client.acceptSettlement(jobId, bps);
    console.log(`job ${r.jobId} settled by agreement: ${bps} bps to the provider`);
    console.log(tx(r));
  },
);

export const resolve = run(
  async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
    const { client } = await connect(hre, args);
    const bps = parseBps(args.bps);
    const r = await client.resolve(parseJobId(args.jobId), bps);
    console.log(`job ${r.jobId} resolved by the arbitrator: ${bps} bps to the provider`);
    console.log(tx(r));
  },
);

/* ------------------------------------------------------------------------- credits */

export const withdraw = run(
  async (args: CommonArgs & { token: string; to: string }, hre: HardhatRuntimeEnvironment) => {
    const { client, signer } = await connect(hre, args);
    const token = args.token ? addressArg("token", args.token) : NATIVE;
    const info = await tokenInfo(signer, token);
    const r = await client.withdraw(token, args.to ? addressArg("to", args.to) : undefined);
    const e = r.events.find((x) => x.name === "Withdrawn")!;
    console.log(`withdrew ${formatAmount(e.args.amount, info)} to ${e.args.to}`);
    console.log(tx(r));
  },
);

/* --------------------------------------------------------------------------- reads */

export const show = run(async (args: JobArgs & { as: string }, hre: HardhatRuntimeEnvironment) => {
  const { client, signer, signers, now, chainId } = await connect(hre, args);
  const jobId = parseJobId(args.jobId);
  const job = await client.getJob(jobId);
  if (job.status === Status.None)
    throw new UserError(`job ${jobId} does not exist (jobs: ${await client.contract.jobCount()})`);
  const info = await tokenInfo(signer, job.token);
  const who = args.as ? accountArg("as", args.as, signers) : signer.address;
  const t = await now();
  const approvers = await client.approversOf(jobId, {
    fromBlock: deploymentBlock(hre, chainId, client.address),
  });
  const lines: [string, string][] = [
    ["status", Status[job.status]],
    ["requester", job.requester],
    ["provider", job.provider === NATIVE ? "(open: anyone may accept)" : job.provider],
    ["amount", `${formatAmount(job.amount, info)}${job.token === NATIVE ? "" : ` (${job.token})`}`],
    ["deadline", `${formatTime(job.deadline)}${t > job.deadline ? " (passed)" : ""}`],
    ["review period", formatDuration(job.reviewPeriod)],
    ["type", JobType[job.jobType] ?? String(job.jobType)],
    ["spec hash", job.jobHash],
    ["arbitrator", job.arbitrator],
    [
      "fees",
      `${job.platformFeeBps} platform / ${job.communityFeeBps} community / ${job.arbitrationFeeBps} arbitration (bps)`,
    ],
  ];
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
  if (job.disputedAt > 0n) {
    lines.push(["disputed", `${formatTime(job.disputedAt)} by ${job.disputedBy}`]);
    lines.push(["arbitration ends", formatTime(job.disputedAt + ARBITRATION_PERIOD)]);
    if (job.proposer !== NATIVE)
      lines.push(["offer", `${job.proposalBps} bps to the provider, from ${job.proposer}`]);
  }
  console.log(`job ${jobId}`);
  for (const [k, v] of lines) console.log(`  ${k.padEnd(17)}${v}`);
  const actions = await client.nextActions(jobId, who);
  console.log(`next for ${who} (block time ${formatTime(t)}):`);
  if (actions.length === 0) console.log("  nothing: the job is final");
  for (const a of actions) {
    const when =
      a.from !== undefined
        ? ` from ${formatTime(a.from)}`
        : a.until !== undefined
          ? ` until ${formatTime(a.until)}`
          : " now";
    console.log(`  escrow:${a.call.padEnd(18)}${a.description}${when}`);
  }
});

export const list = run(
  async (args: CommonArgs & { account: string }, hre: HardhatRuntimeEnvironment) => {
    const { client, signer, signers, chainId } = await connect(hre, args);
    const account = args.account ? accountArg("account", args.account, signers) : signer.address;
    const jobs = await client.jobsOf(account, {
      fromBlock: deploymentBlock(hre, chainId, client.address),
    });
    console.log(`${jobs.length} job(s) for ${account}`);
    const tokens = new Map<string, { symbol: string; decimals: number }>();
    for (const m of jobs) {
      const job = await client.getJob(m.jobId);
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
  status                                     owner, fees, recipients, pause state, job count
  set-fees <platform> <community> <arbitration>   basis points
  set-recipients <treasury> <communityFund>
  set-arbitrator <address> <true|false>
  set-min <token|native> <amount in whole tokens>
  pause | unpause
  transfer-admin <address>                   step 1 of 2 (Ownable2Step)
  accept-admin                               step 2, by the new admin`;

export const admin = run(
  async (
    args: CommonArgs & { action: string; values: string[] },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { client, signer } = await connect(hre, args);
    const c = client.contract;
    const v = args.values;
    const need = (n: number) => {
      if (v.length !== n) throw new UserError(`${args.action} takes ${n} value(s)\n${ADMIN_USAGE}`);
    };
    const send = async (what: string, call: () => Promise<{ wait: () => Promise<unknown> }>) => {
      const t = await call();
      await t.wait();
      console.log(what);
    };
    switch (args.action) {
      case "status": {
        console.log(`escrow           ${client.address}`);
        console.log(
          `admin            ${await c.owner()}${(await c.pendingOwner()) !== NATIVE ? ` (pending: ${await c.pendingOwner()})` : ""}`,
        );
        console.log(
          `fees (bps)       platform ${await c.platformFeeBps()}, community ${await c.communityFeeBps()}, arbitration ${await c.arbitrationFeeBps()}`,
        );
        console.log(`treasury         ${await c.treasury()}`);
        console.log(`community fund   ${await c.communityFund()}`);
        console.log(`paused           ${await c.paused()}`);
        console.log(`jobs             ${await c.jobCount()}`);
        return;
      }
      case "set-fees":
        need(3);
        return send(`fees set to ${v.join("/")} bps`, () =>
          c.connect(signer).setFees(Number(v[0]), Number(v[1]), Number(v[2])),
        );
      case "set-recipients":
        need(2);
        return send(`fee recipients set`, () =>
          c
            .connect(signer)
            .setFeeRecipients(addressArg("treasury", v[0]), addressArg("communityFund", v[1])),
        );
      case "set-arbitrator":
        need(2);
        if (v[1] !== "true" && v[1] !== "false")
          throw new UserError("set-arbitrator <address> <true|false>");
        return send(`arbitrator ${v[0]} ${v[1] === "true" ? "registered" : "de-registered"}`, () =>
          c.connect(signer).setArbitrator(addressArg("arbitrator", v[0]), v[1] === "true"),
        );
      case "set-min": {
        need(2);
        const token = v[0] === "native" ? NATIVE : addressArg("token", v[0]);
        const amount = parseAmount(v[1], (await tokenInfo(signer, token)).decimals);
        return send(`minimum for ${v[0]} set to ${v[1]}`, () =>
          c.connect(signer).setMinAmount(token, amount),
        );
      }
      case "pause":
        return send("paused: no new jobs", () => c.connect(signer).pause());
      case "unpause":
        return send("unpaused", () => c.connect(signer).unpause());
      case "transfer-admin":
        need(1);
        return send(`admin transfer started: ${v[0]} must run accept-admin`, () =>
          c.connect(signer).transferOwnership(addressArg("to", v[0])),
        );
      case "accept-admin":
        return send(`${signer.address} is now the admin`, () =>
          c.connect(signer).acceptOwnership(),
        );
      default:
        throw new UserError(ADMIN_USAGE);
    }
  },
);
