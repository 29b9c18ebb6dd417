import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { BlocklistToken, CommitteeArbitrator, TrapToken } from "../typechain-types/index.js";
import { BPS, ONE_ETH, Resolution, Status, expectedSplit, FEES } from "./helpers/escrow.js";
import {
  COMMITTEE_PERIOD,
  arbitrationEnd,
  arbitrationFixtures,
  type ArbitrationFixture,
} from "./helpers/arbitration.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = arbitrationFixtures({ ethers, networkHelpers });

/** The lower middle of the sorted votes: what the committee documents as its median. */
function median(votes: bigint[]): bigint {
  const sorted = [...votes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** DisputeResolved's amounts, in event order. */
function splitArgs(s: ReturnType<typeof expectedSplit>) {
  return [s.provider, s.requester, s.platformFee, s.communityFee, s.arbitrationFee];
}

/** Casts `votes[i]` from `members[i]`; returns the last transaction. */
async function castVotes(
  committee: CommitteeArbitrator,
  jobId: bigint,
  members: HardhatEthersSigner[],
  votes: bigint[],
) {
  let tx;
  for (const [i, bps] of votes.entries()) tx = await committee.connect(members[i]).vote(jobId, bps);
  return tx!;
}

/** A second committee on the same escrow with `quorum` of the same five members (3-day period). */
async function committeeWithQuorum(f: ArbitrationFixture, quorum: number) {
  const c = (await ethers.deployContract("CommitteeArbitrator", [
    await f.escrow.getAddress(),
    f.admin.address,
    f.members.map((m) => m.address),
    quorum,
  ])) as unknown as CommitteeArbitrator;
  await f.escrow.connect(f.admin).setArbitrator(await c.getAddress(), true, COMMITTEE_PERIOD);
  return c;
}

describe("CommitteeArbitrator", function () {
  describe("deployment and membership", function () {
    it("starts at epoch 1 with the given members and quorum, applying to every dispute", async function () {
      const f = await loadFixture(fx.deploy);
      expect(await f.committee.currentEpoch(), "epoch").to.equal(1n);
      const [members, quorum, appliesFrom] = await f.committee.membership(1);
      expect(members, "members").to.deep.equal(f.members.map((m) => m.address));
      expect(quorum, "quorum").to.equal(3n);
      expect(appliesFrom, "appliesFrom").to.equal(0n);
      expect(await f.committee.epochAt(0), "epochAt(0)").to.equal(1n);
      expect(await f.committee.escrow(), "escrow").to.equal(await f.escrow.getAddress());
      expect(await f.committee.MAX_MEMBERS(), "MAX_MEMBERS").to.equal(32n);
      const { registered, arbitrationPeriod } = await f.escrow.arbitratorInfo(
        await f.committee.getAddress(),
      );
      expect(
        registered && arbitrationPeriod === COMMITTEE_PERIOD,
        "registered for 3 days",
      ).to.equal(true);
    });

    it("rejects empty, oversized, zero and duplicate member sets and quorums outside 1..members", async function () {
      const f = await loadFixture(fx.deploy);
      const a = f.members.map((m) => m.address);
      const factory = await ethers.getContractFactory("CommitteeArbitrator");
      const escrow = await f.escrow.getAddress();
      await expect(
        factory.deploy(ethers.ZeroAddress, f.admin.address, a, 3),
      ).to.be.revertedWithCustomError(f.committee, "CommitteeZeroAddress");
      await expect(f.committee.connect(f.admin).setMembers([], 1))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidMemberCount")
        .withArgs(0, 32);
      const many = Array.from({ length: 33 }, (_, i) =>
        ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`),
      );
      await expect(factory.deploy(escrow, f.admin.address, many, 3))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidMemberCount")
        .withArgs(33, 32);
      await expect(f.committee.connect(f.admin).setMembers([a[0], ethers.ZeroAddress], 1))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidMember")
        .withArgs(ethers.ZeroAddress);
      await expect(f.committee.connect(f.admin).setMembers([a[0], a[1], a[0]], 2))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidMember")
        .withArgs(a[0]);
      await expect(f.committee.connect(f.admin).setMembers(a, 0))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidQuorum")
        .withArgs(0, 5);
      await expect(f.committee.connect(f.admin).setMembers(a, 6))
        .to.be.revertedWithCustomError(f.committee, "CommitteeInvalidQuorum")
        .withArgs(6, 5);
      // 32 members is the maximum and works.
      const big = await factory.deploy(escrow, f.admin.address, many.slice(0, 32), 32);
      expect((await big.membership(1)).members.length, "32 members").to.equal(32);
    });

    it("only the owner changes members (two-step ownership; renouncing freezes the committee)", async function () {
      const f = await loadFixture(fx.deploy);
      await expect(f.committee.connect(f.stranger).setMembers([f.stranger.address], 1))
        .to.be.revertedWithCustomError(f.committee, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);
      await f.committee.connect(f.admin).transferOwnership(f.stranger.address);
      expect(await f.committee.owner(), "owner until accepted").to.equal(f.admin.address);
      await f.committee.connect(f.stranger).acceptOwnership();
      await f.committee.connect(f.stranger).renounceOwnership();
      await expect(
        f.committee.connect(f.stranger).setMembers([f.stranger.address], 1),
      ).to.be.revertedWithCustomError(f.committee, "OwnableUnauthorizedAccount");
    });

    it("a change applies to disputes raised from the next second on (epochAt)", async function () {
      const f = await loadFixture(fx.deploy);
      const tx = await f.committee.connect(f.admin).setMembers([f.outsiders[0].address], 1);
      const t = BigInt((await tx.getBlock())!.timestamp);
      await expect(tx)
        .to.emit(f.committee, "MembersUpdated")
        .withArgs(2, [f.outsiders[0].address], 1, t + 1n);
      expect(await f.committee.epochAt(t), "a dispute raised in the change's second").to.equal(1n);
      expect(await f.committee.epochAt(t + 1n), "from the next second").to.equal(2n);
      expect(await f.committee.currentEpoch(), "current").to.equal(2n);
    });

    it("is recognisable by ERC-165", async function () {
      const f = await loadFixture(fx.deploy);
      expect(await f.committee.supportsInterface("0x01ffc9a7"), "ERC-165").to.equal(true);
      expect(await f.committee.supportsInterface("0xffffffff"), "0xffffffff").to.equal(false);
    });
  });

  describe("vote", function () {
    it("quorum - 1 votes record without ruling; the quorum vote executes the median on the escrow", async function () {
      const f = await loadFixture(fx.committeeDispute);
      const [m0, m1, m2] = f.members;
      await expect(f.committee.connect(m0).vote(f.jobId, 9000))
        .to.emit(f.committee, "Voted")
        .withArgs(f.jobId, m0.address, 9000, 1);
      await f.committee.connect(m1).vote(f.jobId, 1000);
      expect((await f.escrow.getJob(f.jobId)).status, "still disputed at quorum - 1").to.equal(
        Status.Disputed,
      );
      let [epoch, quorum, votes, executed] = await f.committee.tally(f.jobId);
      expect([epoch, quorum, votes, executed], "tally at quorum - 1").to.deep.equal([
        1n,
        3n,
        2n,
        false,
      ]);

      const job = await f.escrow.getJob(f.jobId);
      const s = expectedSplit(job.amount, 6000n, BigInt(FEES.arbitration));
      const tx = f.committee.connect(m2).vote(f.jobId, 6000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          await f.committee.getAddress(),
          Resolution.Arbitrated,
          6000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          s.arbitrationFee,
        );
      await expect(tx)
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(f.jobId, m2.address, 6000, 3, ethers.ZeroAddress, s.arbitrationFee);
      [epoch, quorum, votes, executed] = await f.committee.tally(f.jobId);
      expect([votes, executed], "tally after").to.deep.equal([3n, true]);
      expect((await f.committee.tally(f.jobId)).ruling, "ruling").to.equal(6000n);
      expect((await f.escrow.getJob(f.jobId)).status, "resolved").to.equal(Status.Resolved);
      expect(await f.committee.voteOf(f.jobId, m1.address), "voteOf").to.deep.equal([true, 1000n]);
      expect(await f.committee.voteOf(f.jobId, f.members[4].address), "non-voter").to.deep.equal([
        false,
        0n,
      ]);
    });

    it("median of an odd count is the middle vote, whatever the order", async function () {
      for (const votes of [
        [0n, 10000n, 2500n],
        [7000n, 7000n, 100n],
        [10000n, 4000n, 3999n],
      ]) {
        const f = await loadFixture(fx.committeeDispute);
        const tx = await castVotes(f.committee, f.jobId, f.members, votes);
        await expect(tx, `median of ${votes}`)
          .to.emit(f.committee, "RulingExecuted")
          .withArgs(
            f.jobId,
            f.members[2].address,
            median(votes),
            3,
            ethers.ZeroAddress,
            (ONE_ETH * 200n) / BPS,
          );
      }
    });

    it("median of an even count is the LOWER middle vote (quorum 4 and quorum 2)", async function () {
      const f = await loadFixture(fx.deploy);
      const four = await committeeWithQuorum(f, 4);
      const id4 = await fx.disputeJob(f, await four.getAddress());
      const tx4 = await castVotes(four, id4, f.members, [9000n, 1000n, 7000n, 4000n]);
      await expect(tx4, "sorted 1000,4000,7000,9000 → 4000")
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          id4,
          await four.getAddress(),
          Resolution.Arbitrated,
          4000,
          ...splitArgs(expectedSplit(ONE_ETH, 4000n, BigInt(FEES.arbitration))),
        );
      const two = await committeeWithQuorum(f, 2);
      const id2 = await fx.disputeJob(f, await two.getAddress());
      const tx2 = await castVotes(two, id2, f.members, [8000n, 2000n]);
      await expect(tx2, "2000,8000 → 2000")
        .to.emit(two, "RulingExecuted")
        .withArgs(id2, f.members[1].address, 2000, 2, ethers.ZeroAddress, (ONE_ETH * 200n) / BPS);
    });

    it("a member votes once", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await f.committee.connect(f.members[0]).vote(f.jobId, 5000);
      await expect(f.committee.connect(f.members[0]).vote(f.jobId, 7000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeAlreadyVoted")
        .withArgs(f.jobId, f.members[0].address);
      expect((await f.committee.tally(f.jobId)).votes, "still one vote").to.equal(1n);
    });

    it("non-members cannot vote (not even the owner)", async function () {
      const f = await loadFixture(fx.committeeDispute);
      for (const who of [f.stranger, f.admin, f.outsiders[0]]) {
        await expect(f.committee.connect(who).vote(f.jobId, 5000))
          .to.be.revertedWithCustomError(f.committee, "CommitteeNotMember")
          .withArgs(f.jobId, 1, who.address);
      }
    });

    it("a member who is the job's requester or provider cannot vote on it", async function () {
      const f = await loadFixture(fx.deploy);
      const [asProvider, asRequester, free] = f.members;
      const id = await fx.disputeJob(
        f,
        await f.committee.getAddress(),
        {},
        { requester: asRequester, provider: asProvider },
      );
      for (const who of [asProvider, asRequester]) {
        await expect(f.committee.connect(who).vote(id, 5000), who.address)
          .to.be.revertedWithCustomError(f.committee, "CommitteeConflictOfInterest")
          .withArgs(id, who.address);
      }
      await expect(f.committee.connect(free).vote(id, 5000), "the free member").to.emit(
        f.committee,
        "Voted",
      );
    });

    it("(changed, audit M-02 kind) a member merely NAMED approver or verifier by the requester still votes", async function () {
      // Before: naming a member as approver or verifier took its vote away, so a requester could name
      // the members and leave the committee without a quorum (a guaranteed stale 50/50).
      const f = await loadFixture(fx.deploy);
      const [asApprover, asVerifier, free] = f.members;
      const id = await fx.disputeJob(f, await f.committee.getAddress(), {
        approvers: [asApprover.address],
        threshold: 1,
        verifier: asVerifier.address,
        verifierFeeBps: 0,
      });
      await f.committee.connect(asApprover).vote(id, 2000);
      await f.committee.connect(asVerifier).vote(id, 3000);
      await expect(f.committee.connect(free).vote(id, 4000), "they count toward the quorum")
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(id, free.address, 3000, 3, ethers.ZeroAddress, (ONE_ETH * 200n) / BPS);
    });

    it("a verifier member who gave a verdict, and an approver member who approved, cannot vote", async function () {
      const f = await loadFixture(fx.deploy);
      const [asVerifier, asApprover, otherApprover, free] = f.members;
      const committee = await f.committee.getAddress();
      // The verifier rejects; the provider disputes the rejection.
      const rejected = await fx.disputeJob(
        f,
        committee,
        { verifier: asVerifier.address, verifierFeeBps: 0 },
        {
          disputer: "provider",
          beforeDispute: (id) => f.escrow.connect(asVerifier).verifyWork(id, false),
        },
      );
      expect((await f.escrow.getJob(rejected)).verdict, "rejected").to.equal(2n);
      await expect(f.committee.connect(asVerifier).vote(rejected, 0))
        .to.be.revertedWithCustomError(f.committee, "CommitteeConflictOfInterest")
        .withArgs(rejected, asVerifier.address);
      // One of two approvers approved (threshold 2): the work is not released, the requester disputes.
      const approved = await fx.disputeJob(
        f,
        committee,
        { approvers: [asApprover.address, otherApprover.address], threshold: 2 },
        { beforeDispute: (id) => f.escrow.connect(asApprover).approveWork(id) },
      );
      await expect(f.committee.connect(asApprover).vote(approved, 10000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeConflictOfInterest")
        .withArgs(approved, asApprover.address);
      await expect(
        f.committee.connect(otherApprover).vote(approved, 10000),
        "the approver who did not approve votes",
      ).to.emit(f.committee, "Voted");
      await expect(f.committee.connect(free).vote(approved, 10000), "a free member").to.emit(
        f.committee,
        "Voted",
      );
    });

    it("refuses jobs that named another arbitrator, jobs not in dispute, and bps above 10,000", async function () {
      const f = await loadFixture(fx.deploy);
      const other = await f.adapter.getAddress();
      const id = await fx.disputeJob(f, other);
      await expect(f.committee.connect(f.members[0]).vote(id, 5000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotJobArbitrator")
        .withArgs(id, other);
      await expect(f.committee.connect(f.members[0]).vote(999, 5000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotJobArbitrator")
        .withArgs(999, ethers.ZeroAddress);
      const c = await loadFixture(fx.committeeDispute);
      await expect(c.committee.connect(c.members[0]).vote(c.jobId, 10001))
        .to.be.revertedWithCustomError(c.committee, "CommitteeInvalidBps")
        .withArgs(10001);
    });

    it("a ruling never executes twice: votes after the executing vote find the job Resolved", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await castVotes(f.committee, f.jobId, f.members, [1n, 2n, 3n]);
      await expect(f.committee.connect(f.members[3]).vote(f.jobId, 10000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
    });

    it("a job settled by agreement during the vote cannot be ruled afterwards", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await castVotes(f.committee, f.jobId, f.members, [1000n, 2000n]);
      await f.escrow.connect(f.provider).proposeSettlement(f.jobId, 5000);
      await f.escrow.connect(f.requester).acceptSettlement(f.jobId, 5000);
      await expect(f.committee.connect(f.members[2]).vote(f.jobId, 3000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
      expect(await ethers.provider.getBalance(await f.committee.getAddress()), "no fee").to.equal(
        0n,
      );
    });
  });

  describe("arbitration period (3 days): edges at D+P-1 and D+P", function () {
    for (const [offset, allowed] of [
      [-1n, true],
      [0n, false],
      [1n, false],
    ] as const) {
      it(`the executing vote at end${offset < 0n ? "" : "+"}${offset} ${allowed ? "rules" : "is refused"}; stale settlement the other way round`, async function () {
        const f = await loadFixture(fx.committeeDispute);
        await castVotes(f.committee, f.jobId, f.members, [4000n, 6000n]);
        const end = await arbitrationEnd(f.escrow, f.jobId);
        expect(end - (await f.escrow.getJob(f.jobId)).disputedAt, "period").to.equal(
          COMMITTEE_PERIOD,
        );
        await time.setNextBlockTimestamp(end + offset);
        const vote = f.committee.connect(f.members[2]).vote(f.jobId, 5000);
        if (allowed) {
          await expect(vote).to.emit(f.committee, "RulingExecuted");
          await expect(f.escrow.settleStaleDispute(f.jobId))
            .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
            .withArgs(f.jobId, Status.Resolved);
        } else {
          await expect(vote)
            .to.be.revertedWithCustomError(f.committee, "CommitteeVotingClosed")
            .withArgs(f.jobId, end);
          await expect(f.escrow.connect(f.stranger).settleStaleDispute(f.jobId))
            .to.emit(f.escrow, "DisputeResolved")
            .withArgs(
              f.jobId,
              f.stranger.address,
              Resolution.Stale,
              5000,
              ...splitArgs(expectedSplit(ONE_ETH, 5000n, 0n)),
            );
        }
      });
    }

    it("the escrow refuses a stale settlement at D+P-1", async function () {
      const f = await loadFixture(fx.committeeDispute);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(f.escrow.settleStaleDispute(f.jobId))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitrationPeriodActive")
        .withArgs(f.jobId, end);
    });

    it("liveness without quorum: 2 of 3 votes, then anyone settles 50/50 with no fee; late votes are refused", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await castVotes(f.committee, f.jobId, f.members, [10000n, 10000n]);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      await time.increaseTo(end);
      await expect(f.committee.connect(f.members[2]).vote(f.jobId, 10000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeVotingClosed")
        .withArgs(f.jobId, end);
      await expect(f.escrow.connect(f.stranger).settleStaleDispute(f.jobId))
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          f.stranger.address,
          Resolution.Stale,
          5000,
          ...splitArgs(expectedSplit(ONE_ETH, 5000n, 0n)),
        );
      expect(
        await f.escrow.withdrawable(ethers.ZeroAddress, await f.committee.getAddress()),
        "no fee credited",
      ).to.equal(0n);
      await expect(f.committee.connect(f.members[2]).vote(f.jobId, 10000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
      const t = await f.committee.tally(f.jobId);
      expect([t.votes, t.executed], "the tally stays unexecuted").to.deep.equal([2n, false]);
    });

    it("(changed, audit M-02 kind) a requester naming every member approver or verifier cannot block the quorum", async function () {
      const f = await loadFixture(fx.deploy);
      const m = f.members;
      const id = await fx.disputeJob(f, await f.committee.getAddress(), {
        approvers: m.slice(0, 4).map((x) => x.address),
        threshold: 4,
        verifier: m[4].address,
        verifierFeeBps: 0,
      });
      await castVotes(f.committee, id, [m[4], m[0]], [10000n, 10000n]);
      await expect(f.committee.connect(m[3]).vote(id, 10000), "the quorum is reached")
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          id,
          await f.committee.getAddress(),
          Resolution.Arbitrated,
          10000,
          ...splitArgs(expectedSplit(ONE_ETH, 10000n, BigInt(FEES.arbitration))),
        );
    });

    it("when members' own acts leave fewer eligible members than the quorum, the stale settlement is the exit", async function () {
      const f = await loadFixture(fx.deploy);
      const [a, b, c] = f.members;
      const three = (await ethers.deployContract("CommitteeArbitrator", [
        await f.escrow.getAddress(),
        f.admin.address,
        [a.address, b.address, c.address],
        3,
      ])) as unknown as CommitteeArbitrator;
      await f.escrow
        .connect(f.admin)
        .setArbitrator(await three.getAddress(), true, COMMITTEE_PERIOD);
      // `a` acted as one of two approvers (approved): it cannot vote, and only 2 of 3 remain.
      const id = await fx.disputeJob(
        f,
        await three.getAddress(),
        { approvers: [a.address, f.outsiders[0].address], threshold: 2 },
        { beforeDispute: (jobId) => f.escrow.connect(a).approveWork(jobId) },
      );
      expect(
        (await three.tally(id)).quorum,
        "an approver's seat does not lower the quorum",
      ).to.equal(3n);
      await three.connect(b).vote(id, 0);
      await three.connect(c).vote(id, 0);
      await time.increaseTo(await arbitrationEnd(f.escrow, id));
      await expect(f.escrow.connect(f.stranger).settleStaleDispute(id))
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          id,
          f.stranger.address,
          Resolution.Stale,
          5000,
          ...splitArgs(expectedSplit(ONE_ETH, 5000n, 0n)),
        );
    });
  });

  describe("(changed, audit M-02 kind) a party's own seat never blocks the quorum", function () {
    /** A committee of `members` with `quorum`, registered for 3 days. */
    async function committeeOf(
      f: ArbitrationFixture,
      members: HardhatEthersSigner[],
      quorum: number,
    ) {
      const c = (await ethers.deployContract("CommitteeArbitrator", [
        await f.escrow.getAddress(),
        f.admin.address,
        members.map((x) => x.address),
        quorum,
      ])) as unknown as CommitteeArbitrator;
      await f.escrow.connect(f.admin).setArbitrator(await c.getAddress(), true, COMMITTEE_PERIOD);
      return c;
    }

    it("3 members, quorum 3, the requester is one of them: the quorum is 2 and the other two decide", async function () {
      const f = await loadFixture(fx.deploy);
      const [a, b, c] = f.members;
      const three = await committeeOf(f, [a, b, c], 3);
      const id = await fx.disputeJob(f, await three.getAddress(), {}, { requester: a });
      expect((await three.tally(id)).quorum, "before any vote").to.equal(2n);
      await three.connect(b).vote(id, 7000);
      await expect(three.connect(c).vote(id, 9000), "the second vote executes")
        .to.emit(three, "RulingExecuted")
        .withArgs(id, c.address, 7000, 2, ethers.ZeroAddress, (ONE_ETH * 200n) / BPS);
      const t = await three.tally(id);
      expect([t.quorum, t.votes, t.executed], "tally").to.deep.equal([2n, 2n, true]);
      const [, quorum] = await three.membership(1);
      expect(quorum, "the epoch's quorum is unchanged").to.equal(3n);
    });

    it("both parties are members: the one other member decides alone", async function () {
      const f = await loadFixture(fx.deploy);
      const [a, b, c] = f.members;
      const three = await committeeOf(f, [a, b, c], 3);
      const id = await fx.disputeJob(
        f,
        await three.getAddress(),
        {},
        { requester: a, provider: b },
      );
      expect((await three.tally(id)).quorum, "quorum").to.equal(1n);
      await expect(three.connect(c).vote(id, 4000)).to.emit(three, "RulingExecuted");
    });

    it("a quorum reachable without the party seats is not lowered (5 members, quorum 3, both parties members)", async function () {
      const f = await loadFixture(fx.deploy);
      const id = await fx.disputeJob(
        f,
        await f.committee.getAddress(),
        {},
        { requester: f.members[0], provider: f.members[1] },
      );
      expect((await f.committee.tally(id)).quorum, "3 = 5 - 2").to.equal(3n);
      const four = await committeeOf(f, f.members.slice(0, 4), 3);
      const id4 = await fx.disputeJob(f, await four.getAddress(), {}, { requester: f.members[0] });
      expect((await four.tally(id4)).quorum, "4 members, one a party: 3 stays").to.equal(3n);
      const id4b = await fx.disputeJob(
        f,
        await four.getAddress(),
        {},
        { requester: f.members[0], provider: f.members[1] },
      );
      expect((await four.tally(id4b)).quorum, "4 members, both parties: 2").to.equal(2n);
    });

    it("a one-member committee whose member is a party: quorum 0, nobody votes, the stale settlement applies", async function () {
      const f = await loadFixture(fx.deploy);
      const one = await committeeOf(f, [f.members[0]], 1);
      const id = await fx.disputeJob(f, await one.getAddress(), {}, { provider: f.members[0] });
      expect((await one.tally(id)).quorum, "quorum").to.equal(0n);
      await expect(one.connect(f.members[0]).vote(id, 10000))
        .to.be.revertedWithCustomError(one, "CommitteeConflictOfInterest")
        .withArgs(id, f.members[0].address);
      await time.increaseTo(await arbitrationEnd(f.escrow, id));
      await expect(f.escrow.settleStaleDispute(id)).to.emit(f.escrow, "DisputeResolved");
    });
  });

  describe("fee shares", function () {
    it("the voters share the fee equally; the remainder goes to the executing voter; no dust", async function () {
      const f = await loadFixture(fx.deploy);
      // 1 ETH + 150 wei at 2%: fee 20000000000000003 wei, 3 voters → 6666666666666667 each, remainder 2.
      const amount = ONE_ETH + 150n;
      const id = await fx.disputeJob(f, await f.committee.getAddress(), { amount });
      const fee = (amount * 200n) / BPS;
      expect(fee % 3n, "a fee that does not divide by 3").to.equal(2n);
      const [a, b, c, idle] = [f.members[1], f.members[3], f.members[0], f.members[2]];
      await f.committee.connect(a).vote(id, 3000);
      await f.committee.connect(b).vote(id, 5000);
      const tx = f.committee.connect(c).vote(id, 8000);
      const share = fee / 3n;
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(id, ethers.ZeroAddress, await f.committee.getAddress(), fee);
      await expect(tx)
        .to.emit(f.committee, "Credited")
        .withArgs(id, ethers.ZeroAddress, a.address, share);
      await expect(tx)
        .to.emit(f.committee, "Credited")
        .withArgs(id, ethers.ZeroAddress, b.address, share);
      await expect(tx)
        .to.emit(f.committee, "Credited")
        .withArgs(id, ethers.ZeroAddress, c.address, share + 2n);
      const committee = await f.committee.getAddress();
      expect(
        await f.escrow.withdrawable(ethers.ZeroAddress, committee),
        "nothing left in the escrow",
      ).to.equal(0n);
      expect(await ethers.provider.getBalance(committee), "the committee holds the fee").to.equal(
        fee,
      );
      expect(
        await f.committee.withdrawable(ethers.ZeroAddress, idle.address),
        "a member who did not vote",
      ).to.equal(0n);

      for (const [m, expected] of [
        [a, share],
        [b, share],
        [c, share + 2n],
      ] as const) {
        await expect(f.committee.connect(m).withdraw(ethers.ZeroAddress)).to.changeEtherBalances(
          ethers,
          [m, committee],
          [expected, -expected],
        );
        await expect(f.committee.connect(m).withdraw(ethers.ZeroAddress), "twice")
          .to.be.revertedWithCustomError(f.committee, "CommitteeNothingToWithdraw")
          .withArgs(ethers.ZeroAddress, m.address);
      }
      expect(await ethers.provider.getBalance(committee), "every wei paid out").to.equal(0n);
      await expect(
        f.committee.connect(idle).withdraw(ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.committee, "CommitteeNothingToWithdraw");
    });

    it("ERC-20 fees are shared in the token; withdrawTo pays elsewhere", async function () {
      const f = await loadFixture(fx.deploy);
      const token = await f.token.getAddress();
      const amount = 1_000_000n;
      const id = await fx.disputeJob(f, await f.committee.getAddress(), { token, amount });
      await castVotes(f.committee, id, f.members, [0n, 10000n, 10000n]);
      const fee = (amount * 200n) / BPS; // 20000 → 6666 each, remainder 2 to members[2]
      expect(await f.committee.withdrawable(token, f.members[2].address), "executor").to.equal(
        fee / 3n + 2n,
      );
      await expect(
        f.committee.connect(f.members[0]).withdrawTo(token, f.stranger.address),
      ).to.changeTokenBalances(ethers, f.token, [f.stranger, f.committee], [fee / 3n, -(fee / 3n)]);
      await expect(
        f.committee.connect(f.members[1]).withdrawTo(token, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.committee, "CommitteeZeroAddress");
    });

    it("(changed) a fee-on-transfer token: RulingExecuted reports the fee credited, FeeCollected what arrived, which the voters share", async function () {
      const f = await loadFixture(fx.deploy);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100]); // 1% burnt per transfer
      await fot.mint(f.requester.address, 10n ** 24n);
      await fot.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
      const id = await fx.disputeJob(f, await f.committee.getAddress(), {
        token: await fot.getAddress(),
        amount: 10n ** 20n,
      });
      const job = await f.escrow.getJob(id);
      const credited = (job.amount * 200n) / BPS;
      const arrived = credited - (credited * 100n) / BPS;
      const tx = castVotes(f.committee, id, f.members, [5000n, 5000n, 5000n]);
      await expect(tx)
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(id, f.members[2].address, 5000, 3, await fot.getAddress(), credited);
      await expect(tx)
        .to.emit(f.committee, "FeeCollected")
        .withArgs(id, await fot.getAddress(), arrived);
      let total = 0n;
      for (const m of f.members.slice(0, 3))
        total += await f.committee.withdrawable(await fot.getAddress(), m.address);
      expect(total, "credits == what arrived").to.equal(arrived);
      expect(await fot.balanceOf(await f.committee.getAddress()), "held == credits").to.equal(
        arrived,
      );
    });

    it("with a zero arbitration fee rate the ruling executes and nothing is shared", async function () {
      const f = await loadFixture(fx.deploy);
      await f.escrow.connect(f.admin).setFees(100, 50, 0);
      const id = await fx.disputeJob(f, await f.committee.getAddress());
      const tx = castVotes(f.committee, id, f.members, [5000n, 5000n, 5000n]);
      await expect(tx)
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(id, f.members[2].address, 5000, 3, ethers.ZeroAddress, 0);
      await expect(tx).to.not.emit(f.committee, "Credited");
      await expect(tx).to.not.emit(f.committee, "FeeCollected");
      await expect(tx).to.not.emit(f.committee, "FeeOwed");
    });

    it("refuses native coin from anyone but the escrow", async function () {
      const f = await loadFixture(fx.deploy);
      await expect(f.stranger.sendTransaction({ to: await f.committee.getAddress(), value: 1n }))
        .to.be.revertedWithCustomError(f.committee, "CommitteeUnexpectedPayment")
        .withArgs(f.stranger.address);
    });

    it("a provider contract that re-enters the committee on its payout cannot vote again or withdraw during its payout", async function () {
      const f = await loadFixture(fx.deploy);
      const hostile = await ethers.deployContract("HostileReceiver");
      const committee = await f.committee.getAddress();
      // The provider is a contract: it accepts and submits through HostileReceiver.call.
      const now = BigInt(await time.latest());
      const p = {
        provider: await hostile.getAddress(),
        token: ethers.ZeroAddress,
        amount: ONE_ETH,
        deadline: now + 86400n,
        reviewPeriod: 2n * 86400n,
        jobType: 0,
        jobHash: ethers.id("spec"),
        arbitrator: committee,
        approvers: [],
        threshold: 0,
      };
      await f.escrow.connect(f.requester).createJob(p, { value: ONE_ETH });
      const id = await f.escrow.jobCount();
      const escrowAddr = await f.escrow.getAddress();
      await hostile.call(escrowAddr, f.escrow.interface.encodeFunctionData("acceptJob", [id]));
      await hostile.call(
        escrowAddr,
        f.escrow.interface.encodeFunctionData("submitWork", [id, ethers.id("r")]),
      );
      await f.escrow.connect(f.requester).raiseDispute(id, "x", { value: (ONE_ETH * 200n) / BPS });
      await hostile.setReenter(
        committee,
        f.committee.interface.encodeFunctionData("vote", [id, 10000]),
      );
      await castVotes(f.committee, id, f.members, [10000n, 10000n, 10000n]);
      expect(await hostile.reentered(), "re-entry failed").to.equal(false);
      expect(await hostile.reenterError(), "refused by the committee's guard").to.equal(
        f.committee.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      const s = expectedSplit(ONE_ETH, 10000n, 200n);
      expect(await ethers.provider.getBalance(await hostile.getAddress()), "paid once").to.equal(
        s.provider + (ONE_ETH * 200n) / BPS, // its payout and the requester's forfeited deposit
      );
      expect((await f.committee.tally(id)).votes, "three votes").to.equal(3n);
    });
  });

  describe("(audit L-01) the fee collection never decides the ruling", function () {
    /** A 1,000,000,003-unit job in a TrapToken naming `committee` (fee 20,000,000: 6,666,666 each + 2). */
    async function trapDispute(f: ArbitrationFixture, committee = f.committee) {
      const token = (await ethers.deployContract("TrapToken")) as unknown as TrapToken;
      await token.mint(f.requester.address, 10n ** 24n);
      await token.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
      const jobId = await fx.disputeJob(f, await committee.getAddress(), {
        token: await token.getAddress(),
        amount: 1_000_000_003n,
      });
      return { token, jobId };
    }
    const FEE = (1_000_000_003n * 200n) / BPS; // 20,000,000
    const Trap = { None: 0, RevertTransfer: 1, BurnGas: 2, RevertBomb: 3, RevertBalanceOf: 4 };

    for (const [name, trap] of [
      ["refuses the transfer (paused, blocklisted)", Trap.RevertTransfer],
      ["burns all the gas it is given", Trap.BurnGas],
      ["reverts with 200 kB of revert data", Trap.RevertBomb],
      ["reverts balanceOf(committee)", Trap.RevertBalanceOf],
    ] as const) {
      it(`the token ${name}: the executing vote rules, the fee stays owed in the escrow (FeeOwed)`, async function () {
        const f = await loadFixture(fx.deploy);
        const { token, jobId } = await trapDispute(f);
        const committee = await f.committee.getAddress();
        await token.setTrap(committee, trap);
        await castVotes(f.committee, jobId, f.members, [6000n, 6000n]);
        const tx = f.committee.connect(f.members[2]).vote(jobId, 6000, { gasLimit: 3_000_000 });
        await expect(tx)
          .to.emit(f.escrow, "DisputeResolved")
          .withArgs(
            jobId,
            committee,
            Resolution.Arbitrated,
            6000,
            ...splitArgs(expectedSplit(1_000_000_003n, 6000n, BigInt(FEES.arbitration))),
          );
        await expect(tx)
          .to.emit(f.committee, "RulingExecuted")
          .withArgs(jobId, f.members[2].address, 6000, 3, await token.getAddress(), FEE);
        await expect(tx)
          .to.emit(f.committee, "FeeOwed")
          .withArgs(jobId, await token.getAddress(), FEE);
        await expect(tx).to.not.emit(f.committee, "Credited");
        const receipt = (await (await tx).wait())!;
        expect(
          receipt.gasUsed,
          "bounded: the token gets at most FEE_COLLECTION_GAS",
        ).to.be.lessThan(700_000n);
        expect(await f.committee.feeOwed(jobId), "feeOwed").to.equal(FEE);
        expect(
          await f.escrow.withdrawable(await token.getAddress(), committee),
          "in the escrow",
        ).to.equal(FEE);
        expect(await f.committee.feeBook(await token.getAddress()), "book").to.deep.equal([
          FEE,
          0n,
        ]);
        expect((await f.escrow.getJob(jobId)).status, "Resolved").to.equal(Status.Resolved);
      });
    }

    it("collectFee: refused while the token refuses (nothing changes); then anyone collects and the voters get the same shares, the remainder to the executor", async function () {
      const f = await loadFixture(fx.deploy);
      const { token, jobId } = await trapDispute(f);
      const committee = await f.committee.getAddress();
      const t = await token.getAddress();
      await token.setTrap(committee, Trap.RevertTransfer);
      const [a, b, c] = [f.members[3], f.members[0], f.members[4]];
      await castVotes(f.committee, jobId, [a, b, c], [1n, 2n, 3n]); // c executes
      await expect(f.committee.connect(f.stranger).collectFee(jobId))
        .to.be.revertedWithCustomError(token, "Trapped")
        .withArgs(committee);
      expect(await f.committee.feeOwed(jobId), "still owed").to.equal(FEE);

      await token.setTrap(committee, Trap.None);
      const tx = f.committee.connect(f.stranger).collectFee(jobId);
      await expect(tx).to.emit(f.committee, "FeeCollected").withArgs(jobId, t, FEE);
      const share = FEE / 3n; // 6,666,666, remainder 2
      await expect(tx).to.emit(f.committee, "Credited").withArgs(jobId, t, a.address, share);
      await expect(tx).to.emit(f.committee, "Credited").withArgs(jobId, t, b.address, share);
      await expect(tx)
        .to.emit(f.committee, "Credited")
        .withArgs(jobId, t, c.address, share + (FEE - 3n * share));
      expect(
        await f.committee.withdrawable(t, f.stranger.address),
        "the collector gets nothing",
      ).to.equal(0n);
      expect(await f.committee.feeOwed(jobId), "nothing owed").to.equal(0n);
      expect(await f.committee.feeBook(t), "book empty").to.deep.equal([0n, 0n]);
      expect(await f.escrow.withdrawable(t, committee), "escrow credit 0").to.equal(0n);
      expect(await token.balanceOf(committee), "balance == credits").to.equal(FEE);
      await expect(f.committee.collectFee(jobId), "no double payment")
        .to.be.revertedWithCustomError(f.committee, "CommitteeNoFeeOwed")
        .withArgs(jobId);
    });

    it("collectFee is refused for a ruling whose fee was collected at once, an unruled job and an unknown one", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await expect(f.committee.collectFee(f.jobId), "not ruled yet")
        .to.be.revertedWithCustomError(f.committee, "CommitteeNoFeeOwed")
        .withArgs(f.jobId);
      await castVotes(f.committee, f.jobId, f.members, [1n, 2n, 3n]);
      await expect(f.committee.collectFee(f.jobId), "collected by the executing vote")
        .to.be.revertedWithCustomError(f.committee, "CommitteeNoFeeOwed")
        .withArgs(f.jobId);
      await expect(f.committee.collectFee(999))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNoFeeOwed")
        .withArgs(999);
    });

    it("several owed fees of a fee-on-transfer token come in one withdrawal and are shared exactly: no dust, nothing twice", async function () {
      const f = await loadFixture(fx.deploy);
      const token = (await ethers.deployContract("TrapToken")) as unknown as TrapToken;
      const t = await token.getAddress();
      const committee = await f.committee.getAddress();
      await token.mint(f.requester.address, 10n ** 24n);
      await token.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
      const amounts = [1_000_000_003n, 777_777_777n, 123_456_789n];
      const ids: bigint[] = [];
      for (const amount of amounts)
        ids.push(await fx.disputeJob(f, committee, { token: t, amount }));
      const credited = (await Promise.all(ids.map((id) => f.escrow.getJob(id)))).map(
        (j) => (j.amount * 200n) / BPS,
      );
      await token.setTransferFee(137); // 1.37% burnt on every transfer from now on
      await token.setTrap(committee, Trap.RevertTransfer);
      await castVotes(f.committee, ids[0], f.members, [1n, 2n, 3n]); // A: owed
      await castVotes(f.committee, ids[1], f.members.slice(1), [1n, 2n, 3n]); // B: owed
      expect(await f.committee.feeBook(t), "two owed").to.deep.equal([
        credited[0] + credited[1],
        0n,
      ]);

      // The token works again. C's executing vote withdraws A + B + C at once and takes C's part.
      await token.setTrap(committee, Trap.None);
      const tx = castVotes(f.committee, ids[2], f.members.slice(2), [1n, 2n, 3n]);
      await expect(tx).to.emit(f.committee, "FeeCollected");
      const total = credited[0] + credited[1] + credited[2];
      const arrived = total - (total * 137n) / BPS;
      expect(await token.balanceOf(committee), "one withdrawal").to.equal(arrived);
      expect(await f.escrow.withdrawable(t, committee), "escrow credit 0").to.equal(0n);
      const partC = (credited[2] * arrived) / total;
      expect((await f.committee.feeBook(t))[0], "A and B still owed").to.equal(
        credited[0] + credited[1],
      );
      expect((await f.committee.feeBook(t))[1], "held for them").to.equal(arrived - partC);

      // A then B: pro rata, and B, the last one owed, takes the exact rest.
      await expect(f.committee.connect(f.stranger).collectFee(ids[0]))
        .to.emit(f.committee, "FeeCollected")
        .withArgs(ids[0], t, (credited[0] * (arrived - partC)) / (credited[0] + credited[1]));
      await f.committee.connect(f.stranger).collectFee(ids[1]);
      expect(await f.committee.feeBook(t), "book empty").to.deep.equal([0n, 0n]);
      let credits = 0n;
      for (const m of f.members) credits += await f.committee.withdrawable(t, m.address);
      expect(credits, "Σ credits == what arrived == the committee's balance").to.equal(arrived);
      for (const m of f.members)
        if ((await f.committee.withdrawable(t, m.address)) > 0n)
          await f.committee.connect(m).withdraw(t);
      expect(await token.balanceOf(committee), "every unit paid out").to.equal(0n);
    });

    it("a blocklisting token (audit PoC setting): the ruling stands; unblocked, the fee is collected", async function () {
      const f = await loadFixture(fx.deploy);
      const token = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
      await token.mint(f.requester.address, 10n ** 12n);
      await token.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
      const committee = await f.committee.getAddress();
      const id = await fx.disputeJob(f, committee, {
        token: await token.getAddress(),
        amount: 1_000_000_000n,
      });
      await token.setBlocked(committee, true);
      await expect(castVotes(f.committee, id, f.members, [1n, 2n, 3n])).to.emit(
        f.committee,
        "FeeOwed",
      );
      await token.setBlocked(committee, false);
      await expect(f.committee.collectFee(id))
        .to.emit(f.committee, "FeeCollected")
        .withArgs(id, await token.getAddress(), 20_000_000n);
    });

    it("pullEscrowFee is an internal step: nobody else may call it", async function () {
      const f = await loadFixture(fx.deploy);
      await expect(f.committee.connect(f.stranger).pullEscrowFee(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.committee, "FeeCollectorOnlySelf")
        .withArgs(f.stranger.address);
    });
  });

  describe("withdrawals", function () {
    it("a member contract that re-enters withdraw while being paid gets its share once", async function () {
      const f = await loadFixture(fx.deploy);
      const hostile = await ethers.deployContract("HostileReceiver");
      const member = await hostile.getAddress();
      const c = (await ethers.deployContract("CommitteeArbitrator", [
        await f.escrow.getAddress(),
        f.admin.address,
        [member, f.members[0].address],
        2,
      ])) as unknown as CommitteeArbitrator;
      const committee = await c.getAddress();
      await f.escrow.connect(f.admin).setArbitrator(committee, true, COMMITTEE_PERIOD);
      const id = await fx.disputeJob(f, committee);
      await hostile.call(committee, c.interface.encodeFunctionData("vote", [id, 5000]));
      await c.connect(f.members[0]).vote(id, 5000);
      const share = (ONE_ETH * 200n) / BPS / 2n;
      expect(await c.withdrawable(ethers.ZeroAddress, member), "share").to.equal(share);
      const withdraw = c.interface.encodeFunctionData("withdraw", [ethers.ZeroAddress]);
      await hostile.setReenter(committee, withdraw);
      await expect(hostile.call(committee, withdraw)).to.changeEtherBalances(
        ethers,
        [hostile, c],
        [share, -share],
      );
      expect(await hostile.reentered(), "the nested withdraw failed").to.equal(false);
      expect(await c.withdrawable(ethers.ZeroAddress, member), "nothing left").to.equal(0n);
      expect(
        await ethers.provider.getBalance(committee),
        "the other member's share stays",
      ).to.equal(share);
    });
  });

  describe("membership changes never affect an open dispute", function () {
    it("members and quorum stay those of the epoch in force when the dispute was raised", async function () {
      const f = await loadFixture(fx.committeeDispute);
      const [n0, n1] = f.outsiders;
      await f.committee.connect(f.members[0]).vote(f.jobId, 2000);
      // New committee: two outsiders and one old member, quorum 2.
      await f.committee
        .connect(f.admin)
        .setMembers([n0.address, n1.address, f.members[4].address], 2);

      // The open dispute: the newcomers cannot vote, removed members still can, the quorum stays 3.
      await expect(f.committee.connect(n0).vote(f.jobId, 9000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotMember")
        .withArgs(f.jobId, 1, n0.address);
      await f.committee.connect(f.members[1]).vote(f.jobId, 4000);
      expect((await f.escrow.getJob(f.jobId)).status, "2 votes < the old quorum 3").to.equal(
        Status.Disputed,
      );
      await expect(f.committee.connect(f.members[2]).vote(f.jobId, 3000))
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(
          f.jobId,
          f.members[2].address,
          3000,
          3,
          ethers.ZeroAddress,
          (ONE_ETH * 200n) / BPS,
        );

      // A dispute raised after the change: the new set and quorum 2.
      const id = await fx.disputeJob(f, await f.committee.getAddress());
      expect((await f.committee.tally(id)).epoch, "epoch 2").to.equal(2n);
      await expect(f.committee.connect(f.members[0]).vote(id, 1000))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotMember")
        .withArgs(id, 2, f.members[0].address);
      await f.committee.connect(n0).vote(id, 7000);
      await expect(f.committee.connect(n1).vote(id, 9000))
        .to.emit(f.committee, "RulingExecuted")
        .withArgs(id, n1.address, 7000, 2, ethers.ZeroAddress, (ONE_ETH * 200n) / BPS);
    });

    it("a change made before anyone voted still leaves the dispute to the old epoch", async function () {
      const f = await loadFixture(fx.committeeDispute);
      await f.committee.connect(f.admin).setMembers([f.outsiders[0].address], 1);
      await f.committee.connect(f.admin).setMembers([f.outsiders[1].address], 1);
      const [epoch, quorum] = await f.committee.tally(f.jobId);
      expect([epoch, quorum], "epoch 1, quorum 3").to.deep.equal([1n, 3n]);
      await expect(f.committee.connect(f.outsiders[1]).vote(f.jobId, 0))
        .to.be.revertedWithCustomError(f.committee, "CommitteeNotMember")
        .withArgs(f.jobId, 1, f.outsiders[1].address);
      await expect(castVotes(f.committee, f.jobId, f.members, [1n, 2n, 3n])).to.emit(
        f.committee,
        "RulingExecuted",
      );
    });
  });
});
