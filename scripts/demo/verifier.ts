/**
 * Demo chapter: verified release through ERC-8004 (docs/verification.md). An AI agent takes two jobs whose
 * verifier is the ERC8004ValidationAdapter; an independent validator scores each result in the ERC-8004
 * Validation Registry; a keeper applies the scores. The first job is approved and released before its review
 * window ends; the second is rejected and refunded once the window is over.
 *
 * Self-contained: it deploys the ERC-8004 test registries (contracts/mocks), an escrow whose Identity Registry
 * is that one (scripts/lib/deploy.ts), and the adapter with its Ignition module, then drives everything with
 * the SDK's verification functions (sdk/verify.ts), as a dapp would.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import ERC8004AdapterModule from "../../deploy/modules/ERC8004Adapter.js";
import type {
  ERC8004ValidationAdapter,
  MockIdentityRegistry,
  MockValidationRegistry,
} from "../../typechain-types/index.js";
import { DEFAULT_FEES, deployWorkEscrowSuite } from "../lib/deploy.js";
import {
  configureValidation,
  hashContent,
  readValidation,
  requestValidation,
  triggerValidation,
} from "../../sdk/index.js";
import { Status, Verdict } from "../../sdk/types.js";

/** What the chapter needs from the demo: a network connection (`await network.create()`) and a printer. */
export interface VerifierDemoContext {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  ignition: { deploy: (module: typeof ERC8004AdapterModule, options: any) => Promise<unknown> };
  /** prints one line (default console.log) */
  log?: (line?: string) => void;
}

/** How the two jobs ended (for the demo's closing summary and its test). */
export interface VerifierDemoResult {
  approved: { jobId: bigint; status: Status; verdict: Verdict; releasedBeforeWindowEnd: boolean };
  rejected: { jobId: bigint; status: Status; verdict: Verdict; refunded: bigint };
  validatorFees: bigint;
}

const HOUR = 3600n;
const DAY = 24n * HOUR;
const MIN_SCORE = 80;
const FEE_BPS = 100; // the validator's fee: 1% of the job, on either verdict

