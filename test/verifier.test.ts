import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HostileReceiver, VanishingVerifierFactory } from "../typechain-types/index.js";
import {
  BPS,
  DAY,
  FEES,
  ONE_ETH,
  Status,
  Verdict,
  escrowFixtures,
  expectAtEdges,
  expectedSplit,
  minedAt,
  type EscrowFixture,
  type ParamsInput,
} from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

const RESULT = ethers.id("result");
const AMOUNT = ONE_ETH + 12_345n; // odd on purpose: every fee rounds down
const FEE_BPS = 137n;
const BOND = ONE_ETH / 4n;
const FEE = (AMOUNT * FEE_BPS) / BPS;
const REST = AMOUNT - FEE; // what remains for the work after the verifier's fee
const NATIVE = ethers.ZeroAddress;

/** The provider's net of a release of `gross` (platform and community fees off). */
function net(gross: bigint) {
  const platformFee = (gross * FEES.platform) / BPS;
  const communityFee = (gross * FEES.community) / BPS;
  return { provider: gross - platformFee - communityFee, platformFee, communityFee };
}

type Verified = EscrowFixture & {
  verifier: HardhatEthersSigner;
  job: {
    id: bigint;
    bond: bigint;
    submittedAt: bigint;
    endsAt: bigint;
    /** after a rejection at V: V + reviewPeriod, the end of the provider's window to dispute it */
    rejectEndsAt: bigint;
  };
};

/** A submitted job naming an EOA verifier (`approvers[0]` of the fixture) at FEE_BPS, with or without a bond. */
async function submittedWith(bond: bigint, overrides: ParamsInput = {}): Promise<Verified> {
  const f = await fx.deployEscrow();
  const verifier = f.approvers[0];
  const { id } = await fx.createJob(f, {
    amount: AMOUNT,
    verifier: verifier.address,
    verifierFeeBps: FEE_BPS,
    providerBond: bond,
    ...overrides,
  });
  await f.escrow.connect(f.provider).acceptJob(id, { value: bond });
  const tx = await f.escrow.connect(f.provider).submitWork(id, RESULT);
  const submittedAt = await minedAt(ethers, tx);
  const endsAt = submittedAt + 2n * DAY;
  return { ...f, verifier, job: { id, bond, submittedAt, endsAt, rejectEndsAt: endsAt } };
}

async function submittedVerified() {
  return submittedWith(0n);
}

async function submittedVerifiedBonded() {
  return submittedWith(BOND);
}

/** When anyone may refund a rejected job: the end of the provider's window to dispute the rejection. */
async function refundFrom(f: EscrowFixture, id: bigint): Promise<bigint> {
  const job = await f.escrow.getJob(id);
  return job.verdictAt + job.reviewPeriod;
}

/** Rejects `f`'s job now: a rejection opens the provider's window to dispute it, to V + reviewPeriod. */
async function reject(f: Verified): Promise<Verified> {
  const tx = await f.escrow.connect(f.verifier).verifyWork(f.job.id, false);
  return { ...f, job: { ...f.job, rejectEndsAt: (await minedAt(ethers, tx)) + 2n * DAY } };
}

async function rejectedVerified() {
  return reject(await submittedVerified());
}

async function rejectedVerifiedBonded() {
  return reject(await submittedVerifiedBonded());
}

const cases = [
  { name: "without a bond", submitted: submittedVerified, rejected: rejectedVerified, bond: 0n },
  {
    name: "with a bond",
    submitted: submittedVerifiedBonded,
    rejected: rejectedVerifiedBonded,
    bond: BOND,
  },
] as const;

