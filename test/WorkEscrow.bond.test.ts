import { expect } from "chai";
import { network } from "hardhat";
import type { HostileReceiver } from "../typechain-types/index.js";
import {
  DAY,
  FEES,
  ONE_ETH,
  RESULT,
  Status,
  escrowFixtures,
  expectBalanceChanges,
  expectedSplit,
  raiseDispute,
} from "./helpers/escrow.js";
import type { EscrowFixture } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

const BOND = 100_001n; // odd, so that a 70/30 split of it rounds

interface BondedFixture extends EscrowFixture {
  job: { id: bigint; params: { deadline: bigint | number | string } };
  t: string;
}

/** A 1-unit job with a bond, accepted by the designated provider (who posted the bond). */
async function acceptBonded(f: EscrowFixture, t: string, bond = BOND) {
  const job = await fx.createJob(f, { token: t, providerBond: bond });
  await f.escrow
    .connect(f.provider)
    .acceptJob(job.id, { value: t === ethers.ZeroAddress ? bond : 0n });
  return job;
}

async function nativeBonded(): Promise<BondedFixture> {
  const f = await fx.deployEscrow();
  return { ...f, t: ethers.ZeroAddress, job: await acceptBonded(f, ethers.ZeroAddress) };
}

async function erc20Bonded(): Promise<BondedFixture> {
  const f = await fx.deployEscrow();
  const t = await f.token.getAddress();
  return { ...f, t, job: await acceptBonded(f, t) };
}

