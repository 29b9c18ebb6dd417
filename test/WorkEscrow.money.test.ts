import { expect } from "chai";
import { network } from "hardhat";
import type { HostileReceiver, IWorkEscrow } from "../typechain-types/index.js";
import {
  DAY,
  DEFAULT_ARBITRATION_PERIOD,
  FEES,
  ONE_ETH,
  RESULT,
  Status,
  depositOf,
  escrowFixtures,
  expectedSplit,
  raiseDispute,
  termsOf,
} from "./helpers/escrow.js";
import type { EscrowFixture } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });
enum Mode {
  Accept,
  Revert,
  BurnGas,
  ReturnBomb,
  Reenter,
}

/** A job whose provider is a hostile contract, already submitted. */
async function hostileProviderFixture() {
  const f = await fx.deployEscrow();
  const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
  const job = await fx.createJob(f, { provider: await hostile.getAddress() });
  await asHostile(hostile, f.escrow, "acceptJob", [job.id]);
  await asHostile(hostile, f.escrow, "submitWork", [job.id, RESULT]);
  return { ...f, hostile, job };
}

/** A job whose requester is a hostile contract, accepted by an EOA provider. */
async function hostileRequesterFixture() {
  const f = await fx.deployEscrow();
  const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
  const p = await fx.params(f);
  await asHostile(hostile, f.escrow, "createJob", [termsOf(p)], ONE_ETH);
  const id = await f.escrow.jobCount();
  return { ...f, hostile, id, p };
}

/** Calls `escrow.fn(...args)` as the hostile contract, sending `value`. */
async function asHostile(
  h: HostileReceiver,
  escrow: IWorkEscrow,
  fn: string,
  args: unknown[],
  value = 0n,
) {
  return h.call(escrow, escrow.interface.encodeFunctionData(fn as never, args as never), { value });
}

/**
 * Contract balance of `token` must cover what every unfinished job holds (remaining amount, posted bond,
 * keeper tip, dispute deposit) plus every credit (checked by summing views).
 */
async function assertSolvent(f: EscrowFixture, token: string, accounts: string[]) {
  const count = await f.escrow.jobCount();
  let owed = 0n;
  for (let id = 1n; id <= count; id++) {
    const job = await f.escrow.getJob(id);
    if (job.token !== token || job.status < 1n || job.status > 4n) continue;
    owed += job.amount + job.keeperTip + job.disputeDeposit;
    if (job.bondPosted) owed += job.providerBond;
  }
  for (const a of accounts) owed += await f.escrow.withdrawable(token, a);
  const balance =
    token === ethers.ZeroAddress
      ? await ethers.provider.getBalance(f.escrow)
      : await (await ethers.getContractAt("MockERC20", token)).balanceOf(f.escrow);
  expect(balance, "escrow balance covers jobs and credits").to.be.gte(owed);
  return { balance, owed };
}

