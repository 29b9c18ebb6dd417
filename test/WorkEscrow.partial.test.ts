import { expect } from "chai";
import { network } from "hardhat";
import {
  FEES,
  ONE_ETH,
  RESULT,
  Status,
  depositOf,
  escrowFixtures,
  expectBalanceChanges,
  expectedSplit,
  raiseDispute,
} from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

/** An accepted 1-unit ERC-20 job. */
async function acceptedTokenJob() {
  const f = await fx.deployEscrow();
  const job = await fx.createJob(f, { token: await f.token.getAddress() });
  await f.escrow.connect(f.provider).acceptJob(job.id);
  return { ...f, job };
}

/** Fees on a part paid to the provider, at the fixture's rates. */
const feesOn = (gross: bigint) => expectedSplit(gross, 10_000n, 0n);

describe("WorkEscrow partial payments (v2)", function () {
  describe("releasePartial (requester)", function () {
    for (const [label, part] of [
      ["1 wei", 1n],
      ["all but 1 wei", ONE_ETH - 1n],
      ["an odd third", ONE_ETH / 3n],
    ] as const) {
      it(`pays ${label} with exact fees on that part; the rest stays escrowed`, async function () {
        const f = await loadFixture(fx.acceptedJob);
        const s = feesOn(part);
        const remaining = ONE_ETH - part;
        const tx = f.escrow.connect(f.requester).releasePartial(f.job.id, part);
        await expect(tx)
          .to.emit(f.escrow, "JobPartiallyReleased")
          .withArgs(
            f.job.id,
            f.provider.address,
            part,
            s.provider,
            s.platformFee,
            s.communityFee,
            remaining,
          );
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.escrow],
          [s.provider, -s.provider],
        );
        const job = await f.escrow.getJob(f.job.id);
        expect(job.status).to.equal(BigInt(Status.Accepted));
        expect([job.amount, job.released, job.refunded]).to.deep.equal([remaining, part, 0n]);
        // the fees JobPartiallyReleased names are credited to the fee recipients
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(s.platformFee);
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community)).to.equal(
          s.communityFee,
        );
      });
    }

    it("paying all of it releases the job (JobReleased, fees on the whole)", async function () {
      const f = await loadFixture(fx.acceptedJob);
      const s = feesOn(ONE_ETH);
      const tx = f.escrow.connect(f.requester).releasePartial(f.job.id, ONE_ETH);
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
      await expect(tx).not.to.emit(f.escrow, "JobPartiallyReleased");
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Released));
    });

    it("parts add up: 1 wei, then all but 1 of the rest, then the last wei; each part's fees exact, every wei accounted for", async function () {
      const f = await loadFixture(acceptedTokenJob);
      const t = await f.token.getAddress();
      const parts = [1n, ONE_ETH - 2n];
      let fees = 0n;
      let net = 0n;
      for (const part of parts) {
        const s = feesOn(part);
        await expectBalanceChanges(
          ethers,
          f.escrow.connect(f.requester).releasePartial(f.job.id, part),
          t,
          [f.provider],
          [s.provider],
        );
        fees += s.platformFee + s.communityFee;
        net += s.provider;
      }
      let job = await f.escrow.getJob(f.job.id);
      expect([job.amount, job.released]).to.deep.equal([1n, ONE_ETH - 1n]);
      await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
      await f.escrow.connect(f.requester).releasePartial(f.job.id, 1n); // in Submitted: the last wei
      job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Released));
      // `released` counts the parts paid while the job went on; the last part ended it (JobReleased)
      expect([job.released, job.amount]).to.deep.equal([ONE_ETH - 1n, 1n]);
      expect(await f.token.balanceOf(f.escrow)).to.equal(fees, "only fees remain");
      expect(net + fees + 1n).to.equal(ONE_ETH);
    });

    it("refuses 0, more than remains, a caller other than the requester, and jobs not Accepted/Submitted", async function () {
      const f = await loadFixture(fx.acceptedJob);
      for (const amount of [0n, ONE_ETH + 1n]) {
        await expect(f.escrow.connect(f.requester).releasePartial(f.job.id, amount))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidPartialAmount")
          .withArgs(f.job.id, amount, ONE_ETH);
      }
      for (const who of [f.provider, f.stranger, f.arbitrator]) {
        await expect(f.escrow.connect(who).releasePartial(f.job.id, 1n))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
      const o = await loadFixture(fx.openJob);
      await expect(o.escrow.connect(o.requester).releasePartial(o.job.id, 1n))
        .to.be.revertedWithCustomError(o.escrow, "WorkEscrowInvalidStatus")
        .withArgs(o.job.id, Status.Open);
      const d = await loadFixture(fx.disputedJob);
      await expect(d.escrow.connect(d.requester).releasePartial(d.job.id, 1n))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
      await expect(d.escrow.connect(d.provider).refundPartial(d.job.id, 1n))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
    });
  });

  describe("refundPartial (provider)", function () {
    for (const [label, part] of [
      ["1 wei", 1n],
      ["all but 1 wei", ONE_ETH - 1n],
    ] as const) {
      it(`returns ${label} to the requester, no fee`, async function () {
        const f = await loadFixture(fx.acceptedJob);
        const tx = f.escrow.connect(f.provider).refundPartial(f.job.id, part);
        await expect(tx)
          .to.emit(f.escrow, "JobPartiallyRefunded")
          .withArgs(f.job.id, f.requester.address, part, ONE_ETH - part);
        await expect(tx).to.changeEtherBalances(ethers, [f.requester, f.escrow], [part, -part]);
        for (const recipient of [f.treasury, f.community]) {
          expect(await f.escrow.withdrawable(ethers.ZeroAddress, recipient), "no fee").to.equal(0n);
        }
        const job = await f.escrow.getJob(f.job.id);
        expect([job.amount, job.released, job.refunded]).to.deep.equal([ONE_ETH - part, 0n, part]);
        expect(job.status).to.equal(BigInt(Status.Accepted));
      });
    }

    it("returning all of it ends the job as Refunded", async function () {
      const f = await loadFixture(fx.submittedJob);
      const tx = f.escrow.connect(f.provider).refundPartial(f.job.id, ONE_ETH);
      await expect(tx)
        .to.emit(f.escrow, "JobRefunded")
        .withArgs(f.job.id, f.requester.address, f.provider.address, ONE_ETH);
      await expect(tx).to.changeEtherBalance(ethers, f.requester, ONE_ETH);
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Refunded));
    });

    it("refuses 0, more than remains, and a caller other than the provider", async function () {
      const f = await loadFixture(fx.submittedJob);
      await expect(f.escrow.connect(f.provider).refundPartial(f.job.id, 0n))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidPartialAmount")
        .withArgs(f.job.id, 0n, ONE_ETH);
      await expect(f.escrow.connect(f.provider).refundPartial(f.job.id, ONE_ETH + 1n))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidPartialAmount")
        .withArgs(f.job.id, ONE_ETH + 1n, ONE_ETH);
      for (const who of [f.requester, f.stranger]) {
        await expect(f.escrow.connect(who).refundPartial(f.job.id, 1n))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
    });
  });

  describe("after partial payments", function () {
    it("a dispute is over the remainder: the deposit is on the remainder and the ruling splits it", async function () {
      const f = await loadFixture(fx.acceptedJob);
      const paid = ONE_ETH / 4n;
      const back = ONE_ETH / 8n;
      await f.escrow.connect(f.requester).releasePartial(f.job.id, paid);
      await f.escrow.connect(f.provider).refundPartial(f.job.id, back);
      await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
      const remaining = ONE_ETH - paid - back;
      const deposit = await depositOf(f.escrow, f.job.id);
      expect(deposit).to.equal((remaining * FEES.arbitration) / 10_000n);
      await expect(raiseDispute(f.escrow, f.requester, f.job.id))
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(f.job.id, f.requester.address, "dispute", deposit);
      const s = expectedSplit(remaining, 6000n, FEES.arbitration);
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 6000);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester, f.escrow],
        [s.provider, s.requester + deposit, -(s.provider + s.requester + deposit)],
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator)).to.equal(
        s.arbitrationFee,
      );
      const job = await f.escrow.getJob(f.job.id);
      expect([job.released, job.refunded]).to.deep.equal([paid, back]);
    });

    it("a partial payment, then a refund after the deadline returns only the rest", async function () {
      const f = await loadFixture(fx.acceptedJob);
      const paid = (ONE_ETH * 2n) / 5n;
      await f.escrow.connect(f.requester).releasePartial(f.job.id, paid);
      await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
      const tx = f.escrow.connect(f.stranger).refundExpired(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "JobRefunded")
        .withArgs(f.job.id, f.requester.address, f.stranger.address, ONE_ETH - paid);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.requester, f.provider],
        [ONE_ETH - paid, 0n],
      );
      const job = await f.escrow.getJob(f.job.id);
      expect([job.status, job.amount, job.released]).to.deep.equal([
        BigInt(Status.Refunded),
        ONE_ETH - paid,
        paid,
      ]);
      const fees = feesOn(paid);
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(
        fees.platformFee + fees.communityFee,
      );
    });

    it("an agreed split and a release are on the remainder only", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.provider).refundPartial(f.job.id, ONE_ETH / 2n);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 5000);
      const s = expectedSplit(ONE_ETH / 2n, 5000n, 0n);
      await expect(
        f.escrow.connect(f.requester).acceptSettlement(f.job.id, 5000),
      ).to.changeEtherBalances(ethers, [f.provider, f.requester], [s.provider, s.requester]);
    });
  });
});
