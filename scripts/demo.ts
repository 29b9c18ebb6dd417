/**
 * The one-command tour (`npm run demo`): deploys the WorkEscrow suite with the Ignition module
 * (deploy/modules/WorkEscrow.ts: forwarder, extension, core, community fund) on the in-process Hardhat
 * chain and drives jobs through every path with the SDK's EscrowClient, as a dapp would, printing each
 * step and where the money went.
 *
 * Each section is a module under scripts/demo/ exporting `async function demoX(ctx: DemoContext)`
 * (see scripts/demo/context.ts): to add one, import it and add one line to SECTIONS.
 */
import { network } from "hardhat";
import WorkEscrowModule from "../deploy/modules/WorkEscrow.js";
import {
  IWorkEscrow__factory,
  type CommunityFund,
  type WorkEscrow,
  type WorkEscrowForwarder,
} from "../typechain-types/index.js";
import { NATIVE } from "../sdk/index.js";
import { DEFAULT_FEES } from "./lib/deploy.js";
import { DAY, HOUR, makeDemoContext, type DemoContext } from "./demo/context.js";
import { demoBondSlashed } from "./demo/bond.js";
import { demoCommunityRound } from "./demo/community.js";
import { demoFrivolousDispute } from "./demo/disputes.js";
import { demoKeeperBatch } from "./demo/keeper.js";
import { demoMilestones } from "./demo/milestones.js";
import { demoMutualCancellation } from "./demo/settlement.js";
import { demoTour } from "./demo/tour.js";
import { demoBids } from "./demo/bids.js";
import { demoVerifier } from "./demo/verifier.js";
import { demoArbitration } from "./demo/arbitration.js";

const { ethers, networkHelpers, ignition } = await network.create();
const all = await ethers.getSigners();
const [admin, treasury, guardian, arbitrator, requester, provider, approverA, approverB] = all;
const [approverC, keeper, gpuProvider, verifier, bidder, ...spare] = all.slice(8);

console.log("WorkEscrow demo — in-process Hardhat chain");
console.log("==========================================");
const CHALLENGE_DELAY = 6n * HOUR;
const deployment = (await ignition.deploy(WorkEscrowModule, {
  parameters: {
    CommunityFund: {
      admin: admin.address,
      guardian: guardian.address,
      minInterval: Number(7n * DAY),
      challengeDelay: Number(CHALLENGE_DELAY),
      claimPeriod: Number(30n * DAY),
      thresholds: [{ token: NATIVE, threshold: "10000000000000000" }],
    },
    WorkEscrow: {
      admin: admin.address,
      treasury: treasury.address,
      platformFeeBps: Number(DEFAULT_FEES.platform),
      communityFeeBps: Number(DEFAULT_FEES.community),
      arbitrationFeeBps: Number(DEFAULT_FEES.arbitration),
      arbitrators: [{ arbitrator: arbitrator.address, arbitrationPeriod: 0 }],
      minAmounts: [{ token: NATIVE, minAmount: "1000000000000" }],
    },
  },
})) as unknown as {
  escrow: WorkEscrow;
  extension: { getAddress(): Promise<string> };
  forwarder: WorkEscrowForwarder;
  fund: CommunityFund;
};
const address = await deployment.escrow.getAddress();
const ctx: DemoContext = makeDemoContext({
  ethers,
  networkHelpers,
  escrow: IWorkEscrow__factory.connect(address, admin),
  core: deployment.escrow,
  address,
  forwarder: deployment.forwarder,
  extension: await deployment.extension.getAddress(),
  fund: deployment.fund,
  signers: {
    admin,
    treasury,
    guardian,
    arbitrator,
    requester,
    provider,
    approverA,
    approverB,
    approverC,
    keeper,
    gpuProvider,
    verifier,
    bidder,
    spare,
  },
});
ctx.name(await deployment.fund.getAddress(), "community fund");
ctx.log(
  `deployed with Ignition (deploy/modules/): WorkEscrow at ${address} (core; extension ${ctx.extension}),`,
);
ctx.log(
  `  its ERC-2771 forwarder ${await deployment.forwarder.getAddress()}, and the CommunityFund ${await deployment.fund.getAddress()}`,
);
ctx.log(
  "fees: platform 1.00%, community 0.50% (from the provider's payment), arbitration 2.00% (only when ruled;",
);
ctx.log("  a disputer deposits the same 2%, forfeited if the ruling goes fully against it)");
ctx.log();

/** The demo's sections, in order. */
/** Jobs of the verifier section, which runs on its own deployment (see below). */
let verifierJobs = 0;
const SECTIONS: ((ctx: DemoContext) => Promise<void>)[] = [
  demoTour,
  demoFrivolousDispute,
  demoMutualCancellation,
  demoBondSlashed,
  demoMilestones,
  demoKeeperBatch,
  async (c) => {
    await demoBids({
      ethers,
      escrow: c.escrow,
      forwarder: c.forwarder,
      requester,
      bidders: [bidder, spare[0]],
      relayer: keeper,
      arbitrator: arbitrator.address,
      log: (line) => c.log(line),
    });
  },
  async (c) => {
    // Its own deployment: an ERC-8004 Identity Registry is fixed in an escrow at construction.
    const r = await demoVerifier({
      ethers,
      networkHelpers,
      ignition,
      log: (line?: string) => c.log(line),
    });
    verifierJobs = Number(r.rejected.jobId); // its escrow's last job: ids are 1, 2, …
  },
  async (c) => {
    await demoArbitration({
      ethers,
      networkHelpers,
      escrow: c.address,
      admin,
      requester,
      provider,
      spare: spare.slice(1, 7),
      log: (line?: string) => c.log(line),
    });
  },
  (c) => demoCommunityRound(c, CHALLENGE_DELAY),
];
for (const section of SECTIONS) await section(ctx);

const balances: string[] = [];
for (const who of [requester, provider, gpuProvider, arbitrator, keeper])
  balances.push(`${ctx.name(who.address)}: ${ctx.eth(await ethers.provider.getBalance(who))}`);
ctx.log(`balances: ${balances.join(" | ")}`);
// Counted on chain: jobs made through the SDK, by the bids and arbitration sections and by the keeper.
const jobs = Number(await ctx.escrow.jobCount()) + verifierJobs;
ctx.log(
  `demo complete: ${jobs} jobs through every path, a keeper's batch, a community round, every wei accounted for.`,
);
