import { expect } from "chai";
import { network } from "hardhat";
import {
  BPS,
  DAY,
  FEES,
  HOUR,
  ONE_ETH,
  Resolution,
  Status,
  expectedSplit,
} from "./helpers/escrow.js";
import type { TrapToken } from "../typechain-types/index.js";
import {
  APPEAL_WINDOW,
  COURT_COST,
  COURT_PERIOD,
  META_EVIDENCE,
  MIN_APPEAL_TIME,
  Ruling,
  arbitrationEnd,
  arbitrationFixtures,
  type ArbitrationFixture,
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
      expect(await f.adapter.minAppealTime(), "minAppealTime").to.equal(MIN_APPEAL_TIME);
      expect(await f.adapter.appealsCloseAt(999), "a job never disputed").to.equal(0n);
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
        factory.deploy(ethers.ZeroAddress, await f.court.getAddress(), "0x", "", DAY),
      ).to.be.revertedWithCustomError(f.adapter, "AdapterZeroAddress");
      await expect(
        factory.deploy(await f.escrow.getAddress(), ethers.ZeroAddress, "0x", "", DAY),
      ).to.be.revertedWithCustomError(f.adapter, "AdapterZeroAddress");
    });

    it("minAppealTime is 1 second to 90 days (edges 0, 1, 90 days, 90 days + 1)", async function () {
      const f = await loadFixture(fx.deploy);
      const factory = await ethers.getContractFactory("ERC792ArbitratorAdapter");
      const args = [await f.escrow.getAddress(), await f.court.getAddress(), "0x", ""] as const;
      const max = 90n * DAY;
      for (const bad of [0n, max + 1n]) {
        await expect(factory.deploy(...args, bad), `${bad}`)
          .to.be.revertedWithCustomError(f.adapter, "AdapterInvalidMinAppealTime")
          .withArgs(bad, max);
      }
      for (const good of [1n, max]) {
        const a = await factory.deploy(...args, good);
        expect(await a.minAppealTime(), `${good}`).to.equal(good);
      }
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

  describe("(audit M-02) appeal cutoff: appeals close minAppealTime before the period ends", function () {
    /** A court case whose ruling (for the requester) is appealable around the cutoff `closeAt`. */
    async function rulingAroundCutoff() {
      const f = await loadFixture(fx.courtCase);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      const closeAt = end - MIN_APPEAL_TIME;
      expect(await f.adapter.appealsCloseAt(f.jobId), "appealsCloseAt").to.equal(closeAt);
      await time.setNextBlockTimestamp(closeAt - 2n * DAY); // its window runs to closeAt + 1 day
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      return { ...f, end, closeAt };
    }

    for (const [offset, allowed] of [
      [-1n, true],
      [0n, true],
      [1n, false],
    ] as const) {
      it(`an appeal at appealsCloseAt${offset < 0n ? "" : "+"}${offset} is ${allowed ? "accepted" : "refused (AdapterAppealsClosed)"}`, async function () {
        const f = await rulingAroundCutoff();
        await time.setNextBlockTimestamp(f.closeAt + offset);
        const appeal = f.adapter.connect(f.provider).appeal(f.jobId, { value: COURT_COST * 2n });
        if (allowed) {
          await expect(appeal).to.emit(f.adapter, "AppealFunded");
        } else {
          await expect(appeal)
            .to.be.revertedWithCustomError(f.adapter, "AdapterAppealsClosed")
            .withArgs(f.jobId, f.closeAt);
          expect(await f.court.disputeStatus(f.disputeId), "the ruling stands").to.equal(
            DisputeStatus.Appealable,
          );
        }
      });
    }

    it("an appeal at the cutoff leaves the new round time to be ruled and executed before the period ends", async function () {
      const f = await rulingAroundCutoff();
      await time.setNextBlockTimestamp(f.closeAt);
      await f.adapter.connect(f.provider).appeal(f.jobId, { value: COURT_COST * 2n });
      await time.setNextBlockTimestamp(f.closeAt + 12n * HOUR); // the court's new round
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await expect(
        f.adapter.connect(f.requester).appeal(f.jobId, { value: COURT_COST * 4n }),
        "no appeal of the new ruling",
      ).to.be.revertedWithCustomError(f.adapter, "AdapterAppealsClosed");
      const [, appealEnd] = await f.court.appealPeriod(f.disputeId);
      expect(appealEnd, "the new appeal period ends before the period").to.be.lessThan(f.end);
      await time.increaseTo(appealEnd);
      await expect(f.court.executeRuling(f.disputeId))
        .to.emit(f.adapter, "RulingApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Provider, 10000, ethers.ZeroAddress, FEE);
    });

    it("a party who appeals early and repeatedly cannot stall the court past the period", async function () {
      const f = await loadFixture(fx.courtCase);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      const closeAt = end - MIN_APPEAL_TIME;
      // The court takes 12 hours per round; the loser of each round appeals at the last second of its
      // appeal window, as long as the adapter lets it.
      let ruling: bigint = Ruling.Provider;
      await f.court.connect(f.judge).giveRuling(f.disputeId, ruling);
      let appeals = 0;
      for (;;) {
        const [, windowEnd] = await f.court.appealPeriod(f.disputeId);
        await time.setNextBlockTimestamp(windowEnd - 1n);
        const loser = ruling === Ruling.Provider ? f.requester : f.provider;
        const cost = await f.court.appealCost(f.disputeId, "0x");
        const refused = windowEnd - 1n > closeAt;
        const appeal = f.adapter.connect(loser).appeal(f.jobId, { value: cost });
        if (refused) {
          await expect(appeal, "past the cutoff")
            .to.be.revertedWithCustomError(f.adapter, "AdapterAppealsClosed")
            .withArgs(f.jobId, closeAt);
          break;
        }
        await appeal;
        ++appeals;
        await time.increase(12n * HOUR);
        ruling = ruling === Ruling.Provider ? Ruling.Requester : Ruling.Provider;
        await f.court.connect(f.judge).giveRuling(f.disputeId, ruling);
      }
      expect(appeals, "several appeals were bought").to.be.greaterThanOrEqual(5);
      const [, windowEnd] = await f.court.appealPeriod(f.disputeId);
      await time.increaseTo(windowEnd);
      expect(BigInt(await time.latest()), "executable before the end").to.be.lessThan(end);
      await expect(f.court.executeRuling(f.disputeId))
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          await f.adapter.getAddress(),
          Resolution.Arbitrated,
          ruling === Ruling.Provider ? 10000 : 0,
          ...splitArgs(
            expectedSplit(
              ONE_ETH,
              ruling === Ruling.Provider ? 10000n : 0n,
              BigInt(FEES.arbitration),
            ),
          ),
        );
    });

    it("the court takes appeals only from the adapter (as KlerosLiquid): nobody can appeal around the cutoff", async function () {
      const f = await rulingAroundCutoff();
      await time.setNextBlockTimestamp(f.closeAt + 1n);
      await expect(
        f.court.connect(f.provider).appeal(f.disputeId, "0x", { value: COURT_COST * 2n }),
      )
        .to.be.revertedWithCustomError(f.court, "NotArbitrable")
        .withArgs(f.disputeId, f.provider.address);
    });
  });

  describe("(audit M-02) applyCurrentRuling: a ruling that can no longer change is applied in time", function () {
    it("the audit's scenario with a slow court: a ruling given 2 days before the end (its appeal period outlasts the job's) is applied, not lost", async function () {
      const f = await loadFixture(fx.courtCase);
      const end = await arbitrationEnd(f.escrow, f.jobId);
      await time.setNextBlockTimestamp(end - 2n * DAY);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await expect(f.adapter.connect(f.requester).appeal(f.jobId, { value: COURT_COST * 2n }))
        .to.be.revertedWithCustomError(f.adapter, "AdapterAppealsClosed")
        .withArgs(f.jobId, end - MIN_APPEAL_TIME);
      const tx = f.adapter.connect(f.stranger).applyCurrentRuling(f.jobId);
      await expect(tx)
        .to.emit(f.adapter, "CurrentRulingApplied")
        .withArgs(f.jobId, f.disputeId, f.stranger.address, DisputeStatus.Appealable);
      await expect(tx)
        .to.emit(f.adapter, "RulingApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Provider, 10000, ethers.ZeroAddress, FEE);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.jobId,
          await f.adapter.getAddress(),
          Resolution.Arbitrated,
          10000,
          ...splitArgs(expectedSplit(ONE_ETH, 10000n, BigInt(FEES.arbitration))),
        );
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(f.jobId, ethers.ZeroAddress, f.requester.address, FEE);
      let c = await f.adapter.caseOf(f.jobId);
      expect([c.ruled, c.applied, c.ruling], "applied, the court has not called").to.deep.equal([
        false,
        true,
        Ruling.Provider,
      ]);

      // The court's own execution later: recorded, nothing moves, the case keeps the applied ruling.
      await time.increase(APPEAL_WINDOW);
      const late = f.court.executeRuling(f.disputeId);
      await expect(late)
        .to.emit(f.adapter, "RulingNotApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Provider, Status.Resolved);
      await expect(late).to.not.emit(f.escrow, "DisputeResolved");
      await expect(late).to.changeEtherBalances(
        ethers,
        [f.escrow, f.adapter, f.requester, f.provider],
        [0n, 0n, 0n, 0n],
      );
      c = await f.adapter.caseOf(f.jobId);
      expect([c.ruled, c.applied, c.ruling], "ruled too").to.deep.equal([
        true,
        true,
        Ruling.Provider,
      ]);
      await expect(f.adapter.applyCurrentRuling(f.jobId))
        .to.be.revertedWithCustomError(f.adapter, "AdapterAlreadyRuled")
        .withArgs(f.disputeId);
    });

    for (const [offset, allowed] of [
      [-1n, false],
      [0n, false],
      [1n, true],
    ] as const) {
      it(`an appealable ruling at appealsCloseAt${offset < 0n ? "" : "+"}${offset} ${allowed ? "is applied" : "is refused (AdapterRulingNotFinal): appeals are still open"}`, async function () {
        const f = await loadFixture(fx.courtCase);
        const end = await arbitrationEnd(f.escrow, f.jobId);
        const closeAt = end - MIN_APPEAL_TIME;
        await time.setNextBlockTimestamp(closeAt - DAY);
        await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
        await time.setNextBlockTimestamp(closeAt + offset);
        const apply = f.adapter.connect(f.provider).applyCurrentRuling(f.jobId);
        if (allowed) {
          await expect(apply)
            .to.emit(f.adapter, "RulingApplied")
            .withArgs(f.jobId, f.disputeId, Ruling.Requester, 0, ethers.ZeroAddress, FEE);
        } else {
          await expect(apply)
            .to.be.revertedWithCustomError(f.adapter, "AdapterRulingNotFinal")
            .withArgs(f.jobId, f.disputeId, DisputeStatus.Appealable, closeAt);
        }
      });
    }

    for (const [offset, allowed] of [
      [-1n, true],
      [0n, false],
    ] as const) {
      it(`at end${offset < 0n ? "" : "+"}${offset} the current ruling ${allowed ? "is applied" : "is refused (period over): the stale settlement applies"}`, async function () {
        const f = await loadFixture(fx.courtCase);
        const end = await arbitrationEnd(f.escrow, f.jobId);
        await time.setNextBlockTimestamp(end - DAY);
        await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
        await time.setNextBlockTimestamp(end + offset);
        const apply = f.adapter.applyCurrentRuling(f.jobId);
        if (allowed) {
          await expect(apply).to.emit(f.adapter, "RulingApplied");
        } else {
          await expect(apply)
            .to.be.revertedWithCustomError(f.adapter, "AdapterArbitrationPeriodOver")
            .withArgs(f.jobId, end);
          await expect(f.escrow.settleStaleDispute(f.jobId)).to.emit(f.escrow, "DisputeResolved");
        }
      });
    }

    it("a final (Solved) ruling the court has not executed is applied at any time in the period", async function () {
      const f = await loadFixture(fx.courtCase);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Refused);
      await time.increase(APPEAL_WINDOW);
      expect(await f.court.disputeStatus(f.disputeId), "final").to.equal(DisputeStatus.Solved);
      const tx = f.adapter.connect(f.stranger).applyCurrentRuling(f.jobId);
      await expect(tx)
        .to.emit(f.adapter, "CurrentRulingApplied")
        .withArgs(f.jobId, f.disputeId, f.stranger.address, DisputeStatus.Solved);
      await expect(tx)
        .to.emit(f.adapter, "RulingApplied")
        .withArgs(f.jobId, f.disputeId, Ruling.Refused, 5000, ethers.ZeroAddress, FEE);
      await expect(f.court.executeRuling(f.disputeId), "the court's call is recorded only").to.emit(
        f.adapter,
        "RulingNotApplied",
      );
    });

    it("refused without a ruling, while the court reconsiders after an appeal, without a court case, and once the job left Disputed", async function () {
      const f = await loadFixture(fx.courtCase);
      const closeAt = await f.adapter.appealsCloseAt(f.jobId);
      await expect(f.adapter.applyCurrentRuling(f.jobId), "no ruling yet")
        .to.be.revertedWithCustomError(f.adapter, "AdapterRulingNotFinal")
        .withArgs(f.jobId, f.disputeId, DisputeStatus.Waiting, closeAt);
      await time.setNextBlockTimestamp(closeAt - HOUR);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Requester);
      await f.adapter.connect(f.provider).appeal(f.jobId, { value: COURT_COST * 2n });
      await time.setNextBlockTimestamp(closeAt + 1n);
      await expect(f.adapter.applyCurrentRuling(f.jobId), "appealed: the new round is pending")
        .to.be.revertedWithCustomError(f.adapter, "AdapterRulingNotFinal")
        .withArgs(f.jobId, f.disputeId, DisputeStatus.Waiting, closeAt);
      await f.escrow.connect(f.provider).proposeSettlement(f.jobId, 5000);
      await f.escrow.connect(f.requester).acceptSettlement(f.jobId, 5000);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await expect(f.adapter.applyCurrentRuling(f.jobId), "settled")
        .to.be.revertedWithCustomError(f.adapter, "AdapterNotDisputed")
        .withArgs(f.jobId, Status.Resolved);
      const g = await loadFixture(fx.courtDispute);
      await expect(g.adapter.applyCurrentRuling(g.jobId))
        .to.be.revertedWithCustomError(g.adapter, "AdapterNotInCourt")
        .withArgs(g.jobId);
    });
  });

  describe("(audit L-01) the fee collection never decides the ruling", function () {
    const Trap = { None: 0, RevertTransfer: 1, BurnGas: 2, RevertBomb: 3, RevertBalanceOf: 4 };
    const AMOUNT = 1_000_000_007n;
    const TOKEN_FEE = (AMOUNT * 200n) / BPS;

    /** A TrapToken job naming the adapter, its court cost paid 1/3 by the requester, 2/3 by the provider. */
    async function trapCase(f: ArbitrationFixture) {
      const token = (await ethers.deployContract("TrapToken")) as unknown as TrapToken;
      await token.mint(f.requester.address, 10n ** 24n);
      await token.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
      const jobId = await fx.disputeJob(f, await f.adapter.getAddress(), {
        token: await token.getAddress(),
        amount: AMOUNT,
      });
      await f.adapter.connect(f.requester).fundCourt(jobId, { value: COURT_COST / 3n });
      await f.adapter.connect(f.provider).fundCourt(jobId, { value: COURT_COST });
      return { token, jobId, disputeId: (await f.adapter.caseOf(jobId)).disputeId };
    }

    for (const [name, trap] of [
      ["refuses the transfer", Trap.RevertTransfer],
      ["burns all the gas it is given", Trap.BurnGas],
      ["reverts with 200 kB of revert data", Trap.RevertBomb],
      ["reverts balanceOf(adapter)", Trap.RevertBalanceOf],
    ] as const) {
      it(`the token ${name}: the court's ruling is applied, the fee stays owed (FeeOwed)`, async function () {
        const f = await loadFixture(fx.deploy);
        const { token, jobId, disputeId } = await trapCase(f);
        const adapter = await f.adapter.getAddress();
        await token.setTrap(adapter, trap);
        await f.court.connect(f.judge).giveRuling(disputeId, Ruling.Provider);
        await time.increase(APPEAL_WINDOW);
        const tx = f.court.executeRuling(disputeId, { gasLimit: 3_000_000 });
        await expect(tx)
          .to.emit(f.adapter, "RulingApplied")
          .withArgs(jobId, disputeId, Ruling.Provider, 10000, await token.getAddress(), TOKEN_FEE);
        await expect(tx)
          .to.emit(f.adapter, "FeeOwed")
          .withArgs(jobId, await token.getAddress(), TOKEN_FEE);
        await expect(tx).to.not.emit(f.adapter, "Credited");
        expect((await (await tx).wait())!.gasUsed, "bounded").to.be.lessThan(700_000n);
        expect((await f.adapter.caseOf(jobId)).feeOwed, "owed").to.equal(TOKEN_FEE);
        expect(await f.adapter.feeBook(await token.getAddress()), "book").to.deep.equal([
          TOKEN_FEE,
          0n,
        ]);
        expect((await f.escrow.getJob(jobId)).status, "Resolved").to.equal(Status.Resolved);
      });
    }

    it("collectFee: refused while the token refuses; then anyone collects it and the funders are reimbursed pro rata, once", async function () {
      const f = await loadFixture(fx.deploy);
      const { token, jobId, disputeId } = await trapCase(f);
      const adapter = await f.adapter.getAddress();
      const t = await token.getAddress();
      await token.setTrap(adapter, Trap.RevertTransfer);
      await f.court.connect(f.judge).giveRuling(disputeId, Ruling.Requester);
      await time.increase(APPEAL_WINDOW);
      await f.court.executeRuling(disputeId);
      await expect(f.adapter.connect(f.stranger).collectFee(jobId))
        .to.be.revertedWithCustomError(token, "Trapped")
        .withArgs(adapter);
      await token.setTrap(adapter, Trap.None);
      const toRequester = (TOKEN_FEE * (COURT_COST / 3n)) / COURT_COST;
      const tx = f.adapter.connect(f.stranger).collectFee(jobId);
      await expect(tx).to.emit(f.adapter, "FeeCollected").withArgs(jobId, t, TOKEN_FEE);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(jobId, t, f.requester.address, toRequester);
      await expect(tx)
        .to.emit(f.adapter, "Credited")
        .withArgs(jobId, t, f.provider.address, TOKEN_FEE - toRequester);
      expect((await f.adapter.caseOf(jobId)).feeOwed, "nothing owed").to.equal(0n);
      expect(await f.adapter.feeBook(t), "book empty").to.deep.equal([0n, 0n]);
      expect(await f.escrow.withdrawable(t, adapter), "escrow credit 0").to.equal(0n);
      expect(await token.balanceOf(adapter), "balance == credits").to.equal(TOKEN_FEE);
      await expect(f.adapter.collectFee(jobId), "no double payment")
        .to.be.revertedWithCustomError(f.adapter, "AdapterNoFeeOwed")
        .withArgs(jobId);
    });

    it("a current ruling applied while the token refuses also leaves the fee owed", async function () {
      const f = await loadFixture(fx.deploy);
      const { token, jobId, disputeId } = await trapCase(f);
      await token.setTrap(await f.adapter.getAddress(), Trap.RevertTransfer);
      await f.court.connect(f.judge).giveRuling(disputeId, Ruling.Provider);
      await time.increase(APPEAL_WINDOW);
      await expect(f.adapter.applyCurrentRuling(jobId))
        .to.emit(f.adapter, "FeeOwed")
        .withArgs(jobId, await token.getAddress(), TOKEN_FEE);
    });

    it("collectFee is refused for a fee collected at once and for a job without a ruling", async function () {
      const f = await loadFixture(fx.courtCase);
      await expect(f.adapter.collectFee(f.jobId))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNoFeeOwed")
        .withArgs(f.jobId);
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
      await time.increase(APPEAL_WINDOW);
      await f.court.executeRuling(f.disputeId);
      await expect(f.adapter.collectFee(f.jobId))
        .to.be.revertedWithCustomError(f.adapter, "AdapterNoFeeOwed")
        .withArgs(f.jobId);
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
