/** CommunityFund: inflows, round gating at the t-1/t/t+1 edges, claims, cancellation, expiry, both token kinds. */
import { expect } from "chai";
import { deployWorkEscrow } from "../scripts/lib/deploy.js";
import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { CommunityFund, MockERC20 } from "../typechain-types/index.js";
import { RoundStatus } from "../sdk/index.js";
import { DAY, FEES, HOUR, expectAtEdges } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const NATIVE = ethers.ZeroAddress;
const SCHEDULE = { minInterval: 7n * DAY, challengeDelay: 2n * DAY, claimPeriod: 30n * DAY };

function tree(entries: [string, bigint][]) {
  return StandardMerkleTree.of(
    entries.map(([a, v]) => [a, v.toString()]),
    ["address", "uint256"],
  );
}

describe("CommunityFund", function () {
  async function deployFund() {
    const [admin, guardian, a, b, c, stranger] = await ethers.getSigners();
    const token = (await ethers.deployContract("MockERC20", [
      "Mock Dollar",
      "MUSD",
      6,
    ])) as unknown as MockERC20;
    const fund = (await ethers.deployContract("CommunityFund", [
      {
        admin: admin.address,
        guardian: guardian.address,
        ...SCHEDULE,
        thresholds: [
          { token: NATIVE, threshold: ethers.parseEther("1") },
          { token: await token.getAddress(), threshold: 1_000_000n },
        ],
      },
    ])) as unknown as CommunityFund;
    await admin.sendTransaction({ to: await fund.getAddress(), value: ethers.parseEther("3") });
    await token.mint(await fund.getAddress(), 10_000_000n);
    return { fund, token, admin, guardian, a, b, c, stranger };
  }

  type F = Awaited<ReturnType<typeof deployFund>>;

  /** A native round of 1 ETH (a 0.5, b 0.3, c 0.2) posted right after deployment. */
  async function withNativeRound() {
    const f = await deployFund();
    const t = tree(entries(f));
    await f.fund.postRound(NATIVE, t.root, ethers.parseEther("1"), 0, "ipfs://tree");
    return { ...f, t };
  }
  const entries = (f: F): [string, bigint][] => [
    [f.a.address, ethers.parseEther("0.5")],
    [f.b.address, ethers.parseEther("0.3")],
    [f.c.address, ethers.parseEther("0.2")],
  ];
  async function post(f: F, t = tree(entries(f)), total = ethers.parseEther("1"), token = NATIVE) {
    await f.fund.postRound(token, t.root, total, 0, "ipfs://tree");
    return { t, id: await f.fund.roundCount() };
  }
  async function claim(
    f: F,
    t: ReturnType<typeof tree>,
    id: bigint,
    who: HardhatEthersSigner,
    from = who,
  ) {
    for (const [i, [account, amount]] of t.entries()) {
      if (account === who.address)
        return f.fund.connect(from).claim(id, account, amount, t.getProof(i));
    }
    throw new Error("no entry");
  }

  describe("inflows", function () {
    it("sync recognises pushes and transfers once, per token", async function () {
      const f = await loadFixture(deployFund);
      await expect(f.fund.sync(NATIVE))
        .to.emit(f.fund, "Received")
        .withArgs(NATIVE, ethers.parseEther("3"));
      await expect(f.fund.sync(NATIVE)).to.not.emit(f.fund, "Received");
      await f.fund.sync(await f.token.getAddress());
      const s = await f.fund.tokenState(await f.token.getAddress());
      expect([s.pool, s.reserved, s.totalReceived, s.totalClaimed]).to.deep.equal([
        10_000_000n,
        0n,
        10_000_000n,
        0n,
      ]);
    });

    it("refuses to account for a token whose balance shrank on its own (unsupported rebasing)", async function () {
      const f = await loadFixture(deployFund);
      const token = await f.token.getAddress();
      await f.fund.sync(token);
      await f.token.burn(await f.fund.getAddress(), 1n);
      await expect(f.fund.sync(token))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundBalanceShort")
        .withArgs(token, 9_999_999n, 10_000_000n);
    });

    /** A token with nothing received yet, whose amounts can reach the books' size. */
    async function withBigToken() {
      const f = await deployFund();
      const big = await ethers.deployContract("MockERC20", ["Big", "BIG", 18]);
      return { f, big, token: await big.getAddress(), fund: await f.fund.getAddress() };
    }
    const MAX = 2n ** 128n - 1n; // what the uint128 books can hold

    it("recognises at most what the books hold, and books exactly what Received reports", async function () {
      const { f, big, token, fund } = await loadFixture(withBigToken);
      await big.mint(fund, 2n ** 128n + 7n);
      await expect(f.fund.sync(token)).to.emit(f.fund, "Received").withArgs(token, MAX);
      let s = await f.fund.tokenState(token);
      expect([s.pool, s.totalReceived]).to.deep.equal([MAX, MAX]);
      // books full: later syncs recognise nothing and keep working; the excess stays unrecognised
      await big.mint(fund, 1n);
      expect(await f.fund.sync.staticCall(token)).to.equal(0n);
      await expect(f.fund.sync(token)).to.not.emit(f.fund, "Received");
      // and the whole pool can still be posted and claimed
      await f.fund.setThreshold(token, 1n);
      const t = tree([[f.a.address, MAX]]);
      await f.fund.postRound(token, t.root, MAX, 0, "");
      await time.increase(SCHEDULE.challengeDelay);
      await f.fund.connect(f.a).claim(1n, f.a.address, MAX, t.getProof(0));
      s = await f.fund.tokenState(token);
      expect([s.pool, s.reserved, s.totalClaimed, s.totalReceived]).to.deep.equal([
        0n,
        0n,
        MAX,
        MAX,
      ]);
      expect(await big.balanceOf(fund)).to.equal(9n);
      await expect(f.fund.sync(token)).to.not.emit(f.fund, "Received");
    });

    it("a sync that would overflow the books recognises exactly the room left (no frozen pool)", async function () {
      const { f, big, token, fund } = await loadFixture(withBigToken);
      await big.mint(fund, MAX - 5n);
      await expect(f.fund.sync(token))
        .to.emit(f.fund, "Received")
        .withArgs(token, MAX - 5n);
      await big.mint(fund, 10n);
      await expect(f.fund.sync(token)).to.emit(f.fund, "Received").withArgs(token, 5n);
      const s = await f.fund.tokenState(token);
      expect([s.pool, s.totalReceived]).to.deep.equal([MAX, MAX]);
      await f.fund.setThreshold(token, 1n);
      await expect(f.fund.postRound(token, tree(entries(f)).root, 1n, 0, "")).to.emit(
        f.fund,
        "RoundPosted",
      );
    });

    it("collect pulls the fund's community-fee credit out of a WorkEscrow", async function () {
      const f = await loadFixture(deployFund);
      const [, , , , , , requester, provider, arbitrator] = await ethers.getSigners();
      const escrow = await deployWorkEscrow(ethers, {
        admin: f.admin.address,
        treasury: f.admin.address,
        community: await f.fund.getAddress(),
        arbitrator: arbitrator.address,
      });
      const now = BigInt(await time.latest());
      await escrow.connect(requester).createJob(
        {
          provider: provider.address,
          token: NATIVE,
          amount: ethers.parseEther("2"),
          deadline: now + DAY,
          reviewPeriod: DAY,
          jobType: 0,
          jobHash: ethers.id("spec"),
          arbitrator: arbitrator.address,
          approvers: [],
          threshold: 0,
        },
        { value: ethers.parseEther("2") },
      );
      await escrow.connect(provider).acceptJob(1);
      await escrow.connect(requester).release(1);
      // 0.5% of 2 ETH, plus the 3 ETH sent directly in the fixture
      await expect(f.fund.connect(f.stranger).collect(await escrow.getAddress(), NATIVE))
        .to.emit(f.fund, "Received")
        .withArgs(NATIVE, ethers.parseEther("3.01"));
      expect(await escrow.withdrawable(NATIVE, await f.fund.getAddress())).to.equal(0n);
      // the fund took only its share of the fee accrual: the treasury's stays credited
      expect(await escrow.withdrawable(NATIVE, f.admin.address)).to.equal(
        (ethers.parseEther("2") * FEES.platform) / 10_000n,
      );
    });
  });

  describe("posting", function () {
    it("needs the threshold, a non-zero root and 0 < total ≤ pool; admin only", async function () {
      const f = await loadFixture(deployFund);
      const t = tree(entries(f));
      await expect(f.fund.connect(f.guardian).postRound(NATIVE, t.root, 1n, 0, ""))
        .to.be.revertedWithCustomError(f.fund, "OwnableUnauthorizedAccount")
        .withArgs(f.guardian.address);
      const other = await ethers.deployContract("MockERC20", ["Other", "OTH", 18]);
      await expect(f.fund.postRound(await other.getAddress(), t.root, 1n, 0, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundThresholdNotSet")
        .withArgs(await other.getAddress());
      await f.fund.setThreshold(NATIVE, ethers.parseEther("3") + 1n);
      await expect(f.fund.postRound(NATIVE, t.root, 1n, 0, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundBelowThreshold")
        .withArgs(NATIVE, ethers.parseEther("3"), ethers.parseEther("3") + 1n);
      await f.fund.setThreshold(NATIVE, ethers.parseEther("3")); // exactly the threshold is enough
      await expect(
        f.fund.postRound(NATIVE, ethers.ZeroHash, 1n, 0, ""),
      ).to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidRound");
      await expect(f.fund.postRound(NATIVE, t.root, 0n, 0, "")).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidRound",
      );
      await expect(f.fund.postRound(NATIVE, t.root, ethers.parseEther("3") + 1n, 0, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidRound")
        .withArgs(t.root, ethers.parseEther("3") + 1n, ethers.parseEther("3"));
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      const tx = f.fund.postRound(NATIVE, t.root, ethers.parseEther("3"), 0, "ipfs://x");
      await expect(tx)
        .to.emit(f.fund, "RoundPosted")
        .withArgs(
          1n,
          NATIVE,
          t.root,
          ethers.parseEther("3"),
          at + SCHEDULE.challengeDelay,
          at + SCHEDULE.challengeDelay + SCHEDULE.claimPeriod,
          0n,
          "ipfs://x",
        );
      const s = await f.fund.tokenState(NATIVE);
      expect([s.pool, s.reserved]).to.deep.equal([0n, ethers.parseEther("3")]);
    });

    it("records the end of the range a round covers, which cannot be in the future (t / t+1)", async function () {
      const f = await loadFixture(deployFund);
      const t = tree(entries(f));
      const at = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(f.fund.postRound(NATIVE, t.root, 1n, at + 1n, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundCoverageInFuture")
        .withArgs(at + 1n, at);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(f.fund.postRound(NATIVE, t.root, 1n, at + 1n, "u"))
        .to.emit(f.fund, "RoundPosted")
        .withArgs(
          1n,
          NATIVE,
          t.root,
          1n,
          at + 1n + SCHEDULE.challengeDelay,
          at + 1n + SCHEDULE.challengeDelay + SCHEDULE.claimPeriod,
          at + 1n,
          "u",
        );
      const r = await f.fund.getRound(1n);
      expect([r.coveredUntil, r.guardian]).to.deep.equal([at + 1n, f.guardian.address]);
    });

    it("waits minInterval between rounds of a token (t-1 / t / t+1), independently per token", async function () {
      for (const offset of [-1n, 0n, 1n]) {
        const f = await loadFixture(withNativeRound);
        const next = await f.fund.nextRoundAt(NATIVE);
        expect(next).to.equal((await f.fund.getRound(1n)).postedAt + SCHEDULE.minInterval);
        await time.setNextBlockTimestamp(next + offset);
        const tx = f.fund.postRound(NATIVE, f.t.root, 1n, 0, "");
        if (offset < 0n)
          await expect(tx)
            .to.be.revertedWithCustomError(f.fund, "CommunityFundTooEarly")
            .withArgs(NATIVE, next);
        else await expect(tx, `t+${offset}`).to.emit(f.fund, "RoundPosted");
      }
      // another token is not held back by the native round
      const f = await loadFixture(withNativeRound);
      await expect(f.fund.postRound(await f.token.getAddress(), f.t.root, 1n, 0, "")).to.emit(
        f.fund,
        "RoundPosted",
      );
    });
  });

  describe("claims", function () {
    it("open at claimsOpenAt (t-1 / t / t+1), pay the entry once to its account, whoever sends it", async function () {
      for (const offset of [-1n, 0n, 1n]) {
        const f = await loadFixture(withNativeRound);
        const { claimsOpenAt } = await f.fund.getRound(1n);
        await time.setNextBlockTimestamp(claimsOpenAt + offset);
        const tx = claim(f, f.t, 1n, f.a, f.stranger);
        if (offset < 0n)
          await expect(tx)
            .to.be.revertedWithCustomError(f.fund, "CommunityFundClaimsNotOpen")
            .withArgs(1n, claimsOpenAt);
        else
          await expect(tx, `t+${offset}`).to.changeEtherBalance(
            ethers,
            f.a,
            ethers.parseEther("0.5"),
          );
      }
      const f = await loadFixture(withNativeRound);
      const [t, id] = [f.t, 1n];
      await time.increase(SCHEDULE.challengeDelay);
      await claim(f, t, id, f.a);
      await expect(claim(f, t, id, f.b))
        .to.emit(f.fund, "Claimed")
        .withArgs(id, f.b.address, f.b.address, ethers.parseEther("0.3"));
      await expect(claim(f, t, id, f.a))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundAlreadyClaimed")
        .withArgs(id, f.a.address);
      expect(await f.fund.isClaimed(id, f.a.address)).to.equal(true);
      expect(await f.fund.isClaimed(id, f.c.address)).to.equal(false);
      const s = await f.fund.tokenState(NATIVE);
      expect([s.pool, s.reserved, s.totalClaimed]).to.deep.equal([
        ethers.parseEther("2"),
        ethers.parseEther("0.2"),
        ethers.parseEther("0.8"),
      ]);
    });

    it("rejects wrong proofs, amounts and accounts, and a tree that adds up to more than its total", async function () {
      const f = await loadFixture(deployFund);
      const greedy = tree([...entries(f), [f.stranger.address, ethers.parseEther("1")]]); // sums to 2 ETH
      const { id } = await post(f, greedy, ethers.parseEther("1"));
      await time.increase(SCHEDULE.challengeDelay);
      const proofA = greedy.getProof(0);
      const [accountA, amountA] = greedy.at(0)!;
      await expect(
        f.fund.claim(id, accountA, BigInt(amountA) + 1n, proofA),
      ).to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidProof");
      await expect(
        f.fund.claim(id, f.stranger.address, amountA, proofA),
      ).to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidProof");
      await expect(f.fund.claim(id, accountA, amountA, [])).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidProof",
      );
      await expect(f.fund.claim(99, accountA, amountA, proofA))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundUnknownRound")
        .withArgs(99);
      // The stranger's 1 ETH entry is paid; then the round is spent and honest entries cannot overdraw it.
      await claim(f, greedy, id, f.stranger);
      await expect(claim(f, greedy, id, f.a))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundRoundOverclaimed")
        .withArgs(id, ethers.parseEther("1.5"), ethers.parseEther("1"));
      expect((await f.fund.tokenState(NATIVE)).pool).to.equal(ethers.parseEther("2")); // untouched
    });

    it("pays ERC-20 rounds with the token", async function () {
      const f = await loadFixture(deployFund);
      const token = await f.token.getAddress();
      const t = tree([
        [f.a.address, 600_000n],
        [f.b.address, 400_000n],
      ]);
      const { id } = await post(f, t, 1_000_000n, token);
      await time.increase(SCHEDULE.challengeDelay);
      await expect(claim(f, t, id, f.a)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.fund, f.a],
        [-600_000n, 600_000n],
      );
      await claim(f, t, id, f.b);
      const s = await f.fund.tokenState(token);
      expect([s.pool, s.reserved, s.totalClaimed, s.totalReceived]).to.deep.equal([
        9_000_000n,
        0n,
        1_000_000n,
        10_000_000n,
      ]);
    });
  });

  describe("cancellation", function () {
    it("admin or guardian, only during the challenge delay (t-1 / t); restores pool and interval clock", async function () {
      const f = await loadFixture(deployFund);
      const { id } = await post(f);
      await expect(f.fund.connect(f.stranger).cancelRound(id))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundUnauthorized")
        .withArgs(f.stranger.address);
      const round = await f.fund.getRound(id);
      await time.setNextBlockTimestamp(round.claimsOpenAt - 1n);
      await expect(f.fund.connect(f.guardian).cancelRound(id))
        .to.emit(f.fund, "RoundCancelled")
        .withArgs(id, f.guardian.address, ethers.parseEther("1"));
      expect((await f.fund.getRound(id)).status).to.equal(RoundStatus.Cancelled);
      const s = await f.fund.tokenState(NATIVE);
      expect([s.pool, s.reserved, s.lastRoundAt]).to.deep.equal([ethers.parseEther("3"), 0n, 0n]);
      await expect(f.fund.cancelRound(id))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundRoundNotLive")
        .withArgs(id, RoundStatus.Cancelled);
      // a corrected root can be posted at once, and it is final once its delay is over
      const { id: id2 } = await post(f);
      const r2 = await f.fund.getRound(id2);
      await time.setNextBlockTimestamp(r2.claimsOpenAt);
      await expect(f.fund.cancelRound(id2))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundChallengeDelayOver")
        .withArgs(id2, r2.claimsOpenAt);
    });
  });

  describe("expiry", function () {
    it("after claimPeriod (t-1 / t / t+1) anyone expires the round; the unclaimed rest rolls into the next round", async function () {
      const f = await loadFixture(deployFund);
      const { t, id } = await post(f);
      const round = await f.fund.getRound(id);
      await time.increaseTo(round.claimsOpenAt);
      await claim(f, t, id, f.a);
      await time.setNextBlockTimestamp(round.expiresAt - 1n);
      await expect(f.fund.expireRound(id))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundRoundNotExpired")
        .withArgs(id, round.expiresAt);
      await time.setNextBlockTimestamp(round.expiresAt);
      await expect(claim(f, t, id, f.b))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundRoundExpired")
        .withArgs(id, round.expiresAt);
      await time.setNextBlockTimestamp(round.expiresAt + 1n);
      await expect(f.fund.connect(f.stranger).expireRound(id))
        .to.emit(f.fund, "RoundExpired")
        .withArgs(id, ethers.parseEther("0.5"));
      await expect(f.fund.expireRound(id)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundRoundNotLive",
      );
      const s = await f.fund.tokenState(NATIVE);
      expect([s.pool, s.reserved, s.totalClaimed]).to.deep.equal([
        ethers.parseEther("2.5"),
        0n,
        ethers.parseEther("0.5"),
      ]);
      // the whole pool, roll-over included, can be distributed next
      const next = tree([[f.b.address, ethers.parseEther("2.5")]]);
      await post(f, next, ethers.parseEther("2.5"));
      expect((await f.fund.tokenState(NATIVE)).pool).to.equal(0n);
    });
  });

  describe("admin", function () {
    it("bounds the schedule, proposes schedule and guardian, sets thresholds at once, and cannot renounce", async function () {
      const f = await loadFixture(deployFund);
      await expect(f.fund.setSchedule(DAY - 1n, HOUR, 7n * DAY)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      await expect(f.fund.setSchedule(DAY, HOUR - 1n, 7n * DAY)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      await expect(f.fund.setSchedule(DAY, HOUR, 7n * DAY - 1n)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      await expect(f.fund.setSchedule(366n * DAY, HOUR, 7n * DAY)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      await expect(f.fund.setSchedule(DAY, 31n * DAY, 7n * DAY)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      await expect(f.fund.setSchedule(DAY, HOUR, 366n * DAY)).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidSchedule",
      );
      // schedule and guardian are proposals: they can be applied after the challenge delay in force
      // (block times pinned: under load the wall clock moves more than a second between blocks)
      let at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(f.fund.setSchedule(DAY, HOUR, 7n * DAY))
        .to.emit(f.fund, "ScheduleChangeProposed")
        .withArgs(DAY, HOUR, 7n * DAY, at + SCHEDULE.challengeDelay);
      at += 1n;
      await time.setNextBlockTimestamp(at);
      await expect(f.fund.setGuardian(f.stranger.address))
        .to.emit(f.fund, "GuardianChangeProposed")
        .withArgs(f.stranger.address, at + SCHEDULE.challengeDelay);
      expect(await f.fund.challengeDelay()).to.equal(SCHEDULE.challengeDelay);
      expect(await f.fund.guardian()).to.equal(f.guardian.address);
      for (const call of [
        f.fund.connect(f.stranger).setThreshold(NATIVE, 1n),
        f.fund.connect(f.stranger).setSchedule(DAY, HOUR, 7n * DAY),
        f.fund.connect(f.stranger).setGuardian(f.stranger.address),
      ])
        await expect(call).to.be.revertedWithCustomError(f.fund, "OwnableUnauthorizedAccount");
      // the threshold only gates posting, never the veto: it is in force at once
      await expect(f.fund.setThreshold(NATIVE, 5n))
        .to.emit(f.fund, "ThresholdUpdated")
        .withArgs(NATIVE, 5n);
      expect((await f.fund.tokenState(NATIVE)).threshold).to.equal(5n);
      await expect(f.fund.renounceOwnership()).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundRenounceDisabled",
      );
    });
  });

  /** The fund of issue 10 #8: a 7-day challenge delay and 10 ETH pooled. */
  async function deployWeekDelayFund() {
    const [admin, guardian, a, , , stranger] = await ethers.getSigners();
    const fund = (await ethers.deployContract("CommunityFund", [
      {
        admin: admin.address,
        guardian: guardian.address,
        minInterval: DAY,
        challengeDelay: 7n * DAY,
        claimPeriod: 30n * DAY,
        thresholds: [{ token: NATIVE, threshold: ethers.parseEther("1") }],
      },
    ])) as unknown as CommunityFund;
    await admin.sendTransaction({ to: await fund.getAddress(), value: ethers.parseEther("10") });
    await fund.sync(NATIVE);
    return { fund, admin, guardian, a, stranger };
  }

  describe("guardian and schedule changes wait for the challenge delay", function () {
    it("the admin cannot make itself guardian and shorten the delay to pay itself the pool", async function () {
      const { fund, admin, guardian } = await loadFixture(deployWeekDelayFund);
      const WEEK = 7n * DAY;
      await fund.setGuardian(admin.address);
      const guardianAt = BigInt(await time.latest()) + WEEK;
      await fund.setSchedule(DAY, HOUR, 7n * DAY);
      const scheduleAt = BigInt(await time.latest()) + WEEK;
      // proposed, not in force: the views show both
      expect(await fund.guardian()).to.equal(guardian.address);
      expect(await fund.challengeDelay()).to.equal(WEEK);
      expect(await fund.pendingGuardian()).to.deep.equal([admin.address, guardianAt]);
      expect(await fund.pendingSchedule()).to.deep.equal([DAY, HOUR, 7n * DAY, scheduleAt]);

      const self = tree([[admin.address, ethers.parseEther("10")]]);
      await fund.postRound(NATIVE, self.root, ethers.parseEther("10"), 0, "");
      const round = await fund.getRound(1n);
      expect(round.claimsOpenAt - round.postedAt).to.equal(WEEK); // the delay in force, not 1 hour
      expect(round.guardian).to.equal(guardian.address);
      await time.increase(HOUR);
      await expect(fund.claim(1n, admin.address, ethers.parseEther("10"), self.getProof(0)))
        .to.be.revertedWithCustomError(fund, "CommunityFundClaimsNotOpen")
        .withArgs(1n, round.claimsOpenAt);
      await expect(fund.connect(guardian).cancelRound(1n))
        .to.emit(fund, "RoundCancelled")
        .withArgs(1n, guardian.address, ethers.parseEther("10"));

      // each change applies only from its effective time (t-1 / t), by anyone
      await time.setNextBlockTimestamp(guardianAt - 1n);
      await expect(fund.connect(guardian).applyPendingChanges())
        .to.be.revertedWithCustomError(fund, "CommunityFundNoChangeDue")
        .withArgs(guardianAt, scheduleAt);
      await time.setNextBlockTimestamp(guardianAt);
      await expect(fund.connect(guardian).applyPendingChanges())
        .to.emit(fund, "GuardianUpdated")
        .withArgs(admin.address)
        .and.not.to.emit(fund, "ScheduleUpdated");
      expect(await fund.guardian()).to.equal(admin.address);
      expect(await fund.pendingGuardian()).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect(await fund.challengeDelay()).to.equal(WEEK);
      await time.setNextBlockTimestamp(scheduleAt);
      await expect(fund.applyPendingChanges())
        .to.emit(fund, "ScheduleUpdated")
        .withArgs(DAY, HOUR, 7n * DAY);
      expect(await fund.challengeDelay()).to.equal(HOUR);
      await expect(fund.applyPendingChanges())
        .to.be.revertedWithCustomError(fund, "CommunityFundNoChangeDue")
        .withArgs(0n, 0n);
      // from now on the new settings are in force
      await fund.postRound(NATIVE, self.root, ethers.parseEther("10"), 0, "");
      const next = await fund.getRound(2n);
      expect(next.claimsOpenAt - next.postedAt).to.equal(HOUR);
    });

    it("a round keeps the veto of the guardian in force when it was posted, whatever changes after", async function () {
      const { fund, admin, guardian, stranger } = await loadFixture(deployWeekDelayFund);
      const t = tree([[admin.address, ethers.parseEther("1")]]);
      await fund.setGuardian(admin.address);
      const { effectiveAt } = await fund.pendingGuardian();
      // posted one second before the change can apply: its delay runs almost a week past it
      await time.setNextBlockTimestamp(effectiveAt - 1n);
      await fund.postRound(NATIVE, t.root, ethers.parseEther("1"), 0, "");
      await fund.applyPendingChanges();
      await time.setNextBlockTimestamp(effectiveAt + DAY);
      await fund.postRound(NATIVE, t.root, ethers.parseEther("1"), 0, ""); // under the new guardian
      expect((await fund.getRound(1n)).guardian).to.equal(guardian.address);
      expect((await fund.getRound(2n)).guardian).to.equal(admin.address);
      await expect(fund.connect(guardian).cancelRound(2n))
        .to.be.revertedWithCustomError(fund, "CommunityFundUnauthorized")
        .withArgs(guardian.address);
      await expect(fund.connect(stranger).cancelRound(1n))
        .to.be.revertedWithCustomError(fund, "CommunityFundUnauthorized")
        .withArgs(stranger.address);
      const { claimsOpenAt } = await fund.getRound(1n);
      await time.setNextBlockTimestamp(claimsOpenAt - 1n);
      await expect(fund.connect(guardian).cancelRound(1n))
        .to.emit(fund, "RoundCancelled")
        .withArgs(1n, guardian.address, ethers.parseEther("1"));
    });

    it("a new proposal replaces the pending one and restarts its delay", async function () {
      const { fund, guardian, stranger } = await loadFixture(deployWeekDelayFund);
      await fund.setGuardian(stranger.address);
      await time.increase(6n * DAY);
      await fund.setGuardian(ethers.ZeroAddress);
      const { effectiveAt } = await fund.pendingGuardian();
      expect(effectiveAt).to.equal(BigInt(await time.latest()) + 7n * DAY);
      await time.increase(DAY); // the first proposal's time has come, but it was replaced
      await expect(fund.applyPendingChanges()).to.be.revertedWithCustomError(
        fund,
        "CommunityFundNoChangeDue",
      );
      expect(await fund.guardian()).to.equal(guardian.address);
      await time.increaseTo(effectiveAt);
      await fund.connect(stranger).applyPendingChanges();
      expect(await fund.guardian()).to.equal(ethers.ZeroAddress);
      const t = tree([[stranger.address, 1n]]);
      await fund.postRound(NATIVE, t.root, 1n, 0, "");
      expect((await fund.getRound(1n)).guardian).to.equal(ethers.ZeroAddress);
      await expect(fund.connect(guardian).cancelRound(1n))
        .to.be.revertedWithCustomError(fund, "CommunityFundUnauthorized")
        .withArgs(guardian.address);
    });
  });

  describe("claimTo: an account that cannot receive directs its entry elsewhere", function () {
    /** Round {a: 1000, b: 500} in `token`, open for claims. */
    async function openRound(f: F, token: string) {
      const t = tree([
        [f.a.address, 1000n],
        [f.b.address, 500n],
      ]);
      const { id } = await post(f, t, 1500n, token);
      await time.increase(SCHEDULE.challengeDelay);
      return { t, id };
    }

    it("a blocklisted account claims to another address; only the unclaimed rest returns at expiry", async function () {
      const f = await loadFixture(deployFund);
      const blk = await ethers.deployContract("BlocklistToken");
      const token = await blk.getAddress();
      await blk.mint(await f.fund.getAddress(), 1500n);
      await f.fund.setThreshold(token, 1n);
      const { t, id } = await openRound(f, token);
      await blk.setBlocked(f.a.address, true);
      for (const sender of [f.a, f.stranger])
        await expect(claim(f, t, id, f.a, sender))
          .to.be.revertedWithCustomError(blk, "Blocked")
          .withArgs(f.a.address);
      await expect(f.fund.connect(f.a).claimTo(id, 1000n, t.getProof(0), f.c.address))
        .to.emit(f.fund, "Claimed")
        .withArgs(id, f.a.address, f.c.address, 1000n);
      expect(await blk.balanceOf(f.c.address)).to.equal(1000n);
      expect(await f.fund.isClaimed(id, f.a.address)).to.equal(true);
      await expect(
        f.fund.connect(f.a).claimTo(id, 1000n, t.getProof(0), f.c.address),
      ).to.be.revertedWithCustomError(f.fund, "CommunityFundAlreadyClaimed");
      await time.increaseTo((await f.fund.getRound(id)).expiresAt);
      await expect(f.fund.expireRound(id)).to.emit(f.fund, "RoundExpired").withArgs(id, 500n);
    });

    it("a contract account refusing the native coin claims to another address", async function () {
      const f = await loadFixture(deployFund);
      const hostile = await ethers.deployContract("HostileReceiver");
      await hostile.setMode(1); // Revert
      const account = await hostile.getAddress();
      const t = tree([
        [account, 1000n],
        [f.b.address, 500n],
      ]);
      const { id } = await post(f, t, 1500n);
      await time.increase(SCHEDULE.challengeDelay);
      await expect(
        f.fund.connect(f.stranger).claim(id, account, 1000n, t.getProof(0)),
      ).to.be.revertedWithCustomError(hostile, "Refused");
      const data = f.fund.interface.encodeFunctionData("claimTo", [
        id,
        1000n,
        t.getProof(0),
        f.c.address,
      ]);
      await expect(hostile.call(await f.fund.getAddress(), data)).to.changeEtherBalances(
        ethers,
        [f.fund, f.c],
        [-1000n, 1000n],
      );
      expect(await f.fund.isClaimed(id, account)).to.equal(true);
    });

    it("nobody else can redirect an entry, and never to the zero address", async function () {
      const f = await loadFixture(deployFund);
      const { t, id } = await openRound(f, NATIVE);
      const proofA = t.getProof(0);
      for (const other of [f.stranger, f.b, f.guardian, f.admin])
        await expect(f.fund.connect(other).claimTo(id, 1000n, proofA, other.address))
          .to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidProof")
          .withArgs(id, other.address, 1000n);
      await expect(
        f.fund.connect(f.a).claimTo(id, 1000n, proofA, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.fund, "CommunityFundZeroAddress");
      expect(await f.fund.isClaimed(id, f.a.address)).to.equal(false);
      // a third party's claim still pays the account itself
      await expect(claim(f, t, id, f.a, f.stranger)).to.changeEtherBalance(ethers, f.a, 1000n);
    });
  });
});
