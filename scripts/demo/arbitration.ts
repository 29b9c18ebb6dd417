/**
 * Demo chapter: the two arbitration backends on the in-process chain.
 *  1. A 3-of-5 committee (registered with a 3-day arbitration period) decides a dispute: three members
 *     vote, the quorum vote executes the median on the escrow, and the fee is shared by the voters.
 *  2. An ERC-792 court (a centralized appealable arbitrator written to the ERC-792 interface) decides
 *     another dispute through the adapter (30-day period): the requester funds the court, both parties
 *     relay evidence, the first ruling is appealed by the provider and flipped, and the final ruling
 *     is applied to the escrow; the escrow's fee reimburses the court cost.
 * The lead wires `demoArbitration` into scripts/demo.ts after the escrow is deployed.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type {
  AppealableArbitrator,
  CommitteeArbitrator,
  ERC792ArbitratorAdapter,
  IWorkEscrow,
} from "../../typechain-types/index.js";
import { IWorkEscrow__factory } from "../../typechain-types/index.js";
import {
  CommitteeClient,
  CourtClient,
  CourtRuling,
  describeArbitration,
} from "../../sdk/arbitration.js";
import { NATIVE, Status } from "../../sdk/types.js";

export interface ArbitrationDemoContext {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  /** the WorkEscrow (core) address or contract */
  escrow: IWorkEscrow | string;
  /** the escrow's admin: registers the committee and the court adapter */
  admin: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  /** six accounts with no role in the demo's jobs: five committee members and the court's judge */
  spare: HardhatEthersSigner[];
  /** where to print (default console.log) */
  log?: (line?: string) => void;
}

export interface ArbitrationDemoResult {
  committee: string;
  adapter: string;
  court: string;
  committeeJob: bigint;
  courtJob: bigint;
}

const DAY = 86_400n;

