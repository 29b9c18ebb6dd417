import { expect } from "chai";
import { network } from "hardhat";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import type {
  HookReceiver,
  HookToken,
  HostileReceiver,
  IWorkEscrow,
} from "../typechain-types/index.js";
import {
  DAY,
  FEES,
  ONE_ETH,
  RESULT,
  Resolution,
  Status,
  depositOf,
  escrowFixtures,
  expectBalanceChanges,
  expectedSplit,
  raiseDispute,
} from "./helpers/escrow.js";
import type { EscrowFixture } from "./helpers/escrow.js";
import { expectLedgerMatchesState, replayCredits } from "./helpers/ledger.js";

// The inputs of issue 10 (an audit's attack scenarios), each asserting the value the spec requires.
// Fees: platform 1%, community 0.5%, arbitration 2%.

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

enum HookMode {
  Accept,
  Revert,
  BurnGas,
  NeedsGas,
}

/** Calls `escrow.fn(...args)` as the receiver contract. */
async function asContract(
  r: HookReceiver | HostileReceiver,
  escrow: IWorkEscrow,
  fn: string,
  args: unknown[],
) {
  return r.call(escrow, escrow.interface.encodeFunctionData(fn as never, args as never));
}

/** An open 1 ETH job (no designated provider). */
async function openNoProviderJob() {
  const f = await fx.deployEscrow();
  const job = await fx.createJob(f, { provider: ethers.ZeroAddress });
  return { ...f, job };
}

/** A submitted 1-ETH HookToken job whose provider is a HookReceiver with its hook registered. */
async function hookJobFixture() {
  const f = await fx.deployEscrow();
  const hook = (await ethers.deployContract("HookToken")) as HookToken;
  const receiver = (await ethers.deployContract("HookReceiver")) as HookReceiver;
  await receiver.register(hook);
  await hook.mint(f.requester.address, 10n * ONE_ETH);
  await hook.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
  const job = await fx.createJob(f, {
    token: await hook.getAddress(),
    provider: await receiver.getAddress(),
  });
  await asContract(receiver, f.escrow, "acceptJob", [job.id]);
  await asContract(receiver, f.escrow, "submitWork", [job.id, RESULT]);
  return { ...f, hook, receiver, job };
}

/** The same job, disputed by the requester (deposit pulled). */
async function hookDisputedFixture() {
  const f = await hookJobFixture();
  await raiseDispute(f.escrow, f.requester, f.job.id, "hook");
  return f;
}

/** A submitted native job whose provider is a HookReceiver (a contract wallet). */
async function nativeReceiverFixture() {
  const f = await fx.deployEscrow();
  const receiver = (await ethers.deployContract("HookReceiver")) as HookReceiver;
  const job = await fx.createJob(f, { provider: await receiver.getAddress() });
  await asContract(receiver, f.escrow, "acceptJob", [job.id]);
  await asContract(receiver, f.escrow, "submitWork", [job.id, RESULT]);
  return { ...f, receiver, job };
}

type Attempt = { receipt: ContractTransactionReceipt } | { error: string };

/** Sends a transaction and reports its receipt, or the name of the custom error it reverted with. */
async function attempt(
  f: EscrowFixture,
  send: () => Promise<ContractTransactionResponse>,
): Promise<Attempt> {
  try {
    return { receipt: (await (await send()).wait())! };
  } catch (e) {
    const err = e as { data?: string; message: string };
    const data = err.data ?? /data="(0x[0-9a-f]*)"/.exec(err.message)?.[1];
    const parsed = data && data.length >= 10 ? f.core.interface.parseError(data) : null;
    return { error: parsed?.name ?? `no custom error (${err.message.slice(0, 60)})` };
  }
}

/**
 * The least gas limit with which `call` succeeds (bisection over eth_call). Hardhat's own estimator
 * refuses a transaction whose inner call runs out of gas by design (a gas-burning hook), so this is the
 * estimate a wallet would find by trying.
 */
