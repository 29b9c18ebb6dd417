/**
 * The one-command tour: deploys WorkEscrow on the in-process Hardhat chain and drives jobs through
 * every path, printing each step with balances. Run with `npm run demo`.
 */
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import { deployWorkEscrow } from "./lib/deploy.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const STATUS = [
  "None",
  "Open",
  "Accepted",
  "Submitted",
  "Disputed",
  "Released",
  "Refunded",
  "Cancelled",
  "Resolved",
];
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
] = await ethers.getSigners();
const names = new Map<string, string>([
  [treasury.address, "treasury"],
  [community.address, "community fund"],
  [arbitrator.address, "arbitrator"],
  [requester.address, "requester"],
  [provider.address, "provider"],
  [keeper.address, "keeper bot"],
]);
const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
const line = (s = "") => console.log(s);

async function gasOf(tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

line("WorkEscrow demo — in-process Hardhat chain");
line("==========================================");
const escrow = await deployWorkEscrow(ethers, {
  admin: admin.address,
  treasury: treasury.address,
  community: community.address,
  arbitrator: arbitrator.address,
});
line(`deployed WorkEscrow at ${await escrow.getAddress()}`);
line(
  "fees: platform 1.00%, community 0.50% (from the provider's payment), arbitration 2.00% (only when ruled)",
);
line();

async function show(id: bigint) {
  const job = await escrow.getJob(id);
  return STATUS[Number(job.status)];
}

async function balances(who: HardhatEthersSigner[]) {
  const parts: string[] = [];
  for (const w of who)
    parts.push(`${names.get(w.address) ?? w.address}: ${eth(await ethers.provider.getBalance(w))}`);
  return parts.join(" | ");
}

async function create(title: string, overrides: Partial<Record<string, unknown>> = {}) {
  const now = BigInt(await time.latest());
  const amount = ethers.parseEther("1");
  const params = {
    provider: provider.address,
    token: ethers.ZeroAddress,
    amount,
    deadline: now + DAY,
    reviewPeriod: 2n * DAY,
    jobType: 0,
    jobHash: ethers.id(`spec: ${title}`),
    arbitrator: arbitrator.address,
    approvers: [] as string[],
    threshold: 0,
    ...overrides,
  };
  const gas = await gasOf(escrow.connect(requester).createJob(params, { value: params.amount }));
  const id = await escrow.jobCount();
  line(`## Job ${id}: ${title}`);
  line(
    `  requester locks ${eth(params.amount as bigint)}  (createJob, ${gas} gas) → ${await show(id)}`,
  );
  return id;
}

async function step(label: string, tx: Promise<ContractTransactionResponse>, id: bigint) {
  const gas = await gasOf(tx);
  line(`  ${label.padEnd(52)} (${gas} gas) → ${await show(id)}`);
}

const parties = [requester, provider];

// 1. Happy path: requester releases.
{
  const id = await create("compute job, released by the requester");
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider submits the result hash",
    escrow.connect(provider).submitWork(id, ethers.id("result-1")),
    id,
  );
  const before = await ethers.provider.getBalance(provider);
  await step("requester releases", escrow.connect(requester).release(id), id);
  line(
    `  provider received ${eth((await ethers.provider.getBalance(provider)) - before)}; 1.5% in fees credited`,
  );
  line();
}

// 2. Silence accepts: anyone releases once the review window has passed.
{
  const id = await create("storage job, auto-released after the review window", { jobType: 1 });
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider submits",
    escrow.connect(provider).submitWork(id, ethers.id("result-2")),
    id,
  );
  const job = await escrow.getJob(id);
  await time.increaseTo(job.submittedAt + job.reviewPeriod);
  line("  … 2 days of silence pass (review window over)");
  await step("a keeper bot releases (permissionless)", escrow.connect(keeper).release(id), id);
  line();
}

