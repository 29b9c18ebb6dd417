/**
 * The one-command tour: deploys WorkEscrow with the Ignition module (deploy/modules/WorkEscrow.ts) on
 * the in-process Hardhat chain and drives jobs through every path with the SDK's EscrowClient, as a
 * dapp would, printing each step. Run with `npm run demo`.
 */
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import WorkEscrowModule from "../deploy/modules/WorkEscrow.js";
import type { CommunityFund, WorkEscrow } from "../typechain-types/index.js";
import { allotProRata, proofFor, releasedPayments, toRoundFile } from "../tasks/rounds.js";
import { DEFAULT_FEES } from "./lib/deploy.js";
import {
  EscrowClient,
  EscrowError,
  NATIVE,
  Status,
  hashContent,
  type TxResult,
} from "../sdk/index.js";

const { ethers, networkHelpers, ignition } = await network.create();
const { time } = networkHelpers;

const HOUR = 3600n;
const DAY = 24n * HOUR;

const [
  admin,
  treasury,
  community,
  arbitrator,
  requester,
  provider,
  approverA,
  approverB,
  approverC,
  keeper,
  gpuProvider,
] = await ethers.getSigners();
const names = new Map<string, string>([
  [treasury.address, "treasury"],
  [community.address, "guardian"],
  [gpuProvider.address, "GPU provider"],
  [arbitrator.address, "arbitrator"],
  [requester.address, "requester"],
  [provider.address, "provider"],
  [keeper.address, "keeper bot"],
]);
const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
const line = (s = "") => console.log(s);

line("WorkEscrow demo — in-process Hardhat chain");
line("==========================================");
const CHALLENGE_DELAY = 6n * HOUR;
const deployment = (await ignition.deploy(WorkEscrowModule, {
  parameters: {
    CommunityFund: {
      admin: admin.address,
      guardian: community.address,
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
      arbitrators: [arbitrator.address],
      minAmounts: [{ token: NATIVE, minAmount: "1000000000000" }],
    },
  },
})) as unknown as { escrow: WorkEscrow; fund: CommunityFund };
const address = await deployment.escrow.getAddress();
const fund = deployment.fund;
const fundAddress = await fund.getAddress();
names.set(fundAddress, "community fund");
/** One EscrowClient per actor, as each would hold in their own dapp. */
const as = (signer: HardhatEthersSigner) => new EscrowClient(address, signer);
const escrow = as(admin);
line(
  `deployed CommunityFund at ${fundAddress} and WorkEscrow at ${address} (Ignition, deploy/modules/)`,
);
line(
  "fees: platform 1.00%, community 0.50% (from the provider's payment), arbitration 2.00% (only when ruled)",
);
line();

async function balances(who: HardhatEthersSigner[]) {
  const parts: string[] = [];
  for (const w of who)
    parts.push(`${names.get(w.address) ?? w.address}: ${eth(await ethers.provider.getBalance(w))}`);
  return parts.join(" | ");
}

async function statusOf(id: bigint) {
  return Status[(await escrow.getJob(id)).status];
}

async function create(title: string, overrides: Record<string, unknown> = {}) {
  const now = BigInt(await time.latest());
  const input = {
    provider: provider.address,
    amount: ethers.parseEther("1"),
    deadline: now + DAY,
    reviewPeriod: 2n * DAY,
    jobHash: hashContent(`spec: ${title}`),
    arbitrator: arbitrator.address,
    ...overrides,
  };
  const { jobId, receipt } = await as(requester).createJob(input);
  line(`## Job ${jobId}: ${title}`);
  line(
    `  requester locks ${eth(input.amount)}  (createJob, ${receipt.gasUsed} gas) → ${await statusOf(jobId)}`,
  );
  return jobId;
}

async function step(label: string, call: Promise<TxResult>, id: bigint) {
  const { receipt } = await call;
  line(`  ${label.padEnd(52)} (${receipt.gasUsed} gas) → ${await statusOf(id)}`);
}

const parties = [requester, provider];

// 1. Happy path: requester releases.
{
  const id = await create("compute job, released by the requester");
  await step("provider accepts", as(provider).accept(id), id);
  await step(
    "provider submits the result hash",
    as(provider).submit(id, hashContent("result-1")),
    id,
  );
  const before = await ethers.provider.getBalance(provider);
  await step("requester releases", as(requester).release(id), id);
  line(
    `  provider received ${eth((await ethers.provider.getBalance(provider)) - before)}; 1.5% in fees credited`,
  );
  line();
}

// Bad input loses nothing: a stranger's release reverts with a custom error, decoded in words.
try {
  await as(keeper).release(1n);
} catch (err) {
  line(`## A keeper tries to release job 1 again`);
  line(`  reverted: ${(err as EscrowError).message}`);
  line();
}

// 2. Silence accepts: anyone releases once the review window has passed.
{
  const id = await create("storage job, auto-released after the review window", {
    jobType: 1,
    provider: gpuProvider.address,
  });
  await step("provider accepts", as(gpuProvider).accept(id), id);
  await step("provider submits", as(gpuProvider).submit(id, hashContent("result-2")), id);
  const job = await escrow.getJob(id);
  await time.increaseTo(job.submittedAt + job.reviewPeriod);
  line("  … 2 days of silence pass (review window over)");
  await step("a keeper bot releases (permissionless)", as(keeper).release(id), id);
  line();
}

// 3. Multiparty: 2 of 3 approvers release.
{
  const id = await create("AI-agent task, 2-of-3 approvers", {
    approvers: [approverA.address, approverB.address, approverC.address],
    threshold: 2,
  });
  await step("provider accepts", as(provider).accept(id), id);
  await step("provider submits", as(provider).submit(id, hashContent("result-3")), id);
  await step("approver A approves (1 of 2)", as(approverA).approve(id), id);
  await step("approver C approves (2 of 2) → releases", as(approverC).approve(id), id);
  line();
}

