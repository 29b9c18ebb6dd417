/**
 * sdk/arbitration.ts and the arbitration tasks (tasks/arbitration.ts), in process: the tasks run on the
 * same connection as the test (`network.getOrCreate()`), with --escrow and --from given explicitly.
 */
import { expect } from "chai";
import hre from "hardhat";
import {
  ArbitrationError,
  CommitteeClient,
  CourtClient,
  CourtDisputeStatus,
  arbitrationBackend,
  describeArbitration,
} from "../sdk/index.js";
import { ONE_ETH } from "./helpers/escrow.js";
import {
  APPEAL_WINDOW,
  COURT_COST,
  MIN_APPEAL_TIME,
  Ruling,
  arbitrationEnd,
  arbitrationFixtures,
} from "./helpers/arbitration.js";
import type { TrapToken } from "../typechain-types/index.js";
import { demoArbitration } from "../scripts/demo/arbitration.js";
import CommitteeModule from "../deploy/modules/Committee.js";
import CourtAdapterModule from "../deploy/modules/CourtAdapter.js";
import { runTask } from "./helpers/tasks.js";

const { ethers, networkHelpers, ignition } = await hre.network.getOrCreate();
const { loadFixture, time } = networkHelpers;
const DAY_S = 86_400n;
const fx = arbitrationFixtures({ ethers, networkHelpers });

/** Runs an `escrow:*` task and returns what it printed (stdout and stderr) and whether it failed. */
async function task(name: string, args: Record<string, unknown>) {
  const run = await runTask(name, { from: "", escrow: "", ...args });
  return { text: run.all, failed: run.code === 1 };
}

/** The account index of `address` among the connection's signers (the tasks' --from). */
async function indexOf(address: string) {
  return String((await ethers.getSigners()).findIndex((s) => s.address === address));
}

