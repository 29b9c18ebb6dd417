import { expect } from "chai";
import { network } from "hardhat";
import {
  DAY,
  DEFAULT_ARBITRATION_PERIOD,
  FEES,
  HOUR,
  MIN_WORK_TIME,
  ONE_ETH,
  RESULT,
  Status,
  Verdict,
  createJobTx,
  escrowFixtures,
  expectedSplit,
  optionsOf,
  termsOf,
} from "./helpers/escrow.js";
import { NO_OPTIONS } from "../sdk/checks.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });
const U128_MAX = 2n ** 128n - 1n;

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
      // v2: the arbitration period is snapshotted; every optional term is off
      expect(job.arbitrationPeriod).to.equal(DEFAULT_ARBITRATION_PERIOD);
      expect([job.released, job.refunded, job.providerBond, job.keeperTip]).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
      ]);
      expect(job.bondPosted).to.equal(false);
      expect(job.verifier).to.equal(ethers.ZeroAddress);
      expect(job.verdict).to.equal(BigInt(Verdict.None));
      expect([job.bidsOnly, job.agentRequired]).to.deep.equal([false, false]);
      expect(job.disputeDeposit).to.equal(0n);
      expect((await f.escrow.getJob(2n)).jobType).to.equal(1n);
      expect((await f.escrow.getJob(3n)).status).to.equal(BigInt(Status.None));
    });

    it("emits JobCreated with every parameter and the fee and period snapshot (v2: + arbitrationPeriod), and no JobOptionsSet without options", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f, {
        approvers: [f.approvers[0].address, f.approvers[1].address],
        threshold: 1,
      });
      const tx = f.escrow.connect(f.requester).createJob(termsOf(p), { value: p.amount });
      await expect(tx)
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
            DEFAULT_ARBITRATION_PERIOD,
          ],
        );
      await expect(tx).not.to.emit(f.escrow, "JobOptionsSet");
    });

    it("reverts when msg.value differs from amount (+ tip)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f);
      for (const value of [0n, ONE_ETH - 1n, ONE_ETH + 1n]) {
        await expect(f.escrow.connect(f.requester).createJob(termsOf(p), { value }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(ONE_ETH, value);
      }
      const tipped = await fx.params(f, { keeperTip: 7n });
      for (const value of [ONE_ETH, ONE_ETH + 6n, ONE_ETH + 8n]) {
        await expect(
          f.escrow
            .connect(f.requester)
            .createJobWithOptions(termsOf(tipped), optionsOf(tipped), { value }),
        )
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(ONE_ETH + 7n, value);
      }
      await f.escrow
        .connect(f.requester)
        .createJobWithOptions(termsOf(tipped), optionsOf(tipped), { value: ONE_ETH + 7n });
      expect((await f.escrow.getJob(1n)).keeperTip).to.equal(7n);
    });

    it("refuses plain transfers of the native coin (receive)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(f.stranger.sendTransaction({ to: f.escrow, value: 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
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
      await expect(f.escrow.connect(f.requester).createJob(termsOf(p), { value: 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
      await expect(
        f.escrow
          .connect(f.requester)
          .createJobWithOptions(termsOf(p), { ...optionsOf(p), keeperTip: 1n }, { value: 1n }),
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
    });

    it("reverts without allowance and leaves nothing behind", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.token.mint(f.stranger.address, ONE_ETH);
      const p = await fx.params(f, { token: await f.token.getAddress() });
      await expect(createJobTx(f.escrow, f.stranger, p)).to.be.revertedWithCustomError(
        f.token,
        "ERC20InsufficientAllowance",
      );
      expect(await f.escrow.jobCount()).to.equal(0n);
    });

    it("pulls amount + tip; a fee-on-transfer shortfall comes off the amount, never off the tip", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burned
      await fot.mint(f.requester.address, 1000n * ONE_ETH);
      await fot.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      const amount = 100n * ONE_ETH;
      const tip = ONE_ETH;
      const job = await fx.createJob(f, { token: await fot.getAddress(), amount, keeperTip: tip });
      const arrived = ((amount + tip) * 99n) / 100n;
      expect(await fot.balanceOf(f.escrow)).to.equal(arrived);
      const stored = await f.escrow.getJob(job.id);
      expect(stored.keeperTip).to.equal(tip, "the tip is whole");
      expect(stored.amount).to.equal(arrived - tip, "the shortfall comes off the amount");
      await expect(job.tx)
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          job.id,
          f.requester.address,
          f.provider.address,
          await fot.getAddress(),
          arrived - tip,
          job.params.jobHash,
          f.arbitrator.address,
          [],
          () => true,
        );
    });

    it("a token delivering no more than the tip is refused (WorkEscrowNothingReceived)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const fot = await ethers.deployContract("FeeOnTransferToken", [5000n]); // 50% burned
      await fot.mint(f.requester.address, ONE_ETH);
      await fot.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      // amount 10, tip 10: 10 arrive, all of it the tip, nothing for the work
      await expect(fx.createJob(f, { token: await fot.getAddress(), amount: 10n, keeperTip: 10n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingReceived")
        .withArgs(await fot.getAddress());
      await fx.createJob(f, { token: await fot.getAddress(), amount: 12n, keeperTip: 10n });
      expect((await f.escrow.getJob(1n)).amount).to.equal(1n, "11 arrived, 10 of them the tip");
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

    it("rejects amounts, bonds and tips above uint128", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const tooBig = 2n ** 128n;
      const token = await f.token.getAddress();
      for (const field of ["amount", "providerBond", "keeperTip"] as const) {
        await expect(fx.createJob(f, { token, [field]: tooBig }), field)
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAmountTooLarge")
          .withArgs(tooBig, U128_MAX);
      }
    });

    it("v2 MIN_WORK_TIME: a deadline at now + 10 min - 1 is refused, at now + 10 min accepted; now + MAX_DURATION accepted, + 1 refused", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const maxDuration = await f.escrow.MAX_DURATION();
      expect(await f.escrow.MIN_WORK_TIME()).to.equal(MIN_WORK_TIME);
      expect(MIN_WORK_TIME).to.equal(600n);
      // the contract sees the timestamp of the block the creation is mined in: pin it
      let t = BigInt(await time.latest()) + 10n;
      const attempt = async (deadline: bigint) => {
        await time.setNextBlockTimestamp(t);
        return createJobTx(f.escrow, f.requester, await fx.params(f, { deadline }));
      };
      await expect(attempt(t + MIN_WORK_TIME - 1n))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidDeadline")
        .withArgs(t + MIN_WORK_TIME - 1n, t + MIN_WORK_TIME, t + maxDuration);
      await expect(attempt(t + maxDuration + 1n))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidDeadline")
        .withArgs(t + maxDuration + 1n, t + MIN_WORK_TIME, t + maxDuration);
      t += 1n;
      await expect(attempt(t + MIN_WORK_TIME)).to.emit(f.escrow, "JobCreated");
      t += 1n;
      await expect(attempt(t + maxDuration)).to.emit(f.escrow, "JobCreated");
      expect((await f.escrow.getJob(2n)).deadline).to.equal(t + maxDuration);
      expect(await f.escrow.jobCount()).to.equal(2n);
    });

    it("a uint64 deadline that would not fit the uint40 storage field is refused, not truncated", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const now = BigInt(await time.latest());
      // 2^40 + now + 1 day would truncate to a deadline one day ahead if the cast were unchecked
      for (const deadline of [2n ** 40n + now + DAY, 2n ** 64n - 1n]) {
        await expect(fx.createJob(f, { deadline })).to.be.revertedWithCustomError(
          f.escrow,
          "WorkEscrowInvalidDeadline",
        );
      }
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
      // a review period too large for its uint24 field would wrap: refused
      await expect(fx.createJob(f, { reviewPeriod: 2n ** 24n })).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidReviewPeriod",
      );
      await fx.createJob(f, { reviewPeriod: min });
      await fx.createJob(f, { reviewPeriod: max });
      expect((await f.escrow.getJob(2n)).reviewPeriod).to.equal(max);
    });

    it("v2: job types 0, 1 and 2 (agent) are accepted, 3 and above refused; a zero job hash refused", async function () {
      const f = await loadFixture(fx.deployEscrow);
      for (const jobType of [0, 1, 2]) {
        const job = await fx.createJob(f, { jobType });
        expect((await f.escrow.getJob(job.id)).jobType).to.equal(BigInt(jobType));
      }
      for (const jobType of [3, 255]) {
        await expect(fx.createJob(f, { jobType }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidJobType")
          .withArgs(jobType);
      }
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
      await f.escrow.setArbitrator(f.requester.address, true, 0);
      await expect(fx.createJob(f, { arbitrator: f.requester.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitratorNotRegistered")
        .withArgs(f.requester.address);
    });

    it("rejects a provider that is the requester or the arbitrator, and any provider on a bids-only job (v2)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await expect(fx.createJob(f, { provider: f.requester.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidProvider")
        .withArgs(f.requester.address);
      await expect(fx.createJob(f, { provider: f.arbitrator.address }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidProvider")
        .withArgs(f.arbitrator.address);
      await expect(fx.createJob(f, { bidsOnly: true }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidProvider")
        .withArgs(f.provider.address);
      const job = await fx.createJob(f, { bidsOnly: true, provider: ethers.ZeroAddress });
      expect((await f.escrow.getJob(job.id)).bidsOnly).to.equal(true);
    });

    it("checks approvers: zero, duplicate, party (v2: and the verifier), count and threshold", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const [a1, a2] = f.approvers.map((a) => a.address);
      for (const bad of [
        ethers.ZeroAddress,
        f.requester.address,
        f.provider.address,
        f.arbitrator.address,
        f.other.address, // the verifier below
      ]) {
        await expect(
          fx.createJob(f, { approvers: [a1, bad], threshold: 1, verifier: f.other.address }),
        )
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
      // a threshold that would wrap in its uint8 field (256 → 0) is refused, not truncated
      await expect(fx.createJob(f, { approvers: [a1, a2], threshold: 256 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidThreshold")
        .withArgs(256, 2);
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
      await expect(fx.createJob(f)).to.be.revertedWithCustomError(f.core, "EnforcedPause");
      await f.escrow.unpause();
      await fx.createJob(f);
    });
  });

  describe("createJob (v1 terms) and createJobWithOptions (v2)", function () {
    it("createJob takes v1's ten terms and makes a plain job: no option in getJob, no JobOptionsSet, msg.value = amount", async function () {
      const f = await loadFixture(fx.deployEscrow);
      expect(
        f.escrow.interface
          .getFunction("createJob")!
          .inputs.map((i) => i.components!.map((c) => c.name)),
        "v1's JobParams",
      ).to.deep.equal([
        [
          "provider",
          "token",
          "amount",
          "deadline",
          "reviewPeriod",
          "jobType",
          "jobHash",
          "arbitrator",
          "approvers",
          "threshold",
        ],
      ]);
      const p = await fx.params(f);
      for (const value of [0n, ONE_ETH - 1n, ONE_ETH + 1n]) {
        await expect(f.escrow.connect(f.requester).createJob(termsOf(p), { value }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(ONE_ETH, value);
      }
      const tx = f.escrow.connect(f.requester).createJob(termsOf(p), { value: ONE_ETH });
      await expect(tx).to.emit(f.escrow, "JobCreated");
      await expect(tx).not.to.emit(f.escrow, "JobOptionsSet");
      await expect(tx).to.changeEtherBalances(ethers, [f.requester, f.escrow], [-ONE_ETH, ONE_ETH]);
      const job = await f.escrow.getJob(1n);
      expect([job.amount, job.status]).to.deep.equal([ONE_ETH, BigInt(Status.Open)]);
      expect([
        job.providerBond,
        job.bondPosted,
        job.keeperTip,
        job.verifier,
        job.verifierFeeBps,
        job.verdict,
        job.bidsOnly,
        job.agentRequired,
        job.agentId,
      ]).to.deep.equal([0n, false, 0n, ethers.ZeroAddress, 0n, 0n, false, false, 0n]);
    });

    it("createJobWithOptions with all-zero options (or an agentId without agentRequired) makes the same job as createJob, without JobOptionsSet", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f, {
        approvers: [f.approvers[0].address, f.approvers[1].address],
        threshold: 2,
      });
      const txs = [
        f.escrow.connect(f.requester).createJob(termsOf(p), { value: ONE_ETH }),
        f.escrow.connect(f.requester).createJobWithOptions(termsOf(p), NO_OPTIONS, {
          value: ONE_ETH,
        }),
        f.escrow
          .connect(f.requester)
          .createJobWithOptions(termsOf(p), { ...NO_OPTIONS, agentId: 5n }, { value: ONE_ETH }),
      ];
      const created = [];
      for (const [i, tx] of txs.entries()) {
        await expect(tx, `job ${i + 1}`).not.to.emit(f.escrow, "JobOptionsSet");
        const receipt = await (await tx).wait();
        const log = receipt!.logs
          .map((l) => f.escrow.interface.parseLog(l))
          .find((e) => e?.name === "JobCreated")!;
        expect(log.args.jobId, "id").to.equal(BigInt(i + 1));
        created.push(log.args.toArray().slice(1).map(String));
      }
      expect(created[1], "same JobCreated but the id").to.deep.equal(created[0]);
      expect(created[2], "same JobCreated but the id").to.deep.equal(created[0]);
      const plain = [...(await f.escrow.getJob(1n))];
      expect([...(await f.escrow.getJob(2n))], "same getJob").to.deep.equal(plain);
      expect([...(await f.escrow.getJob(3n))], "same getJob").to.deep.equal(plain);
      for (const id of [1n, 2n, 3n]) {
        for (const a of f.approvers) {
          expect([...(await f.escrow.approverState(id, a))], `approvers of ${id}`).to.deep.equal([
            a !== f.approvers[2],
            false,
          ]);
        }
      }
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(3n * ONE_ETH);
    });

    it("createJobWithOptions takes amount + keeperTip as msg.value (amount alone for a bond only)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const p = await fx.params(f);
      const tipped = { ...NO_OPTIONS, keeperTip: 3n };
      for (const value of [ONE_ETH, ONE_ETH + 2n, ONE_ETH + 4n]) {
        await expect(
          f.escrow.connect(f.requester).createJobWithOptions(termsOf(p), tipped, { value }),
        )
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(ONE_ETH + 3n, value);
      }
      const bonded = { ...NO_OPTIONS, providerBond: 7n };
      await expect(
        f.escrow.connect(f.requester).createJobWithOptions(termsOf(p), bonded, {
          value: ONE_ETH + 7n,
        }),
        "the bond is the provider's, not sent at creation",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(ONE_ETH, ONE_ETH + 7n);
      await expect(
        f.escrow
          .connect(f.requester)
          .createJobWithOptions(termsOf(p), tipped, { value: ONE_ETH + 3n }),
      )
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(1n, 0n, 3n, ethers.ZeroAddress, 0, false, false, 0n);
      await expect(
        f.escrow.connect(f.requester).createJobWithOptions(termsOf(p), bonded, { value: ONE_ETH }),
      )
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(2n, 7n, 0n, ethers.ZeroAddress, 0, false, false, 0n);
      expect((await f.escrow.getJob(1n)).keeperTip).to.equal(3n);
      expect((await f.escrow.getJob(2n)).providerBond).to.equal(7n);
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(2n * ONE_ETH + 3n);
    });

    it("createJobWithOptions refuses each bad option, and createJob's checks still apply", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const token = await f.token.getAddress();
      const p = await fx.params(f, { token });
      const [a1, a2] = f.approvers.map((a) => a.address);
      const verifier = f.other.address;
      const tooBig = U128_MAX + 1n;
      const cases: [string, Partial<typeof NO_OPTIONS>, Partial<typeof p>, string, unknown[]][] = [
        [
          "bond > uint128",
          { providerBond: tooBig },
          {},
          "WorkEscrowAmountTooLarge",
          [tooBig, U128_MAX],
        ],
        [
          "tip > uint128",
          { keeperTip: tooBig },
          {},
          "WorkEscrowAmountTooLarge",
          [tooBig, U128_MAX],
        ],
        [
          "verifier = requester",
          { verifier: f.requester.address },
          {},
          "WorkEscrowInvalidVerifier",
          [f.requester.address, 0],
        ],
        [
          "verifier = provider",
          { verifier: f.provider.address },
          {},
          "WorkEscrowInvalidVerifier",
          [f.provider.address, 0],
        ],
        [
          "verifier = arbitrator",
          { verifier: f.arbitrator.address, verifierFeeBps: 5 },
          {},
          "WorkEscrowInvalidVerifier",
          [f.arbitrator.address, 5],
        ],
        [
          "fee > MAX_VERIFIER_FEE_BPS",
          { verifier, verifierFeeBps: 1001 },
          {},
          "WorkEscrowInvalidVerifier",
          [verifier, 1001],
        ],
        [
          "fee without a verifier",
          { verifierFeeBps: 1 },
          {},
          "WorkEscrowInvalidVerifier",
          [ethers.ZeroAddress, 1],
        ],
        [
          "verifier also an approver",
          { verifier },
          { approvers: [a1, verifier], threshold: 1 },
          "WorkEscrowInvalidApprover",
          [verifier],
        ],
        [
          "verifier also the only approver",
          { verifier, verifierFeeBps: 10 },
          { approvers: [verifier], threshold: 1 },
          "WorkEscrowInvalidApprover",
          [verifier],
        ],
        [
          "bidsOnly with a provider",
          { bidsOnly: true },
          {},
          "WorkEscrowInvalidProvider",
          [f.provider.address],
        ],
        [
          "agentRequired without a registry",
          { agentRequired: true, agentId: 1n },
          {},
          "WorkEscrowIdentityRegistryNotSet",
          [],
        ],
        ["createJob's checks first", { keeperTip: 1n }, { amount: 0n }, "WorkEscrowZeroAmount", []],
        [
          "createJob's approver checks",
          { verifier },
          { approvers: [a1, a1], threshold: 1 },
          "WorkEscrowInvalidApprover",
          [a1],
        ],
        [
          // the verifier is checked against the approvers once they are all written
          "an approver's own fault before the verifier among them",
          { verifier },
          { approvers: [verifier, f.requester.address], threshold: 1 },
          "WorkEscrowInvalidApprover",
          [f.requester.address],
        ],
      ];
      for (const [name, o, terms, error, args] of cases) {
        await expect(
          f.escrow
            .connect(f.requester)
            .createJobWithOptions(termsOf({ ...p, ...terms }), { ...NO_OPTIONS, ...o }),
          name,
        )
          .to.be.revertedWithCustomError(f.escrow, error)
          .withArgs(...args);
      }
      expect(await f.escrow.jobCount(), "nothing created").to.equal(0n);
      // the same options, each put right, are accepted
      const ok = await f.escrow
        .connect(f.requester)
        .createJobWithOptions(
          termsOf({ ...p, provider: ethers.ZeroAddress, approvers: [a1, a2], threshold: 1 }),
          {
            ...NO_OPTIONS,
            providerBond: U128_MAX,
            keeperTip: 1n,
            verifier,
            verifierFeeBps: 1000,
            bidsOnly: true,
          },
        );
      await expect(ok)
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(1n, U128_MAX, 1n, verifier, 1000, true, false, 0n);
    });
  });

  describe("v2 optional terms", function () {
    it("JobOptionsSet carries every optional term, and getJob returns them", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, {
        provider: ethers.ZeroAddress,
        providerBond: 3n,
        keeperTip: 5n,
        verifier: f.other.address,
        verifierFeeBps: 100,
        bidsOnly: true,
      });
      await expect(job.tx)
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(job.id, 3n, 5n, f.other.address, 100, true, false, 0n);
      const stored = await f.escrow.getJob(job.id);
      expect(stored.providerBond).to.equal(3n);
      expect(stored.bondPosted).to.equal(false);
      expect(stored.keeperTip).to.equal(5n);
      expect(stored.verifier).to.equal(f.other.address);
      expect(stored.verifierFeeBps).to.equal(100n);
      expect(stored.bidsOnly).to.equal(true);
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(ONE_ETH + 5n);
    });

    it("each option alone emits JobOptionsSet", async function () {
      const f = await loadFixture(fx.deployEscrow);
      for (const o of [
        { providerBond: 1n },
        { keeperTip: 1n },
        { verifier: f.other.address },
        { provider: ethers.ZeroAddress, bidsOnly: true },
      ]) {
        const job = await fx.createJob(f, o);
        await expect(job.tx).to.emit(f.escrow, "JobOptionsSet");
      }
    });

    it("verifier: not a party, fee ≤ MAX_VERIFIER_FEE_BPS, no fee without a verifier", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const max = await f.escrow.MAX_VERIFIER_FEE_BPS();
      expect(max).to.equal(1000n);
      for (const bad of [f.requester.address, f.provider.address, f.arbitrator.address]) {
        await expect(fx.createJob(f, { verifier: bad }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidVerifier")
          .withArgs(bad, 0);
      }
      await expect(fx.createJob(f, { verifier: f.other.address, verifierFeeBps: max + 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidVerifier")
        .withArgs(f.other.address, max + 1n);
      await expect(fx.createJob(f, { verifierFeeBps: 1 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidVerifier")
        .withArgs(ethers.ZeroAddress, 1);
      await fx.createJob(f, { verifier: f.other.address, verifierFeeBps: max });
    });

    it("agentRequired needs an identity registry in the deployment", async function () {
      const f = await loadFixture(fx.deployEscrow);
      expect(await f.escrow.identityRegistry()).to.equal(ethers.ZeroAddress);
      await expect(
        fx.createJob(f, { agentRequired: true, agentId: 1n }),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowIdentityRegistryNotSet");
    });
  });

  describe("narrowing casts at their limits", function () {
    it("amount, bond and tip of type(uint128).max each: stored, settled and accounted to the wei", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const big = await ethers.deployContract("MockERC20", ["Big", "BIG", 18]);
      const token = await big.getAddress();
      await big.mint(f.requester.address, 2n * U128_MAX);
      await big.mint(f.provider.address, U128_MAX);
      await big.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      await big.connect(f.provider).approve(f.escrow, ethers.MaxUint256);
      const job = await fx.createJob(f, {
        token,
        amount: U128_MAX,
        providerBond: U128_MAX,
        keeperTip: U128_MAX,
      });
      let stored = await f.escrow.getJob(job.id);
      expect([stored.amount, stored.providerBond, stored.keeperTip]).to.deep.equal([
        U128_MAX,
        U128_MAX,
        U128_MAX,
      ]);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      expect(await big.balanceOf(f.escrow)).to.equal(3n * U128_MAX);
      // a partial release of all but 1, a dispute over the last wei, a ruling
      await f.escrow.connect(f.requester).releasePartial(job.id, U128_MAX - 1n);
      stored = await f.escrow.getJob(job.id);
      expect([stored.amount, stored.released]).to.deep.equal([1n, U128_MAX - 1n]);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      await f.escrow.connect(f.requester).raiseDispute(job.id, "last wei");
      await f.escrow.connect(f.arbitrator).resolveDispute(job.id, 5000);
      // every wei ends with someone: balances + credits = what came in
      const part = expectedSplit(U128_MAX - 1n, 10_000n, 0n);
      const credits =
        (await f.escrow.withdrawable(token, f.treasury)) +
        (await f.escrow.withdrawable(token, f.community)) +
        (await f.escrow.withdrawable(token, f.arbitrator));
      expect(credits).to.equal(
        part.platformFee + part.communityFee,
        "fees of the part (none on 1 wei)",
      );
      expect(await big.balanceOf(f.escrow)).to.equal(credits);
      expect(
        (await big.balanceOf(f.requester)) + (await big.balanceOf(f.provider)) + credits,
      ).to.equal(3n * U128_MAX);
    });

    it("disputedAt (uint32) holds a dispute raised at 2^32 - 1 (2106-02-07): the ruling window runs past 2^32 correctly", async function () {
      // The documented limit of the uint32 field: disputes raised before 2106. (loadFixture's snapshot
      // brings the chain's clock back for the tests after this one.)
      const f = await loadFixture(fx.deployEscrow);
      const last = 2n ** 32n - 1n;
      await time.setNextBlockTimestamp(last - DAY);
      const p = await fx.params(f, { deadline: last - DAY + 2n * DAY });
      await createJobTx(f.escrow, f.requester, p);
      await f.escrow.connect(f.provider).acceptJob(1n);
      await f.escrow.connect(f.provider).submitWork(1n, RESULT);
      await time.setNextBlockTimestamp(last);
      await f.escrow.connect(f.requester).raiseDispute(1n, "x", { value: ONE_ETH / 50n });
      const job = await f.escrow.getJob(1n);
      expect(job.disputedAt).to.equal(last);
      await time.setNextBlockTimestamp(last + job.arbitrationPeriod - 1n); // beyond 2^32
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(1n, 5000)).to.emit(
        f.escrow,
        "DisputeResolved",
      );
    });

    it("the largest review period and a deadline MAX_DURATION ahead round-trip through their packed fields", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const t = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(t);
      const p = await fx.params(f, { deadline: t + 365n * DAY, reviewPeriod: 30n * DAY });
      await createJobTx(f.escrow, f.requester, p);
      await f.escrow.connect(f.provider).acceptJob(1n);
      await time.setNextBlockTimestamp(t + 365n * DAY);
      await f.escrow.connect(f.provider).submitWork(1n, RESULT); // at the deadline itself
      const job = await f.escrow.getJob(1n);
      expect(job.deadline).to.equal(t + 365n * DAY);
      expect(job.reviewPeriod).to.equal(30n * DAY);
      expect(job.submittedAt).to.equal(t + 365n * DAY);
    });
  });
});