async function leastGas(call: (gasLimit: bigint) => Promise<unknown>, lo: bigint, hi: bigint) {
  const ok = async (g: bigint) =>
    call(g).then(
      () => true,
      () => false,
    );
  expect(await ok(hi), `succeeds with ${hi} gas`).to.equal(true);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (await ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe("WorkEscrow issue 10 (audit inputs)", function () {
  describe("1. a squatter of an open job cannot dispute undelivered work", function () {
    it("a stranger accepts an open 1 ETH job and disputes at once: refused (InvalidStatus, Accepted); stale settlement never pays it; after the deadline the requester gets the full 1 ETH", async function () {
      const f = await loadFixture(openNoProviderJob);
      await f.escrow.connect(f.stranger).acceptJob(f.job.id);
      const deposit = await depositOf(f.escrow, f.job.id);
      for (const value of [0n, deposit]) {
        await expect(f.escrow.connect(f.stranger).raiseDispute(f.job.id, "pay me", { value }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
          .withArgs(f.job.id, Status.Accepted);
      }
      // settleStaleDispute is refused at every point of the job's life: it only exists for Disputed
      for (const at of [0n, 8n * DAY]) {
        if (at) await time.increase(at);
        await expect(f.escrow.connect(f.stranger).settleStaleDispute(f.job.id))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
          .withArgs(f.job.id, Status.Accepted);
      }
      expect(BigInt(f.job.params.deadline)).to.be.lessThan(BigInt(await time.latest()));
      const tx = f.escrow.connect(f.other).refundExpired(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "JobRefunded")
        .withArgs(f.job.id, f.requester.address, f.other.address, ONE_ETH);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.requester, f.stranger, f.escrow],
        [ONE_ETH, 0n, -ONE_ETH],
      );
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(0n, "nothing left for anyone");
    });

    it("a designated provider at t = deadline cannot dispute an Accepted job either; refund after the deadline", async function () {
      const f = await loadFixture(fx.acceptedJob);
      const deadline = BigInt(f.job.params.deadline);
      await time.setNextBlockTimestamp(deadline);
      await expect(
        f.escrow
          .connect(f.provider)
          .raiseDispute(f.job.id, "x", { value: await depositOf(f.escrow, f.job.id) }),
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Accepted);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.escrow.connect(f.stranger).refundExpired(f.job.id)).to.changeEtherBalances(
        ethers,
        [f.requester, f.provider],
        [ONE_ETH, 0n],
      );
    });
  });

  describe("2. the arbitrator's second key", function () {
    it("accepts an open job and disputes at once: refused; the requester gets everything back after the deadline", async function () {
      const f = await loadFixture(openNoProviderJob);
      // the registered key holds a role in the job and cannot take it
      await expect(f.escrow.connect(f.arbitrator).acceptJob(f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.arbitrator.address);
      const secondKey = f.other; // an address the escrow cannot link to the arbitrator
      await f.escrow.connect(secondKey).acceptJob(f.job.id);
      await expect(
        f.escrow
          .connect(secondKey)
          .raiseDispute(f.job.id, "collude", { value: await depositOf(f.escrow, f.job.id) }),
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Accepted);
      // nothing reaches the arbitrator either: there is no dispute to rule on
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 10_000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Accepted);
      await time.increaseTo(BigInt(f.job.params.deadline) + 1n);
      await expect(f.escrow.connect(f.stranger).refundExpired(f.job.id)).to.changeEtherBalances(
        ethers,
        [f.requester, secondKey, f.arbitrator],
        [ONE_ETH, 0n, 0n],
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator)).to.equal(0n);
    });
  });

  describe("3. a requester's last-second dispute of good work", function () {
    it("disputed at S + review - 1 with the deposit and ruled 10,000: the provider ends with 0.98 × 0.985 + the forfeited 0.02 deposit ≥ 0.985 ETH", async function () {
      const f = await loadFixture(fx.submittedJob);
      const job = await f.escrow.getJob(f.job.id);
      const deposit = await depositOf(f.escrow, f.job.id);
      expect(deposit).to.equal(ONE_ETH / 50n, "2% of 1 ETH");
      await time.setNextBlockTimestamp(job.submittedAt + job.reviewPeriod - 1n);
      await f.escrow.connect(f.requester).raiseDispute(f.job.id, "last second", { value: deposit });
      const s = expectedSplit(ONE_ETH, 10_000n, FEES.arbitration);
      // 1 - 0.02 arbitration = 0.98; 0.98 - 1% - 0.5% = 0.98 × 0.985 = 0.9653
      expect(s.provider).to.equal((98n * 985n * ONE_ETH) / 100_000n);
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 10_000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeDepositSettled")
        .withArgs(f.job.id, f.provider.address, deposit);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester],
        [s.provider + deposit, 0n],
      );
      expect(s.provider + deposit).to.equal((9853n * ONE_ETH) / 10_000n);
      expect(s.provider + deposit).to.be.gte((985n * ONE_ETH) / 1000n);
    });

    it("from Accepted, the requester's dispute is refused, so the provider's submitWork after it succeeds", async function () {
      const f = await loadFixture(fx.acceptedJob);
      await expect(
        f.escrow
          .connect(f.requester)
          .raiseDispute(f.job.id, "pre-emptive", { value: await depositOf(f.escrow, f.job.id) }),
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Accepted);
      await expect(f.escrow.connect(f.provider).submitWork(f.job.id, RESULT))
        .to.emit(f.escrow, "WorkSubmitted")
        .withArgs(f.job.id, f.provider.address, RESULT);
    });
  });

  describe("4. a token hook that burns all gas", function () {
    it("release with a 5,000,000 gas limit uses < 400,000 gas (the hook gets ERC20_PUSH_GAS_LIMIT) and the payout is credited", async function () {
      const f = await loadFixture(hookJobFixture);
      await f.receiver.setMode(HookMode.BurnGas);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      const tx = await f.escrow.connect(f.requester).release(f.job.id, { gasLimit: 5_000_000 });
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(f.job.id, await f.hook.getAddress(), await f.receiver.getAddress(), s.provider);
      const used = (await tx.wait())!.gasUsed;
      expect(used).to.be.lessThan(400_000n);
      expect(used).to.be.greaterThan(
        await f.escrow.ERC20_PUSH_GAS_LIMIT(),
        "the stipend was burnt",
      );
      expect(await f.escrow.withdrawable(f.hook, f.receiver)).to.equal(s.provider);
      expect(await f.hook.balanceOf(f.receiver)).to.equal(0n);
      // the holder takes its credit elsewhere
      await asContract(f.receiver, f.escrow, "withdrawTo", [
        await f.hook.getAddress(),
        f.other.address,
      ]);
      expect(await f.hook.balanceOf(f.other)).to.equal(s.provider);
    });

    it("a reverting hook is credited the same way", async function () {
      const f = await loadFixture(hookJobFixture);
      await f.receiver.setMode(HookMode.Revert);
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.emit(f.escrow, "Credited");
    });

    it("a 50/50 resolveDispute at 300,000 gas is refused with WorkEscrowInsufficientGas, and succeeds with the least gas that works (< 400,000)", async function () {
      // What the contract does: the provider's push gets its whole 100,000 stipend (the hook burns it) and
      // its credit is written; then the requester's push needs gasleft() >= 100,000 + 100,000/63 + 40,000
      // = 141,587 before it is attempted. At 300,000 only ~69,000 are left there, so the ruling reverts
      // (WorkEscrowInsufficientGas) instead of turning the requester's payout into a credit. Nothing
      // changed; the arbitrator resends with the gas a wallet estimates (~373,000; ~242,000 are used).
      const f = await loadFixture(hookDisputedFixture);
      await f.receiver.setMode(HookMode.BurnGas);
      const resolve = f.escrow.connect(f.arbitrator).resolveDispute;
      await expect(resolve(f.job.id, 5000, { gasLimit: 300_000 }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInsufficientGas")
        .withArgs((v: bigint) => v < 141_587n, 141_587n);
      expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Disputed));

      const least = await leastGas(
        (gasLimit) => resolve.staticCall(f.job.id, 5000, { gasLimit }),
        21_000n,
        1_000_000n,
      );
      expect(least).to.be.greaterThan(300_000n).and.lessThan(400_000n);
      const s = expectedSplit(ONE_ETH, 5000n, FEES.arbitration);
      const deposit = ONE_ETH / 50n;
      const tx = resolve(f.job.id, 5000, { gasLimit: least });
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.arbitrator.address,
          Resolution.Arbitrated,
          5000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          s.arbitrationFee,
        );
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(f.job.id, await f.hook.getAddress(), await f.receiver.getAddress(), s.provider);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.hook,
        [f.requester, f.receiver],
        [s.requester + deposit, 0n],
      );
    });

    it("a push is never turned into a credit by sending too little gas: every gas limit either reverts or pays (ERC-20 hook and native)", async function () {
      // The payee is a wallet that reverts cheaply when it gets less than 40,000 gas (HookReceiver
      // NeedsGas), the case the gas guard exists for: without the guard, a caller could give the push
      // just too little gas and keep enough to credit the payout instead.
      for (const kind of ["ERC-20 hook", "native"] as const) {
        const f =
          kind === "native"
            ? await loadFixture(nativeReceiverFixture)
            : await loadFixture(hookJobFixture);
        await f.receiver.setMode(HookMode.NeedsGas);
        const least = await leastGas(
          (gasLimit) => f.escrow.connect(f.requester).release.staticCall(f.job.id, { gasLimit }),
          21_000n,
          1_000_000n,
        );
        let guarded = 0;
        let paid = 0;
        for (let gasLimit = least - 120_000n; gasLimit <= least + 20_000n; gasLimit += 2_000n) {
          const snapshot = await networkHelpers.takeSnapshot();
          const r = await attempt(f, () =>
            f.escrow.connect(f.requester).release(f.job.id, { gasLimit }),
          );
          if ("receipt" in r) {
            const credited = r.receipt.logs.some(
              (l) => f.escrow.interface.parseLog(l)?.name === "Credited",
            );
            expect(credited, `${kind}: credited at gas limit ${gasLimit}`).to.equal(false);
            paid++;
          } else {
            // the gas guard, or plain out-of-gas before the push (below the pre-push costs)
            expect(
              r.error === "WorkEscrowInsufficientGas" || r.error.startsWith("no custom error"),
              `${kind} at ${gasLimit}: ${r.error}`,
            ).to.equal(true);
            if (r.error === "WorkEscrowInsufficientGas") guarded++;
          }
          await snapshot.restore();
        }
        expect(guarded, `${kind}: some limits hit the gas guard`).to.be.greaterThan(0);
        expect(paid, `${kind}: some limits paid`).to.be.greaterThan(0);
        // and at the least gas that works, the payee really got paid
        const s = expectedSplit(ONE_ETH, 10_000n, 0n);
        const tx = await f.escrow.connect(f.requester).release(f.job.id, { gasLimit: least });
        await expect(tx).not.to.emit(f.escrow, "Credited");
        expect(await f.receiver.received()).to.equal(s.provider);
      }
    });
  });

  describe("5. no silent credit: every balance is announced", function () {
    it("resolveDispute(id, 6000) emits Credited for the arbitration fee and DisputeResolved naming the platform and community fees credited", async function () {
      const f = await loadFixture(fx.disputedJob);
      const s = expectedSplit(ONE_ETH, 6000n, FEES.arbitration);
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 6000);
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(f.job.id, ethers.ZeroAddress, f.arbitrator.address, s.arbitrationFee);
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
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(s.platformFee);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community)).to.equal(s.communityFee);
    });

    it("after setFeeRecipients (a new epoch), old-epoch fees stay withdrawable by the old recipients; each JobReleased's fees go to the recipients in force", async function () {
      const f = await loadFixture(fx.submittedJob);
      const second = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(second.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      await expect(f.escrow.connect(f.requester).release(f.job.id))
        .to.emit(f.escrow, "JobReleased")
        .withArgs(
          f.job.id,
          f.provider.address,
          f.requester.address,
          s.provider,
          s.platformFee,
          s.communityFee,
        );
      await expect(f.escrow.setFeeRecipients(f.other.address, f.stranger.address))
        .to.emit(f.escrow, "FeeRecipientsUpdated")
        .withArgs(2, f.other.address, f.stranger.address);
      // before and after a settlement of the new epoch, the old recipients keep theirs
      for (const step of ["before", "after"]) {
        if (step === "after") {
          await expect(f.escrow.connect(f.requester).release(second.id))
            .to.emit(f.escrow, "JobReleased")
            .withArgs(
              second.id,
              f.provider.address,
              f.requester.address,
              s.provider,
              s.platformFee,
              s.communityFee,
            );
        }
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury), step).to.equal(
          s.platformFee,
        );
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community), step).to.equal(
          s.communityFee,
        );
      }
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.other)).to.equal(s.platformFee);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.stranger)).to.equal(s.communityFee);
      for (const who of [f.treasury, f.community, f.other, f.stranger]) {
        await f.escrow.connect(who).withdraw(ethers.ZeroAddress);
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, who)).to.equal(0n);
      }
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(0n);
    });

    it("an old recipient withdrawing before the new epoch's first fee leaves the accrual consistent", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.requester).release(f.job.id);
      await f.escrow.setFeeRecipients(f.other.address, f.stranger.address);
      await f.escrow.connect(f.treasury).withdraw(ethers.ZeroAddress);
      const next = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(next.id);
      await f.escrow.connect(f.requester).release(next.id);
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(0n);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community)).to.equal(s.communityFee);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.other)).to.equal(s.platformFee);
    });

    it("a fee recipient's withdraw takes only its share of the accrual: the other's withdrawable is unchanged; one address as both recipients takes both", async function () {
      const f = await loadFixture(fx.submittedJob);
      const N = ethers.ZeroAddress;
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      const releaseAnother = async () => {
        const j = await fx.createJob(f);
        await f.escrow.connect(f.provider).acceptJob(j.id);
        await f.escrow.connect(f.requester).release(j.id);
      };
      await f.escrow.connect(f.requester).release(f.job.id);
      const first = f.escrow.connect(f.treasury).withdraw(N);
      await expect(first)
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(N, f.treasury.address, f.treasury.address, s.platformFee);
      await expectBalanceChanges(
        ethers,
        first,
        N,
        [f.treasury, f.escrow],
        [s.platformFee, -s.platformFee],
      );
      expect(await f.escrow.withdrawable(N, f.treasury), "treasury paid").to.equal(0n);
      expect(await f.escrow.withdrawable(N, f.community), "community's share stays").to.equal(
        s.communityFee,
      );
      await expect(f.escrow.connect(f.treasury).withdraw(N))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingToWithdraw")
        .withArgs(N, f.treasury.address);

      await releaseAnother();
      expect(await f.escrow.withdrawable(N, f.treasury)).to.equal(s.platformFee);
      await expect(f.escrow.connect(f.community).withdraw(N))
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(N, f.community.address, f.community.address, 2n * s.communityFee);
      expect(await f.escrow.withdrawable(N, f.treasury), "treasury's share stays").to.equal(
        s.platformFee,
      );
      expect(await f.escrow.withdrawable(N, f.community)).to.equal(0n);

      // one address as both recipients (a new epoch): one withdrawal takes both shares
      await f.escrow.setFeeRecipients(f.other.address, f.other.address);
      // a recipient of the new epoch owns nothing of the old epoch's accrual, and cannot touch it
      await expect(f.escrow.connect(f.other).withdraw(N))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNothingToWithdraw")
        .withArgs(N, f.other.address);
      expect(await f.escrow.withdrawable(N, f.treasury), "old epoch's share untouched").to.equal(
        s.platformFee,
      );
      await releaseAnother();
      expect(await f.escrow.withdrawable(N, f.other)).to.equal(s.platformFee + s.communityFee);
      await expect(f.escrow.connect(f.other).withdraw(N))
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(N, f.other.address, f.other.address, s.platformFee + s.communityFee);
      expect(await f.escrow.withdrawable(N, f.other)).to.equal(0n);
      // the old epoch's treasury keeps its share
      expect(await f.escrow.withdrawable(N, f.treasury)).to.equal(s.platformFee);
      await f.escrow.connect(f.treasury).withdraw(N);
      expect(await ethers.provider.getBalance(f.escrow), "every fee paid out").to.equal(0n);
    });

    it("an indexer's replay of Credited + the settlement events' fees (with FeeRecipientsUpdated) − Withdrawn equals withdrawable for every account, over many paths", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const token = await f.token.getAddress();
      const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
      const hostileAddr = await hostile.getAddress();
      await hostile.setMode(1); // Revert: every push to it becomes a credit
      const big = await ethers.deployContract("MockERC20", ["Big", "BIG", 18]);
      const bigAddr = await big.getAddress();
      await big.mint(f.requester.address, 2n ** 129n);
      await big.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      const U128 = 2n ** 128n - 1n;

      const run = async (t: string) => {
        const isNative = t === ethers.ZeroAddress;
        const make = (o: Parameters<typeof fx.createJob>[1] = {}) =>
          fx.createJob(f, { token: t, ...o });
        const accept = (id: bigint, bond = 0n) =>
          f.escrow.connect(f.provider).acceptJob(id, { value: isNative ? bond : 0n });
        // release with fees
        const a = await make();
        await accept(a.id);
        await f.escrow.connect(f.requester).release(a.id);
        // partial release, then a ruling on the remainder
        const b = await make({ providerBond: 1000n });
        await accept(b.id, 1000n);
        await f.escrow.connect(f.requester).releasePartial(b.id, ONE_ETH / 3n);
        await f.escrow.connect(f.provider).submitWork(b.id, RESULT);
        await raiseDispute(f.escrow, f.requester, b.id);
        await f.escrow.connect(f.arbitrator).resolveDispute(b.id, 6000);
        // a verifier's fee, then release by it
        const c = await make({ verifier: f.other.address, verifierFeeBps: 250 });
        await accept(c.id);
        await f.escrow.connect(f.provider).submitWork(c.id, RESULT);
        await f.escrow.connect(f.other).verifyWork(c.id, true);
        // a push to a reverting provider is credited
        const d = await make({ provider: hostileAddr });
        await asContract(hostile, f.escrow, "acceptJob", [d.id]);
        await f.escrow.connect(f.requester).release(d.id);
        // the fee recipients change (a new epoch) mid-way
        if (isNative) await f.escrow.setFeeRecipients(f.other.address, f.approvers[0].address);
        // a tip to a reverting keeper is credited; a stale dispute
        const e = await make({ keeperTip: 12_345n });
        await accept(e.id);
        await f.escrow.connect(f.provider).submitWork(e.id, RESULT);
        await raiseDispute(f.escrow, f.provider, e.id);
        await time.increase(8n * DAY);
        await asContract(hostile, f.escrow, "settleStaleDispute", [e.id]);
        // an agreed settlement in Accepted
        const g = await make();
        await accept(g.id);
        await f.escrow.connect(f.provider).proposeSettlement(g.id, 2500);
        await f.escrow.connect(f.requester).acceptSettlement(g.id, 2500);
        // some withdrawals
        await f.escrow.connect(isNative ? f.treasury : f.other).withdraw(t);
        await f.escrow.connect(f.arbitrator).withdraw(t);
      };
      await run(ethers.ZeroAddress);
      await run(token);
      // fees too large for the packed accrual are credited directly, still announced by JobReleased
      const huge = await fx.createJob(f, { token: bigAddr, amount: U128 });
      await f.escrow.connect(f.provider).acceptJob(huge.id);
      await f.escrow.connect(f.requester).release(huge.id);

      const accounts = [
        f.treasury,
        f.community,
        f.arbitrator,
        f.requester,
        f.provider,
        f.stranger,
        f.other,
        f.approvers[0],
        f.admin,
      ].map((a) => a.address);
      accounts.push(hostileAddr);
      const nonZero = await expectLedgerMatchesState(
        f.escrow,
        [ethers.ZeroAddress, token, bigAddr],
        accounts,
      );
      expect(nonZero, "the scenario leaves many balances to compare").to.be.greaterThan(5);
      // the replay saw the epoch change and the hostile credits
      const ledger = await replayCredits(f.escrow);
      expect(ledger.get(`${ethers.ZeroAddress}:${hostileAddr.toLowerCase()}`)).to.be.greaterThan(
        0n,
      );
    });
  });
});