describe("Arbitration SDK and tasks", function () {
  it("tells a committee, a court adapter, a contract and an account apart (ERC-165)", async function () {
    const f = await loadFixture(fx.deploy);
    expect(
      await arbitrationBackend(ethers.provider, await f.committee.getAddress()),
      "committee",
    ).to.equal("committee");
    expect(
      await arbitrationBackend(ethers.provider, await f.adapter.getAddress()),
      "court",
    ).to.equal("court");
    expect(
      await arbitrationBackend(ethers.provider, await f.escrow.getAddress()),
      "escrow",
    ).to.equal("contract");
    expect(await arbitrationBackend(ethers.provider, f.stranger.address), "account").to.equal(
      "account",
    );
  });

  it("CommitteeClient: votes, status, decoded errors; describeArbitration shows the votes", async function () {
    const f = await loadFixture(fx.committeeDispute);
    const escrow = await f.escrow.getAddress();
    const address = await f.committee.getAddress();
    const client = new CommitteeClient(address, f.members[0]);
    const r = await client.vote(f.jobId, 2500);
    expect(
      r.events.map((e) => e.name),
      "events",
    ).to.deep.equal(["Voted"]);
    const err = await client.vote(f.jobId, 2500).catch((e: unknown) => e);
    expect(err, "ArbitrationError").to.be.instanceOf(ArbitrationError);
    expect((err as Error).message, "in words").to.equal(
      `CommitteeAlreadyVoted: ${f.members[0].address} has already voted on job ${f.jobId}`,
    );
    let lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[0], "header").to.equal(
      `arbitrator: committee ${address} — epoch 1, quorum 3 of 5`,
    );
    expect(lines[1], "a vote").to.equal(`  ${f.members[0].address}  voted 25.00% to the provider`);
    expect(lines[2], "no vote").to.equal(`  ${f.members[1].address}  —`);
    expect(lines.at(-1), "progress").to.match(/^votes: 1 of 3; 2 more needed before \d{4}-/);

    await client.connect(f.members[1]).vote(f.jobId, 5000);
    await client.connect(f.members[2]).vote(f.jobId, 9000);
    const s = await client.status(f.jobId);
    expect([s.epoch, s.quorum, s.votes, s.executed, s.ruling], "status").to.deep.equal([
      1,
      3,
      3,
      true,
      5000,
    ]);
    expect(
      s.members.filter((m) => m.voted).map((m) => m.providerBps),
      "votes",
    ).to.deep.equal([2500, 5000, 9000]);
    lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines.at(-1), "ruled").to.equal("ruled: 50.00% to the provider (median of 3 votes)");
    expect(
      await client.withdrawable(ethers.ZeroAddress, f.members[0].address),
      "share",
    ).to.be.greaterThan(0n);
  });

  it("CourtClient: funds what is missing, appeals at the court's price; describeArbitration follows the case", async function () {
    const f = await loadFixture(fx.courtDispute);
    const escrow = await f.escrow.getAddress();
    const address = await f.adapter.getAddress();
    const client = new CourtClient(address, f.requester);
    expect(await client.missing(f.jobId), "missing at first").to.equal(COURT_COST);
    await client.fund(f.jobId, COURT_COST / 5n);
    let lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[1], "funding").to.match(
      /^court cost: 0\.01 of 0\.05 paid \(requester 0\.01, provider 0\.0\) before /,
    );
    const r = await client.connect(f.provider).fund(f.jobId);
    expect(
      r.events.some((e) => e.name === "CourtDisputeCreated"),
      "created",
    ).to.equal(true);
    await client.evidence(f.jobId, "ipfs://requester-evidence");

    await f.court.connect(f.judge).giveRuling(0, Ruling.Requester);
    const s = await client.status(f.jobId);
    expect([s.created, s.disputeId, s.courtStatus, s.currentRuling], "appealable").to.deep.equal([
      true,
      0n,
      CourtDisputeStatus.Appealable,
      Number(Ruling.Requester),
    ]);
    expect(s.appealCost, "appeal cost").to.equal(COURT_COST * 2n);
    lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[2], "current ruling").to.match(
      /^current ruling 2: the requester \(refund\); anyone may appeal until .* for 0\.1$/,
    );

    await client.connect(f.stranger).appeal(f.jobId);
    await f.court.connect(f.judge).giveRuling(0, Ruling.Provider);
    await time.increase(APPEAL_WINDOW);
    await f.court.executeRuling(0);
    lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[1], "case line").to.match(
      /^court dispute #0: Solved, cost 0\.05 paid .*, 1 appeal\(s\)$/,
    );
    expect(lines[2], "final").to.equal(
      "final ruling 1: the provider (pay) → 100.00% to the provider",
    );
    const fee = (ONE_ETH * 200n) / 10_000n;
    expect(
      await client.withdrawable(ethers.ZeroAddress, f.requester.address),
      "requester's part",
    ).to.equal(fee / 5n);
    expect(
      await client.withdrawable(ethers.ZeroAddress, f.provider.address),
      "provider's part",
    ).to.equal(fee - fee / 5n);
  });

  it("tasks: escrow:vote, escrow:arbitration and escrow:arbitration-withdraw for a committee", async function () {
    const f = await loadFixture(fx.committeeDispute);
    const escrow = await f.escrow.getAddress();
    const id = f.jobId;
    let r = await task("escrow:vote", {
      jobId: id,
      bps: "3000",
      from: await indexOf(f.members[0].address),
      escrow,
    });
    expect(r.failed, r.text).to.equal(false);
    expect(r.text, "vote printed").to.contain(
      `job ${id}: ${f.members[0].address} voted 3000 bps (30%) to the provider; 1 vote(s) cast`,
    );
    r = await task("escrow:vote", {
      jobId: id,
      bps: "3000",
      from: await indexOf(f.stranger.address),
      escrow,
    });
    expect(r.failed, "a stranger's vote fails").to.equal(true);
    expect(r.text, "decoded").to.contain("error: CommitteeNotMember");
    await task("escrow:vote", {
      jobId: id,
      bps: "6000",
      from: await indexOf(f.members[1].address),
      escrow,
    });
    r = await task("escrow:vote", {
      jobId: id,
      bps: "9000",
      from: await indexOf(f.members[2].address),
      escrow,
    });
    expect(r.text, "executed").to.contain(
      "quorum reached: the median 6000 bps was executed on the escrow",
    );
    r = await task("escrow:arbitration", { jobId: id, escrow });
    expect(r.text, "show").to.contain("ruled: 60.00% to the provider (median of 3 votes)");
    r = await task("escrow:arbitration-withdraw", {
      arbitrator: await f.committee.getAddress(),
      token: "",
      to: "",
      from: await indexOf(f.members[2].address),
    });
    expect(r.failed, r.text).to.equal(false);
    expect(r.text, "withdrawn").to.match(/^withdrew 0\.006666666666666668 ETH to 0x/);
    r = await task("escrow:court-dispute", { jobId: id, value: "", escrow });
    expect(r.text, "wrong backend").to.contain("is a committee, not a court adapter");
  });

  it("tasks: escrow:court-dispute, escrow:court-evidence, escrow:appeal", async function () {
    const f = await loadFixture(fx.courtDispute);
    const escrow = await f.escrow.getAddress();
    const id = f.jobId;
    const requester = await indexOf(f.requester.address);
    let r = await task("escrow:court-dispute", { jobId: id, value: "", from: requester, escrow });
    expect(r.failed, r.text).to.equal(false);
    expect(r.text, "created").to.contain("court dispute #0 created");
    r = await task("escrow:court-evidence", {
      jobId: id,
      uri: "ipfs://x",
      from: requester,
      escrow,
    });
    expect(r.text, "evidence").to.contain(`job ${id}: evidence relayed to the court (ipfs://x)`);
    r = await task("escrow:appeal", {
      jobId: id,
      value: "",
      from: await indexOf(f.stranger.address),
      escrow,
    });
    expect(r.failed, "no ruling yet").to.equal(true);
    expect(r.text, "decoded").to.contain("error: AdapterNotAppealable: court dispute 0");
    await f.court.connect(f.judge).giveRuling(0, Ruling.Requester);
    r = await task("escrow:appeal", {
      jobId: id,
      value: "",
      from: await indexOf(f.stranger.address),
      escrow,
    });
    expect(r.text, "appealed").to.contain(`job ${id}: appealed court dispute #0, paying 0.1`);
  });

  it("a fee the committee could not withdraw: status, describeArbitration, decoded errors, escrow:arbitration-collect-fee", async function () {
    const f = await loadFixture(fx.deploy);
    const escrow = await f.escrow.getAddress();
    const committee = await f.committee.getAddress();
    const token = (await ethers.deployContract("TrapToken")) as unknown as TrapToken;
    await token.mint(f.requester.address, 10n ** 24n);
    await token.connect(f.requester).approve(escrow, ethers.MaxUint256);
    const id = await fx.disputeJob(f, committee, {
      token: await token.getAddress(),
      amount: 1_000_000n,
    });
    await token.setTrap(committee, 1); // refuses transfers to the committee
    await new CommitteeClient(committee, f.members[0]).vote(id, 5000);
    await new CommitteeClient(committee, f.members[1]).vote(id, 5000);
    const r = await task("escrow:vote", {
      jobId: id,
      bps: "5000",
      from: await indexOf(f.members[2].address),
      escrow,
    });
    expect(r.text, "vote printed the owed fee").to.contain(
      "could not be withdrawn now: anyone may collect it later (escrow:arbitration-collect-fee)",
    );
    const client = new CommitteeClient(committee, f.stranger);
    expect((await client.status(id)).feeOwed, "status.feeOwed").to.equal(20_000n);
    let lines = await describeArbitration(ethers.provider, escrow, id);
    expect(lines.at(-1), "owed line").to.equal(
      "fee 20000 (job's token units) not yet collected: anyone may collect it (escrow:arbitration-collect-fee)",
    );
    await token.setTrap(committee, 0);
    const done = await task("escrow:arbitration-collect-fee", {
      jobId: id,
      from: await indexOf(f.stranger.address),
      escrow,
    });
    expect(done.failed, done.text).to.equal(false);
    expect(done.text, "collected").to.contain(
      `job ${id}: collected 0.00000000000002 TRAP of arbitration fee and credited the voters`,
    );
    expect((await client.status(id)).feeOwed, "nothing owed").to.equal(0n);
    lines = await describeArbitration(ethers.provider, escrow, id);
    expect(lines.at(-1), "no owed line").to.equal(
      "ruled: 50.00% to the provider (median of 3 votes)",
    );
    const err = await client.collectFee(id).catch((e: unknown) => e);
    expect((err as Error).message, "decoded").to.equal(
      `CommitteeNoFeeOwed: job ${id} has no committee fee left to collect`,
    );
  });

  it("CourtClient after the appeal cutoff: decoded refusals, describeArbitration, escrow:court-apply-ruling", async function () {
    const f = await loadFixture(fx.courtCase);
    const escrow = await f.escrow.getAddress();
    const client = new CourtClient(await f.adapter.getAddress(), f.provider);
    const end = await arbitrationEnd(f.escrow, f.jobId);
    const closeAt = end - MIN_APPEAL_TIME;
    expect((await client.status(f.jobId)).appealsCloseAt, "status.appealsCloseAt").to.equal(
      closeAt,
    );
    let err = await client.applyCurrentRuling(f.jobId).catch((e: unknown) => e);
    expect((err as Error).message, "no ruling").to.equal(
      `AdapterRulingNotFinal: the court's ruling of dispute 0 (job ${f.jobId}) can still change: the court has not ruled`,
    );
    await time.setNextBlockTimestamp(closeAt - DAY_S);
    await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
    let lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[2], "appeals open until the cutoff").to.match(
      /^current ruling 2: the requester \(refund\); anyone may appeal until .* for 0\.1$/,
    );
    err = await client.applyCurrentRuling(f.jobId).catch((e: unknown) => e);
    expect((err as Error).message, "still appealable").to.match(
      /^AdapterRulingNotFinal: .* can still change: it can be appealed until .*\(\d+\)$/,
    );
    await time.increaseTo(closeAt + 1n);
    err = await client.appeal(f.jobId).catch((e: unknown) => e);
    expect((err as Error).message, "appeal refused").to.match(
      new RegExp(`^AdapterAppealsClosed: appeals for job ${f.jobId} closed at .*\\(${closeAt}\\)`),
    );
    lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[2], "closed").to.match(
      /^current ruling 2: the requester \(refund\); appeals closed at .*: anyone may apply it now \(escrow:court-apply-ruling\)$/,
    );
    const r = await task("escrow:court-apply-ruling", {
      jobId: f.jobId,
      from: await indexOf(f.stranger.address),
      escrow,
    });
    expect(r.failed, r.text).to.equal(false);
    expect(r.text, "applied").to.contain(
      `job ${f.jobId}: the court's current ruling 2 was applied (0 bps to the provider)`,
    );
    lines = await describeArbitration(ethers.provider, escrow, f.jobId);
    expect(lines[2], "applied line").to.equal(
      "current ruling 2: the requester (refund) → 0.00% to the provider — applied before the court's final call",
    );
  });

  it("the demo chapter runs: a 3-of-5 committee ruling and a court ruling flipped on appeal", async function () {
    const f = await loadFixture(fx.deploy);
    const printed: string[] = [];
    const result = await demoArbitration({
      ethers,
      networkHelpers,
      escrow: f.escrow,
      admin: f.admin,
      requester: f.requester,
      provider: f.provider,
      spare: [...f.members, f.outsiders[0]],
      log: (l = "") => void printed.push(l),
    });
    const committeeJob = await f.escrow.getJob(result.committeeJob);
    const courtJob = await f.escrow.getJob(result.courtJob);
    expect([committeeJob.status, courtJob.status], "both resolved").to.deep.equal([8n, 8n]);
    const text = printed.join("\n");
    expect(text, "committee median").to.contain("the median 60% is executed on the escrow");
    expect(text, "appeal").to.contain("the provider appeals, paying 0.1 ETH");
    expect(text, "final ruling").to.contain(
      "final ruling 1: the provider (pay) → 100.00% to the provider",
    );
  });

  it("the Ignition modules deploy a committee and a court adapter from their parameters", async function () {
    const [admin, treasury, , arbitrator, m1, m2, m3] = await ethers.getSigners();
    const court = await ethers.deployContract("AppealableArbitrator", [COURT_COST, APPEAL_WINDOW]);
    const parameters = {
      CommunityFund: { admin: admin.address },
      WorkEscrow: {
        admin: admin.address,
        treasury: treasury.address,
        arbitrators: [{ arbitrator: arbitrator.address, arbitrationPeriod: 0 }],
      },
      Committee: { owner: admin.address, members: [m1.address, m2.address, m3.address], quorum: 2 },
      CourtAdapter: {
        court: await court.getAddress(),
        metaEvidenceURI: "ipfs://meta",
        minAppealTime: 10 * 86_400,
      },
    };
    const c = await ignition.deploy(CommitteeModule, { parameters });
    const committee = await ethers.getContractAt(
      "CommitteeArbitrator",
      await c.committee.getAddress(),
    );
    const [members, quorum] = await committee.membership(1);
    expect([members.length, quorum], "members and quorum from the parameters").to.deep.equal([
      3,
      2n,
    ]);
    expect(await committee.escrow(), "the module's escrow").to.equal(await c.escrow.getAddress());
    expect(await committee.owner(), "owner").to.equal(admin.address);
    const d = await ignition.deploy(CourtAdapterModule, { parameters });
    const adapter = await ethers.getContractAt(
      "ERC792ArbitratorAdapter",
      await d.adapter.getAddress(),
    );
    expect(await adapter.court(), "court").to.equal(await court.getAddress());
    expect(await adapter.escrow(), "the module's escrow").to.equal(await d.escrow.getAddress());
    expect(await adapter.metaEvidenceURI(), "meta-evidence").to.equal("ipfs://meta");
    expect(await adapter.arbitratorExtraData(), "extra data default").to.equal("0x");
    expect(await adapter.minAppealTime(), "minAppealTime").to.equal(10n * 86_400n);
  });
});
