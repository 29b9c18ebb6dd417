/** CommunityFund: inflows, round gating at the t-1/t/t+1 edges, claims, cancellation, expiry, both token kinds. */
import { expect } from "chai";
import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { CommunityFund, MockERC20 } from "../typechain-types/index.js";
import { DAY, HOUR, expectAtEdges } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const NATIVE = ethers.ZeroAddress;
const SCHEDULE = { minInterval: 7n * DAY, challengeDelay: 2n * DAY, claimPeriod: 30n * DAY };
enum RoundStatus {
  None,
  Live,
  Cancelled,
  Expired,
}

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
    await f.fund.postRound(NATIVE, t.root, ethers.parseEther("1"), "ipfs://tree");
    return { ...f, t };
  }
  const entries = (f: F): [string, bigint][] => [
    [f.a.address, ethers.parseEther("0.5")],
    [f.b.address, ethers.parseEther("0.3")],
    [f.c.address, ethers.parseEther("0.2")],
  ];
  async function post(f: F, t = tree(entries(f)), total = ethers.parseEther("1"), token = NATIVE) {
    await f.fund.postRound(token, t.root, total, "ipfs://tree");
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

    it("collect pulls the fund's community-fee credit out of a WorkEscrow", async function () {
      const f = await loadFixture(deployFund);
      const [, , , , , , requester, provider, arbitrator] = await ethers.getSigners();
      const escrow = await ethers.deployContract("WorkEscrow", [
        {
          admin: f.admin.address,
          treasury: f.admin.address,
          communityFund: await f.fund.getAddress(),
          platformFeeBps: 100,
          communityFeeBps: 50,
          arbitrationFeeBps: 200,
          arbitrators: [arbitrator.address],
          minAmounts: [],
        },
      ]);
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
    });
  });

  describe("posting", function () {
    it("needs the threshold, a non-zero root and 0 < total ≤ pool; admin only", async function () {
      const f = await loadFixture(deployFund);
      const t = tree(entries(f));
      await expect(f.fund.connect(f.guardian).postRound(NATIVE, t.root, 1n, ""))
        .to.be.revertedWithCustomError(f.fund, "OwnableUnauthorizedAccount")
        .withArgs(f.guardian.address);
      const other = await ethers.deployContract("MockERC20", ["Other", "OTH", 18]);
      await expect(f.fund.postRound(await other.getAddress(), t.root, 1n, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundThresholdNotSet")
        .withArgs(await other.getAddress());
      await f.fund.setThreshold(NATIVE, ethers.parseEther("3") + 1n);
      await expect(f.fund.postRound(NATIVE, t.root, 1n, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundBelowThreshold")
        .withArgs(NATIVE, ethers.parseEther("3"), ethers.parseEther("3") + 1n);
      await f.fund.setThreshold(NATIVE, ethers.parseEther("3")); // exactly the threshold is enough
      await expect(f.fund.postRound(NATIVE, ethers.ZeroHash, 1n, "")).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidRound",
      );
      await expect(f.fund.postRound(NATIVE, t.root, 0n, "")).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundInvalidRound",
      );
      await expect(f.fund.postRound(NATIVE, t.root, ethers.parseEther("3") + 1n, ""))
        .to.be.revertedWithCustomError(f.fund, "CommunityFundInvalidRound")
        .withArgs(t.root, ethers.parseEther("3") + 1n, ethers.parseEther("3"));
      const tx = f.fund.postRound(NATIVE, t.root, ethers.parseEther("3"), "ipfs://x");
      const at = BigInt(await time.latest()) + 1n;
      await expect(tx)
        .to.emit(f.fund, "RoundPosted")
        .withArgs(
          1n,
          NATIVE,
          t.root,
          ethers.parseEther("3"),
          at + SCHEDULE.challengeDelay,
          at + SCHEDULE.challengeDelay + SCHEDULE.claimPeriod,
          "ipfs://x",
        );
      const s = await f.fund.tokenState(NATIVE);
      expect([s.pool, s.reserved]).to.deep.equal([0n, ethers.parseEther("3")]);
    });

    it("waits minInterval between rounds of a token (t-1 / t / t+1), independently per token", async function () {
      for (const offset of [-1n, 0n, 1n]) {
        const f = await loadFixture(withNativeRound);
        const next = await f.fund.nextRoundAt(NATIVE);
        expect(next).to.equal((await f.fund.getRound(1n)).postedAt + SCHEDULE.minInterval);
        await time.setNextBlockTimestamp(next + offset);
        const tx = f.fund.postRound(NATIVE, f.t.root, 1n, "");
        if (offset < 0n)
          await expect(tx)
            .to.be.revertedWithCustomError(f.fund, "CommunityFundTooEarly")
            .withArgs(NATIVE, next);
        else await expect(tx, `t+${offset}`).to.emit(f.fund, "RoundPosted");
      }
      // another token is not held back by the native round
      const f = await loadFixture(withNativeRound);
      await expect(f.fund.postRound(await f.token.getAddress(), f.t.root, 1n, "")).to.emit(
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
        .withArgs(id, f.b.address, ethers.parseEther("0.3"));
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
    it("bounds the schedule, sets thresholds and the guardian, and cannot renounce", async function () {
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
      await expect(f.fund.setSchedule(DAY, HOUR, 7n * DAY))
        .to.emit(f.fund, "ScheduleUpdated")
        .withArgs(DAY, HOUR, 7n * DAY);
      await expect(f.fund.setGuardian(f.stranger.address))
        .to.emit(f.fund, "GuardianUpdated")
        .withArgs(f.stranger.address);
      await expect(
        f.fund.connect(f.stranger).setThreshold(NATIVE, 1n),
      ).to.be.revertedWithCustomError(f.fund, "OwnableUnauthorizedAccount");
      await expect(f.fund.renounceOwnership()).to.be.revertedWithCustomError(
        f.fund,
        "CommunityFundRenounceDisabled",
      );
    });
  });
});
