/**
 * Actions of the arbitration tasks (./arbitration.ts): thin adapters from CLI arguments to
 * sdk/arbitration.ts. Each prints what happened in words; a revert prints the decoded custom error.
 */
import { formatEther, isAddress, parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import {
  ArbitrationError,
  CommitteeClient,
  CourtClient,
  arbitrationBackend,
  describeArbitration,
  type ArbitrationBackend,
  type ArbitrationTx,
} from "../sdk/arbitration.js";
import { NATIVE } from "../sdk/types.js";
import {
  UserError,
  connectNetwork,
  formatAmount,
  parseBps,
  parseJobId,
  pickSigner,
  resolveEscrow,
  tokenInfo,
  type CommonArgs,
} from "./context.js";

type JobArgs = CommonArgs & { jobId: bigint };

const tx = (r: ArbitrationTx) =>
  `tx ${r.receipt.hash} (block ${r.receipt.blockNumber}, gas ${r.receipt.gasUsed})`;

/** Like context.run, with the committee's and the adapter's errors decoded too. */
function run<A>(body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await body(args, hre);
    } catch (err) {
      const message =
        err instanceof UserError || err instanceof ArbitrationError
          ? err.message
          : ((err as { shortMessage?: string }).shortMessage ?? String(err));
      console.error(`error: ${message}`);
      process.exitCode = 1;
    }
  };
}

/** The network, the signer, the escrow, and job `jobId`'s arbitrator when it is the expected backend. */
async function jobArbitrator(
  hre: HardhatRuntimeEnvironment,
  args: JobArgs,
  expected?: ArbitrationBackend,
) {
  const net = await connectNetwork(hre, args.from);
  const escrow = resolveEscrow(hre, net.chainId, args.escrow);
  await net.requireCode(escrow);
  const jobId = parseJobId(args.jobId);
  const job = await IWorkEscrow__factory.connect(escrow, net.signer).getJob(jobId);
  if (job.status === 0n) throw new UserError(`job ${jobId} does not exist`);
  const backend = await arbitrationBackend(net.signer, job.arbitrator);
  if (expected && backend !== expected) {
    throw new UserError(
      `job ${jobId}'s arbitrator ${job.arbitrator} is ${backend === "account" ? "an account" : `a ${backend}`}, not a ${expected === "court" ? "court adapter" : expected}`,
    );
  }
  return { ...net, escrow, jobId, job };
}

function ethArg(text: string): bigint | undefined {
  if (!text) return undefined;
  try {
    return parseEther(text);
  } catch {
    throw new UserError(`--value ${text} is not an amount of native coin`);
  }
}

export const vote = run(async (args: JobArgs & { bps: string }, hre: HardhatRuntimeEnvironment) => {
  const { signer, jobId, job } = await jobArbitrator(hre, args, "committee");
  const bps = parseBps(args.bps);
  const r = await new CommitteeClient(job.arbitrator, signer).vote(jobId, bps);
  const voted = r.events.find((e) => e.name === "Voted")!;
  console.log(
    `job ${jobId}: ${signer.address} voted ${bps} bps (${bps / 100}%) to the provider; ${voted.args.votes} vote(s) cast`,
  );
  const ruled = r.events.find((e) => e.name === "RulingExecuted");
  if (ruled) {
    const owed = r.events.some((e) => e.name === "FeeOwed");
    console.log(
      `quorum reached: the median ${ruled.args.providerBps} bps was executed on the escrow; ` +
        (owed
          ? `fee ${formatEther(ruled.args.fee)} could not be withdrawn now: anyone may collect it later (escrow:arbitration-collect-fee)`
          : `fee ${formatEther(ruled.args.fee)} shared by ${ruled.args.votes} voters (escrow:arbitration-withdraw)`),
    );
  }
  console.log(tx(r));
});

export const courtDispute = run(
  async (args: JobArgs & { value: string }, hre: HardhatRuntimeEnvironment) => {
    const { signer, jobId, job } = await jobArbitrator(hre, args, "court");
    const r = await new CourtClient(job.arbitrator, signer).fund(jobId, ethArg(args.value));
    const funded = r.events.find((e) => e.name === "CourtFunded")!;
    console.log(
      `job ${jobId}: paid ${formatEther(funded.args.amount)} toward the court cost; ` +
        `${formatEther(funded.args.paid)} of ${formatEther(funded.args.cost)} funded`,
    );
    const created = r.events.find((e) => e.name === "CourtDisputeCreated");
    if (created)
      console.log(
        `court dispute #${created.args.disputeId} created; relay evidence with escrow:court-evidence`,
      );
    console.log(tx(r));
  },
);

export const courtWithdrawContribution = run(
  async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
    const { signer, jobId, job } = await jobArbitrator(hre, args, "court");
    const r = await new CourtClient(job.arbitrator, signer).withdrawContribution(jobId);
    const e = r.events.find((x) => x.name === "ContributionWithdrawn")!;
    console.log(`job ${jobId}: took back ${formatEther(e.args.amount)} of court cost`);
    console.log(tx(r));
  },
);

