import { expect } from "chai";
import { network } from "hardhat";
import {
  ARBITRATION_PERIOD,
  ONE_ETH,
  Resolution,
  Status,
  escrowFixtures,
  expectAtEdges,
  expectedSplit,
  minedAt,
} from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

describe("WorkEscrow disputes", function () {
  describe("raiseDispute", function () {
    it("records who disputed and when, from Submitted and from Accepted", async function () {
      const f = await loadFixture(fx.submittedJob);
      const tx = await f.escrow.connect(f.requester).raiseDispute(f.job.id, "wrong output");
      await expect(tx)
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(f.job.id, f.requester.address, "wrong output");
      const job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Disputed));
      expect(job.disputedBy).to.equal(f.requester.address);
      expect(job.disputedAt).to.equal(await minedAt(ethers, tx));

      const a = await loadFixture(fx.acceptedJob);
      await a.escrow.connect(a.provider).raiseDispute(a.job.id, "requester unresponsive");
      expect((await a.escrow.getJob(a.job.id)).disputedBy).to.equal(a.provider.address);
    });

    it("is only for the requester and the provider", async function () {
      const f = await loadFixture(fx.submittedJob);
      for (const who of [f.arbitrator, f.stranger, f.treasury]) {
        await expect(f.escrow.connect(who).raiseDispute(f.job.id, "x"))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
    });

    it("is refused on Open, Disputed and terminal jobs", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.requester).raiseDispute(f.job.id, "x"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Open);
      const d = await loadFixture(fx.disputedJob);
      await expect(d.escrow.connect(d.provider).raiseDispute(d.job.id, "x"))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
    });

    it("from Submitted: allowed at end-1, refused at end and end+1 (end = submittedAt + reviewPeriod)", async function () {
      await expectAtEdges(networkHelpers, fx.submittedJob, {
        edge: async (f) => {
          const job = await f.escrow.getJob(f.job.id);
          return job.submittedAt + job.reviewPeriod;
        },
        act: (f) => f.escrow.connect(f.requester).raiseDispute(f.job.id, "late"),
        allowed: [true, false, false],
        event: "DisputeRaised",
        error: "WorkEscrowReviewWindowClosed",
      });
    });

    it("from Accepted: allowed at deadline-1 and deadline, refused at deadline+1", async function () {
      await expectAtEdges(networkHelpers, fx.acceptedJob, {
        edge: async (f) => BigInt(f.job.params.deadline),
        act: (f) => f.escrow.connect(f.provider).raiseDispute(f.job.id, "x"),
        allowed: [true, true, false],
        event: "DisputeRaised",
        error: "WorkEscrowDeadlinePassed",
      });
    });

    it("stops approvals, release, auto-release and refund", async function () {
      const f = await loadFixture(fx.multipartyJob);
      await f.escrow.connect(f.provider).raiseDispute(f.job.id, "approvers stalling");
      await expect(
        f.escrow.connect(f.approvers[0]).approveWork(f.job.id),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
      await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
      await expect(f.escrow.refundExpired(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
    });
  });

  describe("submitEvidence", function () {
    it("lets the parties and the job's arbitrator post evidence URIs", async function () {
      const f = await loadFixture(fx.disputedJob);
      for (const who of [f.requester, f.provider, f.arbitrator]) {
        await expect(f.escrow.connect(who).submitEvidence(f.job.id, "ipfs://evidence"))
          .to.emit(f.escrow, "EvidenceSubmitted")
          .withArgs(f.job.id, who.address, "ipfs://evidence");
      }
      await expect(f.escrow.connect(f.stranger).submitEvidence(f.job.id, "ipfs://spam"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.stranger.address);
    });

    it("is refused when the job is not disputed", async function () {
      const f = await loadFixture(fx.submittedJob);
      await expect(f.escrow.connect(f.requester).submitEvidence(f.job.id, "ipfs://x"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Submitted);
    });
  });

  describe("negotiated settlement", function () {
    it("resolves on the other party's acceptance of the same bps, with no arbitration fee", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).proposeSettlement(f.job.id, 7000))
        .to.emit(f.escrow, "SettlementProposed")
        .withArgs(f.job.id, f.provider.address, 7000);
      let job = await f.escrow.getJob(f.job.id);
      expect(job.proposer).to.equal(f.provider.address);
      expect(job.proposalBps).to.equal(7000n);
      expect(job.disputedBy).to.equal(f.requester.address);

      const s = expectedSplit(ONE_ETH, 7000n, 0n);
      const tx = f.escrow.connect(f.requester).acceptSettlement(f.job.id, 7000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.requester.address,
          Resolution.Agreed,
          7000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          0n,
        );
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester, f.escrow],
        [s.provider, s.requester, -(s.provider + s.requester)],
      );
      job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Resolved));
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(0n);
    });

    it("refuses accepting one's own proposal, a different bps, or with no proposal", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 5000);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 2000);
      await expect(f.escrow.connect(f.requester).acceptSettlement(f.job.id, 2000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowOwnProposal")
        .withArgs(f.job.id, f.requester.address);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 2500))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 2500);
      await expect(f.escrow.connect(f.stranger).acceptSettlement(f.job.id, 2000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.stranger.address);
    });

    it("a newer proposal replaces the older one, whoever made it", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 2000);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 8000);
      await expect(
        f.escrow.connect(f.provider).acceptSettlement(f.job.id, 2000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal");
      await expect(
        f.escrow.connect(f.provider).acceptSettlement(f.job.id, 8000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowOwnProposal");
      await f.escrow.connect(f.requester).acceptSettlement(f.job.id, 8000);
    });

    it("a zero-bps offer is a real offer (full refund to the requester)", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 0);
      const job = await f.escrow.getJob(f.job.id);
      expect(job.proposer).to.equal(f.provider.address);
      await expect(
        f.escrow.connect(f.requester).acceptSettlement(f.job.id, 0),
      ).to.changeEtherBalance(ethers, f.requester, ONE_ETH);
    });

    it("rejects bps above 10,000, non-parties and non-disputed jobs", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).proposeSettlement(f.job.id, 10_001))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBps")
        .withArgs(10_001);
      await expect(f.escrow.connect(f.arbitrator).proposeSettlement(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.arbitrator.address);
      const s = await loadFixture(fx.submittedJob);
      await expect(s.escrow.connect(s.provider).proposeSettlement(s.job.id, 5000))
        .to.be.revertedWithCustomError(s.escrow, "WorkEscrowInvalidStatus")
        .withArgs(s.job.id, Status.Submitted);
    });
  });

  describe("resolveDispute", function () {
    it("pays the arbitration fee, then splits the rest exactly", async function () {
      const f = await loadFixture(fx.disputedJob);
      const s = expectedSplit(ONE_ETH, 6000n, 200n);
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 6000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.arbitrator.address,
          Resolution.Arbitrated,
          6000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          s.arbitrationFee,
        );
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester],
        [s.provider, s.requester],
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(
        s.arbitrationFee,
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury.address)).to.equal(
        s.platformFee,
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community.address)).to.equal(
        s.communityFee,
      );
      expect(s.provider + s.requester + s.platformFee + s.communityFee + s.arbitrationFee).to.equal(
        ONE_ETH,
      );
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(
        s.platformFee + s.communityFee + s.arbitrationFee,
      );
    });

    it("handles 0 and 10,000 bps and rejects 10,001", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 10_001))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBps")
        .withArgs(10_001);
      const s0 = expectedSplit(ONE_ETH, 0n, 200n);
      await expect(
        f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 0),
      ).to.changeEtherBalance(ethers, f.requester, s0.requester);
      const g = await loadFixture(fx.disputedJob);
      const s1 = expectedSplit(ONE_ETH, 10_000n, 200n);
      await expect(
        g.escrow.connect(g.arbitrator).resolveDispute(g.job.id, 10_000),
      ).to.changeEtherBalance(ethers, g.provider, s1.provider);
    });

    it("only the job's snapshotted arbitrator, even after the registry changes", async function () {
      const f = await loadFixture(fx.disputedJob);
      for (const who of [f.requester, f.provider, f.stranger, f.admin]) {
        await expect(f.escrow.connect(who).resolveDispute(f.job.id, 5000))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
      // a newly registered arbitrator gains nothing; the de-registered one keeps its job
      await f.escrow.setArbitrator(f.stranger.address, true);
      await f.escrow.setArbitrator(f.arbitrator.address, false);
      await expect(
        f.escrow.connect(f.stranger).resolveDispute(f.job.id, 5000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized");
      expect((await f.escrow.getJob(f.job.id)).arbitrator).to.equal(f.arbitrator.address);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000)).to.emit(
        f.escrow,
        "DisputeResolved",
      );
      // and the de-registered arbitrator cannot be named by new jobs
      await expect(fx.createJob(f)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowArbitratorNotRegistered",
      );
    });

    it("is allowed at end-1, refused at end and end+1 (end = disputedAt + ARBITRATION_PERIOD)", async function () {
      await expectAtEdges(networkHelpers, fx.disputedJob, {
        edge: async (f) => (await f.escrow.getJob(f.job.id)).disputedAt + ARBITRATION_PERIOD,
        act: (f) => f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000),
        allowed: [true, false, false],
        event: "DisputeResolved",
        error: "WorkEscrowArbitrationPeriodOver",
      });
    });

    it("cannot resolve twice or act on a resolved job", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Resolved);
      await expect(
        f.escrow.connect(f.provider).proposeSettlement(f.job.id, 1),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await expect(
        f.escrow.connect(f.provider).submitEvidence(f.job.id, "x"),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await time.increase(ARBITRATION_PERIOD);
      await expect(f.escrow.settleStaleDispute(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
    });
  });

  describe("settleStaleDispute", function () {
    it("splits 50/50 with no arbitration fee, callable by anyone once the period has passed", async function () {
      const f = await loadFixture(fx.disputedJob);
      const endsAt = (await f.escrow.getJob(f.job.id)).disputedAt + ARBITRATION_PERIOD;
      await time.setNextBlockTimestamp(endsAt - 1n);
      await expect(f.escrow.connect(f.stranger).settleStaleDispute(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitrationPeriodActive")
        .withArgs(f.job.id, endsAt);
      await time.setNextBlockTimestamp(endsAt);
      const s = expectedSplit(ONE_ETH, 5000n, 0n);
      const tx = f.escrow.connect(f.stranger).settleStaleDispute(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.stranger.address,
          Resolution.Stale,
          5000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          0n,
        );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(0n);
    });

    it("also works at end+1, and not on a job that is not disputed", async function () {
      const f = await loadFixture(fx.disputedJob);
      const endsAt = (await f.escrow.getJob(f.job.id)).disputedAt + ARBITRATION_PERIOD;
      await time.setNextBlockTimestamp(endsAt + 1n);
      await expect(f.escrow.settleStaleDispute(f.job.id)).to.emit(f.escrow, "DisputeResolved");
      const s = await loadFixture(fx.submittedJob);
      await expect(s.escrow.settleStaleDispute(s.job.id))
        .to.be.revertedWithCustomError(s.escrow, "WorkEscrowInvalidStatus")
        .withArgs(s.job.id, Status.Submitted);
    });

    it("a settlement can still be agreed after the arbitration period, until someone settles it as stale", async function () {
      const f = await loadFixture(fx.disputedJob);
      await time.increase(ARBITRATION_PERIOD + 1n);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 9000);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 9000)).to.emit(
        f.escrow,
        "DisputeResolved",
      );
    });
  });
});
