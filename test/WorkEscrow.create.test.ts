import { expect } from "chai";
import { network } from "hardhat";
import { DAY, FEES, HOUR, ONE_ETH, Status, escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

describe("WorkEscrow.createJob", function () {
  describe("native coin", function () {
    it("escrows msg.value, assigns ids 1, 2, 3 and stores every field", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const balanceBefore = await ethers.provider.getBalance(f.escrow);
      const first = await fx.createJob(f);
      const second = await fx.createJob(f, { provider: ethers.ZeroAddress, jobType: 1 });
      expect(first.id).to.equal(1n);
      expect(second.id).to.equal(2n);
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(balanceBefore + 2n * ONE_ETH);

      const job = await f.escrow.getJob(1n);
      expect(job.requester).to.equal(f.requester.address);
      expect(job.provider).to.equal(f.provider.address);
      expect(job.token).to.equal(ethers.ZeroAddress);
      expect(job.amount).to.equal(ONE_ETH);
      expect(job.deadline).to.equal(first.params.deadline);
      expect(job.reviewPeriod).to.equal(first.params.reviewPeriod);
      expect(job.jobType).to.equal(0n);
      expect(job.status).to.equal(BigInt(Status.Open));
      expect(job.jobHash).to.equal(first.params.jobHash);
      expect(job.resultHash).to.equal(ethers.ZeroHash);
      expect(job.arbitrator).to.equal(f.arbitrator.address);
      expect(job.threshold).to.equal(0n);
      expect(job.approvals).to.equal(0n);
      expect(job.submittedAt).to.equal(0n);
      expect(job.platformFeeBps).to.equal(FEES.platform);
      expect(job.communityFeeBps).to.equal(FEES.community);
      expect(job.arbitrationFeeBps).to.equal(FEES.arbitration);
      expect(job.disputedBy).to.equal(ethers.ZeroAddress);
      expect(job.disputedAt).to.equal(0n);
      expect(job.proposer).to.equal(ethers.ZeroAddress);
      expect((await f.escrow.getJob(2n)).jobType).to.equal(1n);
      expect((await f.escrow.getJob(3n)).status).to.equal(BigInt(Status.None));
    });

    it("emits JobCreated with every parameter and the fee snapshot", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f, {
        approvers: [f.approvers[0].address, f.approvers[1].address],
        threshold: 1,
      });
      await expect(f.escrow.connect(f.requester).createJob(p, { value: p.amount }))
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          1n,
          f.requester.address,
          f.provider.address,
          ethers.ZeroAddress,
          p.amount,
          p.jobHash,
          f.arbitrator.address,
          [f.approvers[0].address, f.approvers[1].address],
          [
            p.deadline,
            p.reviewPeriod,
            p.jobType,
            p.threshold,
            FEES.platform,
            FEES.community,
            FEES.arbitration,
          ],
        );
    });

    it("reverts when msg.value differs from amount", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f);
      await expect(f.escrow.connect(f.requester).createJob(p, { value: ONE_ETH - 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(ONE_ETH, ONE_ETH - 1n);
    });
  });

  describe("ERC-20", function () {
    it("pulls the tokens and records the token", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const amount = 5n * ONE_ETH;
      const job = await fx.createJob(f, { token: await f.token.getAddress(), amount });
      expect(await f.token.balanceOf(f.escrow)).to.equal(amount);
      const stored = await f.escrow.getJob(job.id);
      expect(stored.token).to.equal(await f.token.getAddress());
      expect(stored.amount).to.equal(amount);
    });

    it("rejects msg.value on an ERC-20 job", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f, { token: await f.token.getAddress() });
      await expect(f.escrow.connect(f.requester).createJob(p, { value: 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
    });

    it("reverts without allowance and leaves nothing behind", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.token.mint(f.stranger.address, ONE_ETH);
      const p = await fx.params(f, { token: await f.token.getAddress() });
      await expect(f.escrow.connect(f.stranger).createJob(p)).to.be.revertedWithCustomError(
        f.token,
        "ERC20InsufficientAllowance",
      );
      expect(await f.escrow.jobCount()).to.equal(0n);
    });
  });

  describe("validation", function () {
    it("rejects a zero amount", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(fx.createJob(f, { amount: 0n })).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowZeroAmount",
      );
    });

    it("enforces the per-token minimum at exactly min-1 / min", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.escrow.setMinAmount(ethers.ZeroAddress, 1000n);
      await expect(fx.createJob(f, { amount: 999n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAmountBelowMinimum")
        .withArgs(ethers.ZeroAddress, 999n, 1000n);
      await fx.createJob(f, { amount: 1000n });
      // an ERC-20 minimum does not affect the native coin and vice versa
      await f.escrow.setMinAmount(await f.token.getAddress(), 10n ** 20n);
      await expect(
        fx.createJob(f, { token: await f.token.getAddress(), amount: 10n ** 20n - 1n }),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowAmountBelowMinimum");
      await fx.createJob(f, { token: await f.token.getAddress(), amount: 10n ** 20n });
    });

    it("rejects amounts above uint128", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const tooBig = 2n ** 128n;
      await f.token.mint(f.requester.address, tooBig);
      await expect(fx.createJob(f, { token: await f.token.getAddress(), amount: tooBig }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAmountTooLarge")
        .withArgs(tooBig, tooBig - 1n);
      await fx.createJob(f, { token: await f.token.getAddress(), amount: tooBig - 1n });
    });

    it("rejects a deadline not in the future, and accepts now+1 and exactly now+MAX_DURATION", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const maxDuration = await f.escrow.MAX_DURATION();
      const now = BigInt(await time.latest());
      const t = now + 10n; // the block timestamp of the next transaction
      const attempt = async (deadline: bigint) => {
        await time.setNextBlockTimestamp(t);
        return f.escrow
          .connect(f.requester)
          .createJob(await fx.params(f, { deadline }), { value: ONE_ETH });
      };
      await expect(attempt(t))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidDeadline")
        .withArgs(t, t, t + maxDuration);
      await expect(attempt(t + maxDuration + 1n)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidDeadline",
      );
      await time.setNextBlockTimestamp(t + 1n);
      await f.escrow
        .connect(f.requester)
        .createJob(await fx.params(f, { deadline: t + 2n }), { value: ONE_ETH });
      const t2 = t + 5n;
      await time.setNextBlockTimestamp(t2);
      await f.escrow
        .connect(f.requester)
        .createJob(await fx.params(f, { deadline: t2 + maxDuration }), { value: ONE_ETH });
      expect(await f.escrow.jobCount()).to.equal(2n);
    });

    it("bounds the review period to [MIN_REVIEW, MAX_REVIEW]", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const min = await f.escrow.MIN_REVIEW();
      const max = await f.escrow.MAX_REVIEW();
      expect(min).to.equal(HOUR);
      expect(max).to.equal(30n * DAY);
      await expect(fx.createJob(f, { reviewPeriod: min - 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidReviewPeriod")
        .withArgs(min - 1n, min, max);
      await expect(fx.createJob(f, { reviewPeriod: max + 1n })).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidReviewPeriod",
      );
      await fx.createJob(f, { reviewPeriod: min });
      await fx.createJob(f, { reviewPeriod: max });
    });

    it("rejects reserved job types and a zero job hash", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(fx.createJob(f, { jobType: 2 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidJobType")
        .withArgs(2);
      await expect(fx.createJob(f, { jobHash: ethers.ZeroHash })).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowZeroJobHash",
      );
    });

    it("requires a registered arbitrator that is not the requester", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(fx.createJob(f, { arbitrator: f.stranger.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitratorNotRegistered")
        .withArgs(f.stranger.address);
      await f.escrow.setArbitrator(f.requester.address, true);
      await expect(fx.createJob(f, { arbitrator: f.requester.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitratorNotRegistered")
        .withArgs(f.requester.address);
    });

    it("rejects a provider that is the requester or the arbitrator", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(fx.createJob(f, { provider: f.requester.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidProvider")
        .withArgs(f.requester.address);
      await expect(fx.createJob(f, { provider: f.arbitrator.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidProvider")
        .withArgs(f.arbitrator.address);
    });

    it("checks approvers: zero, duplicate, party, count and threshold", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const [a1, a2] = f.approvers.map((a) => a.address);
      for (const bad of [
        ethers.ZeroAddress,
        f.requester.address,
        f.provider.address,
        f.arbitrator.address,
      ]) {
        await expect(fx.createJob(f, { approvers: [a1, bad], threshold: 1 }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidApprover")
          .withArgs(bad);
      }
      await expect(fx.createJob(f, { approvers: [a1, a2, a1], threshold: 1 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidApprover")
        .withArgs(a1);
      await expect(fx.createJob(f, { approvers: [a1], threshold: 0 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidThreshold")
        .withArgs(0, 1);
      await expect(fx.createJob(f, { approvers: [], threshold: 1 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidThreshold")
        .withArgs(1, 0);
      await expect(fx.createJob(f, { approvers: [a1, a2], threshold: 3 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidThreshold")
        .withArgs(3, 2);
      const seventeen = Array.from({ length: 17 }, () => ethers.Wallet.createRandom().address);
      await expect(fx.createJob(f, { approvers: seventeen, threshold: 1 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowTooManyApprovers")
        .withArgs(17, 16);
      const job = await fx.createJob(f, { approvers: seventeen.slice(0, 16), threshold: 16 });
      expect((await f.escrow.getJob(job.id)).threshold).to.equal(16n);
      const [isApprover, approved] = await f.escrow.approverState(job.id, seventeen[15]);
      expect(isApprover).to.equal(true);
      expect(approved).to.equal(false);
      expect((await f.escrow.approverState(job.id, seventeen[16]))[0]).to.equal(false);
    });

    it("is blocked while paused, and works again after unpause", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.escrow.pause();
      await expect(fx.createJob(f)).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
      await f.escrow.unpause();
      await fx.createJob(f);
    });
  });
});
