import { expect } from "chai";
import { network } from "hardhat";
import { BPS, FEES, ONE_ETH, Resolution, Status, expectedSplit } from "./helpers/escrow.js";
import {
  APPEAL_WINDOW,
  COURT_COST,
  COURT_PERIOD,
  META_EVIDENCE,
  Ruling,
  arbitrationEnd,
  arbitrationFixtures,
} from "./helpers/arbitration.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = arbitrationFixtures({ ethers, networkHelpers });

const FEE = (ONE_ETH * BigInt(FEES.arbitration)) / BPS; // the escrow's arbitration fee on a 1 ETH job
const DisputeStatus = { Waiting: 0n, Appealable: 1n, Solved: 2n } as const;

function splitArgs(s: ReturnType<typeof expectedSplit>) {
  return [s.provider, s.requester, s.platformFee, s.communityFee, s.arbitrationFee];
}

describe("ERC792ArbitratorAdapter", function () {
  describe("deployment", function () {
    it("is registered with a 30-day period and exposes its court, extra data and ruling mapping", async function () {
      const f = await loadFixture(fx.deploy);
      const { registered, arbitrationPeriod } = await f.escrow.arbitratorInfo(
        await f.adapter.getAddress(),
      );
      expect(registered && arbitrationPeriod === COURT_PERIOD, "registered for 30 days").to.equal(
        true,
      );
      expect(await f.adapter.court(), "court").to.equal(await f.court.getAddress());
      expect(await f.adapter.escrow(), "escrow").to.equal(await f.escrow.getAddress());
      expect(await f.adapter.arbitratorExtraData(), "extra data").to.equal("0x");
      expect(await f.adapter.metaEvidenceURI(), "meta-evidence").to.equal(META_EVIDENCE);
      expect(await f.adapter.NUMBER_OF_CHOICES(), "choices").to.equal(2n);
      expect(await f.adapter.rulingToBps(Ruling.Refused), "0 → 5,000").to.equal(5000n);
      expect(await f.adapter.rulingToBps(Ruling.Provider), "1 → 10,000").to.equal(10000n);
      expect(await f.adapter.rulingToBps(Ruling.Requester), "2 → 0").to.equal(0n);
      await expect(f.adapter.rulingToBps(3))
        .to.be.revertedWithCustomError(f.adapter, "AdapterInvalidRuling")
        .withArgs(3);
      expect(await f.adapter.supportsInterface("0x311a6c56"), "IArbitrable (rule)").to.equal(true);
      expect(await f.adapter.supportsInterface("0x01ffc9a7"), "ERC-165").to.equal(true);
    });

    it("refuses a zero escrow or court", async function () {
      const f = await loadFixture(fx.deploy);
      const factory = await ethers.getContractFactory("ERC792ArbitratorAdapter");
      await expect(
        factory.deploy(ethers.ZeroAddress, await f.court.getAddress(), "0x", ""),
      ).to.be.revertedWithCustomError(f.adapter, "AdapterZeroAddress");
      await expect(
        factory.deploy(await f.escrow.getAddress(), ethers.ZeroAddress, "0x", ""),
      ).to.be.revertedWithCustomError(f.adapter, "AdapterZeroAddress");
    });
  });

  describe("create and fund", function () {
    it("one party pays the whole cost: the court dispute is created with ERC-1497 meta-evidence pointing at the job", async function () {
      const f = await loadFixture(fx.courtDispute);
      const adapter = await f.adapter.getAddress();
      const court = await f.court.getAddress();
      const tx = f.adapter.connect(f.provider).fundCourt(f.jobId, { value: COURT_COST });
      await expect(tx)
        .to.emit(f.adapter, "CourtFunded")
        .withArgs(f.jobId, f.provider.address, COURT_COST, COURT_COST, COURT_COST);
      await expect(tx).to.emit(f.court, "DisputeCreation").withArgs(0, adapter);
      await expect(tx).to.emit(f.adapter, "CourtDisputeCreated").withArgs(f.jobId, 0, COURT_COST);
      const escrow = (await f.escrow.getAddress()).toLowerCase();
      await expect(tx)
        .to.emit(f.adapter, "MetaEvidence")
        .withArgs(f.jobId, `${META_EVIDENCE}#escrow=${escrow}&job=${f.jobId}`);
      await expect(tx).to.emit(f.adapter, "Dispute").withArgs(court, 0, f.jobId, f.jobId);
      expect(await ethers.provider.getBalance(court), "the court got the cost").to.equal(
        COURT_COST,
      );
      expect(await ethers.provider.getBalance(adapter), "the adapter keeps nothing").to.equal(0n);
      const c = await f.adapter.caseOf(f.jobId);
      expect([c.created, c.paidByProvider, c.paidByRequester, c.disputeId], "case").to.deep.equal([
        true,
        COURT_COST,
        0n,
        0n,
      ]);
      expect(await f.adapter.jobOfDispute(0), "jobOfDispute").to.equal(f.jobId);
      expect(await f.court.disputeStatus(0), "waiting").to.equal(DisputeStatus.Waiting);
    });

    it("returns what is sent beyond the cost", async function () {
      const f = await loadFixture(fx.courtDispute);
      await expect(
        f.adapter.connect(f.requester).fundCourt(f.jobId, { value: COURT_COST * 3n }),
      ).to.changeEtherBalances(
        ethers,
        [f.requester, f.court, f.adapter],
        [-COURT_COST, COURT_COST, 0n],
      );
    });

    it("both parties can share the cost; before it is complete each may take its part back", async function () {
      const f = await loadFixture(fx.courtDispute);
      const half = COURT_COST / 2n;
      await expect(f.adapter.connect(f.requester).fundCourt(f.jobId, { value: half }))
        .to.emit(f.adapter, "CourtFunded")
        .withArgs(f.jobId, f.requester.address, half, half, COURT_COST)
        .and.not.to.emit(f.adapter, "CourtDisputeCreated");
      await expect(
        f.adapter.connect(f.requester).withdrawContribution(f.jobId),
      ).to.changeEtherBalances(ethers, [f.requester, f.adapter], [half, -half]);
      await expect(f.adapter.connect(f.requester).withdrawContribution(f.jobId))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNothingToWithdraw")
        .withArgs(ethers.ZeroAddress, f.requester.address);
      await f.adapter.connect(f.requester).fundCourt(f.jobId, { value: half });
      await expect(f.adapter.connect(f.provider).fundCourt(f.jobId, { value: COURT_COST }))
        .to.emit(f.adapter, "CourtDisputeCreated")
        .withArgs(f.jobId, 0, COURT_COST);
      const c = await f.adapter.caseOf(f.jobId);
      expect([c.paidByRequester, c.paidByProvider], "parts").to.deep.equal([
        half,
        COURT_COST - half,
      ]);
      await expect(f.adapter.connect(f.requester).withdrawContribution(f.jobId))
        .to.be.revertedWithCustomError(f.adapter, "AdapterAlreadyInCourt")
        .withArgs(f.jobId, 0);
      await expect(f.adapter.connect(f.requester).fundCourt(f.jobId, { value: 1n }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterAlreadyInCourt")
        .withArgs(f.jobId, 0);
    });

    it("if the court's cost drops below what was paid, the surplus is credited back pro rata", async function () {
      const f = await loadFixture(fx.courtDispute);
      await f.adapter.connect(f.requester).fundCourt(f.jobId, { value: 30n });
      await f.adapter.connect(f.provider).fundCourt(f.jobId, { value: 20n });
      await f.court.connect(f.judge).setArbitrationCost(9n); // surplus 41: requester 41*30/50 = 24, provider 17
      const tx = f.adapter.connect(f.provider).fundCourt(f.jobId); // no value needed: it only completes
      await expect(tx).to.emit(f.adapter, "CourtDisputeCreated").withArgs(f.jobId, 0, 9n);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(f.jobId, ethers.ZeroAddress, f.requester.address, 24n);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(f.jobId, ethers.ZeroAddress, f.provider.address, 17n);
      const c = await f.adapter.caseOf(f.jobId);
      expect(c.paidByRequester + c.paidByProvider, "the parts sum to what the court got").to.equal(
        9n,
      );
      await expect(
        f.adapter.connect(f.requester).withdraw(ethers.ZeroAddress),
      ).to.changeEtherBalance(ethers, f.requester, 24n);
      await expect(
        f.adapter.connect(f.provider).withdraw(ethers.ZeroAddress),
      ).to.changeEtherBalance(ethers, f.provider, 17n);
      expect(
        await ethers.provider.getBalance(await f.adapter.getAddress()),
        "nothing stranded",
      ).to.equal(0n);
    });

    it("only the parties fund, only while the job is Disputed and its period runs, never with nothing", async function () {
      const f = await loadFixture(fx.courtDispute);
      await expect(f.adapter.connect(f.stranger).fundCourt(f.jobId, { value: COURT_COST }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterUnauthorized")
        .withArgs(f.jobId, f.stranger.address);
      await expect(f.adapter.connect(f.requester).fundCourt(f.jobId)).to.be.revertedWithCustomError(
        f.adapter,
        "AdapterZeroValue",
      );
      const end = await arbitrationEnd(f.escrow, f.jobId);
      await time.setNextBlockTimestamp(end);
      await expect(f.adapter.connect(f.requester).fundCourt(f.jobId, { value: COURT_COST }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterArbitrationPeriodOver")
        .withArgs(f.jobId, end);
      await f.escrow.settleStaleDispute(f.jobId);
      await expect(f.adapter.connect(f.requester).fundCourt(f.jobId, { value: COURT_COST }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
      const committeeJob = await fx.disputeJob(f, await f.committee.getAddress());
      await expect(f.adapter.connect(f.requester).fundCourt(committeeJob, { value: COURT_COST }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotJobArbitrator")
        .withArgs(committeeJob, await f.committee.getAddress());
    });

    it("refuses native coin from anyone but the escrow", async function () {
      const f = await loadFixture(fx.deploy);
      await expect(f.stranger.sendTransaction({ to: await f.adapter.getAddress(), value: 1n }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterUnexpectedPayment")
        .withArgs(f.stranger.address);
    });
  });

  describe("rulings", function () {
    for (const [ruling, bps, label] of [
      [Ruling.Refused, 5000n, "0 (refused) → 5,000"],
      [Ruling.Provider, 10000n, "1 (provider) → 10,000"],
      [Ruling.Requester, 0n, "2 (requester) → 0"],
    ] as const) {
      it(`ruling ${label}: applied once, the fee reimburses the court cost's funder`, async function () {
        const f = await loadFixture(fx.courtCase);
        await f.court.connect(f.judge).giveRuling(f.disputeId, ruling);
        await time.increase(APPEAL_WINDOW);
        const adapter = await f.adapter.getAddress();
        const tx = f.court.executeRuling(f.disputeId);
        await expect(tx)
          .to.emit(f.adapter, "Ruling")
          .withArgs(await f.court.getAddress(), f.disputeId, ruling);
        await expect(tx)
          .to.emit(f.escrow, "DisputeResolved")
          .withArgs(
            f.jobId,
            adapter,
            Resolution.Arbitrated,
            bps,
            ...splitArgs(expectedSplit(ONE_ETH, bps, BigInt(FEES.arbitration))),
          );
        await expect(tx)
          .to.emit(f.adapter, "RulingApplied")
          .withArgs(f.jobId, f.disputeId, ruling, bps, ethers.ZeroAddress, FEE);
        await expect(tx)
          .to.emit(f.adapter, "Credited")
          .withArgs(f.jobId, ethers.ZeroAddress, f.requester.address, FEE);
        const c = await f.adapter.caseOf(f.jobId);
        expect([c.ruled, c.applied, c.ruling], "case").to.deep.equal([true, true, ruling]);
        expect((await f.escrow.getJob(f.jobId)).status, "resolved").to.equal(Status.Resolved);
        expect(
          await f.adapter.withdrawable(ethers.ZeroAddress, f.provider.address),
          "provider paid nothing",
        ).to.equal(0n);
        await expect(
          f.adapter.connect(f.requester).withdraw(ethers.ZeroAddress),
        ).to.changeEtherBalances(ethers, [f.requester, f.adapter], [FEE, -FEE]);
      });
    }

    it("an ERC-20 job: the fee is reimbursed in the token, pro rata to the parts of the court cost", async function () {
      const f = await loadFixture(fx.deploy);
      const token = await f.token.getAddress();
      const amount = 1_000_003n;
      const id = await fx.disputeJob(f, await f.adapter.getAddress(), { token, amount });
      await f.adapter.connect(f.requester).fundCourt(id, { value: COURT_COST / 3n });
      await f.adapter.connect(f.provider).fundCourt(id, { value: COURT_COST });
      await f.court.connect(f.judge).giveRuling(0, Ruling.Provider);
      await time.increase(APPEAL_WINDOW);
      const fee = (amount * 200n) / BPS; // 20000
      const toRequester = (fee * (COURT_COST / 3n)) / COURT_COST; // rounded down; the provider gets the rest
      const tx = f.court.executeRuling(0);
      await expect(tx)
        .to.emit(f.adapter, "RulingApplied")
        .withArgs(id, 0, Ruling.Provider, 10000, token, fee);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(id, token, f.requester.address, toRequester);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(id, token, f.provider.address, fee - toRequester);
      expect(await f.token.balanceOf(await f.adapter.getAddress()), "held == credits").to.equal(
        fee,
      );
      await expect(
        f.adapter.connect(f.provider).withdrawTo(token, f.stranger.address),
      ).to.changeTokenBalance(ethers, f.token, f.stranger, fee - toRequester);
    });

    it("an appeal (funded by anyone) flips the ruling; appeal costs are forwarded exactly", async function () {
      const f = await loadFixture(fx.courtCase);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      expect(await f.court.currentRuling(f.disputeId), "first ruling").to.equal(Ruling.Requester);
      const cost = await f.court.appealCost(f.disputeId, "0x");
      expect(cost, "appeal cost").to.equal(COURT_COST * 2n);
      await expect(f.adapter.connect(f.stranger).appeal(f.jobId, { value: cost - 1n }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterInsufficientPayment")
        .withArgs(cost - 1n, cost);
      const tx = f.adapter.connect(f.stranger).appeal(f.jobId, { value: cost + 5n });
      await expect(tx)
        .to.emit(f.adapter, "AppealFunded")
        .withArgs(f.jobId, f.disputeId, f.stranger.address, cost);
      await expect(tx)
        .to.emit(f.court, "AppealDecision")
        .withArgs(f.disputeId, await f.adapter.getAddress());
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.stranger, f.court, f.adapter],
        [-cost, cost, 0n],
      );
      expect((await f.adapter.caseOf(f.jobId)).appeals, "appeals").to.equal(1n);
      expect(await f.court.disputeStatus(f.disputeId), "back to waiting").to.equal(
        DisputeStatus.Waiting,
      );

      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await time.increase(APPEAL_WINDOW);
      await expect(f.court.executeRuling(f.disputeId))
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          await f.adapter.getAddress(),
          Resolution.Arbitrated,
          10000,
          ...splitArgs(expectedSplit(ONE_ETH, 10000n, BigInt(FEES.arbitration))),
        );
    });

    it("appeals only inside the court's appeal period [start, end), while the ruling is appealable", async function () {
      const f = await loadFixture(fx.courtCase);
      await expect(f.adapter.appeal(f.jobId, { value: COURT_COST * 2n }), "before any ruling")
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotAppealable")
        .withArgs(f.jobId, f.disputeId, 0, 0);
      const given = await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      const start = BigInt((await given.getBlock())!.timestamp);
      const end = start + APPEAL_WINDOW;
      await time.setNextBlockTimestamp(end);
      await expect(
        f.adapter.connect(f.provider).appeal(f.jobId, { value: COURT_COST * 2n }),
        "at end",
      )
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotAppealable")
        .withArgs(f.jobId, f.disputeId, start, end);

      const g = await loadFixture(fx.courtCase);
      const given2 = await g.court.connect(g.judge).giveRuling(g.disputeId, Ruling.Requester);
      await time.setNextBlockTimestamp(
        BigInt((await given2.getBlock())!.timestamp) + APPEAL_WINDOW - 1n,
      );
      await expect(
        g.adapter.connect(g.provider).appeal(g.jobId, { value: COURT_COST * 2n }),
        "at end - 1",
      ).to.emit(g.adapter, "AppealFunded");
    });

    it("no appeal once the job left Disputed, nor for a job without a court dispute", async function () {
      const f = await loadFixture(fx.courtCase);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      await f.escrow.connect(f.provider).proposeSettlement(f.jobId, 3000);
      await f.escrow.connect(f.requester).acceptSettlement(f.jobId, 3000);
      await expect(f.adapter.appeal(f.jobId, { value: COURT_COST * 2n }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
      const g = await loadFixture(fx.courtDispute);
      await expect(g.adapter.appeal(g.jobId, { value: 1n }))
        .to.be.revertedWithCustomError(g.adapter, "AdapterNotInCourt")
        .withArgs(g.jobId);
    });

    it("rule is accepted only from the court, for its own disputes, once, with a valid ruling", async function () {
      const f = await loadFixture(fx.courtCase);
      await expect(f.adapter.connect(f.stranger).rule(f.disputeId, Ruling.Provider))
        .to.be.revertedWithCustomError(f.adapter, "AdapterOnlyCourt")
        .withArgs(f.stranger.address);
      await expect(
        f.adapter.connect(f.judge).rule(f.disputeId, Ruling.Provider),
        "not even the court's owner",
      )
        .to.be.revertedWithCustomError(f.adapter, "AdapterOnlyCourt")
        .withArgs(f.judge.address);
      const court = await f.court.getAddress();
      await networkHelpers.impersonateAccount(court);
      await networkHelpers.setBalance(court, ONE_ETH);
      const asCourt = await ethers.getSigner(court);
      await expect(f.adapter.connect(asCourt).rule(7, Ruling.Provider))
        .to.be.revertedWithCustomError(f.adapter, "AdapterUnknownDispute")
        .withArgs(7);
      await expect(f.adapter.connect(asCourt).rule(f.disputeId, 3))
        .to.be.revertedWithCustomError(f.adapter, "AdapterInvalidRuling")
        .withArgs(3);
      await expect(f.adapter.connect(asCourt).rule(f.disputeId, Ruling.Provider)).to.emit(
        f.adapter,
        "RulingApplied",
      );
      await expect(
        f.adapter.connect(asCourt).rule(f.disputeId, Ruling.Requester),
        "a second ruling",
      )
        .to.be.revertedWithCustomError(f.adapter, "AdapterAlreadyRuled")
        .withArgs(f.disputeId);
      await networkHelpers.stopImpersonatingAccount(court);
    });
  });

  describe("late rulings: no funds move twice", function () {
    it("after a stale settlement: the ruling is recorded, nothing moves, the court keeps its cost", async function () {
      const f = await loadFixture(fx.courtCase);
      await time.increaseTo(await arbitrationEnd(f.escrow, f.jobId));
      await expect(f.escrow.connect(f.stranger).settleStaleDispute(f.jobId))
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          f.stranger.address,
          Resolution.Stale,
          5000,
          ...splitArgs(expectedSplit(ONE_ETH, 5000n, 0n)),
        );
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await time.increase(APPEAL_WINDOW);
      const tx = f.court.executeRuling(f.disputeId);
      await expect(tx)
        .to.emit(f.adapter, "RulingNotApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Provider, Status.Resolved);
      await expect(tx).to.not.emit(f.escrow, "DisputeResolved");
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.escrow, f.adapter, f.requester, f.provider],
        [0n, 0n, 0n, 0n],
      );
      const c = await f.adapter.caseOf(f.jobId);
      expect([c.ruled, c.applied], "ruled, not applied").to.deep.equal([true, false]);
      expect(
        await ethers.provider.getBalance(await f.court.getAddress()),
        "the court kept its cost",
      ).to.equal(COURT_COST);
      expect(
        await f.adapter.withdrawable(ethers.ZeroAddress, f.requester.address),
        "no reimbursement",
      ).to.equal(0n);
    });

    it("after the parties settled: nothing moves; contributions not yet spent come back", async function () {
      const f = await loadFixture(fx.courtCase);
      await f.escrow.connect(f.requester).proposeSettlement(f.jobId, 7000);
      await f.escrow.connect(f.provider).acceptSettlement(f.jobId, 7000);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      await time.increase(APPEAL_WINDOW);
      const tx = f.court.executeRuling(f.disputeId);
      await expect(tx)
        .to.emit(f.adapter, "RulingNotApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Requester, Status.Resolved);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.escrow, f.adapter, f.requester, f.provider],
        [0n, 0n, 0n, 0n],
      );

      // A case that was only partly funded when the parties settled: the part comes back in full.
      const g = await loadFixture(fx.courtDispute);
      await g.adapter.connect(g.provider).fundCourt(g.jobId, { value: COURT_COST / 4n });
      await g.escrow.connect(g.requester).proposeSettlement(g.jobId, 5000);
      await g.escrow.connect(g.provider).acceptSettlement(g.jobId, 5000);
      await expect(g.adapter.connect(g.provider).withdrawContribution(g.jobId))
        .to.emit(g.adapter, "ContributionWithdrawn")
        .withArgs(g.jobId, g.provider.address, COURT_COST / 4n);
      expect(
        await ethers.provider.getBalance(await g.adapter.getAddress()),
        "nothing left",
      ).to.equal(0n);
    });

    it("a ruling after the period but before anyone settled is not applied; the stale settlement still is", async function () {
      const f = await loadFixture(fx.courtCase);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await time.increaseTo(await arbitrationEnd(f.escrow, f.jobId));
      await expect(f.court.executeRuling(f.disputeId))
        .to.emit(f.adapter, "RulingNotApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Provider, Status.Disputed);
      await expect(f.escrow.settleStaleDispute(f.jobId)).to.emit(f.escrow, "DisputeResolved");
    });
  });

  describe("arbitration period (30 days): edges at D+P-1 and D+P", function () {
    for (const [offset, applied] of [
      [-1n, true],
      [0n, false],
      [1n, false],
    ] as const) {
      it(`a ruling at end${offset < 0n ? "" : "+"}${offset} is ${applied ? "applied" : "not applied (stale settlement instead)"}`, async function () {
        const f = await loadFixture(fx.courtCase);
        await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
        const end = await arbitrationEnd(f.escrow, f.jobId);
        expect(end - (await f.escrow.getJob(f.jobId)).disputedAt, "period").to.equal(COURT_PERIOD);
        await time.setNextBlockTimestamp(end + offset);
        const tx = f.court.executeRuling(f.disputeId);
        if (applied) {
          await expect(tx)
            .to.emit(f.adapter, "RulingApplied")
            .withArgs(f.jobId, f.disputeId, Ruling.Requester, 0, ethers.ZeroAddress, FEE);
          await expect(f.escrow.settleStaleDispute(f.jobId))
            .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
            .withArgs(f.jobId, Status.Resolved);
        } else {
          await expect(tx).to.emit(f.adapter, "RulingNotApplied");
          await expect(f.escrow.settleStaleDispute(f.jobId)).to.emit(f.escrow, "DisputeResolved");
        }
      });
    }

    it("the escrow refuses a stale settlement at D+P-1", async function () {
      const f = await loadFixture(fx.courtDispute);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(f.escrow.settleStaleDispute(f.jobId))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowArbitrationPeriodActive")
        .withArgs(f.jobId, end);
    });
  });

  describe("evidence", function () {
    it("the parties' evidence is relayed as ERC-1497 Evidence in the job's group, before and after the court dispute", async function () {
      const f = await loadFixture(fx.courtDispute);
      const court = await f.court.getAddress();
      await expect(f.adapter.connect(f.requester).submitEvidence(f.jobId, "ipfs://req-1"))
        .to.emit(f.adapter, "Evidence")
        .withArgs(court, f.jobId, f.requester.address, "ipfs://req-1");
      await f.adapter.connect(f.requester).fundCourt(f.jobId, { value: COURT_COST });
      await expect(f.adapter.connect(f.provider).submitEvidence(f.jobId, "ipfs://prov-1"))
        .to.emit(f.adapter, "Evidence")
        .withArgs(court, f.jobId, f.provider.address, "ipfs://prov-1");
      await expect(f.adapter.connect(f.stranger).submitEvidence(f.jobId, "ipfs://spam"))
        .to.be.revertedWithCustomError(f.adapter, "AdapterUnauthorized")
        .withArgs(f.jobId, f.stranger.address);
      await f.escrow.connect(f.requester).proposeSettlement(f.jobId, 5000);
      await f.escrow.connect(f.provider).acceptSettlement(f.jobId, 5000);
      await expect(f.adapter.connect(f.provider).submitEvidence(f.jobId, "ipfs://late"))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
    });
  });
});