describe("WorkEscrow money", function () {
  describe("hostile receivers never block a settlement", function () {
    for (const [name, mode] of [
      ["reverting", Mode.Revert],
      ["gas-burning", Mode.BurnGas],
      ["return-data bomb", Mode.ReturnBomb],
    ] as const) {
      it(`credits a ${name} provider instead of reverting`, async function () {
        const f = await loadFixture(hostileProviderFixture);
        await f.hostile.setMode(mode);
        const s = expectedSplit(ONE_ETH, 10_000n, 0n);
        const tx = await f.escrow.connect(f.requester).release(f.job.id);
        await expect(tx)
          .to.emit(f.escrow, "Credited")
          .withArgs(f.job.id, ethers.ZeroAddress, await f.hostile.getAddress(), s.provider);
        expect((await tx.wait())!.gasUsed).to.be.lessThan(200_000n);
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.hostile)).to.equal(s.provider);
        // the credit can be taken elsewhere by the holder
        await expect(
          asHostile(f.hostile, f.escrow, "withdrawTo", [ethers.ZeroAddress, f.other.address]),
        ).to.changeEtherBalance(ethers, f.other, s.provider);
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.hostile)).to.equal(0n);
      });
    }

    it("a receiver that cannot receive cannot withdraw to itself, and keeps its credit", async function () {
      const f = await loadFixture(hostileProviderFixture);
      await f.hostile.setMode(Mode.Revert);
      await f.escrow.connect(f.requester).release(f.job.id);
      const credit = await f.escrow.withdrawable(ethers.ZeroAddress, f.hostile);
      await expect(asHostile(f.hostile, f.escrow, "withdraw", [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowTransferFailed")
        .withArgs(ethers.ZeroAddress, await f.hostile.getAddress(), credit);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.hostile)).to.equal(credit);
    });

    it("refuses reentrancy from a provider's receive hook during release", async function () {
      const f = await loadFixture(hostileProviderFixture);
      // try to withdraw (and re-release) from inside the payout
      await f.hostile.setReenter(
        f.escrow,
        f.escrow.interface.encodeFunctionData("release", [f.job.id]),
      );
      await f.escrow.connect(f.requester).release(f.job.id);
      expect(await f.hostile.reentered()).to.equal(false);
      const selector = f.core.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await f.hostile.reenterError()).to.equal(selector);
      // the payout still arrived (the hook did not revert)
      expect(await ethers.provider.getBalance(f.hostile)).to.equal(
        expectedSplit(ONE_ETH, 10_000n, 0n).provider,
      );
    });

    it("refuses reentrancy from a receiver during dispute resolution", async function () {
      const f = await loadFixture(hostileProviderFixture);
      await raiseDispute(f.escrow, f.requester, f.job.id, "bad");
      await f.hostile.setReenter(
        f.escrow,
        f.escrow.interface.encodeFunctionData("settleStaleDispute", [f.job.id]),
      );
      await f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000);
      expect(await f.hostile.reentered()).to.equal(false);
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Resolved));
    });

    it("a reverting requester cannot block cancel, refund or a resolution", async function () {
      const f = await loadFixture(hostileRequesterFixture);
      await f.hostile.setMode(Mode.Revert);
      await expect(asHostile(f.hostile, f.escrow, "cancelJob", [f.id]))
        .to.emit(f.escrow, "Credited")
        .withArgs(f.id, ethers.ZeroAddress, await f.hostile.getAddress(), ONE_ETH);

      await f.hostile.setMode(Mode.Accept);
      const p2 = await fx.params(f);
      await asHostile(f.hostile, f.escrow, "createJob", [termsOf(p2)], ONE_ETH);
      const refundId = await f.escrow.jobCount();
      await f.hostile.setMode(Mode.BurnGas);
      await time.increaseTo(BigInt(p2.deadline) + 1n);
      await expect(f.escrow.connect(f.stranger).refundExpired(refundId)).to.emit(
        f.escrow,
        "Credited",
      );

      await f.hostile.setMode(Mode.Accept);
      const p3 = await fx.params(f);
      await asHostile(f.hostile, f.escrow, "createJob", [termsOf(p3)], ONE_ETH);
      const disputeId = await f.escrow.jobCount();
      await f.escrow.connect(f.provider).acceptJob(disputeId);
      await f.escrow.connect(f.provider).submitWork(disputeId, RESULT);
      await raiseDispute(f.escrow, f.provider, disputeId, "requester vanished");
      await f.hostile.setMode(Mode.ReturnBomb);
      const s = expectedSplit(ONE_ETH, 3000n, FEES.arbitration);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(disputeId, 3000))
        .to.emit(f.escrow, "Credited")
        .withArgs(disputeId, ethers.ZeroAddress, await f.hostile.getAddress(), s.requester);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.hostile)).to.equal(
        2n * ONE_ETH + s.requester,
      );
    });

    it("refuses reentrancy through an ERC-20 transfer hook", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const cbk = await ethers.deployContract("CallbackToken");
      const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
      await cbk.mint(f.requester.address, ONE_ETH);
      await cbk.connect(f.requester).approve(f.escrow, ONE_ETH);
      const job = await fx.createJob(f, {
        token: await cbk.getAddress(),
        provider: await hostile.getAddress(),
      });
      await asHostile(hostile, f.escrow, "acceptJob", [job.id]);
      await hostile.setReenter(
        f.escrow,
        f.escrow.interface.encodeFunctionData("withdraw", [await cbk.getAddress()]),
      );
      await f.escrow.connect(f.requester).release(job.id);
      expect(await hostile.reentered()).to.equal(false);
      expect(await cbk.balanceOf(hostile)).to.equal(expectedSplit(ONE_ETH, 10_000n, 0n).provider);
    });
  });

  describe("tokens", function () {
    it("fee-on-transfer: escrows what arrived and pays out exactly that", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burned per transfer
      await fot.mint(f.requester.address, 1000n * ONE_ETH);
      await fot.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      const sent = 100n * ONE_ETH;
      const job = await fx.createJob(f, { token: await fot.getAddress(), amount: sent });
      const received = sent - sent / 100n;
      expect((await f.escrow.getJob(job.id)).amount).to.equal(received);
      await expect(job.tx)
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          job.id,
          f.requester.address,
          f.provider.address,
          await fot.getAddress(),
          received,
          job.params.jobHash,
          f.arbitrator.address,
          [],
          () => true,
        );
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.requester).release(job.id);
      const s = expectedSplit(received, 10_000n, 0n);
      expect(await fot.balanceOf(f.escrow)).to.equal(s.platformFee + s.communityFee);
      await f.escrow.connect(f.treasury).withdraw(fot);
      await f.escrow.connect(f.community).withdraw(fot);
      expect(await fot.balanceOf(f.escrow)).to.equal(0n);
    });

    it("a token that delivers nothing is refused (WorkEscrowNothingReceived)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const sink = await ethers.deployContract("FeeOnTransferToken", [10_000n]); // burns 100% of every transfer
      await sink.mint(f.requester.address, ONE_ETH);
      await sink.connect(f.requester).approve(f.escrow, ONE_ETH);
      await expect(fx.createJob(f, { token: await sink.getAddress() }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingReceived")
        .withArgs(await sink.getAddress());
      expect(await f.escrow.jobCount()).to.equal(0n);
    });

    it("no-return (USDT-style) tokens work for create, release and withdraw", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const usdt = await ethers.deployContract("NoReturnToken");
      await usdt.mint(f.requester.address, 10n ** 12n);
      await usdt.connect(f.requester).approve(f.escrow, 10n ** 12n);
      const job = await fx.createJob(f, { token: await usdt.getAddress(), amount: 1_000_000n });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.requester).release(job.id);
      const s = expectedSplit(1_000_000n, 10_000n, 0n);
      expect(await usdt.balanceOf(f.provider)).to.equal(s.provider);
      await f.escrow.connect(f.treasury).withdraw(usdt);
      expect(await usdt.balanceOf(f.treasury)).to.equal(s.platformFee);
    });

    it("false-returning tokens: a failed pull reverts creation, a failed push is credited", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const frt = await ethers.deployContract("FalseReturnToken");
      await frt.mint(f.requester.address, ONE_ETH);
      await frt.connect(f.requester).approve(f.escrow, ONE_ETH);
      await frt.setFailTransfers(true);
      await expect(
        fx.createJob(f, { token: await frt.getAddress() }),
      ).to.be.revertedWithCustomError(f.core, "SafeERC20FailedOperation");
      await frt.setFailTransfers(false);
      const job = await fx.createJob(f, { token: await frt.getAddress() });
      await frt.setFailTransfers(true);
      await f.escrow.connect(f.requester).cancelJob(job.id);
      expect(await f.escrow.withdrawable(frt, f.requester)).to.equal(ONE_ETH);
      await frt.setFailTransfers(false);
      await f.escrow.connect(f.requester).withdraw(frt);
      expect(await frt.balanceOf(f.requester)).to.equal(ONE_ETH);
    });

    it("a blocklisted provider is credited and can withdraw to another address", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const blk = await ethers.deployContract("BlocklistToken");
      await blk.mint(f.requester.address, 10n ** 9n);
      await blk.connect(f.requester).approve(f.escrow, 10n ** 9n);
      const job = await fx.createJob(f, { token: await blk.getAddress(), amount: 10n ** 9n });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await blk.setBlocked(f.provider.address, true);
      const s = expectedSplit(10n ** 9n, 10_000n, 0n);
      await expect(f.escrow.connect(f.requester).release(job.id))
        .to.emit(f.escrow, "Credited")
        .withArgs(job.id, await blk.getAddress(), f.provider.address, s.provider);
      await expect(f.escrow.connect(f.provider).withdrawTo(blk, f.other.address))
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(await blk.getAddress(), f.provider.address, f.other.address, s.provider);
      expect(await blk.balanceOf(f.other)).to.equal(s.provider);
    });

    it("revert-on-zero tokens: zero parts are skipped, not transferred", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const roz = await ethers.deployContract("RevertOnZeroToken");
      for (const who of [f.requester, f.provider]) {
        await roz.mint(who.address, ONE_ETH);
        await roz.connect(who).approve(f.escrow, ONE_ETH);
      }
      const job = await fx.createJob(f, { token: await roz.getAddress(), amount: 10_000n });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      await f.escrow.connect(f.provider).raiseDispute(job.id, "x"); // deposit 200 pulled
      // 0 bps: the provider gets nothing (no zero transfer) and forfeits its deposit to the requester,
      // who gets everything but the arbitration fee; only the arbitration fee is credited
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(job.id, 0);
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(job.id, await roz.getAddress(), f.arbitrator.address, 200n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        roz,
        [f.provider, f.requester],
        [0n, 10_000n],
      );
      expect(await roz.balanceOf(f.requester)).to.equal(ONE_ETH - 10_000n + 9_800n + 200n);
    });

    for (const decimals of [6, 24]) {
      it(`${decimals}-decimal token at amounts near uint128 max: every wei accounted for`, async function () {
        const f = await loadFixture(fx.deployEscrow);
        const t = await ethers.deployContract("MockERC20", ["T", "T", decimals]);
        const amount = 2n ** 128n - 1n;
        const deposit = (amount * FEES.arbitration) / 10_000n;
        await t.mint(f.requester.address, amount);
        await t.connect(f.requester).approve(f.escrow, amount);
        await t.mint(f.provider.address, deposit);
        await t.connect(f.provider).approve(f.escrow, deposit);
        const job = await fx.createJob(f, { token: await t.getAddress(), amount });
        await f.escrow.connect(f.provider).acceptJob(job.id);
        await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
        await f.escrow.connect(f.provider).raiseDispute(job.id, "x");
        expect(await t.balanceOf(f.escrow)).to.equal(amount + deposit);
        await f.escrow.connect(f.arbitrator).resolveDispute(job.id, 3333);
        const s = expectedSplit(amount, 3333n, FEES.arbitration);
        expect(await t.balanceOf(f.provider)).to.equal(
          s.provider + deposit,
          "share + deposit back",
        );
        expect(await t.balanceOf(f.requester)).to.equal(s.requester);
        const credits =
          (await f.escrow.withdrawable(t, f.treasury)) +
          (await f.escrow.withdrawable(t, f.community)) +
          (await f.escrow.withdrawable(t, f.arbitrator));
        expect(await t.balanceOf(f.escrow)).to.equal(credits);
        expect(s.provider + s.requester + credits).to.equal(amount);
      });
    }
  });

  describe("fees", function () {
    it("are snapshotted at creation: later admin changes never touch a funded job", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.setFees(900, 100, 1000);
      const newer = await fx.createJob(f);
      await f.escrow.connect(f.requester).release(f.job.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(s.platformFee);
      const job = await f.escrow.getJob(newer.id);
      expect([job.platformFeeBps, job.communityFeeBps, job.arbitrationFeeBps]).to.deep.equal([
        900n,
        100n,
        1000n,
      ]);
    });

    it("go to the recipients in force at settlement; credits already earned stay", async function () {
      const f = await loadFixture(fx.submittedJob);
      const second = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(second.id);
      await f.escrow.connect(f.requester).release(f.job.id);
      await f.escrow.setFeeRecipients(f.other.address, f.stranger.address);
      await f.escrow.connect(f.requester).release(second.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(s.platformFee);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.other)).to.equal(s.platformFee);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.stranger)).to.equal(s.communityFee);
    });

    it("accrue exactly even when an accrual would overflow its packed slot", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const t = await ethers.deployContract("MockERC20", ["Big", "BIG", 24]);
      const amount = 3n * 10n ** 35n; // 1% platform fee = 3e33: two of them overflow uint112 (5.19e33)
      await t.mint(f.requester.address, 3n * amount);
      await t.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      for (let i = 0; i < 3; i++) {
        const job = await fx.createJob(f, { token: await t.getAddress(), amount });
        await f.escrow.connect(f.provider).acceptJob(job.id);
        await f.escrow.connect(f.requester).release(job.id);
      }
      const s = expectedSplit(amount, 10_000n, 0n);
      expect(await f.escrow.withdrawable(t, f.treasury)).to.equal(3n * s.platformFee);
      expect(await f.escrow.withdrawable(t, f.community)).to.equal(3n * s.communityFee);
      await f.escrow.connect(f.community).withdraw(t);
      await f.escrow.connect(f.treasury).withdraw(t);
      expect(await t.balanceOf(f.escrow)).to.equal(0n);
      expect(await t.balanceOf(f.treasury)).to.equal(3n * s.platformFee);
    });

    it("a withdrawal by one fee recipient leaves the other's accrued share intact", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.requester).release(f.job.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      await f.escrow.connect(f.treasury).withdraw(ethers.ZeroAddress);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community)).to.equal(s.communityFee);
      await expect(
        f.escrow.connect(f.community).withdraw(ethers.ZeroAddress),
      ).to.changeEtherBalance(ethers, f.community, s.communityFee);
    });

    it("when treasury and community fund are the same address, it receives both shares", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.setFeeRecipients(f.other.address, f.other.address);
      await f.escrow.connect(f.requester).release(f.job.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.other)).to.equal(
        s.platformFee + s.communityFee,
      );
      await expect(f.escrow.connect(f.other).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
        ethers,
        f.other,
        s.platformFee + s.communityFee,
      );
    });

    it("zero fee rates leave the provider the whole amount", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.escrow.setFees(0, 0, 0);
      const job = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await expect(f.escrow.connect(f.requester).release(job.id)).to.changeEtherBalance(
        ethers,
        f.provider,
        ONE_ETH,
      );
    });
  });

  describe("withdraw", function () {
    it("pays the whole credit once, and refuses an empty one", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.requester).release(f.job.id);
      const fee = expectedSplit(ONE_ETH, 10_000n, 0n).platformFee;
      const tx = f.escrow.connect(f.treasury).withdraw(ethers.ZeroAddress);
      await expect(tx)
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(ethers.ZeroAddress, f.treasury.address, f.treasury.address, fee);
      await expect(tx).to.changeEtherBalances(ethers, [f.treasury, f.escrow], [fee, -fee]);
      await expect(f.escrow.connect(f.treasury).withdraw(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingToWithdraw")
        .withArgs(ethers.ZeroAddress, f.treasury.address);
      await expect(
        f.escrow.connect(f.community).withdrawTo(ethers.ZeroAddress, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowZeroAddress");
    });

    it("nobody can take another account's credit", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.requester).release(f.job.id);
      for (const who of [f.admin, f.arbitrator, f.stranger]) {
        await expect(
          f.escrow.connect(who).withdrawTo(ethers.ZeroAddress, who.address),
        ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingToWithdraw");
      }
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.be.greaterThan(0n);
    });
  });

  describe("solvency across many paths", function () {
    it("balance always covers unfinished jobs plus credits, and equals them with no dust (v2 paths included), native and ERC-20", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const tokenAddr = await f.token.getAddress();
      const accounts = [
        f.treasury,
        f.community,
        f.arbitrator,
        f.requester,
        f.provider,
        f.stranger,
        f.other,
      ].map((a) => a.address);
      for (const token of [ethers.ZeroAddress, tokenAddr]) {
        const bond = 100_001n;
        const tip = 7_777n;
        const ids: bigint[] = [];
        for (let i = 0; i < 8; i++) {
          const job = await fx.createJob(f, {
            token,
            amount: 1_000_003n + BigInt(i),
            providerBond: i % 2 === 0 ? bond : 0n,
            keeperTip: tip,
            verifier: i === 6 ? f.other.address : ethers.ZeroAddress,
            verifierFeeBps: i === 6 ? 300 : 0,
          });
          ids.push(job.id);
        }
        const accept = async (id: bigint) => {
          const job = await f.escrow.getJob(id);
          const value = token === ethers.ZeroAddress ? job.providerBond : 0n;
          await f.escrow.connect(f.provider).acceptJob(id, { value });
        };
        await f.escrow.connect(f.requester).cancelJob(ids[0]);
        for (const id of ids.slice(1)) await accept(id);
        await f.escrow.connect(f.requester).release(ids[1]);
        for (const id of [ids[2], ids[3], ids[6]])
          await f.escrow.connect(f.provider).submitWork(id, RESULT);
        await raiseDispute(f.escrow, f.provider, ids[2], "x");
        await f.escrow.connect(f.arbitrator).resolveDispute(ids[2], 4321);
        await raiseDispute(f.escrow, f.requester, ids[3], "y");
        await f.escrow.connect(f.requester).releasePartial(ids[5], 333_333n);
        await f.escrow.connect(f.other).verifyWork(ids[6], false);
        await f.escrow.connect(f.provider).refundPartial(ids[7], 1n);
        await f.escrow.connect(f.provider).refundPartial(ids[7], 1_000_009n);
        await assertSolvent(f, token, accounts);
        await time.increase(DEFAULT_ARBITRATION_PERIOD);
        await f.escrow.connect(f.stranger).settleStaleDispute(ids[3]);
        await time.increase(2n * DAY);
        await f.escrow.connect(f.stranger).refundExpired(ids[4]);
        // ids[6]: rejected, window over → refunded; ids[5]: Accepted past its deadline → refunded;
        // ids[0] (cancelled) and 999 (unknown) are skipped
        const batch = [ids[6], ids[5], ids[0], 999n];
        expect(await f.escrow.connect(f.stranger).finalize.staticCall(batch)).to.equal(2n);
        await f.escrow.connect(f.stranger).finalize(batch);
        const { balance, owed } = await assertSolvent(f, token, accounts);
        expect(balance).to.equal(owed, "no dust left behind");
        for (const id of ids)
          expect((await f.escrow.getJob(id)).status, `job ${id} ended`).to.be.gte(5n);
      }
    });
  });
});
