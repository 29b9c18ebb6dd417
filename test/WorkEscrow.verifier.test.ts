import { expect } from "chai";
import { network } from "hardhat";
import {
  FEES,
  ONE_ETH,
  RESULT,
  Status,
  Verdict,
  escrowFixtures,
  expectAtEdges,
  expectedSplit,
  raiseDispute,
} from "./helpers/escrow.js";

// The core's `verifyWork` (v2). The ERC-8004 Validation Registry adapter that calls it is tested with
// the adapter.

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

const VERIFIER_BPS = 250n; // 2.5%
const BOND = 50_000n;

/** A submitted job with a bond, whose verifier (`other`) takes 2.5%. */
async function verifiedJob() {
  const f = await fx.deployEscrow();
  const verifier = f.other;
  const job = await fx.createJob(f, {
    verifier: verifier.address,
    verifierFeeBps: VERIFIER_BPS,
    providerBond: BOND,
  });
  await f.escrow.connect(f.provider).acceptJob(job.id, { value: BOND });
  await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
  return { ...f, verifier, job };
}

async function rejectedJob() {
  const f = await verifiedJob();
  await f.escrow.connect(f.verifier).verifyWork(f.job.id, false);
  return f;
}

const FEE = (ONE_ETH * VERIFIER_BPS) / 10_000n;