describe("WorkEscrow provider bond (v2)", function () {
  describe("posting", function () {
    it("native: acceptJob posts the exact bond as msg.value (BondPosted), getJob shows it held", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { providerBond: BOND });
      expect((await f.escrow.getJob(job.id)).bondPosted).to.equal(false);
      const tx = f.escrow.connect(f.provider).acceptJob(job.id, { value: BOND });
      await expect(tx).to.emit(f.escrow, "JobAccepted").withArgs(job.id, f.provider.address);
      await expect(tx).to.emit(f.escrow, "BondPosted").withArgs(job.id, f.provider.address, BOND);
      await expect(tx).to.changeEtherBalances(ethers, [f.provider, f.escrow], [-BOND, BOND]);
      const stored = await f.escrow.getJob(job.id);
      expect([stored.providerBond, stored.bondPosted]).to.deep.equal([BOND, true]);
    });

    it("native: a wrong msg.value is refused (WorkEscrowValueMismatch(bond, sent))", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { providerBond: BOND });
      for (const sent of [0n, BOND - 1n, BOND + 1n]) {
        await expect(f.escrow.connect(f.provider).acceptJob(job.id, { value: sent }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(BOND, sent);
      }
      expect((await f.escrow.getJob(job.id)).status).to.equal(BigInt(Status.Open));
    });

    it("ERC-20: the bond is pulled; native coin alongside is refused; no allowance, no acceptance", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const t = await f.token.getAddress();
      const job = await fx.createJob(f, { token: t, providerBond: BOND });
      await expect(f.escrow.connect(f.provider).acceptJob(job.id, { value: BOND }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, BOND);
      await f.token.connect(f.provider).approve(f.escrow, BOND - 1n);
      await expect(f.escrow.connect(f.provider).acceptJob(job.id)).to.be.revertedWithCustomError(
        f.token,
        "ERC20InsufficientAllowance",
      );
      await f.token.connect(f.provider).approve(f.escrow, BOND);
      const tx = f.escrow.connect(f.provider).acceptJob(job.id);
      await expect(tx).to.emit(f.escrow, "BondPosted").withArgs(job.id, f.provider.address, BOND);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [f.provider, f.escrow],
        [-BOND, BOND],
      );
    });

    it("fee-on-transfer: what arrives is held, BondPosted says so, and exactly that comes back", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burned
      for (const who of [f.requester, f.provider]) {
        await fot.mint(who.address, 1000n * ONE_ETH);
        await fot.connect(who).approve(f.escrow, ethers.MaxUint256);
      }
      const bond = 10n * ONE_ETH;
      const held = bond - bond / 100n;
      const job = await fx.createJob(f, { token: await fot.getAddress(), providerBond: bond });
      await expect(f.escrow.connect(f.provider).acceptJob(job.id))
        .to.emit(f.escrow, "BondPosted")
        .withArgs(job.id, f.provider.address, held);
      expect((await f.escrow.getJob(job.id)).providerBond).to.equal(held);
      await expect(f.escrow.connect(f.requester).release(job.id))
        .to.emit(f.escrow, "BondSettled")
        .withArgs(job.id, held, 0n);
      const fees =
        (await f.escrow.withdrawable(fot, f.treasury)) +
        (await f.escrow.withdrawable(fot, f.community));
      expect(await fot.balanceOf(f.escrow)).to.equal(fees, "no bond left behind");
    });

    it("a tip-only job asks no bond (msg.value refused)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { keeperTip: 5n });
      await expect(f.escrow.connect(f.provider).acceptJob(job.id, { value: 1n }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, 1n);
      await expect(f.escrow.connect(f.provider).acceptJob(job.id)).not.to.emit(
        f.escrow,
        "BondPosted",
      );
    });

    it("cancelling an Open bonded job settles no bond (none was posted)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { providerBond: BOND });
      const tx = f.escrow.connect(f.requester).cancelJob(job.id);
      await expect(tx).not.to.emit(f.escrow, "BondSettled");
      await expect(tx).to.changeEtherBalance(ethers, f.requester, ONE_ETH);
    });
  });

  for (const [kind, fixture] of [
    ["native", nativeBonded],
    ["ERC-20", erc20Bonded],
  ] as const) {
    describe(`each ending's bond flow (${kind})`, function () {
      it("release → the whole bond back to the provider, with the payment", async function () {
        const f = await loadFixture(fixture);
        const s = expectedSplit(ONE_ETH, 10_000n, 0n);
        const tx = f.escrow.connect(f.requester).release(f.job.id);
        await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, BOND, 0n);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester],
          [s.provider + BOND, 0n],
        );
      });

      it("agreed settlement (in Accepted, 3,000 bps) → the whole bond back to the provider", async function () {
        const f = await loadFixture(fixture);
        await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 3000);
        const s = expectedSplit(ONE_ETH, 3000n, 0n);
        const tx = f.escrow.connect(f.provider).acceptSettlement(f.job.id, 3000);
        await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, BOND, 0n);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester],
          [s.provider + BOND, s.requester],
        );
      });

      it("stale settlement → the whole bond back to the provider", async function () {
        const f = await loadFixture(fixture);
        await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
        await raiseDispute(f.escrow, f.requester, f.job.id);
        const job = await f.escrow.getJob(f.job.id);
        await time.increaseTo(job.disputedAt + job.arbitrationPeriod);
        const s = expectedSplit(ONE_ETH, 5000n, 0n);
        const tx = f.escrow.connect(f.stranger).settleStaleDispute(f.job.id);
        await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, BOND, 0n);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester],
          [s.provider + BOND, s.requester + job.disputeDeposit],
        );
      });

      it("refund after the deadline → the bond is forfeited to the requester", async function () {
        const f = await loadFixture(fixture);
        await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
        const tx = f.escrow.connect(f.stranger).refundExpired(f.job.id);
        await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, 0n, BOND);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester, f.escrow],
          [0n, ONE_ETH + BOND, -(ONE_ETH + BOND)],
        );
      });

      it("a ruling of 7,000 bps → the bond is split 70/30 (rounded down for the provider)", async function () {
        const f = await loadFixture(fixture);
        await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
        await raiseDispute(f.escrow, f.provider, f.job.id);
        const deposit = (await f.escrow.getJob(f.job.id)).disputeDeposit;
        const toProvider = (BOND * 7000n) / 10_000n;
        expect(toProvider).to.equal(70_000n);
        const s = expectedSplit(ONE_ETH, 7000n, FEES.arbitration);
        const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 7000);
        await expect(tx)
          .to.emit(f.escrow, "BondSettled")
          .withArgs(f.job.id, toProvider, BOND - toProvider);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester],
          [s.provider + toProvider + deposit, s.requester + (BOND - toProvider)],
        );
      });

      it("a full refundPartial → the remaining amount and the bond to the requester (Refunded)", async function () {
        const f = await loadFixture(fixture);
        const tx = f.escrow.connect(f.provider).refundPartial(f.job.id, ONE_ETH);
        await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(f.job.id, 0n, BOND);
        await expect(tx)
          .to.emit(f.escrow, "JobRefunded")
          .withArgs(f.job.id, f.requester.address, f.provider.address, ONE_ETH);
        await expectBalanceChanges(
          ethers,
          tx,
          f.t,
          [f.provider, f.requester],
          [0n, ONE_ETH + BOND],
        );
        expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Refunded));
      });
    });
  }

  it("a squatter of an open bonded job is slashed: after the deadline its bond goes to the requester", async function () {
    const f = await loadFixture(fx.deployEscrow);
    const job = await fx.createJob(f, { provider: ethers.ZeroAddress, providerBond: BOND });
    await expect(f.escrow.connect(f.stranger).acceptJob(job.id, { value: BOND }))
      .to.emit(f.escrow, "BondPosted")
      .withArgs(job.id, f.stranger.address, BOND);
    // the squatter cannot dispute undelivered work, nor get anything back before the deadline
    await expect(raiseDispute(f.escrow, f.stranger, job.id))
      .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
      .withArgs(job.id, Status.Accepted);
    await time.increaseTo(BigInt(job.params.deadline) + 1n);
    const tx = f.escrow.connect(f.requester).refundExpired(job.id);
    await expect(tx).to.emit(f.escrow, "BondSettled").withArgs(job.id, 0n, BOND);
    await expect(tx).to.changeEtherBalances(
      ethers,
      [f.requester, f.stranger, f.escrow],
      [ONE_ETH + BOND, 0n, -(ONE_ETH + BOND)],
    );
  });

  it("the bond of a provider that cannot receive is credited with its payment", async function () {
    const f = await loadFixture(fx.deployEscrow);
    const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
    const job = await fx.createJob(f, { provider: await hostile.getAddress(), providerBond: BOND });
    await hostile.call(f.escrow, f.escrow.interface.encodeFunctionData("acceptJob", [job.id]), {
      value: BOND,
    });
    await hostile.setMode(1); // Revert
    const s = expectedSplit(ONE_ETH, 10_000n, 0n);
    await expect(f.escrow.connect(f.requester).release(job.id))
      .to.emit(f.escrow, "Credited")
      .withArgs(job.id, ethers.ZeroAddress, await hostile.getAddress(), s.provider + BOND);
    expect(await f.escrow.withdrawable(ethers.ZeroAddress, hostile)).to.equal(s.provider + BOND);
  });

  it("a provider that accepts at the deadline still posts the bond, and is refunded nothing after it", async function () {
    const f = await loadFixture(fx.deployEscrow);
    const job = await fx.createJob(f, { providerBond: BOND });
    await time.setNextBlockTimestamp(BigInt(job.params.deadline));
    await f.escrow.connect(f.provider).acceptJob(job.id, { value: BOND });
    await time.increase(DAY);
    await expect(f.escrow.connect(f.provider).refundExpired(job.id)).to.changeEtherBalances(
      ethers,
      [f.provider, f.requester],
      [0n, ONE_ETH + BOND],
    );
  });
});
