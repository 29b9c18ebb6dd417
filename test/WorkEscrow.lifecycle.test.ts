import { expect } from "chai";
import { network } from "hardhat";
import {
  DAY,
  FEES,
  ONE_ETH,
  RESULT,
  Status,
  escrowFixtures,
  expectAtEdges,
  expectedSplit,
  minedAt,
  raiseDispute,
} from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

describe("WorkEscrow lifecycle", function () {
  describe("acceptJob", function () {
    it("lets the designated provider accept and emits JobAccepted", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.provider).acceptJob(f.job.id))
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(f.job.id, f.provider.address);
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Accepted));
    });

    it("refuses anyone but the designated provider", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.stranger).acceptJob(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.stranger.address);
    });

    it("lets any non-party take an open job, and makes it the provider", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, {
        provider: ethers.ZeroAddress,
        approvers: [f.approvers[0].address],
        threshold: 1,
      });
      for (const party of [f.requester, f.arbitrator, f.approvers[0]]) {
        await expect(f.escrow.connect(party).acceptJob(job.id))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(job.id, party.address);
      }
      await expect(f.escrow.connect(f.stranger).acceptJob(job.id))
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(job.id, f.stranger.address);
      expect((await f.escrow.getJob(job.id)).provider).to.equal(f.stranger.address);
      await expect(f.escrow.connect(f.other).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(job.id, Status.Accepted);
    });

    it("is allowed at deadline-1 and at the deadline, refused at deadline+1", async function () {
      await expectAtEdges(networkHelpers, fx.openJob, {
        edge: async (f) => BigInt(f.job.params.deadline),
        act: (f) => f.escrow.connect(f.provider).acceptJob(f.job.id),
        allowed: [true, true, false],
        event: "JobAccepted",
        error: "WorkEscrowDeadlinePassed",
      });
    });

    it("v2: refuses native coin sent to accept a job without a bond", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.provider).acceptJob(f.job.id, { value: 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
    });

    it("reverts for an id that does not exist", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(f.escrow.connect(f.provider).acceptJob(42n))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(42n, Status.None);
    });
  });

  describe("cancelJob", function () {
    it("refunds the requester in full with no fee", async function () {
      const f = await loadFixture(fx.openJob);
      const tx = f.escrow.connect(f.requester).cancelJob(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "JobCancelled")
        .withArgs(f.job.id, f.requester.address, ONE_ETH);
      await expect(tx).to.changeEtherBalances(ethers, [f.requester, f.escrow], [ONE_ETH, -ONE_ETH]);
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Cancelled));
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury.address)).to.equal(0n);
    });

    it("is the requester's alone, and only while Open", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.provider).cancelJob(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.provider.address);
      await f.escrow.connect(f.provider).acceptJob(f.job.id);
      await expect(f.escrow.connect(f.requester).cancelJob(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Accepted);
    });

    it("refunds an ERC-20 job in tokens", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { token: await f.token.getAddress(), amount: 7n });
      await expect(f.escrow.connect(f.requester).cancelJob(job.id)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.requester, f.escrow],
        [7n, -7n],
      );
    });
  });

  describe("submitWork", function () {
    it("records the result hash and the submission time", async function () {
      const f = await loadFixture(fx.acceptedJob);
      const tx = await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
      await expect(tx)
        .to.emit(f.escrow, "WorkSubmitted")
        .withArgs(f.job.id, f.provider.address, RESULT);
      const job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Submitted));
      expect(job.resultHash).to.equal(RESULT);
      expect(job.submittedAt).to.equal(await minedAt(ethers, tx));
    });

    it("refuses a non-provider, a zero hash, and a job that is not Accepted", async function () {
      const f = await loadFixture(fx.acceptedJob);
      await expect(f.escrow.connect(f.requester).submitWork(f.job.id, RESULT))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.requester.address);
      await expect(f.escrow.connect(f.provider).submitWork(f.job.id, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowZeroResultHash")
        .withArgs(f.job.id);
      await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
      await expect(f.escrow.connect(f.provider).submitWork(f.job.id, RESULT))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Submitted);
      const open = await fx.createJob(f);
      await expect(f.escrow.connect(f.provider).submitWork(open.id, RESULT))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(open.id, Status.Open);
    });

    it("is allowed at deadline-1 and at the deadline, refused at deadline+1", async function () {
      await expectAtEdges(networkHelpers, fx.acceptedJob, {
        edge: async (f) => BigInt(f.job.params.deadline),
        act: (f) => f.escrow.connect(f.provider).submitWork(f.job.id, RESULT),
        allowed: [true, true, false],
        event: "WorkSubmitted",
        error: "WorkEscrowDeadlinePassed",
      });
    });
  });

  describe("release", function () {
    it("pays the provider minus platform and community fees, credited to the fee recipients", async function () {
      const f = await loadFixture(fx.submittedJob);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      const tx = f.escrow.connect(f.requester).release(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "JobReleased")
        .withArgs(
          f.job.id,
          f.provider.address,
          f.requester.address,
          s.provider,
          s.platformFee,
          s.communityFee,
        );
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.escrow],
        [s.provider, -s.provider],
      );
      expect(s.platformFee).to.equal((ONE_ETH * FEES.platform) / 10_000n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury.address)).to.equal(
        s.platformFee,
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community.address)).to.equal(
        s.communityFee,
      );
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Released));
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(s.platformFee + s.communityFee);
    });

    it("lets the requester release an Accepted job before any submission", async function () {
      const f = await loadFixture(fx.acceptedJob);
      await expect(f.escrow.connect(f.provider).release(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.provider.address);
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.emit(
        f.escrow,
        "JobReleased",
      );
    });

    it("lets anyone release from submittedAt + reviewPeriod on, not one second before", async function () {
      await expectAtEdges(networkHelpers, fx.submittedJob, {
        edge: async (f) => {
          const job = await f.escrow.getJob(f.job.id);
          return job.submittedAt + job.reviewPeriod;
        },
        act: (f) => f.escrow.connect(f.stranger).release(f.job.id),
        allowed: [false, true, true],
        event: "JobReleased",
        error: "WorkEscrowReviewWindowOpen",
      });
    });

    it("cannot release twice, nor an Open, Disputed or refunded job", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.requester).release(f.job.id);
      await expect(f.escrow.connect(f.requester).release(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Released);
      const open = await fx.createJob(f);
      await expect(f.escrow.connect(f.requester).release(open.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(open.id, Status.Open);
      const d = await loadFixture(fx.disputedJob);
      await time.increase(30n * DAY);
      await expect(d.escrow.connect(d.stranger).release(d.job.id))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
    });
  });

  describe("approveWork (multiparty)", function () {
    it("counts distinct approvals and releases on the threshold-th", async function () {
      const f = await loadFixture(fx.multipartyJob);
      const [a1, a2, a3] = f.approvers;
      await expect(f.escrow.connect(a1).approveWork(f.job.id))
        .to.emit(f.escrow, "WorkApproved")
        .withArgs(f.job.id, a1.address, 1);
      expect((await f.escrow.getJob(f.job.id)).approvals).to.equal(1n);
      expect(await f.escrow.approverState(f.job.id, a1.address)).to.deep.equal([true, true]);
      await expect(f.escrow.connect(a1).approveWork(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAlreadyApproved")
        .withArgs(f.job.id, a1.address);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      const tx = f.escrow.connect(a3).approveWork(f.job.id);
      await expect(tx).to.emit(f.escrow, "WorkApproved").withArgs(f.job.id, a3.address, 2);
      await expect(tx)
        .to.emit(f.escrow, "JobReleased")
        .withArgs(
          f.job.id,
          f.provider.address,
          a3.address,
          s.provider,
          s.platformFee,
          s.communityFee,
        );
      await expect(f.escrow.connect(a2).approveWork(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Released);
    });

    it("refuses non-approvers and jobs not yet submitted", async function () {
      const f = await loadFixture(fx.multipartyJob);
      for (const who of [f.requester, f.provider, f.arbitrator, f.stranger]) {
        await expect(f.escrow.connect(who).approveWork(f.job.id))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
      const job = await fx.createJob(f, { approvers: [f.approvers[0].address], threshold: 1 });
      await expect(f.escrow.connect(f.approvers[0]).approveWork(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(job.id, Status.Open);
    });

    it("still lets the requester release, or anyone after the review window, below the threshold", async function () {
      const f = await loadFixture(fx.multipartyJob);
      await f.escrow.connect(f.approvers[0]).approveWork(f.job.id);
      await time.increase(2n * DAY);
      await expect(f.escrow.connect(f.stranger).release(f.job.id)).to.emit(f.escrow, "JobReleased");
    });

    it("the paying approval costs the same gas with 1, 8 and 16 approvers (±2%), and so does a counting one", async function () {
      const f = await loadFixture(fx.deployEscrow);
      // steady state: the fee accrual slot exists already
      const warmUp = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(warmUp.id);
      await f.escrow.connect(f.requester).release(warmUp.id);
      // Fresh funded wallets, so every measured approval comes from an account with the same history.
      const makeApprovers = async (n: number) => {
        const wallets = Array.from({ length: n }, () =>
          ethers.Wallet.createRandom().connect(ethers.provider),
        );
        for (const w of wallets) await f.admin.sendTransaction({ to: w.address, value: ONE_ETH });
        return wallets;
      };
      /** Gas of every approval of a job with n approvers and threshold n, in list order. */
      const approveAll = async (n: number) => {
        const wallets = await makeApprovers(n);
        const job = await fx.createJob(f, {
          approvers: wallets.map((w) => w.address),
          threshold: n,
        });
        await f.escrow.connect(f.provider).acceptJob(job.id);
        await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
        const gas: number[] = [];
        for (const w of wallets) {
          const receipt = await (await f.escrow.connect(w).approveWork(job.id)).wait();
          gas.push(Number(receipt!.gasUsed));
        }
        expect((await f.escrow.getJob(job.id)).status).to.equal(BigInt(Status.Released));
        return gas;
      };
      const one = await approveAll(1);
      const eight = await approveAll(8);
      const sixteen = await approveAll(16);
      // the paying approval: the only one of a 1-approver job, the 8th, the 16th (last in the list)
      const paying = [one[0], eight[7], sixteen[15]];
      for (const g of paying)
        expect(g, `paying approvals ${paying}`).to.be.within(paying[0] * 0.98, paying[0] * 1.02);
      // a counting approval (no payment): the first and the one before the last, with 8 and 16
      const counting = [eight[0], eight[6], sixteen[0], sixteen[14]];
      for (const g of counting)
        expect(g, `counting approvals ${counting}`).to.be.within(
          counting[0] * 0.98,
          counting[0] * 1.02,
        );
    });
  });

  describe("refundExpired", function () {
    it("refunds Open and Accepted jobs in full after the deadline, callable by anyone", async function () {
      for (const fixture of [fx.openJob, fx.acceptedJob]) {
        const f = await loadFixture(fixture);
        await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
        const tx = f.escrow.connect(f.stranger).refundExpired(f.job.id);
        await expect(tx)
          .to.emit(f.escrow, "JobRefunded")
          .withArgs(f.job.id, f.requester.address, f.stranger.address, ONE_ETH);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.requester, f.escrow],
          [ONE_ETH, -ONE_ETH],
        );
        expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Refunded));
      }
    });

    it("is refused at deadline-1 and at the deadline, allowed at deadline+1", async function () {
      await expectAtEdges(networkHelpers, fx.acceptedJob, {
        edge: async (f) => BigInt(f.job.params.deadline),
        act: (f) => f.escrow.connect(f.stranger).refundExpired(f.job.id),
        allowed: [false, false, true],
        event: "JobRefunded",
        error: "WorkEscrowDeadlineNotPassed",
      });
    });

    it("never refunds submitted, disputed or finished jobs", async function () {
      const f = await loadFixture(fx.submittedJob);
      await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
      await expect(f.escrow.refundExpired(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Submitted);
      const d = await loadFixture(fx.disputedJob);
      await time.increaseTo(BigInt(d.job.params.deadline) + 1n);
      await expect(d.escrow.refundExpired(d.job.id))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
      const c = await loadFixture(fx.openJob);
      await c.escrow.connect(c.requester).cancelJob(c.job.id);
      await time.increaseTo(BigInt(c.job.params.deadline) + 1n);
      await expect(c.escrow.refundExpired(c.job.id))
        .to.be.revertedWithCustomError(c.escrow, "WorkEscrowInvalidStatus")
        .withArgs(c.job.id, Status.Cancelled);
    });
  });

  describe("pause never blocks an exit", function () {
    it("accept, submit, approve, release, cancel, refund, dispute and withdraw work while paused", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const a = await fx.createJob(f, { approvers: [f.approvers[0].address], threshold: 1 });
      const b = await fx.createJob(f);
      const c = await fx.createJob(f);
      const d = await fx.createJob(f);
      await f.escrow.pause();
      await f.escrow.connect(f.provider).acceptJob(a.id);
      await f.escrow.connect(f.provider).submitWork(a.id, RESULT);
      await f.escrow.connect(f.approvers[0]).approveWork(a.id);
      await f.escrow.connect(f.requester).cancelJob(b.id);
      await f.escrow.connect(f.provider).acceptJob(d.id);
      await f.escrow.connect(f.provider).submitWork(d.id, RESULT);
      await raiseDispute(f.escrow, f.provider, d.id, "unpaid");
      await f.escrow.connect(f.arbitrator).resolveDispute(d.id, 5000);
      await time.increaseTo(BigInt(c.params.deadline) + 1n);
      await f.escrow.refundExpired(c.id);
      await f.escrow.connect(f.treasury).withdraw(ethers.ZeroAddress);
      expect((await f.escrow.getJob(a.id)).status).to.equal(BigInt(Status.Released));
      expect((await f.escrow.getJob(d.id)).status).to.equal(BigInt(Status.Resolved));
    });
  });
});