describe("WorkEscrow verifier (v2)", function () {
  it("approve → Released at once: the verifier's fee credited, the provider paid on the rest, the bond back", async function () {
    const f = await loadFixture(verifiedJob);
    const s = expectedSplit(ONE_ETH - FEE, 10_000n, 0n);
    const tx = f.escrow.connect(f.verifier).verifyWork(f.job.id, true);
    await expect(tx)
      .to.emit(f.escrow, "WorkVerified")
      .withArgs(f.job.id, f.verifier.address, true, FEE);
    await expect(tx)
      .to.emit(f.escrow, "Credited")
      .withArgs(f.job.id, ethers.ZeroAddress, f.verifier.address, FEE);
    await expect(tx)
      .to.emit(f.escrow, "JobReleased")
      .withArgs(
        f.job.id,
        f.provider.address,
        f.verifier.address,
        s.provider,
        s.platformFee,
        s.communityFee,
      );
    await expect(tx).to.changeEtherBalances(
      ethers,
      [f.provider, f.requester],
      [s.provider + BOND, 0n],
    );
    const job = await f.escrow.getJob(f.job.id);
    expect([job.status, job.verdict, job.amount]).to.deep.equal([
      BigInt(Status.Released),
      BigInt(Verdict.Approved),
      ONE_ETH - FEE,
    ]);
    expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.verifier)).to.equal(FEE);
  });

  it("reject → the fee is still credited; the job stays Submitted with the verdict recorded", async function () {
    const f = await loadFixture(verifiedJob);
    const tx = f.escrow.connect(f.verifier).verifyWork(f.job.id, false);
    await expect(tx)
      .to.emit(f.escrow, "WorkVerified")
      .withArgs(f.job.id, f.verifier.address, false, FEE);
    await expect(tx).not.to.emit(f.escrow, "JobReleased");
    const job = await f.escrow.getJob(f.job.id);
    expect([job.status, job.verdict, job.amount]).to.deep.equal([
      BigInt(Status.Submitted),
      BigInt(Verdict.Rejected),
      ONE_ETH - FEE,
    ]);
    expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.verifier)).to.equal(FEE);
  });

  it("after a rejection, release by a stranger is refused (WorkEscrowWorkRejected) even after the window", async function () {
    const f = await loadFixture(rejectedJob);
    const job = await f.escrow.getJob(f.job.id);
    await time.increaseTo(job.submittedAt + job.reviewPeriod + 1n);
    for (const who of [f.stranger, f.provider]) {
      await expect(f.escrow.connect(who).release(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowWorkRejected")
        .withArgs(f.job.id);
    }
  });

  it("v2 (audit M-01): after a rejection at V, refundExpired is refused at V + review - 1 and allowed from V + review (the bond forfeited)", async function () {
    await expectAtEdges(networkHelpers, rejectedJob, {
      edge: async (f) => {
        const job = await f.escrow.getJob(f.job.id);
        return job.verdictAt + job.reviewPeriod;
      },
      act: (f) => f.escrow.connect(f.stranger).refundExpired(f.job.id),
      allowed: [false, true, true],
      event: "JobRefunded",
      error: "WorkEscrowReviewWindowOpen",
    });
    const f = await loadFixture(rejectedJob);
    const job = await f.escrow.getJob(f.job.id);
    await time.increaseTo(job.verdictAt + job.reviewPeriod);
    const tx = f.escrow.connect(f.stranger).refundExpired(f.job.id);
    await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, 0n, BOND);
    await expect(tx).to.changeEtherBalances(
      ethers,
      [f.requester, f.provider],
      [ONE_ETH - FEE + BOND, 0n],
    );
  });

  it("after a rejection, the requester may still release, and the provider may dispute within the window", async function () {
    const f = await loadFixture(rejectedJob);
    await expect(f.escrow.connect(f.requester).release(f.job.id)).to.emit(f.escrow, "JobReleased");
    const g = await loadFixture(rejectedJob);
    await raiseDispute(g.escrow, g.provider, g.job.id, "the verifier is wrong");
    const deposit = ((ONE_ETH - FEE) * FEES.arbitration) / 10_000n;
    expect((await g.escrow.getJob(g.job.id)).disputeDeposit).to.equal(deposit);
    const s = expectedSplit(ONE_ETH - FEE, 10_000n, FEES.arbitration);
    await expect(
      g.escrow.connect(g.arbitrator).resolveDispute(g.job.id, 10_000),
    ).to.changeEtherBalance(ethers, g.provider, s.provider + deposit + BOND);
  });

  it("a verdict is allowed at S + review - 1, refused from S + review (WorkEscrowReviewWindowClosed)", async function () {
    await expectAtEdges(networkHelpers, verifiedJob, {
      edge: async (f) => {
        const job = await f.escrow.getJob(f.job.id);
        return job.submittedAt + job.reviewPeriod;
      },
      act: (f) => f.escrow.connect(f.verifier).verifyWork(f.job.id, false),
      allowed: [true, false, false],
      event: "WorkVerified",
      error: "WorkEscrowReviewWindowClosed",
    });
  });

  it("a verdict is given once (WorkEscrowAlreadyVerified), only by the verifier, only in Submitted", async function () {
    const f = await loadFixture(rejectedJob);
    for (const approved of [true, false]) {
      await expect(f.escrow.connect(f.verifier).verifyWork(f.job.id, approved))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAlreadyVerified")
        .withArgs(f.job.id, Verdict.Rejected);
    }
    const g = await loadFixture(verifiedJob);
    for (const who of [g.requester, g.provider, g.arbitrator, g.stranger]) {
      await expect(g.escrow.connect(who).verifyWork(g.job.id, true))
        .to.be.revertedWithCustomError(g.escrow, "WorkEscrowUnauthorized")
        .withArgs(g.job.id, who.address);
    }
    await g.escrow.connect(g.verifier).verifyWork(g.job.id, true);
    await expect(g.escrow.connect(g.verifier).verifyWork(g.job.id, true))
      .to.be.revertedWithCustomError(g.escrow, "WorkEscrowInvalidStatus")
      .withArgs(g.job.id, Status.Released);
    // a job without a verifier has none; nor can anyone give a verdict before submission
    const plain = await loadFixture(fx.submittedJob);
    await expect(plain.escrow.connect(plain.other).verifyWork(plain.job.id, true))
      .to.be.revertedWithCustomError(plain.escrow, "WorkEscrowUnauthorized")
      .withArgs(plain.job.id, plain.other.address);
    const early = await fx.createJob(plain, { verifier: plain.other.address });
    await plain.escrow.connect(plain.provider).acceptJob(early.id);
    await expect(plain.escrow.connect(plain.other).verifyWork(early.id, true))
      .to.be.revertedWithCustomError(plain.escrow, "WorkEscrowInvalidStatus")
      .withArgs(early.id, Status.Accepted);
  });

  it("a zero fee credits nothing; a silent verifier changes nothing (release by anyone after the window)", async function () {
    const f = await loadFixture(fx.deployEscrow);
    const job = await fx.createJob(f, { verifier: f.other.address });
    await f.escrow.connect(f.provider).acceptJob(job.id);
    await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
    const silent = await fx.createJob(f, { verifier: f.other.address });
    await f.escrow.connect(f.provider).acceptJob(silent.id);
    await f.escrow.connect(f.provider).submitWork(silent.id, RESULT);
    await expect(f.escrow.connect(f.other).verifyWork(job.id, true)).not.to.emit(
      f.escrow,
      "Credited",
    );
    const stored = await f.escrow.getJob(silent.id);
    await time.increaseTo(stored.submittedAt + stored.reviewPeriod);
    await expect(f.escrow.connect(f.stranger).release(silent.id)).to.emit(f.escrow, "JobReleased");
  });

  it("a verifier cannot also be the provider of an open job", async function () {
    const f = await loadFixture(fx.deployEscrow);
    const job = await fx.createJob(f, { provider: ethers.ZeroAddress, verifier: f.other.address });
    await expect(f.escrow.connect(f.other).acceptJob(job.id))
      .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
      .withArgs(job.id, f.other.address);
  });
});