// 3. Multiparty: 2 of 3 approvers release.
{
  const id = await create("AI-agent task, 2-of-3 approvers", {
    approvers: [approverA.address, approverB.address, approverC.address],
    threshold: 2,
  });
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider submits",
    escrow.connect(provider).submitWork(id, ethers.id("result-3")),
    id,
  );
  await step("approver A approves (1 of 2)", escrow.connect(approverA).approveWork(id), id);
  await step(
    "approver C approves (2 of 2) → releases",
    escrow.connect(approverC).approveWork(id),
    id,
  );
  line();
}

// 4. Cancel before anyone accepted.
{
  const id = await create("open job nobody took, cancelled", { provider: ethers.ZeroAddress });
  await step(
    "requester cancels (full refund, no fee)",
    escrow.connect(requester).cancelJob(id),
    id,
  );
  line();
}

// 5. Refund after the deadline.
{
  const id = await create("accepted but never delivered, refunded after the deadline");
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await time.increaseTo((await escrow.getJob(id)).deadline + 1n);
  line("  … the deadline passes with no submission");
  await step(
    "a keeper bot refunds the requester (permissionless)",
    escrow.connect(keeper).refundExpired(id),
    id,
  );
  line();
}

// 6. Dispute resolved by the arbitrator.
{
  const id = await create("disputed, resolved by the arbitrator 70/30");
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider submits",
    escrow.connect(provider).submitWork(id, ethers.id("result-6")),
    id,
  );
  await step(
    "requester disputes: 'half the rows are missing'",
    escrow.connect(requester).raiseDispute(id, "half the rows are missing"),
    id,
  );
  await step(
    "provider posts evidence",
    escrow.connect(provider).submitEvidence(id, "ipfs://bafy-logs"),
    id,
  );
  const before = await Promise.all(parties.map((p) => ethers.provider.getBalance(p)));
  await step(
    "arbitrator rules: provider gets 70%",
    escrow.connect(arbitrator).resolveDispute(id, 7000),
    id,
  );
  const after = await Promise.all(parties.map((p) => ethers.provider.getBalance(p)));
  line(
    `  requester +${eth(after[0] - before[0])}, provider +${eth(after[1] - before[1])}, arbitrator fee credited`,
  );
  line();
}

// 7. Dispute settled by agreement.
{
  const id = await create("disputed, settled by agreement 60/40");
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider disputes before submitting",
    escrow.connect(provider).raiseDispute(id, "spec changed mid-job"),
    id,
  );
  await step(
    "requester proposes 60% to the provider",
    escrow.connect(requester).proposeSettlement(id, 6000),
    id,
  );
  await step(
    "provider accepts the offer (no arbitration fee)",
    escrow.connect(provider).acceptSettlement(id, 6000),
    id,
  );
  line();
}

// 8. Stale dispute.
{
  const id = await create("disputed, arbitrator silent, settled as stale 50/50");
  await step("provider accepts", escrow.connect(provider).acceptJob(id), id);
  await step(
    "provider submits",
    escrow.connect(provider).submitWork(id, ethers.id("result-8")),
    id,
  );
  await step("requester disputes", escrow.connect(requester).raiseDispute(id, "wrong format"), id);
  await time.increase(7n * DAY);
  line("  … 7 days pass without a ruling");
  await step(
    "a keeper bot settles 50/50 (permissionless)",
    escrow.connect(keeper).settleStaleDispute(id),
    id,
  );
  line();
}

line("## Fee credits (never pushed; withdrawn by their holders)");
for (const who of [treasury, community, arbitrator]) {
  const credit = await escrow.withdrawable(ethers.ZeroAddress, who.address);
  line(`  ${names.get(who.address)!.padEnd(15)} ${eth(credit)}`);
  if (credit > 0n) await escrow.connect(who).withdraw(ethers.ZeroAddress);
}
line(
  `  after withdrawals the escrow holds ${eth(await ethers.provider.getBalance(escrow))} (every job settled, no dust)`,
);
line();
line(`balances: ${await balances([requester, provider, arbitrator])}`);
line("demo complete: 8 jobs, every path, every wei accounted for.");