export const courtEvidence = run(
  async (args: JobArgs & { uri: string }, hre: HardhatRuntimeEnvironment) => {
    const { signer, jobId, job } = await jobArbitrator(hre, args, "court");
    if (!args.uri) throw new UserError("--uri is required");
    const r = await new CourtClient(job.arbitrator, signer).evidence(jobId, args.uri);
    console.log(`job ${jobId}: evidence relayed to the court (${args.uri})`);
    console.log(tx(r));
  },
);

export const appeal = run(
  async (args: JobArgs & { value: string }, hre: HardhatRuntimeEnvironment) => {
    const { signer, jobId, job } = await jobArbitrator(hre, args, "court");
    const r = await new CourtClient(job.arbitrator, signer).appeal(jobId, ethArg(args.value));
    const e = r.events.find((x) => x.name === "AppealFunded")!;
    console.log(
      `job ${jobId}: appealed court dispute #${e.args.disputeId}, paying ${formatEther(e.args.cost)}`,
    );
    console.log(tx(r));
  },
);

export const courtApplyRuling = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { signer, jobId, job } = await jobArbitrator(hre, args, "court");
  const r = await new CourtClient(job.arbitrator, signer).applyCurrentRuling(jobId);
  const e = r.events.find((x) => x.name === "RulingApplied")!;
  console.log(
    `job ${jobId}: the court's current ruling ${e.args.ruling} was applied (${e.args.providerBps} bps to the provider)` +
      (r.events.some((x) => x.name === "FeeOwed")
        ? "; its fee could not be withdrawn now (escrow:arbitration-collect-fee)"
        : ""),
  );
  console.log(tx(r));
});

export const arbitrationCollectFee = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { signer, jobId, job } = await jobArbitrator(hre, args);
  const backend = await arbitrationBackend(signer, job.arbitrator);
  if (backend !== "committee" && backend !== "court")
    throw new UserError(`job ${jobId}'s arbitrator is neither a committee nor a court adapter`);
  const client =
    backend === "committee"
      ? new CommitteeClient(job.arbitrator, signer)
      : new CourtClient(job.arbitrator, signer);
  const r = await client.collectFee(jobId);
  const e = r.events.find((x) => x.name === "FeeCollected")!;
  console.log(
    `job ${jobId}: collected ${formatAmount(e.args.amount, await tokenInfo(signer, e.args.token))} of arbitration fee ` +
      `and credited ${backend === "committee" ? "the voters" : "the court cost's funders"} (escrow:arbitration-withdraw)`,
  );
  console.log(tx(r));
});

export const arbitration = run(async (args: JobArgs, hre: HardhatRuntimeEnvironment) => {
  const { signer, escrow, jobId } = await jobArbitrator(hre, args);
  for (const line of await describeArbitration(signer, escrow, jobId)) console.log(line);
});

export const arbitrationWithdraw = run(
  async (
    args: CommonArgs & { arbitrator: string; token: string; to: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { signer } = await connectNetwork(hre, args.from);
    if (!isAddress(args.arbitrator))
      throw new UserError("--arbitrator <committee or court adapter address> is required");
    const token = args.token || NATIVE;
    if (!isAddress(token)) throw new UserError(`--token ${token} is not an address`);
    if (args.to && !isAddress(args.to)) throw new UserError(`--to ${args.to} is not an address`);
    const backend = await arbitrationBackend(signer, args.arbitrator);
    if (backend !== "committee" && backend !== "court")
      throw new UserError(`${args.arbitrator} is neither a committee nor a court adapter`);
    const client =
      backend === "committee"
        ? new CommitteeClient(args.arbitrator, signer)
        : new CourtClient(args.arbitrator, signer);
    const r = await client.withdraw(token, args.to || undefined);
    const e = r.events.find((x) => x.name === "Withdrawn")!;
    console.log(
      `withdrew ${formatAmount(e.args.amount, await tokenInfo(signer, token))} to ${e.args.to}`,
    );
    console.log(tx(r));
  },
);

export const committeeMembers = run(
  async (
    args: CommonArgs & { committee: string; quorum: number; members: string[] },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { signer, signers } = await connectNetwork(hre, args.from);
    if (!isAddress(args.committee)) throw new UserError("--committee <address> is required");
    if (args.members.length === 0)
      throw new UserError("list the new members (addresses or account indexes)");
    const members = args.members.map((m) =>
      /^\d+$/.test(m) ? pickSigner(signers, m, "members").address : m,
    );
    for (const m of members)
      if (!isAddress(m)) throw new UserError(`member ${m} is not an address`);
    const r = await new CommitteeClient(args.committee, signer).setMembers(members, args.quorum);
    const e = r.events.find((x) => x.name === "MembersUpdated")!;
    console.log(
      `committee epoch ${e.args.epoch}: ${members.length} members, quorum ${args.quorum}, for disputes raised from ${e.args.appliesFrom}`,
    );
    console.log(tx(r));
  },
);