describe("Verified release (the job's verifier)", function () {
  for (const c of cases) {
    describe(`approve, ${c.name}`, function () {
      it("releases at once: the fee to the verifier's credit, the rest (net of fees) and the bond to the provider", async function () {
        const f = await loadFixture(c.submitted);
        const pay = net(REST);
        const tx = f.escrow.connect(f.verifier).verifyWork(f.job.id, true);
        await expect(tx)
          .to.emit(f.escrow, "WorkVerified")
          .withArgs(f.job.id, f.verifier.address, true, FEE);
        await expect(tx)
          .to.emit(f.escrow, "Credited")
          .withArgs(f.job.id, NATIVE, f.verifier.address, FEE);
        await expect(tx)
          .to.emit(f.escrow, "JobReleased")
          .withArgs(
            f.job.id,
            f.provider.address,
            f.verifier.address,
            pay.provider,
            pay.platformFee,
            pay.communityFee,
          );
        if (c.bond !== 0n)
          await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, c.bond, 0n);
        else await expect(tx).not.to.emit(f.escrow, "BondSettled");
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.requester, f.verifier, f.escrow],
          [pay.provider + c.bond, 0n, 0n, -(pay.provider + c.bond)],
        );
        const job = await f.escrow.getJob(f.job.id);
        expect(job.status, "released before the review window ends").to.equal(Status.Released);
        expect(job.verdict, "verdict").to.equal(Verdict.Approved);
        expect(job.amount, "the fee came off the remaining amount").to.equal(REST);
        expect(await f.escrow.withdrawable(NATIVE, f.verifier.address), "fee credited").to.equal(
          FEE,
        );
        await expect(f.escrow.connect(f.verifier).withdraw(NATIVE)).to.changeEtherBalance(
          ethers,
          f.verifier,
          FEE,
        );
      });
    });

    describe(`reject, ${c.name}`, function () {
      it("credits the fee and keeps the job Submitted until the review window ends", async function () {
        const f = await loadFixture(c.submitted);
        const tx = f.escrow.connect(f.verifier).verifyWork(f.job.id, false);
        await expect(tx)
          .to.emit(f.escrow, "WorkVerified")
          .withArgs(f.job.id, f.verifier.address, false, FEE);
        await expect(tx)
          .to.emit(f.escrow, "Credited")
          .withArgs(f.job.id, NATIVE, f.verifier.address, FEE);
        await expect(tx).not.to.emit(f.escrow, "JobReleased");
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.requester, f.escrow],
          [0n, 0n, 0n],
        );
        const job = await f.escrow.getJob(f.job.id);
        expect(job.status, "still Submitted").to.equal(Status.Submitted);
        expect(job.verdict, "verdict").to.equal(Verdict.Rejected);
        expect(job.amount, "the fee came off the remaining amount").to.equal(REST);
        expect(await f.escrow.withdrawable(NATIVE, f.verifier.address), "fee credited").to.equal(
          FEE,
        );
      });

      it("v2 (audit M-01): refunds the requester (rest of the amount and the bond) from the end of the provider's window to dispute the rejection (V + review), not before", async function () {
        await expectAtEdges(networkHelpers, c.rejected, {
          edge: async (f) => f.job.rejectEndsAt,
          act: (f) => f.escrow.connect(f.stranger).refundExpired(f.job.id),
          allowed: [false, true, true],
          event: "JobRefunded",
          error: "WorkEscrowReviewWindowOpen",
        });
        const f = await loadFixture(c.rejected);
        await time.setNextBlockTimestamp(f.job.rejectEndsAt);
        const tx = f.escrow.connect(f.stranger).refundExpired(f.job.id);
        await expect(tx)
          .to.emit(f.escrow, "JobRefunded")
          .withArgs(f.job.id, f.requester.address, f.stranger.address, REST);
        if (c.bond !== 0n)
          await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, 0n, c.bond);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.requester, f.provider, f.escrow],
          [REST + c.bond, 0n, -(REST + c.bond)],
        );
        expect((await f.escrow.getJob(f.job.id)).status).to.equal(Status.Refunded);
        expect(
          await f.escrow.withdrawable(NATIVE, f.verifier.address),
          "the verifier keeps its fee",
        ).to.equal(FEE);
      });

      it("stops the permissionless release after the window (WorkEscrowWorkRejected), for the provider too", async function () {
        const f = await loadFixture(c.rejected);
        await expect(f.escrow.connect(f.stranger).release(f.job.id))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowReviewWindowOpen")
          .withArgs(f.job.id, f.job.endsAt);
        await time.increaseTo(f.job.endsAt);
        for (const who of [f.stranger, f.provider]) {
          await expect(f.escrow.connect(who).release(f.job.id))
            .to.be.revertedWithCustomError(f.escrow, "WorkEscrowWorkRejected")
            .withArgs(f.job.id);
        }
      });

      it("is refunded by a batch finalize after the provider's window to dispute the rejection", async function () {
        const f = await loadFixture(c.rejected);
        await time.increaseTo(f.job.rejectEndsAt);
        const tx = f.escrow.connect(f.stranger).finalize([f.job.id]);
        await expect(tx)
          .to.emit(f.escrow, "JobRefunded")
          .withArgs(f.job.id, f.requester.address, f.stranger.address, REST);
        await expect(tx).to.changeEtherBalance(ethers, f.requester, REST + c.bond);
      });

      it("lets the provider dispute within the window; the arbitrator's ruling splits the rest and the bond", async function () {
        const f = await loadFixture(c.rejected);
        const deposit = (REST * FEES.arbitration) / BPS;
        await expect(
          f.escrow
            .connect(f.provider)
            .raiseDispute(f.job.id, "the verifier is wrong", { value: deposit }),
        )
          .to.emit(f.escrow, "DisputeRaised")
          .withArgs(f.job.id, f.provider.address, "the verifier is wrong", deposit);
        const s = expectedSplit(REST, 7_000n, FEES.arbitration);
        const bondToProvider = (c.bond * 7_000n) / BPS;
        const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 7_000);
        // A provider's dispute ruled above 0 is not lost: the deposit goes back to the provider.
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.requester],
          [s.provider + deposit + bondToProvider, s.requester + c.bond - bondToProvider],
        );
        expect((await f.escrow.getJob(f.job.id)).status).to.equal(Status.Resolved);
      });

      it("refuses a dispute from the end of the provider's window on (V + review; then only the refund is left)", async function () {
        const f = await loadFixture(c.rejected);
        await time.setNextBlockTimestamp(f.job.rejectEndsAt);
        await expect(
          f.escrow
            .connect(f.provider)
            .raiseDispute(f.job.id, "late", { value: (REST * FEES.arbitration) / BPS }),
        )
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowReviewWindowClosed")
          .withArgs(f.job.id, f.job.rejectEndsAt);
      });

      it("still lets the requester release (the requester can always accept the work)", async function () {
        const f = await loadFixture(c.rejected);
        await time.increaseTo(f.job.endsAt + 1n);
        const pay = net(REST);
        const tx = f.escrow.connect(f.requester).release(f.job.id);
        await expect(tx)
          .to.emit(f.escrow, "JobReleased")
          .withArgs(
            f.job.id,
            f.provider.address,
            f.requester.address,
            pay.provider,
            pay.platformFee,
            pay.communityFee,
          );
        await expect(tx).to.changeEtherBalance(ethers, f.provider, pay.provider + c.bond);
      });
    });

    describe(`silence, ${c.name}`, function () {
      it("changes nothing: anyone releases the whole amount (no fee) from the end of the window", async function () {
        await expectAtEdges(networkHelpers, c.submitted, {
          edge: async (f) => f.job.endsAt,
          act: (f) => f.escrow.connect(f.stranger).release(f.job.id),
          allowed: [false, true, true],
          event: "JobReleased",
          error: "WorkEscrowReviewWindowOpen",
        });
        const f = await loadFixture(c.submitted);
        await time.setNextBlockTimestamp(f.job.endsAt);
        const pay = net(AMOUNT);
        const tx = f.escrow.connect(f.stranger).release(f.job.id);
        await expect(tx)
          .to.emit(f.escrow, "JobReleased")
          .withArgs(
            f.job.id,
            f.provider.address,
            f.stranger.address,
            pay.provider,
            pay.platformFee,
            pay.communityFee,
          );
        await expect(tx).not.to.emit(f.escrow, "WorkVerified");
        await expect(tx).to.changeEtherBalance(ethers, f.provider, pay.provider + c.bond);
        expect(
          await f.escrow.withdrawable(NATIVE, f.verifier.address),
          "no verdict, no fee",
        ).to.equal(0n);
        expect((await f.escrow.getJob(f.job.id)).verdict).to.equal(Verdict.None);
      });

      it("gives no refund of submitted work (refundExpired: WorkEscrowInvalidStatus)", async function () {
        const f = await loadFixture(c.submitted);
        await time.increaseTo(f.job.endsAt + DAY);
        await expect(f.escrow.connect(f.stranger).refundExpired(f.job.id))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
          .withArgs(f.job.id, Status.Submitted);
      });
    });

    describe(`requester release before the verdict, ${c.name}`, function () {
      it("pays the whole amount, takes no fee, and leaves the verifier nothing to judge", async function () {
        const f = await loadFixture(c.submitted);
        const pay = net(AMOUNT);
        const tx = f.escrow.connect(f.requester).release(f.job.id);
        await expect(tx).to.changeEtherBalance(ethers, f.provider, pay.provider + c.bond);
        for (const approved of [true, false]) {
          await expect(f.escrow.connect(f.verifier).verifyWork(f.job.id, approved))
            .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
            .withArgs(f.job.id, Status.Released);
        }
        expect(await f.escrow.withdrawable(NATIVE, f.verifier.address)).to.equal(0n);
      });
    });
  }

  describe("verdict guards", function () {
    it("is allowed until the last second of the review window, refused from its end (t-1, t, t+1)", async function () {
      for (const approved of [true, false]) {
        await expectAtEdges(networkHelpers, submittedVerified, {
          edge: async (f) => f.job.endsAt,
          act: (f) => f.escrow.connect(f.verifier).verifyWork(f.job.id, approved),
          allowed: [true, false, false],
          event: "WorkVerified",
          error: "WorkEscrowReviewWindowClosed",
        });
      }
    });

    it("is given once: a second verdict after a rejection reverts with WorkEscrowAlreadyVerified", async function () {
      const f = await loadFixture(rejectedVerified);
      for (const approved of [true, false]) {
        await expect(f.escrow.connect(f.verifier).verifyWork(f.job.id, approved))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAlreadyVerified")
          .withArgs(f.job.id, Verdict.Rejected);
      }
      expect(await f.escrow.withdrawable(NATIVE, f.verifier.address), "one fee only").to.equal(FEE);
    });

    it("is given once: after an approval the job is Released", async function () {
      const f = await loadFixture(submittedVerified);
      await f.escrow.connect(f.verifier).verifyWork(f.job.id, true);
      await expect(f.escrow.connect(f.verifier).verifyWork(f.job.id, false))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Released);
    });

    it("refuses everyone but the job's verifier (WorkEscrowUnauthorized)", async function () {
      const f = await loadFixture(submittedVerified);
      for (const who of [f.requester, f.provider, f.arbitrator, f.stranger, f.approvers[1]]) {
        await expect(f.escrow.connect(who).verifyWork(f.job.id, true))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
    });

    it("refuses any verdict on a job without a verifier", async function () {
      const f = await loadFixture(fx.submittedJob);
      for (const who of [f.approvers[0], f.stranger]) {
        await expect(f.escrow.connect(who).verifyWork(f.job.id, true))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
    });

    it("needs submitted work: Accepted and Disputed jobs refuse a verdict", async function () {
      const f = await fx.deployEscrow();
      const verifier = f.approvers[0];
      const { id } = await fx.createJob(f, { verifier: verifier.address, verifierFeeBps: 100 });
      await f.escrow.connect(f.provider).acceptJob(id);
      await expect(f.escrow.connect(verifier).verifyWork(id, true))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(id, Status.Accepted);
      await f.escrow.connect(f.provider).submitWork(id, RESULT);
      const deposit = (ONE_ETH * FEES.arbitration) / BPS;
      await f.escrow.connect(f.requester).raiseDispute(id, "wrong", { value: deposit });
      await expect(f.escrow.connect(verifier).verifyWork(id, false))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(id, Status.Disputed);
    });
  });

  describe("fee", function () {
    it("is exactly verifierFeeBps of the remaining amount, rounded down, on either verdict (ERC-20)", async function () {
      const amount = 10n ** 18n + 9_999n;
      for (const [bps, approved] of [
        [1000n, true],
        [1000n, false],
        [1n, true],
        [333n, false],
      ] as const) {
        const f = await loadFixture(fx.deployEscrow);
        const verifier = f.approvers[0];
        const token = await f.token.getAddress();
        const { id } = await fx.createJob(f, {
          token,
          amount,
          verifier: verifier.address,
          verifierFeeBps: bps,
        });
        await f.escrow.connect(f.provider).acceptJob(id);
        await f.escrow.connect(f.provider).submitWork(id, RESULT);
        const fee = (amount * bps) / BPS;
        await expect(f.escrow.connect(verifier).verifyWork(id, approved))
          .to.emit(f.escrow, "Credited")
          .withArgs(id, token, verifier.address, fee);
        expect(await f.escrow.withdrawable(token, verifier.address), `${bps} bps`).to.equal(fee);
        expect((await f.escrow.getJob(id)).amount, `${bps} bps: remaining`).to.equal(amount - fee);
        await expect(f.escrow.connect(verifier).withdraw(token)).to.changeTokenBalance(
          ethers,
          f.token,
          verifier,
          fee,
        );
      }
    });

    it("credits nothing when the fee rounds to 0 (no Credited event), and the whole amount stays in the job", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const verifier = f.approvers[0];
      const { id } = await fx.createJob(f, {
        amount: 9_999n,
        verifier: verifier.address,
        verifierFeeBps: 1,
      });
      await f.escrow.connect(f.provider).acceptJob(id);
      await f.escrow.connect(f.provider).submitWork(id, RESULT);
      const tx = f.escrow.connect(verifier).verifyWork(id, false);
      await expect(tx).to.emit(f.escrow, "WorkVerified").withArgs(id, verifier.address, false, 0n);
      await expect(tx).not.to.emit(f.escrow, "Credited");
      expect((await f.escrow.getJob(id)).amount).to.equal(9_999n);
    });

    it("is taken from the amount left after a partial release", async function () {
      const f = await submittedVerified();
      const part = ONE_ETH / 3n;
      await f.escrow.connect(f.requester).releasePartial(f.job.id, part);
      const fee = ((AMOUNT - part) * FEE_BPS) / BPS;
      await expect(f.escrow.connect(f.verifier).verifyWork(f.job.id, false))
        .to.emit(f.escrow, "WorkVerified")
        .withArgs(f.job.id, f.verifier.address, false, fee);
      await time.increaseTo(await refundFrom(f, f.job.id));
      await expect(f.escrow.connect(f.stranger).refundExpired(f.job.id))
        .to.emit(f.escrow, "JobRefunded")
        .withArgs(f.job.id, f.requester.address, f.stranger.address, AMOUNT - part - fee);
    });
  });

  describe("hostile verifiers cannot stop a refund or a release", function () {
    /** A job whose verifier is `verifier` (any address), accepted and submitted. */
    async function submittedFor(f: EscrowFixture, verifier: string, bond = BOND) {
      const { id } = await fx.createJob(f, {
        amount: AMOUNT,
        verifier,
        verifierFeeBps: FEE_BPS,
        providerBond: bond,
        keeperTip: 1_000n,
      });
      await f.escrow.connect(f.provider).acceptJob(id, { value: bond });
      const tx = await f.escrow.connect(f.provider).submitWork(id, RESULT);
      return { id, endsAt: (await minedAt(ethers, tx)) + 2n * DAY };
    }

    async function hostileVerifier(f: EscrowFixture, mode: number) {
      const hostile = (await ethers.deployContract(
        "HostileReceiver",
      )) as unknown as HostileReceiver;
      await hostile.setMode(mode);
      return hostile;
    }

    for (const [mode, name] of [
      [1, "reverting"],
      [2, "gas-burning"],
    ] as const) {
      it(`a ${name} verifier's rejection still ends in a refund, and its credit never blocks anyone`, async function () {
        const f = await loadFixture(fx.deployEscrow);
        const hostile = await hostileVerifier(f, mode);
        const { id } = await submittedFor(f, await hostile.getAddress());
        const verdict = f.escrow.interface.encodeFunctionData("verifyWork", [id, false]);
        await hostile.call(await f.escrow.getAddress(), verdict);
        await time.setNextBlockTimestamp(await refundFrom(f, id));
        const tx = f.escrow.connect(f.stranger).refundExpired(id);
        await expect(tx)
          .to.emit(f.escrow, "JobRefunded")
          .withArgs(id, f.requester.address, f.stranger.address, REST);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.requester, f.stranger],
          [REST + BOND, 1_000n],
        );
        // Its own withdrawal fails (it refuses coin), which concerns nobody else: withdrawTo works.
        const withdraw = f.escrow.interface.encodeFunctionData("withdraw", [NATIVE]);
        await expect(
          hostile.call(await f.escrow.getAddress(), withdraw, { gasLimit: 500_000 }),
        ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowTransferFailed");
        const withdrawTo = f.escrow.interface.encodeFunctionData("withdrawTo", [
          NATIVE,
          f.other.address,
        ]);
        await expect(hostile.call(await f.escrow.getAddress(), withdrawTo)).to.changeEtherBalance(
          ethers,
          f.other,
          FEE,
        );
      });

      it(`a ${name} verifier that stays silent changes nothing: release after the window, or by the requester`, async function () {
        const f = await loadFixture(fx.deployEscrow);
        const hostile = await hostileVerifier(f, mode);
        const first = await submittedFor(f, await hostile.getAddress());
        const second = await submittedFor(f, await hostile.getAddress());
        await expect(f.escrow.connect(f.requester).release(second.id)).to.changeEtherBalance(
          ethers,
          f.provider,
          net(AMOUNT).provider + BOND,
        );
        await time.setNextBlockTimestamp(first.endsAt);
        await expect(f.escrow.connect(f.stranger).release(first.id)).to.changeEtherBalance(
          ethers,
          f.provider,
          net(AMOUNT).provider + BOND,
        );
      });
    }

    it("a codeless verifier (never deployed) is a silent one: release after the window", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const codeless = ethers.Wallet.createRandom().address;
      const { id, endsAt } = await submittedFor(f, codeless);
      await time.setNextBlockTimestamp(endsAt);
      await expect(f.escrow.connect(f.stranger).release(id)).to.changeEtherBalance(
        ethers,
        f.provider,
        net(AMOUNT).provider + BOND,
      );
    });

    for (const approved of [false, true]) {
      it(`a verifier that ${approved ? "approves" : "rejects"} and leaves no code (self-destructed in its creation transaction) leaves a normal ending`, async function () {
        const f = await loadFixture(fx.deployEscrow);
        const factory = (await ethers.deployContract(
          "VanishingVerifierFactory",
        )) as unknown as VanishingVerifierFactory;
        const salt = ethers.id("vanish");
        const escrowAddress = await f.escrow.getAddress();
        const nextId = (await f.escrow.jobCount()) + 1n;
        const verifier = await factory.addressOf(salt, escrowAddress, nextId, approved);
        const { id } = await submittedFor(f, verifier);
        expect(id, "predicted id").to.equal(nextId);
        const tx = factory.verdictAndVanish(salt, escrowAddress, id, approved);
        await expect(tx).to.emit(f.escrow, "WorkVerified").withArgs(id, verifier, approved, FEE);
        expect(await ethers.provider.getCode(verifier), "no code left").to.equal("0x");
        expect(await f.escrow.withdrawable(NATIVE, verifier), "its fee stays credited").to.equal(
          FEE,
        );
        if (approved) {
          expect((await f.escrow.getJob(id)).status).to.equal(Status.Released);
          return;
        }
        await time.setNextBlockTimestamp(await refundFrom(f, id));
        await expect(f.escrow.connect(f.stranger).refundExpired(id)).to.changeEtherBalance(
          ethers,
          f.requester,
          REST + BOND,
        );
      });
    }
  });
});