export async function demoVerifier(ctx: VerifierDemoContext): Promise<VerifierDemoResult> {
  const { ethers, networkHelpers } = ctx;
  const line = ctx.log ?? ((s = "") => console.log(s));
  const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
  // Accounts of their own, after the ones the main demo uses.
  const [admin, treasury, community, arbitrator, requester, agent, validator, keeper] = (
    await ethers.getSigners()
  ).slice(12);

  line();
  line("Verified release through ERC-8004");
  line("---------------------------------");
  const identity = (await ethers.deployContract(
    "MockIdentityRegistry",
  )) as unknown as MockIdentityRegistry;
  const registry = (await ethers.deployContract("MockValidationRegistry", [
    await identity.getAddress(),
  ])) as unknown as MockValidationRegistry;
  const { escrow } = await deployWorkEscrowSuite(
    ethers,
    {
      admin: admin.address,
      treasury: treasury.address,
      community: community.address,
      arbitrator: arbitrator.address,
      identityRegistry: await identity.getAddress(),
    },
    DEFAULT_FEES,
  );
  const { adapter } = (await ctx.ignition.deploy(ERC8004AdapterModule, {
    parameters: { ERC8004Adapter: { validationRegistry: await registry.getAddress() } },
  })) as { adapter: ERC8004ValidationAdapter };
  const escrowAddress = await escrow.getAddress();
  const adapterAddress = await adapter.getAddress();
  line(`ERC-8004 Identity Registry ${await identity.getAddress()}`);
  line(`ERC-8004 Validation Registry ${await registry.getAddress()}`);
  line(`escrow ${escrowAddress} (agent jobs check that Identity Registry)`);
  line(`ERC8004ValidationAdapter ${adapterAddress} (deployed by deploy/modules/ERC8004Adapter.ts)`);

  await identity.connect(agent)["register(string)"]("ipfs://agent-registration.json");
  const agentId = 0n; // the registry's first agent
  line(`the agent registers ERC-8004 identity #${agentId}`);

  /** A job for the agent, judged by `validator`, accepted and delivered; returns its id. */
  async function deliveredJob(task: string, result: string): Promise<bigint> {
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const amount = ethers.parseEther("1");
    await escrow.connect(requester).createJobWithOptions(
      {
        provider: agent.address,
        token: ethers.ZeroAddress,
        amount,
        deadline: now + DAY,
        reviewPeriod: 2n * DAY,
        jobType: 2, // agent
        jobHash: hashContent(task),
        arbitrator: arbitrator.address,
        approvers: [],
        threshold: 0,
      },
      {
        providerBond: 0n,
        keeperTip: 0n,
        verifier: adapterAddress,
        verifierFeeBps: FEE_BPS,
        bidsOnly: false,
        agentRequired: true,
        agentId,
      },
      { value: amount },
    );
    const jobId = await escrow.jobCount();
    line();
    line(`job ${jobId}: "${task}", ${eth(amount)}, verifier = the adapter (fee ${FEE_BPS / 100}%)`);
    await configureValidation(requester, {
      escrow: escrowAddress,
      jobId,
      adapter: adapterAddress,
      validator: validator.address,
      minScore: MIN_SCORE,
    });
    line(
      `  requester fixes the terms: validator ${short(validator.address)}, score ≥ ${MIN_SCORE} approves`,
    );
    await escrow.connect(agent).acceptJob(jobId);
    await escrow.connect(agent).submitWork(jobId, hashContent(result));
    const { requestHash } = await requestValidation(agent, {
      escrow: escrowAddress,
      jobId,
      adapter: adapterAddress,
      requestURI: `ipfs://job-${jobId}-result`,
    });
    line(`  agent accepts, submits, and asks for validation: request ${short(requestHash)}`);
    return jobId;
  }

  async function answer(jobId: bigint, score: number) {
    const { requestHash } = await readValidation(agent, { escrow: escrowAddress, jobId });
    await registry
      .connect(validator)
      .validationResponse(
        requestHash!,
        score,
        `ipfs://report-${jobId}`,
        hashContent(`report ${jobId}`),
        "",
      );
    line(`  validator re-runs the task and answers ${score}/100 in the Validation Registry`);
  }

  // 1. Approved: released at once, long before the review window would have released it.
  const good = await deliveredJob("summarise 40 research papers", "a faithful summary");
  await answer(good, 92);
  const applied = await triggerValidation(keeper, {
    escrow: escrowAddress,
    jobId: good,
    adapter: adapterAddress,
  });
  const goodJob = await escrow.getJob(good);
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const windowEnd = goodJob.submittedAt + goodJob.reviewPeriod;
  line(
    `  a keeper applies it: ${applied.approved ? "approved" : "rejected"} → ${Status[Number(goodJob.status)]}, ` +
      `${formatHours(windowEnd - now)} before the review window would have ended (gas ${applied.receipt.gasUsed})`,
  );

  // 2. Rejected: nobody disputes, so anyone refunds the requester once the window is over.
  const bad = await deliveredJob("translate the manual to Japanese", "machine noise");
  await answer(bad, 35);
  const rejected = await triggerValidation(keeper, {
    escrow: escrowAddress,
    jobId: bad,
    adapter: adapterAddress,
  });
  line(
    `  a keeper applies it: ${rejected.approved ? "approved" : "rejected"}; the agent may dispute for 2 days`,
  );
  const badJob = await escrow.getJob(bad);
  // A rejection leaves the agent a whole review period to dispute it; then anyone may refund.
  await networkHelpers.time.increaseTo(badJob.verdictAt + badJob.reviewPeriod);
  const before = await ethers.provider.getBalance(requester.address);
  const refund = await escrow.connect(keeper).refundExpired(bad);
  await refund.wait();
  const refunded = (await ethers.provider.getBalance(requester.address)) - before;
  line(
    `  nobody disputed: after the window a keeper refunds the requester ${eth(refunded)} (1 ETH − the fee)`,
  );

  const forwarded = await adapter.queryFilter(
    adapter.filters.FeeForwarded(escrowAddress, undefined, validator.address),
  );
  const validatorFees = forwarded.reduce((sum, e) => sum + e.args.amount, 0n);
  line();
  line(
    `the validator received ${eth(validatorFees)} in fees (1% of each job, forwarded by the adapter)`,
  );

  const finalGood = await escrow.getJob(good);
  const finalBad = await escrow.getJob(bad);
  return {
    approved: {
      jobId: good,
      status: Number(finalGood.status) as Status,
      verdict: Number(finalGood.verdict) as Verdict,
      releasedBeforeWindowEnd: now < windowEnd,
    },
    rejected: {
      jobId: bad,
      status: Number(finalBad.status) as Status,
      verdict: Number(finalBad.verdict) as Verdict,
      refunded,
    },
    validatorFees,
  };
}

function short(hex: string): string {
  return `${hex.slice(0, 10)}…`;
}

function formatHours(seconds: bigint): string {
  return `${(Number(seconds) / 3600).toFixed(1)} h`;
}