export async function demoArbitration(ctx: ArbitrationDemoContext): Promise<ArbitrationDemoResult> {
  const { ethers, networkHelpers, admin, requester, provider } = ctx;
  const log = ctx.log ?? ((s = "") => console.log(s));
  if (ctx.spare.length < 6) throw new Error("demoArbitration needs 6 spare accounts");
  const members = ctx.spare.slice(0, 5);
  const judge = ctx.spare[5];
  const escrowAddress = typeof ctx.escrow === "string" ? ctx.escrow : await ctx.escrow.getAddress();
  const escrow = IWorkEscrow__factory.connect(escrowAddress, admin);
  const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
  const show = async (id: bigint) => {
    for (const l of await describeArbitration(ethers.provider, escrowAddress, id)) log(`    ${l}`);
  };

  /** Creates, accepts, submits and disputes a 1 ETH job naming `arbitrator`. */
  async function disputedJob(arbitrator: string, disputer: HardhatEthersSigner, reason: string) {
    const now = BigInt(await networkHelpers.time.latest());
    await escrow.connect(requester).createJob(
      {
        provider: provider.address,
        token: NATIVE,
        amount: ethers.parseEther("1"),
        deadline: now + DAY,
        reviewPeriod: 2n * DAY,
        jobType: 2,
        jobHash: ethers.id(`demo: ${reason}`),
        arbitrator,
        approvers: [],
        threshold: 0,
      },
      { value: ethers.parseEther("1") },
    );
    const id = await escrow.jobCount();
    await escrow.connect(provider).acceptJob(id);
    await escrow.connect(provider).submitWork(id, ethers.id(`result ${id}`));
    const job = await escrow.getJob(id);
    const deposit = (job.amount * job.arbitrationFeeBps) / 10_000n;
    await escrow.connect(disputer).raiseDispute(id, reason, { value: deposit });
    log(
      `  job ${id}: 1 ETH, disputed by the ${disputer === requester ? "requester" : "provider"} ("${reason}"), deposit ${eth(deposit)}`,
    );
    return id;
  }

  log();
  log("Arbitration backends");
  log("--------------------");

  // 1. A 3-of-5 committee of trusted nodes.
  const committee = (await ethers.deployContract(
    "CommitteeArbitrator",
    [escrowAddress, admin.address, members.map((m) => m.address), 3],
    admin,
  )) as unknown as CommitteeArbitrator;
  const committeeAddress = await committee.getAddress();
  await escrow.connect(admin).setArbitrator(committeeAddress, true, 3n * DAY);
  log(
    `committee ${committeeAddress}: 5 members, quorum 3, registered with a 3-day arbitration period`,
  );
  const committeeJob = await disputedJob(
    committeeAddress,
    requester,
    "the model was trained on the wrong data",
  );
  const votes = [7000, 4000, 6000];
  let lastVote;
  for (const [i, bps] of votes.entries()) {
    lastVote = await new CommitteeClient(committeeAddress, members[i]).vote(committeeJob, bps);
    log(`  member ${i + 1} votes ${bps / 100}% to the provider`);
  }
  const ruled = lastVote!.events.find((e) => e.name === "RulingExecuted")!;
  log(
    `  the third vote reaches the quorum: the median ${Number(ruled.args.providerBps) / 100}% is executed on the escrow ` +
      `(gas ${lastVote!.receipt.gasUsed}); fee ${eth(ruled.args.fee)} shared by the 3 voters`,
  );
  await show(committeeJob);
  const share = await committee.withdrawable(NATIVE, members[0].address);
  await new CommitteeClient(committeeAddress, members[0]).withdraw();
  log(`  member 1 withdraws its share: ${eth(share)}`);

  // 2. An ERC-792 court through the adapter, with an appeal.
  const appealWindow = 3n * DAY;
  const court = (await ethers.deployContract(
    "AppealableArbitrator",
    [ethers.parseEther("0.05"), appealWindow],
    judge,
  )) as unknown as AppealableArbitrator;
  const courtAddress = await court.getAddress();
  const adapter = (await ethers.deployContract(
    "ERC792ArbitratorAdapter",
    [
      escrowAddress,
      courtAddress,
      "0x",
      "ipfs://QmWorkEscrowMetaEvidence/meta-evidence.json",
      appealWindow + DAY, // minAppealTime: the court's round (at once here) + its appeal window + a day
    ],
    admin,
  )) as unknown as ERC792ArbitratorAdapter;
  const adapterAddress = await adapter.getAddress();
  await escrow.connect(admin).setArbitrator(adapterAddress, true, 30n * DAY);
  log();
  log(
    `ERC-792 court ${courtAddress} (appealable, 0.05 ETH a dispute) behind adapter ${adapterAddress}, 30-day period; ` +
      "appeals close 4 days before its end",
  );
  const courtJob = await disputedJob(
    adapterAddress,
    provider,
    "the requester refuses delivered work",
  );
  const asRequester = new CourtClient(adapterAddress, requester);
  const funded = await asRequester.fund(courtJob);
  const created = funded.events.find((e) => e.name === "CourtDisputeCreated")!;
  const disputeId = created.args.disputeId as bigint;
  log(
    `  the requester pays the court's ${eth(created.args.cost)}: court dispute #${disputeId} created`,
  );
  await asRequester.evidence(courtJob, "ipfs://QmRequesterEvidence");
  await asRequester.connect(provider).evidence(courtJob, "ipfs://QmProviderEvidence");
  log("  both parties relay evidence (ERC-1497 Evidence events)");
  await court.connect(judge).giveRuling(disputeId, CourtRuling.Requester);
  log("  the court rules 2 (refund the requester); the ruling is appealable for 3 days");
  await show(courtJob);
  const appealed = await asRequester.connect(provider).appeal(courtJob);
  const appeal = appealed.events.find((e) => e.name === "AppealFunded")!;
  log(`  the provider appeals, paying ${eth(appeal.args.cost)}`);
  await court.connect(judge).giveRuling(disputeId, CourtRuling.Provider);
  log("  on appeal the court rules 1 (pay the provider)");
  await networkHelpers.time.increase(appealWindow);
  const executed = await court.executeRuling(disputeId);
  const receipt = (await executed.wait())!;
  const job = await escrow.getJob(courtJob);
  log(
    `  nobody appeals again; the ruling is final and applied: job ${courtJob} is ${Status[Number(job.status)]} ` +
      `(rule gas ${receipt.gasUsed})`,
  );
  await show(courtJob);
  log(
    `  the escrow's fee ${eth(await adapter.withdrawable(NATIVE, requester.address))} reimburses the requester, ` +
      "who paid the court",
  );
  return {
    committee: committeeAddress,
    adapter: adapterAddress,
    court: courtAddress,
    committeeJob,
    courtJob,
  };
}