// 4. Cancel before anyone accepted.
{
  const id = await create("open job nobody took, cancelled", { provider: NATIVE });
  await step("requester cancels (full refund, no fee)", as(requester).cancel(id), id);
  line();
}

// 5. Refund after the deadline.
{
  const id = await create("accepted but never delivered, refunded after the deadline");
  await step("provider accepts", as(provider).accept(id), id);
  await time.increaseTo((await escrow.getJob(id)).deadline + 1n);
  line("  … the deadline passes with no submission");
  await step("a keeper bot refunds the requester (permissionless)", as(keeper).refund(id), id);
  line();
}

// 6. Dispute resolved by the arbitrator.
{
  const id = await create("disputed, resolved by the arbitrator 70/30");
  await step("provider accepts", as(provider).accept(id), id);
  await step("provider submits", as(provider).submit(id, hashContent("result-6")), id);
  await step(
    "requester disputes: 'half the rows are missing'",
    as(requester).dispute(id, "half the rows are missing"),
    id,
  );
  await step("provider posts evidence", as(provider).evidence(id, "ipfs://bafy-logs"), id);
  const before = await Promise.all(parties.map((p) => ethers.provider.getBalance(p)));
  await step("arbitrator rules: provider gets 70%", as(arbitrator).resolve(id, 7000), id);
  const after = await Promise.all(parties.map((p) => ethers.provider.getBalance(p)));
  line(
    `  requester +${eth(after[0] - before[0])}, provider +${eth(after[1] - before[1])}, arbitrator fee credited`,
  );
  line();
}

// 7. Dispute settled by agreement.
{
  const id = await create("disputed, settled by agreement 60/40");
  await step("provider accepts", as(provider).accept(id), id);
  await step(
    "provider disputes before submitting",
    as(provider).dispute(id, "spec changed mid-job"),
    id,
  );
  await step("requester proposes 60% to the provider", as(requester).propose(id, 6000), id);
  await step(
    "provider accepts the offer (no arbitration fee)",
    as(provider).acceptSettlement(id, 6000),
    id,
  );
  line();
}

// 8. Stale dispute.
{
  const id = await create("disputed, arbitrator silent, settled as stale 50/50");
  await step("provider accepts", as(provider).accept(id), id);
  await step("provider submits", as(provider).submit(id, hashContent("result-8")), id);
  await step("requester disputes", as(requester).dispute(id, "wrong format"), id);
  await time.increase(7n * DAY);
  line("  … 7 days pass without a ruling");
  await step("a keeper bot settles 50/50 (permissionless)", as(keeper).settleStale(id), id);
  line();
}

line("## Fee credits (never pushed; withdrawn by their holders)");
for (const who of [treasury, arbitrator]) {
  const credit = await escrow.withdrawable(NATIVE, who.address);
  line(`  ${names.get(who.address)!.padEnd(15)} ${eth(credit)}`);
  if (credit > 0n) await as(who).withdraw(NATIVE);
}
const communityCredit = await escrow.withdrawable(NATIVE, fundAddress);
line(
  `  ${"community fund".padEnd(15)} ${eth(communityCredit)} → collected by the fund (anyone may call collect)`,
);
await fund.connect(keeper).collect(address, NATIVE);
line(
  `  after withdrawals the escrow holds ${eth(await ethers.provider.getBalance(address))} (every job settled, no dust)`,
);
line();

// 9. The community share goes back to the providers who did the work.
line(
  "## Community round: the fund returns the community fee to providers, pro rata to their released payments",
);
const pool = (await fund.tokenState(NATIVE)).pool;
const until = BigInt(await time.latest()) + 1n;
const weights = await releasedPayments(deployment.escrow, ethers.provider, NATIVE, {
  since: 0n,
  until,
});
const round = toRoundFile(
  {
    method: "pro-rata",
    chainId: "31337",
    fund: fundAddress,
    escrow: address,
    token: NATIVE,
    since: "0",
    until: until.toString(),
    requested: pool.toString(),
  },
  allotProRata(weights, pool),
);
for (const [who, weight] of weights)
  line(`  ${(names.get(who) ?? who).padEnd(15)} released payments ${eth(weight)}`);
line(
  `  pool ${eth(pool)} → round total ${eth(BigInt(round.total))}, remainder ${round.remainder} wei stays in the pool`,
);
line(`  root ${round.root} (anyone can rebuild it: npx hardhat fund:build-round)`);
await fund
  .connect(admin)
  .postRound(NATIVE, round.root, BigInt(round.total), until, "ipfs://demo-round-1");
line(`  admin posts round 1; claims open after the ${CHALLENGE_DELAY / HOUR}-hour challenge delay`);
await time.increase(CHALLENGE_DELAY);
for (const who of [provider, gpuProvider]) {
  const entry = proofFor(round, who.address)!;
  await fund.connect(who).claim(1n, who.address, entry.amount, entry.proof);
  line(`  ${names.get(who.address)!.padEnd(15)} claims ${eth(entry.amount)} with its Merkle proof`);
}
const state = await fund.tokenState(NATIVE);
line(
  `  fund: received ${eth(state.totalReceived)} = claimed ${eth(state.totalClaimed)} + undistributed ${eth(state.pool)} + in rounds ${eth(state.reserved)}`,
);
line();
line(`balances: ${await balances([requester, provider, gpuProvider, arbitrator])}`);
line("demo complete: 8 jobs, every path, a community round, every wei accounted for.");
